"""The visit figures store (`visits.tallies`): after any sequence of visits planned, moved, checked in, done,
cancelled, deleted, with services and ratings, the reports read from the store equal the same reports computed
from the visits themselves (`visit_report(raw=True)`), at several moments of the day, for a department, an
institution, a region and the country, per worker (per child unit above an institution: each row equals that
child's report computed from the visits, the unit's own row its own visits), as totals and protected (small
counts suppressed over the whole tree, from each unit's own figures); and the store kept incrementally equals a
full rebuild exactly."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from socmon.visits import reports, tallies
from socmon.visits.models import Rating, ServiceDelivery, Visit

from .planning_kit import client_at, counted, refreshed, service_kind

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
D = datetime.date
DAYS = [D(2026, 10, 31), D(2026, 11, 1), D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 19), D(2026, 11, 30),
        D(2026, 12, 1), D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 2)]
NOWS = [datetime.datetime(2026, 11, 18, 8, 0, tzinfo=ALMATY),  # morning: nothing late yet
        datetime.datetime(2026, 11, 18, 15, 0, tzinfo=ALMATY),  # after a window's end: late
        datetime.datetime(2026, 11, 18, 23, 59, 59, tzinfo=ALMATY),  # the last second of the day
        datetime.datetime(2026, 12, 31, 23, 59, tzinfo=ALMATY),  # the year's last minute
        datetime.datetime(2027, 1, 1, 0, 0, 30, tzinfo=ALMATY)]  # just past midnight, a new year
RANGES = [(D(2026, 10, 1), D(2027, 1, 31)), (D(2026, 11, 10), D(2026, 11, 25)), (D(2026, 12, 15), D(2027, 1, 5)),
          (D(2026, 11, 18), D(2026, 11, 18)), (D(2026, 11, 1), D(2026, 11, 30))]
PLACES = [("home_care", "alice"), ("home_care", "bob"), ("family", "fiona"), ("hill_care", "walt"),
          ("centre", "alice"), ("north", "sam")]  # the institution's and the region's own visits too
STATUSES = list(Visit.Status)
WINDOWS = [None, datetime.time(9, 0), datetime.time(14, 0), datetime.time(23, 59)]

step = st.one_of(
    st.tuples(st.just("plan"), st.integers(0, len(PLACES) - 1), st.sampled_from(DAYS), st.sampled_from(STATUSES),
              st.sampled_from(WINDOWS)),
    st.tuples(st.just("service"), st.integers(0, 30), st.integers(0, 1), st.integers(1, 120)),
    st.tuples(st.just("rate"), st.integers(0, 30), st.integers(1, 10)),
    st.tuples(st.just("move"), st.integers(0, 30), st.sampled_from(DAYS), st.integers(0, len(PLACES) - 1)),
    st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(STATUSES)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("refresh"),),
)


@pytest.fixture
def cast(world):
    world = refreshed(world)
    clients = {unit: client_at(world, 43.31, 77.25, unit=getattr(world, unit)) for unit in
               {u for u, _w in PLACES}}
    return world, clients, [service_kind("cleaning", 45), service_kind("shopping", 30)]


def _pick(index):
    rows = list(Visit.objects.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def _apply(world, clients, kinds, action):
    name, *args = action
    if name == "plan":
        unit, worker = PLACES[args[0]]
        status = Visit.Status.DONE if args[2] == Visit.Status.IN_PROGRESS else args[2]  # one in progress a day
        Visit.objects.create(client=clients[unit], worker=getattr(world, worker), org_unit=getattr(world, unit),
                             planned_for=args[1], status=status, window_end=args[3])
    elif name == "refresh":
        counted()
    elif (visit := _pick(args[0])) is None:
        return
    elif name == "service":
        ServiceDelivery.objects.create(visit=visit, service=kinds[args[1]], minutes=args[2])
    elif name == "rate" and not Rating.objects.filter(visit=visit).exists():
        Rating.objects.create(visit=visit, score=args[1], channel=Rating.Channel.CARD)
    elif name == "move":
        unit, worker = PLACES[args[2]]
        visit.planned_for, visit.org_unit, visit.worker = args[1], getattr(world, unit), getattr(world, worker)
        visit.client = clients[unit]
        if visit.status == Visit.Status.IN_PROGRESS:
            visit.status = Visit.Status.DONE
        visit.save()
    elif name == "status" and args[1] != Visit.Status.IN_PROGRESS:
        visit.status = args[1]
        visit.save(update_fields=["status"])
    elif name == "delete":
        visit.delete()


def _seen(report: reports.VisitReport) -> tuple:
    return (report.totals.fingerprint(), [(person.pk, figures.fingerprint()) for person, figures in report.workers],
            [(row.unit.pk, row.own, row.figures.fingerprint()) for row in report.units], report.suppression)


def assert_reports_agree(world, nows=NOWS, ranges=RANGES):
    for now in nows:
        for unit in (world.home_care, world.centre, world.north, world.country):
            for date_from, date_to in ranges:
                for named, worker, protected in ((True, None, False), (False, None, False), (True, world.alice, False),
                                                 (False, None, True)):
                    asked = dict(unit=unit, date_from=date_from, date_to=date_to, named=named, worker=worker,
                                 protected=protected, now=now)
                    stored, raw = reports.visit_report(**asked), reports.visit_report(**asked, raw=True)
                    assert _seen(stored) == _seen(raw), (now, unit.code, date_from, date_to, named, worker, protected)
                if unit in (world.north, world.country):
                    assert_rows_are_the_childrens_reports(unit, date_from, date_to, now)


def assert_rows_are_the_childrens_reports(unit, date_from, date_to, now):
    """A named report above an institution: a row per child, each equal to that child's report computed from
    the visits, and a row of the unit's own visits when there are any; together the unit's total."""
    from socmon.orgs.models import OrgUnit

    stored = reports.visit_report(unit=unit, date_from=date_from, date_to=date_to, named=True, protected=False,
                                  now=now)
    children = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    assert stored.by_unit and not stored.workers
    assert [row.unit.pk for row in stored.units if not row.own] == [c.pk for c in sorted(children,
                                                                                       key=lambda c: c.name)]
    own = reports.figures_by(Visit.objects.filter(org_unit=unit, planned_for__range=(date_from, date_to)), now,
                             None).get(None)
    assert [row.figures.fingerprint() for row in stored.units if row.own] == ([own.fingerprint()] if own else [])
    total = reports.Figures()
    for row in stored.units:
        total.add(row.figures)
        if not row.own:
            raw = reports.visit_report(unit=row.unit, date_from=date_from, date_to=date_to, named=False,
                                       protected=False, now=now, raw=True)
            assert row.figures.fingerprint() == raw.totals.fingerprint(), (now, row.unit.code, date_from, date_to)
    assert total.fingerprint() == stored.totals.fingerprint()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=14))
@example(steps=[("plan", 0, D(2026, 11, 18), Visit.Status.PLANNED, datetime.time(14, 0)),
                ("plan", 4, D(2026, 11, 17), Visit.Status.PLANNED, None), ("refresh",),
                ("plan", 2, D(2026, 12, 31), Visit.Status.DONE, None), ("service", 2, 0, 40), ("rate", 2, 7),
                ("refresh",), ("move", 2, D(2027, 1, 1), 3), ("rate", 0, 3),
                ("plan", 5, D(2026, 11, 18), Visit.Status.PLANNED, datetime.time(9, 0)), ("service", 1, 1, 25)])
@example(steps=[("plan", 1, D(2026, 11, 1), Visit.Status.MISSED, None), ("service", 0, 1, 5), ("refresh",),
                ("delete", 0), ("plan", 3, D(2026, 11, 30), Visit.Status.CANCELLED, datetime.time(9, 0))])
def test_reports_from_the_store_equal_the_reports_from_the_visits(cast, steps):
    from django.db import transaction

    world, clients, kinds = cast
    sid = transaction.savepoint()
    try:
        for action in steps:
            _apply(world, clients, kinds, action)
        counted()
        assert_reports_agree(world)
        assert tallies.differences() == []  # incremental = rebuild, exactly
        tallies.rebuild()
        assert_reports_agree(world, nows=NOWS[1:2])
    finally:
        transaction.savepoint_rollback(sid)


def test_a_visit_checked_out_shows_after_one_round_of_the_worker_and_not_before(cast, login):
    from django.urls import reverse
    from django.utils import timezone

    from socmon.indicators import engine

    world, clients, _kinds = cast
    today = timezone.localdate()
    visit = Visit.objects.create(client=clients["home_care"], worker=world.alice, org_unit=world.home_care,
                                 planned_for=today)
    counted()
    client = login(world.heidi)
    params = {"unit": world.home_care.pk, "date_from": today.isoformat(), "date_to": today.isoformat()}
    first = client.get(reverse("visits:report"), params).context["report"]
    assert first.totals.statuses["planned"] == 1 and first.totals.statuses["done"] == 0 and not first.pending
    visit.status, visit.checked_in_at = Visit.Status.DONE, timezone.now() - datetime.timedelta(minutes=40)
    visit.checked_out_at = timezone.now()
    visit.save()
    response = client.get(reverse("visits:report"), params)
    before = response.context["report"]
    assert before.totals.statuses["done"] == 0 and before.pending  # the store has not counted it yet
    assert "What was recorded since then is being counted" in response.content.decode()
    engine.refresh()
    after = client.get(reverse("visits:report"), params).context["report"]
    assert after.totals.statuses["done"] == 1 and after.totals.statuses["planned"] == 0 and not after.pending


@pytest.mark.parametrize("reader, unit", [("heidi", "home_care"), ("dora", "centre"), ("sam", "north"),
                                          ("ann", "country")])
def test_a_report_makes_a_few_queries_however_many_units(cast, login, reader, unit, django_assert_max_num_queries):
    """The report itself: tallies, services, service kinds, today's planned visits, workers (above an
    institution: the child units) and "as of" (6); the page around it (session, reach, form, unit picker) adds
    the same number whatever the tree's size, the number of workers or of child units."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from socmon.accounts.models import Membership, Role, User
    from socmon.orgs.models import OrgLevel, OrgUnit

    from .planning_kit import done

    world, clients, kinds = cast
    today = timezone.localdate()
    asked = {"date_from": today - datetime.timedelta(days=45), "date_to": today + datetime.timedelta(days=10)}
    params = {"unit": getattr(world, unit).pk, **{k: v.isoformat() for k, v in asked.items()}}
    client = login(getattr(world, reader))
    done(world, clients["home_care"], day=today - datetime.timedelta(days=3), services=[(kinds[0], 40)], score=9)
    counted()
    client.get(reverse("visits:report"), params)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("visits:report"), params).status_code == 200
    for i in range(15):
        department = OrgUnit.objects.add_child(OrgUnit.objects.get(pk=world.centre.pk), {
            "name": f"Department {i}", "code": f"dept-{i}", "level": OrgLevel.objects.get(code="department")})
        worker = User.objects.create(username=f"w{i}", first_name="Worker", last_name=str(i))
        Membership.objects.create(user=worker, org_unit=department, role=Role.WORKER)
        for day in (today - datetime.timedelta(days=40), today, today + datetime.timedelta(days=2)):
            done(world, client_at(world, 43.31, 77.25, unit=department), worker=worker, day=day,
                 services=[(kinds[i % 2], 30 + i)], score=1 + i % 10)
    for parent in (world.country, world.north):  # more child units for the reports by unit
        for i in range(6):
            child = OrgUnit.objects.add_child(OrgUnit.objects.get(pk=parent.pk), {
                "name": f"Area {i}", "code": f"area-{parent.code}-{i}", "level": OrgLevel.objects.get(code="district")})
            done(world, client_at(world, 43.31, 77.25, unit=child), worker=world.walt, day=today,
                 services=[(kinds[0], 20)], score=5)
    counted()
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("visits:report"), params).status_code == 200
    assert len(many) == len(few)
    if unit in ("north", "country"):  # by unit: the picker's children serve the report too
        assert len(many) <= 12  # the bench's goal for the page
    named = reader != "dora"  # the institution's director: named too, but ask the totals as the home page does
    chosen = OrgUnit.objects.select_related("level").get(pk=params["unit"])  # as the form's units are
    with django_assert_max_num_queries(6):
        report = reports.visit_report(unit=chosen, **asked, named=named, protected=False, now=timezone.now())
    assert report.by_unit == (unit in ("north", "country"))
    if report.by_unit:
        assert len(report.units) == 1 + 6 + (unit == "country")  # the old children and six new ones
