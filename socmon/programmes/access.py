"""Who sees programmes and their M&E plans, who writes them and who approves them (all the rules in one place).

- Reading: VIEW_INDICATORS over the owning unit (heads, directors, specialists, analysts, external evaluators);
  the names of the staff who wrote, approved and evaluated show only to those who may also see people there
  (VIEW_PEOPLE: not the external evaluator, who sees "a staff member").
- Writing (a programme, its stage, plan drafts, evaluations): MANAGE_INDICATORS over the owning unit, the M&E
  specialist.
- Approving or returning a submitted version: APPROVE_PLANS over the owning unit (the institution's director for
  programmes of the institution and its departments, an M&E specialist of an area above), and never by the
  version's author: whoever started it or submitted it (`approval_refusal`).

Invisible → 404; visible but not allowed → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socmon.accounts.access import (
    APPROVE_PLANS,
    MANAGE_INDICATORS,
    VIEW_INDICATORS,
    VIEW_PEOPLE,
    has_capability,
    in_reach,
    paths_q,
    reach_paths,
)
from socmon.clients.access import units_q
from socmon.lib.forms import MAX_ID
from socmon.orgs.models import OrgUnit

from .models import PlanVersion, Programme


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Programmes owned by units where the user reads indicators (`org_unit_id IN (…)`: stays on the index)."""
    paths = reach_paths(user, VIEW_INDICATORS)
    if not paths:
        return Programme.objects.none()
    return Programme.objects.filter(units_q(paths, user=user))


def _pk(value) -> int | None:
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= MAX_ID else None


def get_programme_for_user(user, pk, *, manage: bool = False, approve: bool = False) -> Programme:
    """A programme the user sees (404 otherwise); 403 when `manage`/`approve` is asked of someone who may not."""
    number = _pk(pk)
    programme = (programmes_visible_to(user).select_related("org_unit", "created_by").filter(pk=number).first()
                 if number else None)
    if programme is None:
        raise Http404
    if (manage and not may_manage(user, programme)) or (approve and not may_approve(user, programme)):
        raise PermissionDenied
    return programme


def may_view(user) -> bool:
    return has_capability(user, VIEW_INDICATORS)


def may_create(user) -> bool:
    return has_capability(user, MANAGE_INDICATORS)


def may_manage(user, programme: Programme) -> bool:
    return in_reach(programme.org_unit.path, reach_paths(user, MANAGE_INDICATORS))


def may_approve(user, programme: Programme) -> bool:
    """Holds APPROVE_PLANS over the owning unit (whether this version is theirs is `approval_refusal`)."""
    return in_reach(programme.org_unit.path, reach_paths(user, APPROVE_PLANS))


def approval_refusal(user, version: PlanVersion) -> str | None:
    """Why `user` may not approve or return `version` although they may approve plans there; None if they may."""
    if user.pk in version.authors():
        return _("You wrote or submitted this version of the plan, so someone else must approve it: the "
                 "institution's director or another M&E specialist.")
    return None


def may_see_names(user, programme: Programme) -> bool:
    return in_reach(programme.org_unit.path, reach_paths(user, VIEW_PEOPLE))


def owner_units(user) -> QuerySet[OrgUnit]:
    """Units a new programme may belong to: where the user holds MANAGE_INDICATORS."""
    return OrgUnit.objects.filter(paths_q(reach_paths(user, MANAGE_INDICATORS)))
