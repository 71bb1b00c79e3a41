"""Planning a worker's day (R-3.4): which clients are due, and in which order to visit them.

Which clients are due on a day
    A client on the worker's caseload that day is due when
    - they have a current approved individual plan (socmon.cases): one of its services is due that day.
      A service done n times a week falls on n of the five working days, spread evenly and shifted by
      the client's id so that a worker's clients do not all fall on Monday; n times a month falls on n
      evenly spread working days of the month, shifted the same way;
    - they have no such plan: once a week, on the working day `client.pk % 5` (Monday = 0), for the
      services of their last completed visit (or SOCMON_VISIT_DEFAULT_MINUTES when there is none).
    Saturdays and Sundays have no planned visits. A client who already has a visit that day (with any
    worker, unless cancelled) gets no second one: planning is idempotent.

The order of the visits
    pyvroom solves one vehicle from the office and back, within the working day, with each visit's
    window and its duration (the catalogue norms of its planned services). Travel time is the
    great-circle distance × SOCMON_ROUTE_DETOUR_FACTOR ÷ SOCMON_ROUTE_SPEED_KMH: there is no routing
    server. Every visit is optional to the solver (VROOM leaves a job out rather than fail), so a plan
    always comes back; visits left out keep `route_order = None` and the page lists them as not fitting.
    Visits already started or finished keep their place; only planned ones are reordered after them.
"""

import datetime
import math
from dataclasses import dataclass, field

import numpy as np
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.accounts.access import DO_VISITS, PLAN_VISITS, has_capability, in_reach, reach_paths
from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.lib import dates
from socmon.lib.dates import field_error
from socmon.orgs.models import OrgUnit

from .models import Office, PlannedService, ServiceDelivery, Visit

WORKING_DAYS = 5
Point = tuple[float, float]  # (latitude, longitude)


def setting(name: str, default):
    """A planning setting with its default (settings.py stays free of visit details)."""
    return getattr(settings, name, default)


def _clock(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def workday() -> tuple[datetime.time, datetime.time]:
    return _clock(setting("SOCMON_WORKDAY_START", "09:00")), _clock(setting("SOCMON_WORKDAY_END", "18:00"))


def seconds_of(time: datetime.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second


def time_of(seconds: int) -> datetime.time:
    seconds = max(0, min(int(seconds), 24 * 3600 - 1))
    return datetime.time(seconds // 3600, seconds % 3600 // 60)


# --- Travel -------------------------------------------------------------------------------------------

def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def road_m(a: Point, b: Point) -> float:
    return haversine_m(a, b) * float(setting("SOCMON_ROUTE_DETOUR_FACTOR", 1.3))


def travel_seconds(a: Point, b: Point) -> int:
    metres_per_second = float(setting("SOCMON_ROUTE_SPEED_KMH", 30)) / 3.6
    return round(road_m(a, b) / metres_per_second)


def duration_matrix(points: list[Point]) -> np.ndarray:
    return np.array([[travel_seconds(a, b) for b in points] for a in points], dtype=np.uint32)


# --- Solving ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stop:
    """One visit for the solver: where, how long, and when it may begin (seconds after midnight)."""

    key: int
    point: Point
    service_s: int
    window: tuple[int, int] | None = None


@dataclass
class Solution:
    order: list[int]       # stop keys in visiting order
    unfit: list[int]       # stop keys the day had no room for
    road_m: float = 0.0


def solve_route(*, depot: Point, stops: list[Stop], start_s: int, end_s: int) -> Solution:
    """Order `stops` from `depot` and back within [start_s, end_s]; stops that do not fit are left out."""
    if not stops:
        return Solution(order=[], unfit=[])
    import vroom  # imported here: a compiled extension only routing needs

    points = [depot] + [s.point for s in stops]
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=duration_matrix(points))
    problem.add_vehicle(vroom.Vehicle(id=1, start=0, end=0, time_window=vroom.TimeWindow(start_s, end_s)))
    for index, stop in enumerate(stops, start=1):
        windows = [vroom.TimeWindow(*stop.window)] if stop.window else []
        problem.add_job(vroom.Job(id=index, location=index, default_service=stop.service_s, time_windows=windows))
    result = problem.solve(exploration_level=5, nb_threads=1)
    steps = result.routes[result.routes["type"] == "job"]["id"].tolist() if len(result.routes) else []
    order = [stops[int(i) - 1].key for i in steps]
    unfit = [s.key for s in stops if s.key not in set(order)]
    return Solution(order=order, unfit=unfit, road_m=route_length_m(depot, [stops[int(i) - 1].point for i in steps]))


def route_length_m(depot: Point, points: list[Point]) -> float:
    path = [depot, *points, depot]
    return sum(road_m(a, b) for a, b in zip(path, path[1:], strict=False))


def nearest_neighbour(depot: Point, stops: list[Stop]) -> list[Stop]:
    """The greedy order a person would pick by eye; the benchmark's baseline."""
    left, here, order = list(stops), depot, []
    while left:
        nearest = min(left, key=lambda s: haversine_m(here, s.point))
        left.remove(nearest)
        order.append(nearest)
        here = nearest.point
    return order


# --- Visits of a day ----------------------------------------------------------------------------------

def client_point(client: Client) -> Point | None:
    if client.latitude is None or client.longitude is None:
        return None
    return float(client.latitude), float(client.longitude)


def office_point(org_unit: OrgUnit | None, visits: list[Visit]) -> Point | None:
    """The department's office, else the centroid of the day's clients (no office set yet)."""
    office = Office.objects.filter(org_unit=org_unit).first() if org_unit else None
    if office:
        return float(office.latitude), float(office.longitude)
    points = [p for p in (client_point(v.client) for v in visits) if p]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def visit_window(visit: Visit) -> tuple[int, int] | None:
    """When the visit may begin: it must also end by `window_end`, so the latest start is end − duration."""
    if visit.window_start is None and visit.window_end is None:
        return None
    day_start, day_end = workday()
    start = seconds_of(visit.window_start or day_start)
    end = seconds_of(visit.window_end or day_end) - visit.planned_minutes * 60
    return start, max(start, end)


@dataclass
class RoutePlan:
    ordered: list[Visit] = field(default_factory=list)
    unfit: list[Visit] = field(default_factory=list)
    unlocated: list[Visit] = field(default_factory=list)
    road_m: float = 0.0


def _department_of(worker: User, visits: list[Visit]) -> OrgUnit | None:
    if visits:
        return visits[0].org_unit
    membership = Membership.objects.filter(user=worker, role=Role.WORKER).select_related("org_unit").first()
    return membership.org_unit if membership else None


def route_day(*, worker: User, day: datetime.date) -> RoutePlan:
    """Reorder the worker's planned visits of `day` and store `route_order` (called inside services)."""
    visits = list(
        Visit.objects.filter(worker=worker, planned_for=day).exclude(status=Visit.Status.CANCELLED)
        .select_related("client", "org_unit")
    )
    started = [v for v in visits if v.status != Visit.Status.PLANNED]
    planned = [v for v in visits if v.status == Visit.Status.PLANNED]
    plan = RoutePlan(unlocated=[v for v in planned if client_point(v.client) is None])
    located = [v for v in planned if client_point(v.client) is not None]
    depot = office_point(_department_of(worker, visits), visits)
    day_start, day_end = workday()
    solution = solve_route(
        depot=depot or (0.0, 0.0),
        stops=[Stop(v.pk, client_point(v.client), v.planned_minutes * 60, visit_window(v)) for v in located],
        start_s=seconds_of(day_start), end_s=seconds_of(day_end),
    )
    by_pk = {v.pk: v for v in located}
    plan.ordered = [by_pk[pk] for pk in solution.order]
    plan.unfit = [by_pk[pk] for pk in solution.unfit] + plan.unlocated
    plan.road_m = solution.road_m
    first = max((v.route_order or 0 for v in started), default=0)
    for position, visit in enumerate(plan.ordered, start=first + 1):
        visit.route_order = position
    for visit in plan.unfit:
        visit.route_order = None
    Visit.objects.bulk_update(plan.ordered + plan.unfit, ["route_order"])
    return plan


# --- Which clients are due ----------------------------------------------------------------------------

def _spread(times: int, slots: int, offset: int) -> set[int]:
    times = min(times, slots)
    return {(offset + (i * slots) // times) % slots for i in range(times)}


def working_days_of_month(day: datetime.date) -> list[datetime.date]:
    first = day.replace(day=1)
    days = [first + datetime.timedelta(d) for d in range(31)]
    return [d for d in days if d.month == day.month and d.weekday() < WORKING_DAYS]


def is_service_due(*, times: int, per_month: bool, day: datetime.date, offset: int) -> bool:
    if day.weekday() >= WORKING_DAYS:
        return False
    if not per_month:
        return day.weekday() in _spread(times, WORKING_DAYS, offset)
    month_days = working_days_of_month(day)
    return month_days.index(day) in _spread(times, len(month_days), offset)


def _plan_services_due(clients: list[Client], day: datetime.date) -> dict[int, list[ServiceKind]] | None:
    """Services due per client from approved current plans; None when socmon.cases is not installed."""
    if not apps.is_installed("socmon.cases"):
        return None
    from socmon.cases.models import Case, PlanService

    rows = (
        PlanService.objects.filter(
            plan__case__client__in=clients, plan__status="approved", plan__starts_on__lte=day,
            plan__ends_on__gte=day,
        ).exclude(plan__case__status=Case.Status.CLOSED)
        .select_related("service", "plan__case").order_by("plan__case__client", "-plan__pk", "pk")
    )
    due: dict[int, list[ServiceKind]] = {}
    current_plan: dict[int, int] = {}
    for row in rows:
        client_id = row.plan.case.client_id
        if current_plan.setdefault(client_id, row.plan_id) != row.plan_id:
            continue  # an older approved plan of the same client
        listed = due.setdefault(client_id, [])
        if is_service_due(times=row.times, per_month=row.period == "month", day=day, offset=client_id):
            listed.append(row.service)
    return due


def _last_services(clients: list[Client]) -> dict[int, list[ServiceKind]]:
    """The services of each client's last completed visit (the fallback when there is no plan)."""
    rows = (
        ServiceDelivery.objects.filter(visit__client__in=clients, visit__status=Visit.Status.DONE)
        .select_related("service").order_by("visit__client", "-visit__planned_for", "-visit__pk")
        .values_list("visit__client", "visit", "service")
    )
    last_visit: dict[int, int] = {}
    service_ids: dict[int, list[int]] = {}
    for client_id, visit_id, service_id in rows:
        if last_visit.setdefault(client_id, visit_id) == visit_id and service_id not in service_ids.get(client_id, []):
            service_ids.setdefault(client_id, []).append(service_id)
    kinds = ServiceKind.objects.in_bulk({s for ids in service_ids.values() for s in ids})
    return {c: [kinds[s] for s in ids] for c, ids in service_ids.items()}


def services_due(clients: list[Client], day: datetime.date) -> dict[int, list[ServiceKind]]:
    """client id → services due on `day` (an empty list: a visit with the default length)."""
    if day.weekday() >= WORKING_DAYS:
        return {}
    from_plans = _plan_services_due(clients, day) or {}
    without_plan = [c for c in clients if c.pk not in from_plans]
    last = _last_services(without_plan)
    due = {c: s for c, s in from_plans.items() if s}
    for client in without_plan:
        if client.pk % WORKING_DAYS == day.weekday():
            due[client.pk] = last.get(client.pk, [])
    return due


def planned_minutes(services: list[ServiceKind]) -> int:
    if not services:
        return int(setting("SOCMON_VISIT_DEFAULT_MINUTES", 45))
    return sum(s.norm_minutes for s in services)


# --- Services (writes) --------------------------------------------------------------------------------

def worker_departments(worker: User) -> list[OrgUnit]:
    return [m.org_unit for m in Membership.objects.filter(user=worker, role=Role.WORKER).select_related("org_unit")]


def may_plan_for(by: User, worker: User) -> bool:
    """The worker plans their own day; a head plans for the workers of their department(s)."""
    if by.pk == worker.pk and has_capability(by, DO_VISITS):
        return True
    paths = reach_paths(by, PLAN_VISITS)
    return any(in_reach(unit.path, paths) for unit in worker_departments(worker))


def _require_plan(by: User, worker: User) -> None:
    if not may_plan_for(by, worker):
        raise PermissionDenied


@dataclass
class DayPlan:
    created: list[Visit]
    route: RoutePlan


@transaction.atomic
def plan_day(*, by: User, worker: User, day: datetime.date) -> DayPlan:
    """Create the visits due on `day` for the worker's caseload (idempotent) and order the day's route."""
    _require_plan(by, worker)
    client_ids = current_assignments(day).filter(worker=worker).values("client")
    clients = list(Client.objects.filter(pk__in=client_ids, is_active=True).select_related("org_unit"))
    already = set(
        Visit.objects.filter(client__in=clients, planned_for=day).exclude(status=Visit.Status.CANCELLED)
        .values_list("client", flat=True)
    )
    due = services_due([c for c in clients if c.pk not in already], day)
    created = []
    for client in clients:
        if client.pk in due:
            created.append(_create_visit(by=by, client=client, worker=worker, day=day, services=due[client.pk]))
    route = route_day(worker=worker, day=day)
    record_event(by=by, action=AuditAction.DAY_PLANNED, target=worker, org_path=_path_of(clients),
                 day=day.isoformat(), created=len(created), unfit=len(route.unfit))
    return DayPlan(created=created, route=route)


def _path_of(clients: list[Client]) -> str:
    return clients[0].org_unit.path if clients else ""


def _create_visit(*, by: User, client: Client, worker: User, day: datetime.date, services: list[ServiceKind],
                  window_start: datetime.time | None = None, window_end: datetime.time | None = None) -> Visit:
    visit = Visit.objects.create(
        client=client, worker=worker, org_unit=client.org_unit, planned_for=day, window_start=window_start,
        window_end=window_end, planned_minutes=planned_minutes(services), created_by=by,
    )
    PlannedService.objects.bulk_create([PlannedService(visit=visit, service=s) for s in services])
    return visit


def _check_worker_of(worker: User, unit: OrgUnit) -> None:
    if not Membership.objects.filter(user=worker, org_unit=unit, role=Role.WORKER).exists():
        raise field_error("worker", _("%(name)s is not a social worker of %(unit)s.")
                          % {"name": worker.get_full_name() or worker.username, "unit": unit.name},
                          "not_a_worker_here")


def _check_day(day: datetime.date, today: datetime.date | None = None) -> None:
    """A visit is planned from today up to the planning horizon."""
    today = today or timezone.localdate()
    if day < today:
        raise field_error("planned_for", _("Choose today or a later day."), "day_in_past")
    dates.check_planned(day, field="planned_for", today=today, earliest=today)


@transaction.atomic
def move_visit(*, by: User, visit: Visit, day: datetime.date, worker: User) -> Visit:
    """Move a planned visit to another day and/or another worker of the same department; reorder both days."""
    if not in_reach(visit.org_unit.path, reach_paths(by, PLAN_VISITS)):
        raise PermissionDenied
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError(_("Only a visit that has not started yet can be moved."), code="not_planned")
    _check_day(day)
    _check_worker_of(worker, visit.org_unit)
    old_worker, old_day = visit.worker, visit.planned_for
    visit.planned_for, visit.worker, visit.route_order = day, worker, None
    visit.save(update_fields=["planned_for", "worker", "route_order"])
    route_day(worker=old_worker, day=old_day)
    if (old_worker.pk, old_day) != (worker.pk, day):
        route_day(worker=worker, day=day)
    record_event(by=by, action=AuditAction.VISIT_MOVED, target=visit, org_path=visit.org_unit.path,
                 from_day=old_day.isoformat(), to_day=day.isoformat(), from_worker=old_worker.pk, to_worker=worker.pk)
    visit.refresh_from_db(fields=["route_order"])
    return visit


@transaction.atomic
def add_visit(*, by: User, client: Client, worker: User, day: datetime.date, services: list[ServiceKind],
              window_start: datetime.time | None = None, window_end: datetime.time | None = None) -> Visit:
    """A head adds a visit for a client of their department, for one of its workers; the day is reordered."""
    if not in_reach(client.org_unit.path, reach_paths(by, PLAN_VISITS)):
        raise PermissionDenied
    _check_day(day)
    _check_worker_of(worker, client.org_unit)
    if window_start and window_end and window_end <= window_start:
        raise field_error("window_end", _("The end of the time window must be after its start."), "window_order")
    if Visit.objects.filter(client=client, planned_for=day).exclude(status=Visit.Status.CANCELLED).exists():
        raise ValidationError(_("%(client)s already has a visit on that day.") % {"client": client.code},
                              code="duplicate_visit")
    visit = _create_visit(by=by, client=client, worker=worker, day=day, services=services,
                          window_start=window_start, window_end=window_end)
    route_day(worker=worker, day=day)
    record_event(by=by, action=AuditAction.VISIT_ADDED, target=visit, org_path=client.org_unit.path,
                 client=client.code, worker=worker.pk, day=day.isoformat())
    visit.refresh_from_db(fields=["route_order"])
    return visit


def planned_workers(day: datetime.date):
    """Workers with a caseload on `day` (for the scheduled command)."""
    return User.objects.filter(
        Q(pk__in=current_assignments(day).values("worker")), memberships__role=Role.WORKER,
    ).distinct()

