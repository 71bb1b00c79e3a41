"""The reads behind the day and live pages. Which visits anyone sees is access.py's (`visits_visible_to`):
every visit query here starts from it. What a visit is at a moment (planned, late, missed, …) is
`Visit.objects.with_effective_status(now)`. Whose day and which units one follows is decided here.
Invisible → 404; visible but not theirs to act on → 403.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from socmon.accounts.access import (
    DO_VISITS,
    FOLLOW_VISITS,
    INDIVIDUAL,
    REPORT_VISITS,
    aggregate_scope,
    has_capability,
    in_reach,
    memberships_of,
    paths_q,
    reach_paths,
)
from socmon.accounts.models import Role, User
from socmon.orgs.access import org_units_visible_to
from socmon.orgs.models import OrgLevel, OrgUnit

from . import flags as flag_rules
from . import reports, services
from .access import may_check_flags, may_see_contacts, visits_visible_to
from .models import ClientCard, EffectiveStatus, FlagCheck, PlannedService, ServiceDelivery, Visit
from .routing import client_point, office_point, seconds_of, time_of, travel_seconds, workday


def units_for_report(scope) -> QuerySet[OrgUnit]:
    """The units whose visit report a reader may open (their `aggregate_scope`), each with its level, which
    decides whether the report lists workers or child units."""
    return OrgUnit.objects.filter(scope.q()).select_related("level")


def workers_followed_by(user) -> QuerySet[User]:
    """Social workers whose day and visits the user follows (heads and above, in their subtree)."""
    paths = reach_paths(user, FOLLOW_VISITS)
    return User.objects.filter(
        paths_q(paths, "memberships__org_unit__path"), memberships__role=Role.WORKER, is_active=True,
    ).distinct().order_by("last_name", "first_name", "pk")


def get_worker_for_user(user, pk) -> User:
    """The worker whose day `user` may open: their own, or a worker they follow. Anyone else → 404."""
    if user.is_authenticated and user.pk == pk and has_capability(user, DO_VISITS):
        return user
    worker = workers_followed_by(user).filter(pk=pk).first()
    if worker is None:
        raise Http404
    return worker


# --- The worker's day ---------------------------------------------------------------------------------

@dataclass
class DayRow:
    visit: Visit
    status: str
    eta: datetime.time | None
    services: list
    point: tuple[float, float] | None
    minutes_spent: int = 0
    rating: object = None
    n: int | None = None  # the marker's number on the live map
    contacts: "ClientContacts | None" = None  # only for the visit's own worker (access.may_see_contacts)

    @property
    def status_label(self) -> str:
        return EffectiveStatus(self.status).label

    @property
    def planned_window(self) -> str:
        """The visit's window as "10:00–11:00" ("10:00–" or "–11:00" when open on one side); "" without one."""
        start, end = self.visit.window_start, self.visit.window_end
        if start is None and end is None:
            return ""
        return f"{start.strftime('%H:%M') if start else ''}–{end.strftime('%H:%M') if end else ''}"


@dataclass
class Day:
    worker: User
    day: datetime.date
    rows: list[DayRow] = field(default_factory=list)
    unfit: list[DayRow] = field(default_factory=list)
    office: tuple[float, float] | None = None

    @property
    def markers(self) -> list[dict]:
        return [{"n": r.visit.route_order, "lat": r.point[0], "lon": r.point[1], "label": r.visit.client.code,
                 "status": r.status} for r in self.rows if r.point]


def _estimated_arrivals(visits: list[Visit], office) -> dict[int, datetime.time]:
    """Replay the stored order: leave the office at the start of the day, wait for each window."""
    clock, here, arrivals = seconds_of(workday()[0]), office, {}
    for visit in visits:
        point = client_point(visit.client)
        if point is None or here is None:
            continue
        clock += travel_seconds(here, point)
        if visit.window_start:
            clock = max(clock, seconds_of(visit.window_start))
        arrivals[visit.pk] = time_of(clock)
        clock += visit.planned_minutes * 60
        here = point
    return arrivals


def day_for(worker: User, day: datetime.date, *, viewer: User, now: datetime.datetime) -> Day:
    """The worker's visits of `day` that `viewer` may see, in route order, with estimated arrival times;
    those not fitting apart. (A head sees only their departments' visits of a worker who has several.)"""
    visits = list(
        visits_visible_to(viewer).filter(worker=worker, planned_for=day).exclude(status=Visit.Status.CANCELLED)
        .with_effective_status(now).select_related("client", "org_unit")
        .prefetch_related(Prefetch("planned_services", PlannedService.objects.select_related("service")))
        .order_by("route_order", "window_start", "pk")
    )
    office = office_point(visits[0].org_unit, visits) if visits else None
    routed = [v for v in visits if v.route_order is not None]
    arrivals = _estimated_arrivals(routed, office)
    result = Day(worker=worker, day=day, office=office)
    for visit in visits:
        row = DayRow(visit, visit.effective_status, visit.window_start or arrivals.get(visit.pk),
                     [p.service for p in visit.planned_services.all()], client_point(visit.client))
        fits = visit.route_order is not None or visit.status != Visit.Status.PLANNED
        (result.rows if fits else result.unfit).append(row)
    return result


# --- What the worker needs at the door (My day) -------------------------------------------------------

@dataclass
class ClientContacts:
    phone: str
    address: str
    access_notes: str
    directions: str
    plan_services: list  # cases.PlanService of the approved plan; empty without one
    has_plan: bool
    has_card: bool

    @property
    def tel(self) -> str:
        """The phone as a tel: address (digits and a leading +)."""
        digits = re.sub(r"[^0-9]", "", self.phone)
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}" if digits else ""


def directions_url(client) -> str:
    """A geo: address the phone's map app opens: at the stored map position (named by the address), or a
    search for the address when the client has no position."""
    label = quote(client.address, safe="")
    if client.latitude is None or client.longitude is None:
        return f"geo:0,0?q={label}"
    point = f"{client.latitude.normalize():f},{client.longitude.normalize():f}"
    return f"geo:{point}?q={point}({label})"


def add_contacts(rows: list[DayRow], *, viewer: User) -> None:
    """Give the rows of the viewer's own visits the client's contacts, plan services and card (three queries
    for the whole day). Rows of visits that are not the viewer's own stay without."""
    own = [row for row in rows if may_see_contacts(viewer, row.visit)]
    client_ids = {row.visit.client_id for row in own}
    if not client_ids:
        return
    plans = services.plan_services_of(client_ids)
    carded = set(ClientCard.objects.filter(client__in=client_ids, revoked_at=None).values_list("client_id", flat=True))
    for row in own:
        client = row.visit.client
        row.contacts = ClientContacts(
            phone=client.phone, address=client.address, access_notes=client.access_notes,
            directions=directions_url(client), plan_services=plans.get(client.pk, []),
            has_plan=client.pk in plans, has_card=client.pk in carded)


# --- The head's live view -----------------------------------------------------------------------------

def live_units_for(user) -> QuerySet[OrgUnit]:
    """Departments whose visits the user may follow live."""
    return OrgUnit.objects.filter(paths_q(reach_paths(user, FOLLOW_VISITS)), level__kind=OrgLevel.Kind.DEPARTMENT,
                                  is_active=True).select_related("level").order_by("path")


def names_with_parents(units) -> dict[int, str]:
    """"Home Care · Riverside Centre" per unit id, as OrgUnit.name_with_parent, with every parent fetched in one
    query (for lists: departments of different institutions often share a name)."""
    units = list(units)
    parent_paths = {u.path[: -u.steplen] for u in units if u.depth > 1}
    parents = dict(OrgUnit.objects.filter(path__in=parent_paths).values_list("path", "name")) if parent_paths else {}
    names = {}
    for unit in units:
        parent = parents.get(unit.path[: -unit.steplen]) if unit.depth > 1 else None
        names[unit.pk] = f"{unit.name} · {parent}" if parent else unit.name
    return names


def get_unit_for_following(user, pk) -> OrgUnit:
    """A unit the user may follow: not visible → 404; visible but no right to follow visits → 403."""
    unit = org_units_visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if not in_reach(unit.path, reach_paths(user, FOLLOW_VISITS)):
        raise PermissionDenied
    return unit


@dataclass
class ServiceTime:
    service: object
    count: int = 0
    minutes: int = 0

    @property
    def average(self) -> float:
        return self.minutes / self.count if self.count else 0

    @property
    def percent_of_norm(self) -> int:
        return round(100 * self.average / self.service.norm_minutes) if self.count else 0


def service_times(visits: list[Visit]) -> list[ServiceTime]:
    """Minutes per service kind of these (prefetched) visits, with the norm to compare."""
    times: dict[int, ServiceTime] = {}
    for visit in visits:
        for delivery in visit.services.all():
            entry = times.setdefault(delivery.service_id, ServiceTime(delivery.service))
            entry.count += 1
            entry.minutes += delivery.minutes
    return sorted(times.values(), key=lambda t: t.service.code)


@dataclass
class WorkerBoard:
    worker: User
    rows: list[DayRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    flags: list = field(default_factory=list)


LIVE_STATUSES = [EffectiveStatus.PLANNED, EffectiveStatus.LATE, EffectiveStatus.IN_PROGRESS, EffectiveStatus.DONE,
                 EffectiveStatus.MISSED]


def live_board(unit: OrgUnit, *, viewer: User, now: datetime.datetime) -> dict:
    """The unit's visits of the day of `now`, per worker, with what each is at `now` (late and missed
    included), ratings as they arrive, time per service and flags."""
    day_visits = list(
        visits_visible_to(viewer).filter(unit.subtree_q("org_unit__"), planned_for=timezone.localdate(now))
        .with_effective_status(now)
        .select_related("client", "worker", "rating")
        .prefetch_related(Prefetch("services", ServiceDelivery.objects.select_related("service")))
        .order_by("worker__last_name", "worker__first_name", "worker_id", "route_order", "pk")
    )
    visits = [v for v in day_visits if v.status != Visit.Status.CANCELLED]
    # Check-ins the workers cancelled as mistakes, with their reasons: the head sees each one.
    cancelled = sorted((v for v in day_visits if v.status == Visit.Status.CANCELLED and v.checked_in_at),
                       key=lambda v: (v.checked_in_at, v.pk))
    boards: dict[int, WorkerBoard] = {}
    for visit in visits:
        board = boards.setdefault(visit.worker_id, WorkerBoard(visit.worker, counts=dict.fromkeys(LIVE_STATUSES, 0)))
        row = DayRow(visit, visit.effective_status, visit.window_start, [], client_point(visit.client),
                     sum(d.minutes for d in visit.services.all()), getattr(visit, "rating", None))
        board.rows.append(row)
        board.counts[row.status] = board.counts.get(row.status, 0) + 1
    flags, checked_flags = split_checked(flag_rules.flags_for(visits, [board.worker for board in boards.values()], now))
    for flag in flags:
        boards[flag.worker_id].flags.append(flag)
    rows = [row for board in boards.values() for row in board.rows]
    for number, row in enumerate((r for r in rows if r.point), start=1):
        row.n = number
    ratings = sorted((r.rating for r in rows if r.rating), key=lambda r: r.created_at, reverse=True)
    return {
        "boards": list(boards.values()),
        "ratings": ratings,
        "service_times": service_times(visits),
        "flags": flags,  # open ones; those a head marked as checked are in checked_flags, with the check
        "checked_flags": checked_flags,
        "can_check_flags": may_check_flags(viewer, unit.path),
        "flagged_visits": {f.visit_id for f in flags if f.visit_id},
        "totals": {s: sum(1 for r in rows if r.status == s) for s in LIVE_STATUSES},
        "markers": [{"n": r.n, "lat": r.point[0], "lon": r.point[1], "label": r.visit.client.code, "status": r.status}
                    for r in rows if r.point],
        "cancelled": cancelled,
    }


def home_counts_for(user, today: datetime.date | None = None) -> dict:
    """The home page's visit entries: the worker's visits today; today's visits in the follower's reach."""
    today = today or timezone.localdate()
    counts = {"my_visits_today": None, "followed_visits_today": None,
              "can_report_visits": has_capability(user, REPORT_VISITS)}
    if has_capability(user, DO_VISITS):
        counts["my_visits_today"] = (Visit.objects.filter(worker=user, planned_for=today)
                                     .exclude(status=Visit.Status.CANCELLED).count())
    if has_capability(user, FOLLOW_VISITS):
        counts["followed_visits_today"] = (
            Visit.objects.filter(paths_q(reach_paths(user, FOLLOW_VISITS), "org_unit__path"), planned_for=today)
            .exclude(status=Visit.Status.CANCELLED).count())
    return counts


# --- Flags and the heads' checks of them --------------------------------------------------------------------

def raised_visit_flag(visit: Visit, kind: str, now: datetime.datetime) -> flag_rules.Flag | None:
    """The flag of `kind` on `visit` if it is raised at `now`, from the worker's visits of the visit's day (an
    overlap needs the others). Read like the live board's visits; None when no such flag is raised."""
    day_visits = list(
        Visit.objects.filter(worker_id=visit.worker_id, planned_for=visit.planned_for)
        .exclude(status=Visit.Status.CANCELLED).select_related("client", "worker", "rating")
        .prefetch_related(Prefetch("services", ServiceDelivery.objects.select_related("service")))
    )
    found = flag_rules.flags_for(day_visits, [], now)
    return next((f for f in found if f.key == (kind, visit.pk)), None)


def raised_worker_flag(worker: User, kind: str) -> flag_rules.Flag | None:
    """The worker-level flag of `kind` raised now (its `rating_id` names the run it is about), or None."""
    return next((f for f in flag_rules.top_rating_flags([worker]) if f.kind == kind), None)


def flag_checks_for(found: list[flag_rules.Flag]) -> dict[tuple, FlagCheck]:
    """The heads' checks of these flags, by flag key, in one query."""
    visit_ids = {f.visit_id for f in found if f.visit_id is not None}
    rating_ids = {f.rating_id for f in found if f.visit_id is None and f.rating_id is not None}
    if not visit_ids and not rating_ids:
        return {}
    checks = FlagCheck.objects.filter(Q(visit_id__in=visit_ids) | Q(visit=None, rating_id__in=rating_ids))
    by_key = {}
    for check in checks.select_related("checked_by"):
        key = (check.kind, check.visit_id) if check.visit_id else (check.kind, check.worker_id, check.rating_id)
        by_key[key] = check
    return by_key


def split_checked(found: list[flag_rules.Flag]) -> tuple[list, list]:
    """(open flags, [(flag, check)] of those a head has marked as checked)."""
    checks = flag_checks_for(found)
    return [f for f in found if f.key not in checks], [(f, checks[f.key]) for f in found if f.key in checks]


# --- The director's home page -------------------------------------------------------------------------------

@dataclass
class InstitutionFigures:
    unit: OrgUnit
    report: object  # reports.VisitReport for this month so far
    done: object
    missed: object
    open_flags: int


def open_flags_in(unit: OrgUnit, *, viewer: User, now: datetime.datetime) -> int:
    """Today's flags in the unit's subtree that no head has marked as checked (the live views' rule)."""
    visits = list(
        visits_visible_to(viewer).filter(unit.subtree_q("org_unit__"), planned_for=timezone.localdate(now))
        .exclude(status=Visit.Status.CANCELLED).select_related("client", "worker", "rating")
        .prefetch_related(Prefetch("services", ServiceDelivery.objects.select_related("service")))
    )
    workers = list({v.worker_id: v.worker for v in visits}.values())
    return len(split_checked(flag_rules.flags_for(visits, workers, now))[0])


def institution_figures_for(user, *, now: datetime.datetime) -> list[InstitutionFigures]:
    """For a director, each institution they direct: visits done and missed this month so far, the average
    rating (the visit report's figures, under the one aggregate rule) and today's open flags."""
    # Directors' own institutions (not a superuser's whole country: a home page stays cheap).
    paths = [m.org_unit.path for m in memberships_of(user) if m.role == Role.DIRECTOR]
    if not paths:
        return []
    scope = aggregate_scope(user, REPORT_VISITS, individuals=FOLLOW_VISITS)
    today = timezone.localdate(now)
    figures = []
    for unit in OrgUnit.objects.filter(path__in=paths).order_by("path"):
        if not scope.covers(unit.path):
            continue
        report = reports.visit_report(unit=unit, date_from=today.replace(day=1), date_to=today, named=False,
                                      protected=scope.detail(unit.path) != INDIVIDUAL, now=now)
        shown = dict(zip(reports.STATUSES, (value for _label, value in report.status_rows), strict=True))
        figures.append(InstitutionFigures(unit, report, shown[EffectiveStatus.DONE], shown[EffectiveStatus.MISSED],
                                          open_flags_in(unit, viewer=user, now=now)))
    return figures
