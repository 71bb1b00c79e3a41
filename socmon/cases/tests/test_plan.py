"""Individual plan: goals, a package of services, approval; two heads deciding at once."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.accounts.models import Membership, Role, User

from ..models import Case, Plan, PlanService
from . import factories

pytestmark = pytest.mark.django_db


def plan_post(world, **overrides) -> dict:
    today = timezone.localdate()
    data = {"goals": "Keep living at home\nCook with help twice a week", "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=90)).isoformat(), "responsible": world.alice.pk}
    data.update(overrides)
    return data


def test_a_worker_writes_a_plan_with_services_and_submits_it(login, world):
    case = factories.case_in(world, "planning")
    client = login(world.alice)
    assert client.post(reverse("cases:plan", args=[case.pk]), plan_post(world)).status_code == 302
    service = factories.service()
    response = client.post(reverse("cases:plan_service_add", args=[case.pk]),
                           {"service": service.pk, "times": 3, "period": "week", "notes": "Mornings"})
    assert response.status_code == 302
    client.post(reverse("cases:plan_submit", args=[case.pk]), {"version": case.version})
    case.refresh_from_db()
    assert case.awaiting_approval == "plan"
    item = PlanService.objects.get(plan__case=case)
    assert (item.service, item.times, item.period) == (service, 3, "week")
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "3 times a week" in html and "Help at home" in html
    assert list(case.events.order_by("pk").values_list("kind", flat=True))[-3:] == [
        "plan_saved", "plan_service_added", "plan_submitted"]


def test_a_plan_cannot_be_written_before_the_assessment_is_approved(login, world):
    case = factories.case_in(world, "assessment_submitted")
    response = login(world.alice).post(reverse("cases:plan", args=[case.pk]), plan_post(world))
    assert response.status_code == 400
    assert not Plan.objects.exists()


@pytest.mark.parametrize("field, value", [("goals", ""), ("starts_on", ""), ("responsible", ""),
                                          ("ends_on", "2000-01-01"), ("starts_on", "31/31/2025")])
def test_bad_plan_input_is_refused(login, world, field, value):
    case = factories.case_in(world, "planning")
    response = login(world.alice).post(reverse("cases:plan", args=[case.pk]), plan_post(world, **{field: value}))
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_the_responsible_worker_must_be_of_the_department(login, world):
    case = factories.case_in(world, "planning")
    response = login(world.alice).post(reverse("cases:plan", args=[case.pk]),
                                       plan_post(world, responsible=world.fiona.pk))
    assert response.status_code == 400
    assert not Plan.objects.exists()


@pytest.mark.parametrize("times", ["0", "32", ""])
def test_a_service_needs_a_sensible_frequency(login, world, times):
    case = factories.case_in(world, "planning")
    client = login(world.alice)
    client.post(reverse("cases:plan", args=[case.pk]), plan_post(world))
    response = client.post(reverse("cases:plan_service_add", args=[case.pk]),
                           {"service": factories.service().pk, "times": times, "period": "week"})
    assert response.status_code == 400
    assert not PlanService.objects.exists()


def test_a_plan_without_services_cannot_be_submitted(login, world):
    case = factories.case_in(world, "planning")
    client = login(world.alice)
    client.post(reverse("cases:plan", args=[case.pk]), plan_post(world))
    response = client.post(reverse("cases:plan_submit", args=[case.pk]), {"version": case.version}, follow=True)
    assert "Add at least one service" in response.content.decode()
    case.refresh_from_db()
    assert case.awaiting_approval == ""


def test_a_service_can_be_removed_while_writing(login, world):
    case = factories.case_in(world, "planned")
    item = PlanService.objects.get(plan__case=case)
    response = login(world.alice).post(reverse("cases:plan_service_remove", args=[case.pk, item.pk]))
    assert response.status_code == 302
    assert not PlanService.objects.exists()
    assert case.events.filter(kind="plan_service_removed").exists()


def test_plan_approval_makes_the_case_active(login, world):
    case = factories.case_in(world, "plan_submitted")
    response = login(world.heidi).post(reverse("cases:plan_decide", args=[case.pk]),
                                       {"version": case.version, "decision": "approve"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.awaiting_approval) == ("active", "")
    assert Plan.objects.get(case=case).status == "approved"
    assert case.events.filter(kind="plan_approved", actor=world.heidi).exists()


def test_two_heads_approving_at_once_one_wins_and_the_other_is_told(login, world, client):
    case = factories.case_in(world, "plan_submitted")
    hana = User.objects.create_user(username="hana", password="x", first_name="Hana", last_name="Head")
    Membership.objects.create(user=hana, org_unit=world.home_care, role=Role.HEAD)
    seen_version = case.version  # both heads opened the decision page showing this version
    first = login(world.heidi).post(reverse("cases:plan_decide", args=[case.pk]),
                                    {"version": seen_version, "decision": "approve"})
    assert first.status_code == 302
    second = login(hana).post(reverse("cases:plan_decide", args=[case.pk]),
                              {"version": seen_version, "decision": "return", "comment": "Fewer visits"})
    assert second.status_code == 400
    assert "Someone else changed this case while you were working on it" in second.content.decode()
    case.refresh_from_db()
    assert (case.status, case.version) == ("active", seen_version + 1)
    assert case.events.filter(kind__in=["plan_approved", "plan_returned"]).count() == 1
    assert Plan.objects.get(case=case).decided_by == world.heidi


def test_the_version_guard_holds_even_when_the_page_was_current(world):
    """The UPDATE … WHERE version = n itself refuses, not only the early check."""
    from django.core.exceptions import ValidationError

    from .. import services

    case = factories.case_in(world, "plan_submitted")
    stale = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)  # someone else got in between
    with pytest.raises(ValidationError) as error:
        services._advance(stale, stale.version, status="active")
    assert error.value.code == "stale"


def test_how_many_times_opens_the_number_keypad(login, world):
    """A text input with inputmode numeric (a number input would change its value when the page scrolls);
    letters are refused by the form, as before."""
    case = factories.case_in(world, "planning")
    client = login(world.alice)
    client.post(reverse("cases:plan", args=[case.pk]), plan_post(world))
    html = client.get(reverse("cases:plan_service_add", args=[case.pk])).content.decode()
    field = re.search(r'<input[^>]*name="times"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field
    response = client.post(reverse("cases:plan_service_add", args=[case.pk]),
                           {"service": factories.service().pk, "times": "twice", "period": "week"})
    assert response.status_code == 400 and not PlanService.objects.exists()
