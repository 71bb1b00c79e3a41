"""My day opens what the worker needs at the door (issue 8): the phone to call, directions in the map app, how
to get in, the services of the person's plan and whether they hold a card. Only for the worker's own visits."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socmon.cases.tests.factories import case_in
from socmon.clients.models import ClientAccessLog
from socmon.visits import services
from socmon.visits.models import Visit

from .planning_kit import client_at, office, refreshed, visit

pytestmark = pytest.mark.django_db
MY_DAY = reverse("visits:my_day")
NOTES = "Entrance 2, intercom 45, ring twice. A dog in the yard."


@pytest.fixture
def world(world):
    return refreshed(world)


@pytest.fixture
def alices_visit(world) -> Visit:
    office(world)
    client = client_at(world, 43.31, 77.25, worker=world.alice, address="5 Abai Street, flat 3")
    client.phone, client.access_notes = "+7 (701) 234-56-78", NOTES
    client.save(update_fields=["phone", "access_notes"])
    return visit(world, client, order=1)


def _contacts(html: str, visit: Visit) -> str:
    found = re.search(rf'<details[^>]*id="contacts-{visit.pk}".*?</details>', html, re.S)
    return found.group(0) if found else ""


def test_the_worker_opens_phone_directions_and_how_to_get_in_from_the_visit_row(world, login, alices_visit):
    response = login(world.alice).get(MY_DAY)
    details = _contacts(response.content.decode(), alices_visit)
    assert 'href="tel:+77012345678"' in details and "+7 (701) 234-56-78" in details
    assert 'href="geo:43.31,77.25?q=43.31,77.25(5%20Abai%20Street%2C%20flat%203)"' in details
    assert NOTES in details
    assert "No approved plan" in details and "Not issued" in details
    assert reverse("clients:detail", args=[alices_visit.client_id]) in details
    assert "no-store" in response["Cache-Control"]


def test_without_a_map_position_the_directions_search_for_the_address(world, login, alices_visit):
    client = alices_visit.client
    client.latitude = client.longitude = None
    client.phone = ""
    client.save(update_fields=["latitude", "longitude", "phone"])
    details = _contacts(login(world.alice).get(MY_DAY).content.decode(), alices_visit)
    assert 'href="geo:0,0?q=5%20Abai%20Street%2C%20flat%203"' in details
    assert "tel:" not in details and "No phone recorded" in details


def test_the_card_and_the_plans_services_are_shown(world, login):
    case = case_in(world, "active")
    client = case.client
    client.latitude, client.longitude = Decimal("43.3"), Decimal("77.2")
    client.save(update_fields=["latitude", "longitude"])
    services.issue_card(by=world.heidi, client=client)
    planned = visit(world, client, order=1)
    details = _contacts(login(world.alice).get(MY_DAY).content.decode(), planned)
    assert "Help at home, 2 times a week" in details
    assert "Issued" in details and "Not issued" not in details


def test_a_worker_of_another_unit_sees_none_of_it(world, login, alices_visit):
    assert login(world.walt).get(reverse("visits:worker_day", args=[world.alice.pk])).status_code == 404
    html = login(world.walt).get(MY_DAY).content.decode()
    assert "tel:" not in html and NOTES not in html and alices_visit.client.code not in html


def test_a_colleague_sees_none_of_it(world, login, alices_visit):
    assert login(world.bob).get(reverse("visits:worker_day", args=[world.alice.pk])).status_code == 404
    assert NOTES not in login(world.bob).get(MY_DAY).content.decode()


def test_the_head_following_the_day_opens_the_record_instead(world, login, alices_visit):
    html = login(world.heidi).get(reverse("visits:worker_day", args=[world.alice.pk])).content.decode()
    assert alices_visit.client.code in html
    assert not _contacts(html, alices_visit) and "tel:" not in html and NOTES not in html


def test_the_day_with_its_contacts_takes_the_same_queries_for_one_visit_or_five(world, login, alices_visit,
                                                                                 django_assert_max_num_queries):
    client = login(world.alice)
    client.get(MY_DAY)
    with CaptureQueriesContext(connection) as one:
        client.get(MY_DAY)
    for n in range(4):
        visit(world, client_at(world, 43.32 + n / 100, 77.26, worker=world.alice), order=n + 2)
    with django_assert_max_num_queries(len(one)):
        client.get(MY_DAY)


def test_the_day_does_not_count_as_opening_the_records(world, login, alices_visit):
    login(world.alice).get(MY_DAY)
    assert not ClientAccessLog.objects.filter(client=alices_visit.client).exists()
    login(world.alice).get(reverse("clients:detail", args=[alices_visit.client_id]))
    assert ClientAccessLog.objects.filter(user=world.alice, client=alices_visit.client,
                                          what="client record").exists()
