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
