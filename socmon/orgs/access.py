"""Which org units a user may see or manage. Invisible → 404, visible but read-only → 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from socmon.accounts.access import (
    MANAGE_ORG,
    VIEW_ORG,
    VIEW_PEOPLE,
    has_capability,
    in_reach,
    paths_q,
    reach_paths,
)
from socmon.accounts.models import Membership, User

from .models import OrgUnit


def org_units_visible_to(user, capability: str = VIEW_ORG) -> QuerySet[OrgUnit]:
    """Units in the subtrees where the user holds `capability`, in tree order."""
    return OrgUnit.objects.filter(paths_q(reach_paths(user, capability))).select_related("level").order_by("path")


def get_org_unit_for_user(user, pk, *, manage: bool = False) -> OrgUnit:
    unit = org_units_visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if manage and not can_manage_unit(user, unit):
        raise PermissionDenied
    return unit


def can_manage_unit(user, unit: OrgUnit) -> bool:
    return in_reach(unit.path, reach_paths(user, MANAGE_ORG))


def can_view_people(user, unit: OrgUnit) -> bool:
    return in_reach(unit.path, reach_paths(user, VIEW_PEOPLE))


def may_manage_org(user) -> bool:
    return has_capability(user, MANAGE_ORG)


def people_whose_password_user_may_reset(user) -> QuerySet[User]:
    """Accounts an administrator may give a temporary password: every role they hold lies in the subtrees the
    administrator manages (someone with a role above or beside that reach would lend its powers to whoever
    knows the new password), and they are neither a superuser, staff, nor the administrator themselves
    (who changes their own password on Account security)."""
    paths = reach_paths(user, MANAGE_ORG)
    if not paths:
        return User.objects.none()
    in_reach = Membership.objects.filter(paths_q(paths, "org_unit__path")).values("user")
    beyond = Membership.objects.exclude(paths_q(paths, "org_unit__path")).values("user")
    return (User.objects.filter(pk__in=in_reach, is_superuser=False, is_staff=False)
            .exclude(pk__in=beyond).exclude(pk=user.pk))


def get_person_for_password_reset(user, pk) -> User:
    """The account `pk` if `user` may reset its password; otherwise 404 (someone without the right to manage
    people at all gets 403)."""
    if not may_manage_org(user):
        raise PermissionDenied
    person = people_whose_password_user_may_reset(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person
