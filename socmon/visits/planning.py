"""Planning a worker's day (R-3.4): which clients are due on a day, and who may plan whose day.

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

The order of the visits is routing.py's; the writes (`plan_day`, `move_visit`, `add_visit`) are services
in services.py.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import Q

from socmon.accounts.access import DO_VISITS, PLAN_VISITS, has_capability, in_reach, reach_paths
from socmon.accounts.models import Membership, Role, User
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit

from .models import ServiceDelivery, Visit

WORKING_DAYS = 5


def setting(name: str, default):
    """A planning setting with its default (settings.py stays free of visit details)."""
    return getattr(settings, name, default)


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


# --- Who plans whose day ----------------------------------------------------------------------------

def worker_departments(worker: User) -> list[OrgUnit]:
    return [m.org_unit for m in Membership.objects.filter(user=worker, role=Role.WORKER).select_related("org_unit")]


def may_plan_for(by: User, worker: User) -> bool:
    """The worker plans their own day; a head plans for the workers of their department(s)."""
    if by.pk == worker.pk and has_capability(by, DO_VISITS):
        return True
    paths = reach_paths(by, PLAN_VISITS)
    return any(in_reach(unit.path, paths) for unit in worker_departments(worker))


def planned_workers(day: datetime.date):
    """Workers with a caseload on `day` (for the scheduled command)."""
    return User.objects.filter(
        Q(pk__in=current_assignments(day).values("worker")), memberships__role=Role.WORKER,
    ).distinct()
