"""Whatever is typed or sent to the day pages and the visit forms gives a message, never a 500, and a
refused input stores nothing. Run on SQLite and PostgreSQL (DATABASE_URL)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socmon.lib import dates
from socmon.visits.models import ServiceDelivery, Visit

from .fieldkit import service_kind
from .planning_kit import client_at, refreshed, visit

pytestmark = pytest.mark.django_db
GENERATED = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BAD_DAYS = ["9999-12-31", "0001-01-01", "2026-02-30", "tomorrow", "\x00", "1" * 25]


@pytest.fixture
def world(world):
    return refreshed(world)


@pytest.mark.parametrize("value", BAD_DAYS)
def test_an_impossible_day_in_the_address_shows_today_with_a_message(world, login, value):
    today = timezone.localdate()
    for user, url in [(world.alice, reverse("visits:my_day")),
                      (world.heidi, reverse("visits:worker_day", args=[world.alice.pk])),
                      (world.heidi, reverse("visits:add_visit", args=[world.alice.pk]))]:
        response = login(user).get(url, {"date": value})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Today is shown instead" in html or "today is shown instead" in html
        assert today.isoformat() in html


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "nonsense"])
def test_planning_an_impossible_day_is_refused_and_plans_nothing(world, login, value):
    client_at(world, 43.31, 77.25, worker=world.alice)
    response = login(world.alice).post(reverse("visits:plan_day", args=[world.alice.pk]), {"date": value},
                                       follow=True)
    assert response.status_code == 200
    assert "instead" in response.content.decode()
    assert not Visit.objects.exists()


@given(offset=st.integers(min_value=1, max_value=(datetime.date.max - datetime.date(2100, 1, 1)).days))
@GENERATED
def test_a_visit_is_not_added_beyond_the_planning_horizon(world, login, offset):
    day = dates.horizon(timezone.localdate()) + datetime.timedelta(days=offset)
    client = client_at(world, 43.31, 77.25)
    response = login(world.heidi).post(reverse("visits:add_visit", args=[world.bob.pk]), {
        "client": client.pk, "planned_for": day.isoformat(), "worker": world.bob.pk})
    assert response.status_code == 400
    assert "Enter a date from" in response.content.decode()
    assert not Visit.objects.filter(client=client).exists()


def test_a_visit_is_not_moved_to_the_year_9999(world, login):
    planned = visit(world, client_at(world, 43.31, 77.25, worker=world.alice))
    response = login(world.heidi).post(reverse("visits:move_visit", args=[planned.pk]),
                                       {"planned_for": "9999-12-31", "worker": world.bob.pk})
    assert response.status_code == 400
    assert "Enter a date from" in response.content.decode()
    planned.refresh_from_db()
    assert (planned.planned_for, planned.worker) == (timezone.localdate(), world.alice)


def test_a_twenty_digit_service_id_is_an_invalid_choice_not_a_database_error(world, login):
    client = client_at(world, 43.31, 77.25)
    response = login(world.heidi).post(reverse("visits:add_visit", args=[world.bob.pk]), {
        "client": client.pk, "planned_for": timezone.localdate().isoformat(), "worker": world.bob.pk,
        "services": ["9" * 20]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Visit.objects.filter(client=client).exists()


def test_a_time_window_that_ends_before_it_starts_is_shown_on_its_end(world, login):
    client = client_at(world, 43.31, 77.25)
    response = login(world.heidi).post(reverse("visits:add_visit", args=[world.bob.pk]), {
        "client": client.pk, "planned_for": timezone.localdate().isoformat(), "worker": world.bob.pk,
        "window_start": "15:00", "window_end": "14:00"})
    assert response.status_code == 400
    assert 'id="id_window_end_error"' in response.content.decode()
    assert not Visit.objects.filter(client=client).exists()


@pytest.mark.parametrize("minutes", ["0", "481", "99999999999999999999"])
def test_minutes_out_of_range_are_refused_on_the_minutes_field(world, login, minutes):
    client = client_at(world, 43.31, 77.25, worker=world.alice)
    open_visit = visit(world, client, status=Visit.Status.IN_PROGRESS, checked_in=timezone.now())
    response = login(world.alice).post(reverse("visits:record_service", args=[open_visit.pk]),
                                       {"service": service_kind().pk, "minutes": minutes})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_minutes_error"' in html and "Enter between 1 and 480 minutes." in html
    assert not ServiceDelivery.objects.exists()


def test_the_database_refuses_a_visit_planned_before_1900_whoever_writes(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        visit(world, client_at(world, 43.31, 77.25), day=datetime.date(1, 1, 1))
