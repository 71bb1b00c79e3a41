import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from socmon.visits.models import Visit, effective_status

from .planning_kit import client_at, done, refreshed, service_kind, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


def live_url(world):
    return reverse("visits:live", args=[world.home_care.pk])


@pytest.fixture
def today(world):
    now = timezone.now()
    cleaning = service_kind("cleaning", 45)
    planned = visit(world, client_at(world, 43.31, 77.25), order=1)
    going = visit(world, client_at(world, 43.32, 77.25), worker=world.bob, status=Visit.Status.IN_PROGRESS,
                  checked_in=now - datetime.timedelta(minutes=20))
    finished = done(world, client_at(world, 43.33, 77.25), started=now - datetime.timedelta(hours=2),
                    services=[(cleaning, 50)], score=9)
    return planned, going, finished


@pytest.mark.parametrize("persona", ["heidi", "dora", "sam", "ann", "root"])
def test_the_head_and_those_above_follow_the_departments_visits(world, login, today, persona):
    response = login(getattr(world, persona)).get(live_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    for v in today:
        assert v.client.code in html
    assert "Alice Akhmetova" in html and "Bob Bondarenko" in html
    assert "9 out of 10" in html
    assert 'hx-trigger="every 10s"' in html and "htmx" in html


@pytest.mark.parametrize("persona, status", [("walt", 404), ("fiona", 404), ("eve", 403), ("alice", 403)])
def test_others_cannot_follow_the_department(world, login, today, persona, status):
    assert login(getattr(world, persona)).get(live_url(world)).status_code == status


def test_the_live_board_shows_per_worker_counts_and_time_against_the_norm(world, login, today):
    html = login(world.heidi).get(live_url(world)).content.decode()
    assert "1 planned, 0 late, 0 in progress, 1 done, 0 missed" in html  # Alice
    assert "0 planned, 0 late, 1 in progress, 0 done, 0 missed" in html  # Bob
    assert "111%" in html  # 50 minutes of cleaning against a 45-minute standard


AT = datetime.datetime(2026, 11, 18, tzinfo=timezone.get_default_timezone())  # a Wednesday, local time


def _at(hour, minute=0):
    return AT.replace(hour=hour, minute=minute)


def _window(start, end):
    return datetime.time(*start), datetime.time(*end)


def test_a_planned_visit_whose_window_has_passed_without_check_in_is_late_with_its_planned_time(world, login):
    with time_machine.travel(_at(9), tick=False):
        ahead = visit(world, client_at(world, 43.31, 77.25), day=AT.date(), window=_window((14, 0), (15, 0)))
        passed = visit(world, client_at(world, 43.32, 77.25), day=AT.date(), window=_window((10, 0), (11, 0)))
    with time_machine.travel(_at(11, 30), tick=False):
        html = login(world.heidi).get(live_url(world)).content.decode()
    assert "1 planned, 1 late, 0 in progress, 0 done, 0 missed" in html
    row = html.split(passed.client.code)[1].split("</tr>")[0]
    assert "Late" in row and "planned 10:00–11:00" in row
    assert "planned 14:00–15:00" in html.split(ahead.client.code)[1].split("</tr>")[0]


def test_at_exactly_the_end_of_the_window_the_visit_is_late_and_a_minute_before_it_is_planned(world, login):
    v = visit(world, client_at(world, 43.31, 77.25), day=AT.date(), window=_window((10, 0), (11, 0)))
    for moment, status in ((_at(10, 59), "planned"), (_at(11), "late")):
        assert effective_status(v, moment) == status
        assert Visit.objects.with_effective_status(moment).get(pk=v.pk).effective_status == status


def test_a_visit_never_checked_in_is_missed_once_its_day_has_ended_and_late_until_then(world, login):
    v = visit(world, client_at(world, 43.31, 77.25), day=AT.date(), window=_window((10, 0), (11, 0)))
    no_window = visit(world, client_at(world, 43.32, 77.25), day=AT.date())
    late_evening = _at(23, 59)
    next_morning = _at(0, 1) + datetime.timedelta(days=1)
    assert [effective_status(x, late_evening) for x in (v, no_window)] == ["late", "planned"]
    assert [effective_status(x, next_morning) for x in (v, no_window)] == ["missed", "missed"]
    rows = Visit.objects.with_effective_status(next_morning).filter(pk__in=[v.pk, no_window.pk])
    assert {r.effective_status for r in rows} == {"missed"}


def test_late_in_the_evening_the_live_board_still_shows_the_days_late_visits(world, login):
    visit(world, client_at(world, 43.31, 77.25), day=AT.date(), window=_window((10, 0), (11, 0)))
    with time_machine.travel(_at(23, 50), tick=False):
        html = login(world.heidi).get(live_url(world)).content.decode()
    assert "0 planned, 1 late, 0 in progress, 0 done, 0 missed" in html


def test_the_htmx_poll_gets_the_board_with_a_rating_created_since(world, login, today):
    client = login(world.heidi)
    assert "7 out of 10" not in client.get(live_url(world)).content.decode()
    later = done(world, client_at(world, 43.34, 77.25), worker=world.bob, score=7)
    response = client.get(live_url(world), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="live-board"')
    assert "7 out of 10" in html and later.client.code in html
    assert html.index("7 out of 10") < html.index("9 out of 10")  # the newest rating first


def test_the_live_view_runs_a_fixed_number_of_queries(world, login, today, django_assert_max_num_queries):
    client = login(world.heidi)
    client.get(live_url(world))  # warm the session

    def more_visits(count):
        for _i in range(count):
            done(world, client_at(world, 43.35, 77.25), worker=world.bob, score=10,
                 services=[(service_kind("cleaning", 45), 30)])

    more_visits(2)
    with django_assert_max_num_queries(11) as few:  # 11: the heads' checks of the flags, in one query
        assert client.get(live_url(world), HTTP_HX_REQUEST="true").status_code == 200
    more_visits(8)
    with django_assert_max_num_queries(11) as many:
        assert client.get(live_url(world), HTTP_HX_REQUEST="true").status_code == 200
    assert len(many) == len(few)


def test_flags_appear_on_the_live_board(world, login):
    now = timezone.now()
    short = done(world, client_at(world, 43.31, 77.25), started=now - datetime.timedelta(minutes=30), minutes=2)
    html = login(world.heidi).get(live_url(world)).content.decode()
    assert f"Alice Akhmetova: the visit to {short.client.code} lasted 2 min (less than 5)." in html


def test_a_run_of_top_ratings_names_the_worker_on_the_live_board(world, login):
    for _i in range(5):
        done(world, client_at(world, 43.31, 77.25), worker=world.bob, score=10)
    html = login(world.heidi).get(live_url(world)).content.decode()
    assert "Bob Bondarenko: the last 5 ratings of their visits are all 10." in html
    assert "of this worker" not in html


def test_services_longer_than_the_visit_are_flagged_on_the_live_board(world, login):
    now = timezone.now()
    over = done(world, client_at(world, 43.31, 77.25), started=now - datetime.timedelta(minutes=30), minutes=3,
                services=[(service_kind("cleaning", 45), 100)])
    html = login(world.heidi).get(live_url(world)).content.decode()
    assert (f"Alice Akhmetova: 100 min of services were recorded at {over.client.code}, but the visit lasted "
            "3 min from check-in to check-out.") in html


def test_the_live_index_takes_the_head_straight_to_their_department(world, login):
    response = login(world.heidi).get(reverse("visits:live_index"))
    assert response.status_code == 302 and response.url == live_url(world)
    listing = login(world.dora).get(reverse("visits:live_index"))
    assert "Home Care" in listing.content.decode() and "Family Support" in listing.content.decode()
    assert login(world.eve).get(reverse("visits:live_index")).status_code == 403


def _department(parent, name, code):
    from socmon.orgs.models import OrgLevel, OrgUnit

    return OrgUnit.objects.add_child(parent, {"name": name, "code": code,
                                              "level": OrgLevel.objects.get(code="department")})


def test_departments_are_named_with_their_institution(world, login):
    _department(world.hill_centre, "Home Care", "hill-home-care")  # the same name in another institution
    html = login(world.ann).get(reverse("visits:live_index")).content.decode()
    assert "Home Care · Riverside Centre" in html and "Home Care · Hilltown Centre" in html
    assert "Family Support · Riverside Centre" in html
    page = login(world.heidi).get(live_url(world)).content.decode()
    assert "Home Care · Riverside Centre" in page


def test_the_list_of_departments_runs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.ann)
    client.get(reverse("visits:live_index"))  # warm the session
    with django_assert_max_num_queries(10) as few:
        assert client.get(reverse("visits:live_index")).status_code == 200
    for n in range(5):
        _department(refreshed(world).hill_centre, f"Day Care {n}", f"day-care-{n}")
    with django_assert_max_num_queries(10) as many:
        assert client.get(reverse("visits:live_index")).status_code == 200
    assert len(many) == len(few)
