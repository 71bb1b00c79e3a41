import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from socmon.accounts.models import Membership, Role, User
from socmon.visits.models import Visit

from .planning_kit import client_at, next_weekday, office, refreshed, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


def day_url(worker, day=None):
    url = reverse("visits:worker_day", args=[worker.pk])
    return url + (f"?date={day.isoformat()}" if day else "")


@pytest.fixture
def alices_day(world):
    office(world)
    today = timezone.localdate()
    first = visit(world, client_at(world, 43.31, 77.25, worker=world.alice, address="5 Abai Street"), order=1,
                  window=(datetime.time(10, 0), datetime.time(11, 0)))
    second = visit(world, client_at(world, 43.32, 77.26, worker=world.alice, address="9 Zhibek Zholy"), order=2)
    return today, first, second


def test_the_worker_sees_their_day_in_order_with_addresses_and_map_markers(world, login, alices_day):
    _today, first, second = alices_day
    response = login(world.alice).get(reverse("visits:my_day"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(first.client.code) < html.index(second.client.code)
    assert "5 Abai Street" in html and "10:00–11:00" in html
    markers = json.loads(html.split('id="visit-markers" type="application/json">')[1].split("</script>")[0])
    assert [m["n"] for m in markers] == [1, 2]
    assert "Move" not in html  # the worker does not move their own visits


def test_a_colleague_or_anyone_outside_cannot_open_the_workers_day(world, login, alices_day):
    for person in (world.bob, world.walt, world.fiona, world.eve):
        assert login(person).get(day_url(world.alice)).status_code == 404


def test_the_head_sees_the_workers_day_and_may_move_visits(world, login, alices_day):
    html = login(world.heidi).get(day_url(world.alice)).content.decode()
    assert alices_day[1].client.code in html
    assert reverse("visits:move_visit", args=[alices_day[1].pk]) in html


def test_a_bad_date_shows_today_instead_of_failing(world, login, alices_day):
    response = login(world.alice).get(reverse("visits:my_day") + "?date=2026-13-45")
    assert response.status_code == 200
    assert alices_day[1].client.code in response.content.decode()


def test_the_worker_plans_their_day_and_the_due_client_appears(world, login):
    client = client_at(world, 43.31, 77.25, worker=world.alice)
    day = next_weekday(client.pk % 5)
    response = login(world.alice).post(reverse("visits:plan_day", args=[world.alice.pk]), {"date": day.isoformat()})
    assert response.status_code == 302
    assert client.code in login(world.alice).get(response.url).content.decode()


def test_a_colleague_cannot_plan_the_workers_day(world, login):
    response = login(world.bob).post(reverse("visits:plan_day", args=[world.alice.pk]))
    assert response.status_code == 404


def test_visits_that_did_not_fit_are_listed_apart(world, login, settings):
    settings.SOCMON_WORKDAY_START, settings.SOCMON_WORKDAY_END = "09:00", "10:00"
    office(world)
    day = next_weekday(2)
    visits = [visit(world, client_at(world, 43.31 + i / 100, 77.25), day=day, minutes=50) for i in range(3)]
    login(world.heidi).post(reverse("visits:plan_day", args=[world.alice.pk]), {"date": day.isoformat()})
    html = login(world.alice).get(day_url(world.alice, day)).content.decode()
    assert "Did not fit into the working day" in html
    unfit_part = html.split("Did not fit")[1].split("visit-map-heading")[0]
    assert sum(v.client.code in unfit_part for v in visits) == 2


def test_the_head_moves_a_visit_to_bob_tomorrow(world, login, alices_day):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("visits:move_visit", args=[alices_day[1].pk])
    response = login(world.heidi).post(url, {"planned_for": tomorrow.isoformat(), "worker": world.bob.pk})
    assert response.status_code == 302
    assert Visit.objects.get(pk=alices_day[1].pk).worker == world.bob


@pytest.mark.parametrize("data, message", [
    ({"planned_for": "2020-01-01"}, "Choose today or a later day."),
    ({"planned_for": "next tuesday"}, "Enter a real date, for example 2026-03-27."),
    ({"worker": "999999"}, "Choose a social worker from the list."),
])
def test_moving_with_bad_input_explains_what_to_fix(world, login, alices_day, data, message):
    form = {"planned_for": timezone.localdate().isoformat(), "worker": world.bob.pk, **data}
    response = login(world.heidi).post(reverse("visits:move_visit", args=[alices_day[1].pk]), form)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_worker_cannot_move_visits_and_walt_cannot_see_them(world, login, alices_day):
    url = reverse("visits:move_visit", args=[alices_day[1].pk])
    assert login(world.alice).get(url).status_code == 403
    assert login(world.walt).get(url).status_code == 404


def test_the_head_adds_a_visit_with_a_time_window(world, login):
    client = client_at(world, 43.31, 77.25)
    day = timezone.localdate()
    response = login(world.heidi).post(reverse("visits:add_visit", args=[world.bob.pk]), {
        "client": client.pk, "planned_for": day.isoformat(), "worker": world.bob.pk,
        "window_start": "14:00", "window_end": "15:00"})
    assert response.status_code == 302
    added = Visit.objects.get(client=client)
    assert (added.worker, added.window_start) == (world.bob, datetime.time(14, 0))


def test_adding_a_visit_for_a_client_of_another_department_is_refused(world, login):
    other = client_at(world, 43.31, 77.25, unit=world.family)
    response = login(world.heidi).post(reverse("visits:add_visit", args=[world.bob.pk]), {
        "client": other.pk, "planned_for": timezone.localdate().isoformat(), "worker": world.bob.pk})
    assert response.status_code == 400
    assert "Choose a client from the list." in response.content.decode()


def test_the_map_needs_no_tile_server_and_csp_allows_only_a_configured_one(world, login, alices_day, settings):
    response = login(world.alice).get(reverse("visits:my_day"))
    assert "tile.example.org" not in response["Content-Security-Policy"]
    settings.SOCMON_MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    response = login(world.alice).get(reverse("visits:my_day"))
    assert "https://*.tile.example.org" in response["Content-Security-Policy"]
    assert 'data-tile-url="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in response.content.decode()


def test_the_menu_and_home_page_lead_to_the_day_live_view_and_reports(world, login, alices_day):
    worker_home = login(world.alice).get(reverse("home")).content.decode()
    assert reverse("visits:my_day") in worker_home and "visits planned for you today" in worker_home
    assert reverse("visits:live_index") not in worker_home
    head_home = login(world.heidi).get(reverse("home")).content.decode()
    assert "Live visits" in head_home and "Visit reports" in head_home and "My day" not in head_home
    evaluator_home = login(world.eve).get(reverse("home")).content.decode()
    assert "Visit reports" in evaluator_home and "Live visits" not in evaluator_home


def test_the_head_may_still_move_a_visit_whose_window_has_passed(world, login, alices_day):
    afternoon = timezone.make_aware(datetime.datetime.combine(alices_day[0], datetime.time(15, 0)))
    with time_machine.travel(afternoon, tick=False):
        html = login(world.heidi).get(day_url(world.alice)).content.decode()
    row = html.split(alices_day[1].client.code)[1].split("</li>")[0]
    assert "Late" in row
    assert reverse("visits:move_visit", args=[alices_day[1].pk]) in row


def test_a_worker_in_two_departments_shows_each_head_only_that_departments_visits(world, login):
    hank = User.objects.create_user(username="hank", first_name="Hank", last_name="Family")
    Membership.objects.create(user=hank, org_unit=world.family, role=Role.HEAD)
    Membership.objects.create(user=world.alice, org_unit=world.family, role=Role.WORKER)
    home = visit(world, client_at(world, 43.31, 77.25, unit=world.home_care), order=1)
    family = visit(world, client_at(world, 43.32, 77.25, unit=world.family), order=2)
    heidis = login(world.heidi).get(day_url(world.alice)).content.decode()
    assert home.client.code in heidis and family.client.code not in heidis
    hanks = login(hank).get(day_url(world.alice)).content.decode()
    assert family.client.code in hanks and home.client.code not in hanks
    doras = login(world.dora).get(day_url(world.alice)).content.decode()
    assert home.client.code in doras and family.client.code in doras
    alices = login(world.alice).get(day_url(world.alice)).content.decode()
    assert home.client.code in alices and family.client.code in alices
