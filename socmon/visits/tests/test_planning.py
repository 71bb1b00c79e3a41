import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.audit.services import SYSTEM
from socmon.lib.geo import haversine_m
from socmon.visits import routing, services
from socmon.visits.models import PlannedService, Visit

from .planning_kit import client_at, done, next_weekday, office, refreshed, service_kind, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


def due_day(client) -> datetime.date:
    """The next working day on which a client without a plan is due (weekday = pk % 5)."""
    return next_weekday(client.pk % 5)


def test_travel_time_is_distance_times_detour_over_speed(settings):
    settings.SOCMON_ROUTE_SPEED_KMH = 36  # 10 m/s
    settings.SOCMON_ROUTE_DETOUR_FACTOR = 1.3
    one_km_north = ((43.0, 77.0), (43.0 + 1 / 111.195, 77.0))
    assert haversine_m(*one_km_north) == pytest.approx(1000, rel=1e-3)
    assert routing.travel_seconds(*one_km_north) == 130


def test_plan_day_creates_the_due_visit_and_a_rerun_adds_nothing(world):
    office(world)
    client = client_at(world, 43.31, 77.25, worker=world.alice)
    day = due_day(client)
    first = services.plan_day(by=world.alice, worker=world.alice, day=day)
    again = services.plan_day(by=world.alice, worker=world.alice, day=day)
    assert [v.client for v in first.created] == [client]
    assert again.created == []
    visits = Visit.objects.filter(client=client, planned_for=day)
    assert visits.count() == 1
    assert visits.get().route_order == 1


def test_a_client_is_not_due_on_other_days_nor_at_weekends(world):
    client = client_at(world, 43.31, 77.25, worker=world.alice)
    other = next_weekday((client.pk + 1) % 5)
    saturday = next_weekday(5)
    assert services.plan_day(by=world.alice, worker=world.alice, day=other).created == []
    assert services.plan_day(by=world.alice, worker=world.alice, day=saturday).created == []


def test_a_planned_visit_takes_the_services_and_norms_of_the_last_visit(world):
    client = client_at(world, 43.31, 77.25, worker=world.alice)
    cleaning, shopping = service_kind("cleaning", 45), service_kind("shopping", 30)
    done(world, client, day=timezone.localdate() - datetime.timedelta(days=7),
         services=[(cleaning, 50), (shopping, 20)])
    created = services.plan_day(by=world.alice, worker=world.alice, day=due_day(client)).created
    assert created[0].planned_minutes == 75
    assert set(PlannedService.objects.filter(visit=created[0]).values_list("service__code", flat=True)) == {
        "cleaning", "shopping"}


def test_a_client_with_a_visit_that_day_gets_no_second_one(world):
    client = client_at(world, 43.31, 77.25, worker=world.alice)
    day = due_day(client)
    visit(world, client, worker=world.bob, day=day)
    assert services.plan_day(by=world.alice, worker=world.alice, day=day).created == []


def test_the_route_respects_time_windows(world):
    office(world)
    day = next_weekday(2)
    near = client_at(world, 43.304, 77.241)
    middle = client_at(world, 43.32, 77.26)
    far = client_at(world, 43.35, 77.30)
    late_near = visit(world, near, day=day, minutes=30, window=(datetime.time(15, 0), datetime.time(16, 0)))
    visit(world, middle, day=day, minutes=30)
    visit(world, far, day=day, minutes=30)
    plan = routing.route_day(worker=world.alice, day=day)
    assert plan.unfit == []
    assert plan.ordered[-1] == late_near  # the nearest client, but only from 15:00
    from socmon.visits.selectors import day_for
    arrival = {row.visit.pk: row.eta for row in day_for(world.alice, day, viewer=world.alice, now=timezone.now()).rows}
    assert datetime.time(15, 0) <= arrival[late_near.pk] <= datetime.time(15, 30)


def test_visits_that_do_not_fit_are_reported_and_keep_no_place(world, settings):
    settings.SOCMON_WORKDAY_START, settings.SOCMON_WORKDAY_END = "09:00", "12:00"
    office(world)
    day = next_weekday(1)
    visits = [visit(world, client_at(world, 43.30 + i / 200, 77.24), day=day, minutes=60) for i in range(5)]
    plan = routing.route_day(worker=world.alice, day=day)
    assert 1 <= len(plan.ordered) <= 2
    assert len(plan.ordered) + len(plan.unfit) == 5
    for v in visits:
        v.refresh_from_db()
    assert sorted(v.route_order for v in visits if v.route_order) == list(range(1, len(plan.ordered) + 1))
    assert sum(1 for v in visits if v.route_order is None) == len(plan.unfit)


def test_a_client_without_a_map_position_is_reported_not_routed(world):
    office(world)
    day = next_weekday(0)
    client = client_at(world, 43.31, 77.25)
    client.latitude = client.longitude = None
    client.save()
    visit(world, client, day=day)
    plan = routing.route_day(worker=world.alice, day=day)
    assert [v.client for v in plan.unlocated] == [client]
    assert [v.client for v in plan.unfit] == [client]


def test_without_an_office_the_route_starts_at_the_clients_centre(world):
    day = next_weekday(3)
    for i in range(3):
        visit(world, client_at(world, 43.30 + i / 100, 77.24), day=day)
    plan = routing.route_day(worker=world.alice, day=day)
    assert len(plan.ordered) == 3


def test_started_visits_keep_their_place_and_planned_ones_follow(world):
    office(world)
    day = timezone.localdate()
    started = visit(world, client_at(world, 43.31, 77.25), day=day, status=Visit.Status.IN_PROGRESS, order=1,
                    checked_in=timezone.now())
    planned = visit(world, client_at(world, 43.32, 77.25), day=day)
    routing.route_day(worker=world.alice, day=day)
    started.refresh_from_db()
    planned.refresh_from_db()
    assert (started.route_order, planned.route_order) == (1, 2)


def test_a_worker_cannot_plan_a_colleagues_day(world):
    with pytest.raises(PermissionDenied):
        services.plan_day(by=world.bob, worker=world.alice, day=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.plan_day(by=world.walt, worker=world.alice, day=timezone.localdate())
    services.plan_day(by=world.heidi, worker=world.alice, day=timezone.localdate())


def test_the_head_moves_a_visit_to_another_worker_and_day(world):
    office(world)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    v = visit(world, client_at(world, 43.31, 77.25), day=today)
    moved = services.move_visit(by=world.heidi, visit=v, day=tomorrow, worker=world.bob)
    assert (moved.worker, moved.planned_for, moved.route_order) == (world.bob, tomorrow, 1)


def test_a_visit_cannot_move_to_a_worker_of_another_department_or_into_the_past(world):
    v = visit(world, client_at(world, 43.31, 77.25))
    with pytest.raises(ValidationError, match="not a social worker"):
        services.move_visit(by=world.heidi, visit=v, day=timezone.localdate(), worker=world.fiona)
    with pytest.raises(ValidationError, match="today or a later day"):
        services.move_visit(by=world.heidi, visit=v, day=timezone.localdate() - datetime.timedelta(days=1),
                            worker=world.bob)
    with pytest.raises(PermissionDenied):
        services.move_visit(by=world.bob, visit=v, day=timezone.localdate(), worker=world.bob)


def test_the_head_adds_a_visit_and_a_second_one_that_day_is_refused(world):
    client = client_at(world, 43.31, 77.25)
    day = timezone.localdate()
    added = services.add_visit(by=world.heidi, client=client, worker=world.alice, day=day,
                               services=[service_kind("cleaning", 45)])
    assert added.planned_minutes == 45
    with pytest.raises(ValidationError, match="already has a visit"):
        services.add_visit(by=world.heidi, client=client, worker=world.bob, day=day, services=[])


def test_the_nightly_command_plans_every_caseload_once(world):
    client = client_at(world, 43.31, 77.25, worker=world.alice)
    day = due_day(client)
    call_command("plan_visits", date=day)
    call_command("plan_visits", date=day)
    planned = Visit.objects.get(client=client, planned_for=day)
    assert planned.created_by is None  # planned by the system, not by the worker
    events = AuditEvent.objects.filter(action=AuditAction.DAY_PLANNED)
    assert {(e.actor, e.actor_kind) for e in events} == {(None, AuditEvent.ActorKind.SYSTEM)}


def test_missed_visits_are_marked_once_and_only_for_past_days(world):
    client = client_at(world, 43.31, 77.25)
    past = visit(world, client, day=timezone.localdate() - datetime.timedelta(days=2))
    today = visit(world, client_at(world, 43.32, 77.25))
    call_command("mark_missed_visits")
    call_command("mark_missed_visits")
    past.refresh_from_db()
    today.refresh_from_db()
    assert (past.status, today.status) == (Visit.Status.MISSED, Visit.Status.PLANNED)


def test_the_nightly_job_marks_what_every_page_calls_missed_and_records_the_system_as_actor(world):
    now = timezone.now()
    today = timezone.localdate(now)
    yesterday = today - datetime.timedelta(days=1)
    early = (datetime.time(0, 0), datetime.time(0, 1))  # a window long over by now, today
    missed = [visit(world, client_at(world, 43.31, 77.25), day=yesterday),
              visit(world, client_at(world, 43.32, 77.25), day=yesterday, window=early)]
    kept = [visit(world, client_at(world, 43.33, 77.25), window=early),  # late, not missed: its day goes on
            visit(world, client_at(world, 43.34, 77.25)),
            visit(world, client_at(world, 43.35, 77.25), day=yesterday, status=Visit.Status.CANCELLED),
            done(world, client_at(world, 43.36, 77.25), day=yesterday)]
    shown = dict(Visit.objects.with_effective_status(now).values_list("pk", "effective_status"))
    assert [shown[v.pk] for v in missed + kept] == ["missed", "missed", "late", "planned", "cancelled", "done"]

    assert services.mark_missed_visits(by=SYSTEM, now=now) == 2
    assert services.mark_missed_visits(by=SYSTEM, now=now) == 0
    stored = dict(Visit.objects.values_list("pk", "status"))
    assert [stored[v.pk] for v in missed + kept] == ["missed", "missed", "planned", "planned", "cancelled", "done"]
    events = AuditEvent.objects.filter(action=AuditAction.VISITS_MARKED_MISSED)
    assert sorted(int(e.target_id) for e in events) == sorted(v.pk for v in missed)
    assert {(e.actor, e.actor_kind) for e in events} == {(None, AuditEvent.ActorKind.SYSTEM)}
    assert {e.org_path for e in events} == {world.home_care.path}


def test_an_approved_plan_decides_the_services_and_days(world):
    from socmon.cases.models import Case, Plan, PlanService

    client = client_at(world, 43.31, 77.25, worker=world.alice)
    case = Case.objects.create(client=client, org_unit=world.home_care, status=Case.Status.ACTIVE,
                               opened_by=world.heidi, responsible=world.alice)
    today = timezone.localdate()
    plan = Plan.objects.create(case=case, status="approved", goals="Live safely at home", starts_on=today,
                               ends_on=today + datetime.timedelta(days=60), responsible=world.alice,
                               created_by=world.alice)
    PlanService.objects.create(plan=plan, service=service_kind("cleaning", 45), times=5, period="week")
    PlanService.objects.create(plan=plan, service=service_kind("shopping", 30), times=1, period="week")
    week = [next_weekday(d) for d in range(5)]
    for day in week:
        services.plan_day(by=world.alice, worker=world.alice, day=day)
    visits = Visit.objects.filter(client=client).order_by("planned_for")
    assert visits.count() == 5  # cleaning every working day
    assert sorted(v.planned_minutes for v in visits) == [45, 45, 45, 45, 75]  # shopping on one of them
