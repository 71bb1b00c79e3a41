"""Reads for the client pages. Each starts from socmon.clients.access."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from socmon.accounts.access import VIEW_CLIENTS, memberships_of, paths_q, reach_paths
from socmon.accounts.models import Role, User
from socmon.orgs.models import OrgUnit

from . import search
from .access import (
    caseload_departments,
    clients_openable_with_purpose,
    clients_visible_to,
    current_assignments,
    institution_paths,
    may_register,
    workers_of,
)
from .models import Application, CaseloadAssignment, Client, ClientAccessLog, name_key, normalise_document_number
from .units import parent_name

PURPOSE_VIEWS_DAYS = 30


def client_list_for(user, *, query: str = "", today: datetime.date | None = None) -> QuerySet[Client]:
    """The clients the user may list, searched (clients.search), each with the name of today's worker and
    the parent of their department (subqueries, not one query per row)."""
    holder = current_assignments(today).filter(client=OuterRef("pk"))
    clients = clients_visible_to(user, today).annotate(
        worker_first_name=Subquery(holder.values("worker__first_name")[:1]),
        worker_last_name=Subquery(holder.values("worker__last_name")[:1]),
        org_unit_parent=parent_name("org_unit__path"),
    )
    return search.search(clients, query) if query.strip() else clients


NOT_ON_LIST_LIMIT = 20


def may_search_beyond_list(user) -> bool:
    """A worker may look for clients of their department who are not on their list (to cover for a colleague)."""
    return bool(reach_paths(user, VIEW_CLIENTS, roles={Role.WORKER}))


def not_on_list_for(user, *, query: str, birth_date: datetime.date | None = None) -> list[Client]:
    """A worker's search also finds clients of their department who are not on their list (a colleague's
    or nobody's), to open with a stated purpose. Never by browsing: only by the full client code, or by a
    name together with the date of birth (so the department cannot be listed a letter at a time). Code,
    name and department only; the caller logs each one found (the view)."""
    code = search.full_code(query)
    words = search.name_words(query)
    if code:
        others = clients_openable_with_purpose(user).filter(code=code)
    elif words and birth_date is not None:
        others = search.search(clients_openable_with_purpose(user).filter(birth_date=birth_date), " ".join(words))
    else:
        return []
    others = (others.exclude(pk__in=clients_visible_to(user).values("pk")).select_related("org_unit")
              .only("code", "first_name", "last_name", "org_unit__name", "org_unit__path")
              .annotate(org_unit_parent=parent_name("org_unit__path")))
    return list(others.order_by("last_name", "first_name", "code")[:NOT_ON_LIST_LIMIT])


@dataclass
class Duplicate:
    client: Client
    url: str | None  # None when the user may not open the record at all


def possible_duplicates(user, *, first_name: str, last_name: str, birth_date: datetime.date,
                        document_number: str = "") -> list[Duplicate]:
    """Existing clients who may be the same person: same name and date of birth, or same document
    number, among the clients the user sees or anywhere in their institution. Shown by code only."""
    match = Q(search_name=name_key(first_name, last_name), birth_date=birth_date)
    match |= Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), birth_date=birth_date)
    document = normalise_document_number(document_number)
    if document:
        match |= Q(document_number=document)
    scope = Q(pk__in=clients_visible_to(user).values("pk")) | paths_q(institution_paths(user), "org_unit__path")
    candidates = (Client.objects.filter(scope).filter(match).select_related("org_unit")
                  .annotate(org_unit_parent=parent_name("org_unit__path")).order_by("code")[:10])
    openable = set(clients_visible_to(user).filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True))
    openable |= set(clients_openable_with_purpose(user).filter(pk__in=[c.pk for c in candidates])
                    .values_list("pk", flat=True))
    return [Duplicate(c, reverse("clients:detail", args=[c.pk]) if c.pk in openable else None) for c in candidates]


def caseload_history(client: Client) -> QuerySet[CaseloadAssignment]:
    return client.assignments.select_related("worker", "assigned_by").order_by("-starts_on", "-pk")


def applications_of(client: Client) -> QuerySet[Application]:
    return client.applications.select_related("registered_by", "org_unit")


def current_worker(client: Client, today: datetime.date | None = None) -> User | None:
    assignment = current_assignments(today).filter(client=client).select_related("worker").first()
    return assignment.worker if assignment else None


def access_report(client: Client) -> QuerySet[ClientAccessLog]:
    return client.access_log.select_related("user")


@dataclass
class WorkerLoad:
    worker: User
    clients: list[Client] = field(default_factory=list)
    arriving: list[Client] = field(default_factory=list)  # join this worker's list tomorrow
    leaving: list[Client] = field(default_factory=list)   # leave this worker's list tomorrow
    is_member: bool = True  # False: holds clients here but is no longer a worker of the department

    @property
    def count(self) -> int:
        return len(self.clients)


@dataclass
class CaseloadOverview:
    department: OrgUnit
    loads: list[WorkerLoad]
    unassigned: list[Client]
    client_count: int

    @property
    def average(self) -> float | None:
        members = [load for load in self.loads if load.is_member]
        return sum(load.count for load in members) / len(members) if members else None

    @property
    def workers(self) -> list[User]:
        return [load.worker for load in self.loads if load.is_member]


def caseload_overview(department: OrgUnit, *, today: datetime.date | None = None) -> CaseloadOverview:
    """Each worker of the department with today's clients and tomorrow's changes; clients nobody holds.
    Four queries whatever the size of the department."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    loads = {w.pk: WorkerLoad(w) for w in workers_of(department)}
    rows = (CaseloadAssignment.objects.filter(client__org_unit=department)
            .filter(Q(ends_on=None) | Q(ends_on__gt=today))
            .select_related("client__category", "worker").order_by("client__last_name", "client__first_name"))
    held = set()
    for row in rows:
        load = loads.get(row.worker_id)
        if load is None:
            load = loads[row.worker_id] = WorkerLoad(row.worker, is_member=False)
        if row.starts_on > today:
            load.arriving.append(row.client)
        else:
            load.clients.append(row.client)
            if row.ends_on == tomorrow:
                load.leaving.append(row.client)
        held.add(row.client_id)
    clients = Client.objects.filter(org_unit=department, is_active=True)
    unassigned = list(clients.exclude(pk__in=held).select_related("category"))
    ordered = sorted(loads.values(), key=lambda load: (not load.is_member, load.worker.last_name))
    return CaseloadOverview(department, ordered, unassigned, clients.count())


def purpose_views(paths: list[str], *, days: int = PURPOSE_VIEWS_DAYS) -> QuerySet[ClientAccessLog]:
    """Views of client records with a stated purpose (break-glass) in the given subtrees, recent first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return (ClientAccessLog.objects.filter(paths_q(paths, "client__org_unit__path"), at__gte=since)
            .exclude(purpose="").select_related("user", "client"))


@dataclass
class MyCaseload:
    today: list[CaseloadAssignment]
    arriving: list[CaseloadAssignment]


def my_caseload(user, *, today: datetime.date | None = None) -> MyCaseload:
    """The worker's list for today (R-2.5: it changes only at the start of a day) and what changes tomorrow."""
    today = today or timezone.localdate()
    mine = CaseloadAssignment.objects.filter(worker=user).select_related("client__category", "client__org_unit")
    return MyCaseload(
        today=list(current_assignments(today).filter(worker=user)
                   .select_related("client__category", "client__org_unit")
                   .order_by("client__last_name", "client__first_name")),
        arriving=list(mine.filter(starts_on__gt=today).order_by("client__last_name")),
    )


def home_counts_for(user, *, today: datetime.date | None = None) -> dict:
    """The home page's client figures: a worker's list today; a head's department (a superuser's every
    department) and its purpose-stated views of the last week."""
    counts = {"my_client_count": None, "department_client_count": None, "purpose_view_count": None,
              "can_register_clients": may_register(user)}
    if any(m.role == Role.WORKER for m in memberships_of(user)):
        counts["my_client_count"] = current_assignments(today).filter(worker=user).count()
    departments = list(caseload_departments(user))
    if departments:
        counts["department_client_count"] = Client.objects.filter(org_unit__in=departments).count()
        # "In your department" only when the count is of the person's own department(s) (a head's);
        # a superuser's reaches the whole country.
        own = {m.org_unit_id for m in memberships_of(user) if m.role in {Role.WORKER, Role.HEAD}}
        counts["department_clients_are_own"] = all(d.pk in own for d in departments)
        counts["purpose_view_count"] = purpose_views([d.path for d in departments], days=7).count()
        counts["caseload_url"] = reverse("clients:caseloads")
    return counts
