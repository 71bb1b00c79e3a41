"""Who may see which clients. Every query that touches clients starts here.

- A social worker sees the clients on their current caseload. They may open another client of their
  own department only by stating a purpose (covering for a colleague); that view is logged with the
  purpose and shown to the head.
- Heads, directors, monitoring specialists and analysts see the clients of their subtree.
- External evaluators see no client at all (aggregates only, elsewhere).
Invisible → 404.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from socmon.accounts.access import (
    MANAGE_CASELOAD,
    REGISTER_CLIENTS,
    VIEW_CLIENTS,
    has_capability,
    in_reach,
    memberships_of,
    paths_q,
    reach_paths,
)
from socmon.accounts.models import Role, User
from socmon.orgs.models import OrgLevel, OrgUnit

from .models import CaseloadAssignment, Client
from .units import parent_name


class PurposeRequired(Exception):
    """The user may open this client only after stating why (and the view will be logged with it)."""

    def __init__(self, client: Client):
        super().__init__(client.code)
        self.client = client


def current_assignments(today: datetime.date | None = None) -> QuerySet[CaseloadAssignment]:
    today = today or timezone.localdate()
    return CaseloadAssignment.objects.filter(Q(ends_on=None) | Q(ends_on__gt=today), starts_on__lte=today)


def overseen_paths(user) -> list[str]:
    """Subtrees where the user sees all clients: every role with VIEW_CLIENTS except the worker's."""
    roles = {Role.HEAD, Role.DIRECTOR, Role.SPECIALIST, Role.ANALYST, Role.ADMIN}
    return reach_paths(user, VIEW_CLIENTS, roles=roles)


# Up to this many units, a scope is a list of unit ids (PostgreSQL estimates rows per department well and
# picks the right plan); above it (a country) a join on the tree path, where every plan reads most rows anyway.
UNIT_ID_LIST_LIMIT = 1000


def _unit_ids(paths: list[str]) -> list[int] | None:
    """Ids of the units under `paths`, or None when there are more than UNIT_ID_LIST_LIMIT."""
    ids = list(OrgUnit.objects.filter(paths_q(paths)).order_by().values_list("pk", flat=True)
               [:UNIT_ID_LIST_LIMIT + 1])
    return None if len(ids) > UNIT_ID_LIST_LIMIT else ids


def units_q(paths: list[str], field: str = "org_unit", *, user=None) -> Q:
    """Rows whose unit (`field`) lies under any of `paths`, as `field_id IN (ids)` resolved now from the
    path index. A join on `path LIKE 'prefix%'` leaves PostgreSQL guessing how many rows hang under the
    matching units (7,035 guessed for 600 real): it then scans the whole country's clients. With `user`,
    the ids are looked up once per request (kept on the user object, like their memberships)."""
    cache = getattr(user, "_socmon_unit_ids", None) if user is not None else None
    key = tuple(paths)
    if cache is not None and key in cache:
        ids = cache[key]
    else:
        ids = _unit_ids(paths)
        if user is not None:
            user._socmon_unit_ids = {**(cache or {}), key: ids}
    if ids is None:
        return paths_q(paths, f"{field}__path")
    return Q(**{f"{field}_id__in": ids})


def caseload_clients(user, today: datetime.date | None = None) -> QuerySet:
    """Ids of the clients on the user's own list today (a subquery)."""
    return current_assignments(today).filter(worker=user).order_by().values("client")


def _holds_caseload(user, today: datetime.date | None) -> bool:
    """Whether the user has clients on their own list today; asked once per request (kept on the user)."""
    cache = getattr(user, "_socmon_holds_caseload", {})
    if today not in cache:
        user._socmon_holds_caseload = {**cache, today: caseload_clients(user, today).exists()}
    return user._socmon_holds_caseload[today]


def visible_scope(user, model, *, reach: Q, own: Q, today: datetime.date | None = None) -> Q:
    """The filter on `model` for "overseen (`reach`) or on the user's own list (`own`)".

    Each side is answered from its own index: the org tree's path index for `reach`, the caseload by worker
    for `own`. `reach OR own` in one WHERE defeats both on PostgreSQL (a scan of every row in the country),
    so a user with both gets `pk IN (reach UNION own)`; most people have one side only.
    """
    if not overseen_paths(user):
        return own
    if not _holds_caseload(user, today):
        return reach
    overseen = model.objects.filter(reach).order_by().values("pk")
    on_list = model.objects.filter(own).order_by().values("pk")
    return Q(pk__in=overseen.union(on_list))


def clients_visible_to(user, today: datetime.date | None = None) -> QuerySet[Client]:
    """Clients the user may list, search and open without stating a purpose."""
    if not user.is_authenticated:
        return Client.objects.none()
    scope = visible_scope(user, Client, reach=units_q(overseen_paths(user), user=user),
                          own=Q(pk__in=caseload_clients(user, today)), today=today)
    return Client.objects.filter(scope).select_related("org_unit", "category")


def clients_openable_with_purpose(user) -> QuerySet[Client]:
    """Clients of the worker's own department(s) that are not on their caseload."""
    return Client.objects.filter(units_q(reach_paths(user, VIEW_CLIENTS, roles={Role.WORKER}), user=user))


def get_client_for_user(user, pk, *, purpose_given: bool = False, write: bool = False) -> Client:
    """The client, if the user may open it. Raises PurposeRequired for a break-glass view without a purpose.

    With `write=True` the user must also hold REGISTER_CLIENTS over the client's department and see the
    client without a stated purpose (a break-glass view is for reading only): otherwise PermissionDenied.
    """
    client = clients_visible_to(user).filter(pk=pk).first()
    if client is not None:
        if write and not may_change_client(user, client):
            raise PermissionDenied
        return client
    client = clients_openable_with_purpose(user).select_related("org_unit", "category").filter(pk=pk).first()
    if client is None:
        raise Http404
    if not purpose_given:
        raise PurposeRequired(client)
    if write:
        raise PermissionDenied
    return client


def may_change_client(user, client: Client) -> bool:
    """REGISTER_CLIENTS over the client's department, for a client seen without a stated purpose: a purpose
    opens a colleague's client for reading only (the page then offers no edit or new application)."""
    return in_reach(client.org_unit.path, reach_paths(user, REGISTER_CLIENTS)) and not needs_purpose(user, client)


def may_see_access_report(user, client: Client) -> bool:
    """Who consulted a record is for the department head and the director above it (R-1.3)."""
    paths = reach_paths(user, VIEW_CLIENTS, roles={Role.HEAD, Role.DIRECTOR})
    return user.is_superuser or in_reach(client.org_unit.path, paths)


def _departments_under(paths: list[str]) -> QuerySet[OrgUnit]:
    """Each with `parent_name`: lists name a department with its institution (names repeat)."""
    return (OrgUnit.objects.filter(paths_q(paths), level__kind=OrgLevel.Kind.DEPARTMENT)
            .select_related("level").annotate(parent_name=parent_name()).order_by("parent_name", "name", "path"))


def registration_departments(user) -> QuerySet[OrgUnit]:
    """Departments the user may register applications for: their own (worker, head) or those of their
    institution (director)."""
    return _departments_under(reach_paths(user, REGISTER_CLIENTS))


def caseload_departments(user) -> QuerySet[OrgUnit]:
    """Departments whose caseloads the user manages (the head's own)."""
    return _departments_under(reach_paths(user, MANAGE_CASELOAD))


def get_caseload_department_for_user(user, pk) -> OrgUnit:
    department = caseload_departments(user).filter(pk=pk).first()
    if department is None:
        raise Http404
    return department


def may_register(user) -> bool:
    return has_capability(user, REGISTER_CLIENTS)


def may_manage_caseload(user, department: OrgUnit) -> bool:
    return in_reach(department.path, reach_paths(user, MANAGE_CASELOAD))


def workers_of(department: OrgUnit) -> QuerySet[User]:
    """The social workers of a department: the only people a client of it may be assigned to."""
    return (User.objects.filter(memberships__org_unit=department, memberships__role=Role.WORKER, is_active=True)
            .distinct().order_by("last_name", "first_name"))


def is_worker_at(user, department: OrgUnit) -> bool:
    return any(m.role == Role.WORKER and m.org_unit_id == department.pk for m in memberships_of(user))


def institution_paths(user) -> list[str]:
    """Paths of the institutions above (or at) the units where the user registers clients: the scope of
    the duplicate check, wider than what the user may see."""
    units = [m.org_unit for m in memberships_of(user) if m.role in {Role.WORKER, Role.HEAD, Role.DIRECTOR}]
    prefixes = {u.path[:i] for u in units for i in range(u.steplen, len(u.path) + 1, u.steplen)}
    institutions = OrgUnit.objects.filter(path__in=prefixes, level__kind=OrgLevel.Kind.INSTITUTION)
    return list(institutions.values_list("path", flat=True))


def needs_purpose(user, client: Client) -> bool:
    return not clients_visible_to(user).filter(pk=client.pk).exists()
