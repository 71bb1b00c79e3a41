"""Who may read indicators and set their targets, and where (DESIGN "Who sees what").

- Reading: the catalogue and definitions are the same for everyone holding VIEW_INDICATORS (heads, directors,
  specialists, analysts, evaluators). Values follow the one rule for aggregates, `aggregate_scope(user,
  VIEW_INDICATORS)`: the subtrees a reader covers, exact where they may also see people, otherwise
  ("aggregate_only", external evaluators) with small counts suppressed (`selectors`).
- Targets: MANAGE_INDICATORS (M&E specialists) over the subtree of their membership.

Units are named in addresses by primary key: a unit outside the reader's scope answers 404, as if it did not
exist; a reader without the capability at all gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from socmon.accounts.access import (
    MANAGE_INDICATORS,
    VIEW_INDICATORS,
    AggregateScope,
    aggregate_scope,
    has_capability,
    in_reach,
    paths_q,
    reach_paths,
)
from socmon.lib.forms import MAX_ID
from socmon.orgs.models import OrgUnit

from .models import Indicator


def indicator_scope(user) -> AggregateScope:
    """The reader's aggregate scope for indicator values; PermissionDenied for someone who may read none."""
    scope = aggregate_scope(user, VIEW_INDICATORS)
    if not scope.paths:
        raise PermissionDenied
    return scope


def may_view(user) -> bool:
    return has_capability(user, VIEW_INDICATORS)


def may_manage(user) -> bool:
    """Definitions are national: MANAGE_INDICATORS anywhere (the M&E specialist) defines, replaces and retires
    them, and sets targets within their reach."""
    return bool(reach_paths(user, MANAGE_INDICATORS))


def get_indicator_for_manager(user, code: str, *, version: int | None = None) -> Indicator:
    """An indicator by code (its newest version unless `version` is given): 403 without MANAGE_INDICATORS,
    404 when there is none."""
    if not may_manage(user):
        raise PermissionDenied
    versions = Indicator.objects.filter(code=code)
    indicator = (versions.filter(version=version) if version is not None else versions.order_by("-version")).first()
    if indicator is None:
        raise Http404
    return indicator


def viewable_units(scope: AggregateScope) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope.q())


def managed_units(user) -> QuerySet[OrgUnit]:
    """Units whose targets `user` may set (none without MANAGE_INDICATORS)."""
    return OrgUnit.objects.filter(paths_q(reach_paths(user, MANAGE_INDICATORS)))


def may_manage_unit(user, unit: OrgUnit) -> bool:
    return in_reach(unit.path, reach_paths(user, MANAGE_INDICATORS))


def _pk(value) -> int | None:
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= MAX_ID else None


def get_unit_for_user(units: QuerySet[OrgUnit], value) -> OrgUnit:
    """The unit `?unit=` names among `units` (the reader's), their top unit when none is named; 404 otherwise."""
    if value in (None, ""):
        default = top_unit(units)
        if default is None:
            raise Http404
        return default
    pk = _pk(value)
    unit = units.filter(pk=pk).select_related("level").first() if pk else None
    if unit is None:
        raise Http404
    return unit


def top_unit(units: QuerySet[OrgUnit]) -> OrgUnit | None:
    """The reader's highest unit (the first of their subtrees)."""
    return units.select_related("level").order_by("depth", "path").first()


def get_indicator(code: str, version=None) -> Indicator:
    """The current version of the indicator `code` (the one no other replaces), or version `version`; 404."""
    indicators = Indicator.objects.filter(code=code)
    if version in (None, ""):
        indicator = indicators.filter(replaced_by__isnull=True).order_by("-version").first()
    else:
        number = _pk(version)
        indicator = indicators.filter(version=number).first() if number and number < 2**15 else None
    if indicator is None:
        raise Http404
    return indicator
