"""The order of a worker's visits in a day (R-3.4): travel times and the route solver.

pyvroom solves one vehicle from the office and back, within the working day, with each visit's window
and its duration (the catalogue norms of its planned services). Travel time is the great-circle distance
(socmon.lib.geo) × SOCMON_ROUTE_DETOUR_FACTOR ÷ SOCMON_ROUTE_SPEED_KMH: there is no routing server. Every
visit is optional to the solver (VROOM leaves a job out rather than fail), so a plan always comes back;
visits left out keep `route_order = None` and the page lists them as not fitting. Visits already started
or finished keep their place; only planned ones are reordered after them.

`route_day` stores the order; only the services in visits/services.py call it, inside their transaction.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np

from socmon.accounts.models import Membership, Role, User
from socmon.clients.models import Client
from socmon.lib.geo import Point, haversine_m
from socmon.orgs.models import OrgUnit

from .models import Office, Visit
from .planning import setting


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


