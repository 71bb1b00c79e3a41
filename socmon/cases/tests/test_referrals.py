"""Referrals between units and to outside organisations (R-2.4): urgent first, answers, outcome."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.clients.models import ClientAccessLog

from .. import services
from ..models import Referral
from . import factories

pytestmark = pytest.mark.django_db


def referral_post(world, **overrides) -> dict:
    data = {"to_unit": world.family.pk, "to_external": "", "programme_kind": "psychological",
            "programme": "Support group for survivors", "kind": "violence",
            "notes": "Call before visiting; speaks Kazakh"}
    data.update(overrides)
    return data


def send(world, case, kind="violence", to_unit=None, **kwargs) -> Referral:
    return services.send_referral(by=world.alice, case=case, programme="Family mediation", kind=kind,
                                  notes="Needs support", to_unit=to_unit or world.family, **kwargs)


def test_a_worker_sends_an_urgent_referral_with_a_deadline(login, world, settings):
    settings.SOCMON_REFERRAL_URGENT_HOURS = 12
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:referral_new", args=[case.pk]), referral_post(world))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.to_unit, referral.kind, referral.status, referral.client) == (
        world.family, "violence", "sent", case.client)
    hours = (referral.respond_by - referral.sent_at).total_seconds() / 3600
    assert hours == 12
    event = case.events.get(kind="referral_sent")
    assert event.detail["urgent"] is True and event.actor == world.alice


def test_a_standard_referral_has_days_to_be_answered(world, settings):
    settings.SOCMON_REFERRAL_STANDARD_DAYS = 10
    referral = send(world, factories.case_in(world, "active"), kind="standard")
    assert (referral.respond_by - referral.sent_at) == datetime.timedelta(days=10)


@pytest.mark.parametrize("unit", ["home_care", "centre"])
def test_a_referral_to_oneself_is_refused(login, world, unit):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:referral_new", args=[case.pk]),
                                       referral_post(world, to_unit=getattr(world, unit).pk))
    assert response.status_code == 400
    assert "referral to oneself" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize("overrides", [
    {"to_unit": "", "to_external": ""}, {"to_external": "Red Crescent"}, {"programme": ""}, {"notes": ""},
    {"kind": "very-urgent"}, {"programme_kind": ""}, {"programme_kind": "luxury"},
])
def test_bad_referral_input_is_refused(login, world, overrides):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:referral_new", args=[case.pk]),
                                       referral_post(world, **overrides))
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_the_kind_of_programme_is_stored_and_shown(login, world):
    case = factories.case_in(world, "active")
    sender = login(world.alice)
    response = sender.post(reverse("cases:referral_new", args=[case.pk]),
                           referral_post(world, programme_kind="housing", programme="Social housing waiting list"))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.programme_kind == Referral.ProgrammeKind.HOUSING == "housing"
    for url in (reverse("cases:referral", args=[referral.pk]), reverse("cases:detail", args=[case.pk]),
                reverse("cases:referrals_outbox")):
        html = sender.get(url).content.decode()
        assert "Social housing waiting list" in html and ">Housing<" in html, url
    assert ">Housing<" in login(world.fiona).get(reverse("cases:referrals_inbox")).content.decode()


@pytest.mark.parametrize("kind", ["", "luxury"])
def test_a_missing_or_unknown_kind_of_programme_is_refused_on_the_field(login, world, kind):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:referral_new", args=[case.pk]),
                                       referral_post(world, programme_kind=kind))
    assert response.status_code == 400
    assert "Choose the kind of programme the person is referred to." in response.context["form"].errors[
        "programme_kind"]
    assert "Choose the kind of programme the person is referred to." in response.content.decode()
    assert not Referral.objects.exists()


def test_the_service_refuses_an_unknown_kind_of_programme_and_defaults_to_other(world):
    from django.core.exceptions import ValidationError

    case = factories.case_in(world, "active")
    with pytest.raises(ValidationError) as refused:
        send(world, case, programme_kind="luxury")
    assert refused.value.message_dict == {"programme_kind": ["Choose the kind of programme the person is referred to."]}
    assert not Referral.objects.exists()
    assert send(world, case).programme_kind == "other"


def test_basic_needs_are_the_housing_clothing_and_medical_kinds():
    from ..models import BASIC_NEEDS_PROGRAMMES

    assert set(BASIC_NEEDS_PROGRAMMES) == {"housing", "clothing_footwear", "medical"}
    assert set(BASIC_NEEDS_PROGRAMMES) <= set(Referral.ProgrammeKind.values)


def test_the_receiving_unit_sees_urgent_and_overdue_referrals_first(login, world):
    standard = send(world, factories.case_in(world, "active"), kind="standard")
    urgent = send(world, factories.case_in(world, "active"), kind="neglect")
    overdue = send(world, factories.case_in(world, "active"), kind="violence")
    Referral.objects.filter(pk=overdue.pk).update(respond_by=timezone.now() - datetime.timedelta(hours=1))
    html = login(world.fiona).get(reverse("cases:referrals_inbox")).content.decode()
    positions = [html.index(r.client.code) for r in (overdue, urgent, standard)]
    assert positions == sorted(positions)
    assert "Overdue" in html and "Urgent: child neglect" in html


@pytest.mark.parametrize("persona, sees", [("fiona", True), ("alice", False), ("heidi", False), ("walt", False)])
def test_only_the_receiving_side_has_it_in_the_inbox(login, world, persona, sees):
    referral = send(world, factories.case_in(world, "active"))
    html = login(getattr(world, persona)).get(reverse("cases:referrals_inbox")).content.decode()
    assert (referral.client.code in html) is sees


def test_a_referral_to_the_institution_reaches_its_departments(login, world):
    from socmon.orgs.models import OrgUnit

    case = factories.case_in(world, "active")
    # Refer from Hilltown's department to Riverside Centre as a whole.
    hill_client = factories.client(world, unit=OrgUnit.objects.get(pk=world.hill_care.pk), worker=world.walt)
    hill = services.open_case(by=world.walt, client=hill_client)
    referral = services.send_referral(by=world.walt, case=hill, programme="Day care", kind="standard",
                                      notes="Moving to Riverside", to_unit=OrgUnit.objects.get(pk=world.centre.pk))
    assert referral.client.code in login(world.fiona).get(reverse("cases:referrals_inbox")).content.decode()
    assert referral.client.code in login(world.alice).get(reverse("cases:referrals_inbox")).content.decode()
    assert case.client.code not in login(world.walt).get(reverse("cases:referrals_inbox")).content.decode()


def test_the_sender_sees_it_in_the_outbox(login, world):
    referral = send(world, factories.case_in(world, "active"))
    assert referral.client.code in login(world.alice).get(reverse("cases:referrals_outbox")).content.decode()
    assert referral.client.code not in login(world.fiona).get(reverse("cases:referrals_outbox")).content.decode()


def test_the_receiver_sees_the_referral_but_not_the_case(login, world):
    referral = send(world, factories.case_in(world, "active"))
    client = login(world.fiona)
    html = client.get(reverse("cases:referral", args=[referral.pk])).content.decode()
    assert referral.client.code in html and "Needs support" in html
    assert "Galina" not in html and "Petrova" not in html  # the name stays with the sending side
    assert reverse("cases:detail", args=[referral.case_id]) not in html
    assert client.get(reverse("cases:detail", args=[referral.case_id])).status_code == 404
    assert ClientAccessLog.objects.filter(user=world.fiona, what="referral").exists()


@pytest.mark.parametrize("persona, status", [("fiona", 200), ("alice", 200), ("heidi", 200), ("walt", 404),
                                             ("eve", 404), ("bob", 404)])
def test_referral_page_per_person(login, world, persona, status):
    referral = send(world, factories.case_in(world, "active"))
    assert login(getattr(world, persona)).get(reverse("cases:referral", args=[referral.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [("fiona", 200), ("alice", 403), ("dora", 403), ("walt", 404)])
def test_only_the_receiver_answers(login, world, persona, status):
    referral = send(world, factories.case_in(world, "active"))
    assert login(getattr(world, persona)).get(
        reverse("cases:referral_answer", args=[referral.pk])).status_code == status


def test_the_receiver_accepts_and_records_that_the_person_joined(login, world):
    referral = send(world, factories.case_in(world, "active"))
    client = login(world.fiona)
    assert client.post(reverse("cases:referral_answer", args=[referral.pk]),
                       {"answer": "accept", "reason": ""}).status_code == 302
    today = timezone.localdate()
    response = client.post(reverse("cases:referral_outcome", args=[referral.pk]),
                           {"joined": "yes", "joined_on": today.isoformat(), "notes": "Attends on Tuesdays"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.joined, referral.joined_on, referral.answered_by) == (
        "completed", True, today, world.fiona)
    kinds = list(referral.case.events.order_by("pk").values_list("kind", "actor__username"))[-2:]
    assert kinds == [("referral_accepted", "fiona"), ("referral_outcome", "fiona")]
    html = login(world.alice).get(reverse("cases:detail", args=[referral.case_id])).content.decode()
    assert "The person joined the programme" in html


def test_joined_needs_a_date_and_not_joined_is_stored_as_no(login, world):
    referral = send(world, factories.case_in(world, "active"))
    client = login(world.fiona)
    client.post(reverse("cases:referral_answer", args=[referral.pk]), {"answer": "accept"})
    assert client.post(reverse("cases:referral_outcome", args=[referral.pk]),
                       {"joined": "yes", "joined_on": ""}).status_code == 400
    referral.refresh_from_db()
    assert referral.joined is None
    client.post(reverse("cases:referral_outcome", args=[referral.pk]), {"joined": "no", "joined_on": ""})
    referral.refresh_from_db()
    assert referral.joined is False and referral.status == "completed"


def test_declining_needs_a_reason(login, world):
    referral = send(world, factories.case_in(world, "active"))
    client = login(world.fiona)
    assert client.post(reverse("cases:referral_answer", args=[referral.pk]),
                       {"answer": "decline", "reason": ""}).status_code == 400
    referral.refresh_from_db()
    assert referral.status == "sent"
    client.post(reverse("cases:referral_answer", args=[referral.pk]),
                {"answer": "decline", "reason": "No places until March"})
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "No places until March")
    assert referral.case.events.filter(kind="referral_declined", actor=world.fiona).exists()


def test_an_outcome_before_acceptance_is_refused(login, world):
    referral = send(world, factories.case_in(world, "active"))
    response = login(world.fiona).post(reverse("cases:referral_outcome", args=[referral.pk]),
                                       {"joined": "no", "joined_on": ""})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.joined is None


def test_the_sender_answers_for_an_outside_organisation(login, world):
    case = factories.case_in(world, "active")
    client = login(world.alice)
    client.post(reverse("cases:referral_new", args=[case.pk]),
                referral_post(world, to_unit="", to_external="Talgar Crisis Centre (NGO)", kind="standard"))
    referral = Referral.objects.get()
    assert referral.destination == "Talgar Crisis Centre (NGO)"
    assert client.post(reverse("cases:referral_answer", args=[referral.pk]), {"answer": "accept"}).status_code == 302
    assert login(world.fiona).get(reverse("cases:referral_answer", args=[referral.pk])).status_code == 404


def test_a_closed_case_cannot_refer(login, world):
    case = factories.case_in(world, "closed")
    response = login(world.alice).post(reverse("cases:referral_new", args=[case.pk]), referral_post(world))
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_urgent_referrals_are_counted_on_the_receivers_home_page(login, world):
    send(world, factories.case_in(world, "active"))
    send(world, factories.case_in(world, "active"), kind="standard")
    assert "1 urgent referral to your unit is waiting" in login(world.fiona).get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona, inbox, outbox", [("alice", 200, 200), ("dora", 403, 200), ("eve", 403, 403),
                                                    ("adam", 403, 403)])
def test_referral_lists_per_person(login, world, persona, inbox, outbox):
    client = login(getattr(world, persona))
    assert client.get(reverse("cases:referrals_inbox")).status_code == inbox
    assert client.get(reverse("cases:referrals_outbox")).status_code == outbox
