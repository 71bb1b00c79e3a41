"""The visit page offers the services of the person's approved plan (issue 8); another service stays possible,
behind "Another service (not in the plan)", with a reason. Without a plan, the catalogue as before."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.cases.tests.factories import case_in
from socmon.cases.tests.factories import service as plan_service_kind
from socmon.visits import services
from socmon.visits.forms import OTHER_SERVICE
from socmon.visits.models import ServiceDelivery

from .fieldkit import make_client, service_kind

pytestmark = pytest.mark.django_db


def _open_visit(world, client):
    return services.check_in(by=world.alice, client=client, now=timezone.now() - datetime.timedelta(minutes=20))


@pytest.fixture
def planned_visit(world):
    """A visit to a person whose approved plan holds "Help at home", twice a week."""
    return _open_visit(world, case_in(world, "active").client)


def _radios(html: str) -> list[str]:
    return re.findall(r'<input class="govuk-radios__input" id="id_service_\d+" name="service" type="radio" '
                      r'value="([^"]+)"', html)


def _other_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="other_service".*?</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"', select.group(0)) if select else []


def record(client, visit, **data):
    return client.post(reverse("visits:record_service", args=[visit.pk]), data)


def test_the_visit_page_shows_the_plans_services_and_offers_them_first(login, world, planned_visit):
    cleaning = service_kind("cleaning")
    home_help = plan_service_kind()
    html = login(world.alice).get(reverse("visits:visit", args=[planned_visit.pk])).content.decode()
    plan_row = re.search(r'<dd[^>]*id="plan-services">(.*?)</dd>', html, re.S).group(1)
    assert "Help at home, 2 times a week" in plan_row
    assert _radios(html) == [str(home_help.pk), OTHER_SERVICE]
    assert re.search(rf'value="{home_help.pk}" checked', html)  # the planned service is chosen for the worker
    assert "Another service (not in the plan)" in html and 'data-reveal="conditional-other-service"' in html
    others = _other_options(html)
    assert str(cleaning.pk) in others and str(home_help.pk) not in others
    assert "The person has no approved plan" not in html


def test_the_head_sees_the_plan_on_the_visit_page_but_no_form(login, world, planned_visit):
    html = login(world.heidi).get(reverse("visits:visit", args=[planned_visit.pk])).content.decode()
    assert "Help at home, 2 times a week" in html and not _radios(html)


def test_the_plans_service_is_recorded_without_a_reason(login, world, planned_visit):
    home_help = plan_service_kind()
    assert record(login(world.alice), planned_visit, service=home_help.pk, minutes="50").status_code == 302
    delivery = ServiceDelivery.objects.get()
    assert (delivery.service, delivery.minutes, delivery.unplanned_reason) == (home_help, 50, "")


def test_another_service_needs_the_service_and_a_reason(login, world, planned_visit):
    cleaning = service_kind("cleaning")
    browser = login(world.alice)
    response = record(browser, planned_visit, service=OTHER_SERVICE, minutes="20")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_other_service_error"' in html and "Choose the service that was delivered." in html
    assert re.search(r'value="other" checked', html)  # the reveal stays open on the error
    response = record(browser, planned_visit, service=OTHER_SERVICE, other_service=cleaning.pk, minutes="20")
    assert response.status_code == 400 and 'id="id_unplanned_reason_error"' in response.content.decode()
    assert not ServiceDelivery.objects.exists()
    assert record(browser, planned_visit, service=OTHER_SERVICE, other_service=cleaning.pk, minutes="20",
                  unplanned_reason="The kitchen was flooded").status_code == 302
    delivery = ServiceDelivery.objects.get()
    assert (delivery.service, delivery.unplanned_reason) == (cleaning, "The kitchen was flooded")


def test_without_a_plan_the_catalogue_is_offered_with_a_note(login, world):
    cleaning = service_kind("cleaning")
    visit = _open_visit(world, make_client(world, worker=world.alice))
    browser = login(world.alice)
    html = browser.get(reverse("visits:visit", args=[visit.pk])).content.decode()
    assert not _radios(html) and 'name="other_service"' not in html
    assert "The person has no approved plan: choose from the catalogue." in html
    assert re.search(rf'<select[^>]*name="service".*?value="{cleaning.pk}"', html, re.S)
    assert record(browser, visit, service=cleaning.pk, minutes="30").status_code == 302
    assert ServiceDelivery.objects.get().unplanned_reason == ""


def test_a_plan_waiting_for_approval_is_not_offered_yet(login, world):
    visit = _open_visit(world, case_in(world, "plan_submitted").client)
    html = login(world.alice).get(reverse("visits:visit", args=[visit.pk])).content.decode()
    assert not _radios(html) and "The person has no approved plan: choose from the catalogue." in html
    assert "Help at home, 2 times a week" not in html
