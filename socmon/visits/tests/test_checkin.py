"""The worker's check-in, services and check-out, through the front door with the personas."""

import datetime
import re
from decimal import Decimal
from html import unescape as html_unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.clients.models import CODE_ALPHABET, ClientAccessLog
from socmon.visits import forms, services, tokens
from socmon.visits.models import ServiceDelivery, Visit

from .fieldkit import client_with_card, service_kind

pytestmark = pytest.mark.django_db
CHECK_IN = reverse("visits:check_in")
NOT_HOME = "The person was not at home."


@pytest.fixture
def card(world):
    return client_with_card(world, worker=world.alice)[1]


def scan(client, code, **position):
    return client.post(CHECK_IN, {"code": code, **position})


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(CHECK_IN)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_check_in_page_offers_the_camera_and_the_typed_code(login, world):
    html = login(world.alice).get(CHECK_IN).content.decode()
    assert "data-scanner" in html and "scan.mjs" in html
    assert 'name="code"' in html and "Or type the code" in html


def test_scanning_the_card_opens_the_visit_with_time_and_distance(login, world, card):
    url = f"http://testserver{CHECK_IN}?code={tokens.check_in_token(card)}"
    response = scan(login(world.alice), url, latitude="43.239849", longitude="76.889709")
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("visits:visit", args=[visit.pk])
    assert visit.worker == world.alice and visit.client == card.client and visit.status == Visit.Status.IN_PROGRESS
    assert visit.checked_in_at is not None
    assert visit.check_in_latitude == Decimal("43.239849")
    assert 95 <= visit.check_in_distance_m <= 105  # 0.0009° of latitude ≈ 100 m
    assert AuditEvent.objects.filter(action=AuditAction.VISIT_CHECKED_IN, actor=world.alice).exists()


def test_typed_code_works_without_position(login, world, card):
    response = scan(login(world.alice), tokens.check_in_short(card).lower())
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert visit.check_in_latitude is None and visit.check_in_distance_m is None


def test_a_broken_position_does_not_block_the_check_in(login, world, card):
    assert scan(login(world.alice), tokens.check_in_short(card), latitude="north", longitude="999").status_code == 302
    assert Visit.objects.get().check_in_latitude is None


def test_todays_planned_visit_is_reused(login, world, card):
    planned = Visit.objects.create(client=card.client, worker=world.alice, org_unit=world.home_care,
                                   planned_for=timezone.localdate(), route_order=2, created_by=world.heidi)
    scan(login(world.alice), tokens.check_in_token(card))
    planned.refresh_from_db()
    assert Visit.objects.count() == 1 and planned.status == Visit.Status.IN_PROGRESS
    assert planned.checked_in_at is not None


def test_scanning_again_during_the_visit_returns_to_it(login, world, card):
    client = login(world.alice)
    first = scan(client, tokens.check_in_token(card))
    second = scan(client, tokens.check_in_token(card))
    assert first["Location"] == second["Location"] and Visit.objects.count() == 1


NOT_OPENED = "This code does not open a visit."


@pytest.mark.parametrize("persona", ["bob", "walt", "fiona"])
def test_only_the_clients_own_worker_can_check_in(login, world, card, persona):
    response = scan(login(getattr(world, persona)), tokens.check_in_token(card))
    assert response.status_code == 400
    assert NOT_OPENED in response.content.decode()
    assert card.client.full_name not in response.content.decode()
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.VISIT_CHECKED_IN).exists()


def test_a_client_who_moved_to_another_worker_is_refused_to_the_old_worker(login, world, card):
    assignment = card.client.assignments.get()
    assignment.ends_on = timezone.localdate()
    assignment.save()
    assert scan(login(world.alice), tokens.check_in_token(card)).status_code == 400
    assert not Visit.objects.exists()


@pytest.mark.parametrize("make_code, message", [
    (lambda card: tokens.check_in_token(card)[:-4], "incomplete"),
    (lambda card: tokens.check_in_token(card)[:-2] + "zz", NOT_OPENED),
    (lambda card: tokens.rating_token(card), NOT_OPENED),
    (lambda card: "K7PQ-4MZX-9A", NOT_OPENED),
])
def test_bad_codes_get_a_clear_reason_and_store_nothing(login, world, card, make_code, message):
    response = scan(login(world.alice), make_code(card))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Visit.objects.exists()


def test_the_old_card_is_refused_after_reissue(login, world, card):
    services.issue_card(by=world.heidi, client=card.client)
    response = scan(login(world.alice), tokens.check_in_token(card))
    assert response.status_code == 400 and "a card that was replaced no longer works" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_real_card_not_on_ones_caseload_gets_the_same_answer_as_a_made_up_code(login, world, card):
    """Otherwise the answer would tell a worker which codes belong to real cards."""
    _other_client, others_card = client_with_card(world, worker=world.bob)
    alice = login(world.alice)
    answers = [scan(alice, code) for code in (
        tokens.check_in_short(others_card), "K7PQ-4MZX-9A", tokens.check_in_token(others_card),
        tokens.check_in_token(card)[:-2] + "zz")]
    assert {a.status_code for a in answers} == {400}
    error = re.compile(r'<p class="govuk-error-message" id="id_code_error">.*?</p>', re.S)
    errors = {error.search(a.content.decode()).group() for a in answers}
    assert len(errors) == 1 and NOT_OPENED in errors.pop()


def test_wrong_codes_are_throttled_per_account_and_scanning_still_works(login, world, card):
    from socmon.visits.views_field import WRONG_CODES

    alice = login(world.alice)
    for attempt in range(WRONG_CODES.limit):
        assert scan(alice, "K7PQ-4MZX-" + CODE_ALPHABET[attempt % 31] + CODE_ALPHABET[attempt // 31]).status_code == 400
    waiting = scan(alice, tokens.check_in_short(card))
    assert waiting.status_code == 429 and "wait 15 minutes" in waiting.content.decode()
    assert not Visit.objects.exists()
    # The scanned card (a signed code nobody can guess) still opens the visit.
    assert scan(alice, tokens.check_in_token(card)).status_code == 302
    # Another account is not affected.
    _other_client, bobs_card = client_with_card(world, worker=world.bob)
    assert scan(login(world.bob), tokens.check_in_short(bobs_card)).status_code == 302


@pytest.mark.parametrize("persona", ["heidi", "dora", "sam", "ann", "eve", "adam"])
def test_only_roles_that_do_visits_get_the_check_in_page(login, world, card, persona):
    browser = login(getattr(world, persona))
    assert browser.get(CHECK_IN).status_code == 403
    assert scan(browser, tokens.check_in_token(card)).status_code == 403
    assert not Visit.objects.exists()
    for page in (reverse("home"), reverse("visits:visit", args=[services.check_in(
            by=world.alice, client=card.client).pk])):
        html = browser.get(page).content.decode()
        assert f'href="{CHECK_IN}"' not in html, page
    Visit.objects.all().delete()


def test_workers_are_offered_the_check_in_page(login, world):
    browser = login(world.alice)
    assert browser.get(CHECK_IN).status_code == 200
    assert f'href="{CHECK_IN}"' in browser.get(reverse("home")).content.decode()


@pytest.fixture
def open_visit(world, card):
    return services.check_in(by=world.alice, client=card.client,
                             now=timezone.now() - datetime.timedelta(minutes=30))


def record(client, visit, **data):
    return client.post(reverse("visits:record_service", args=[visit.pk]), data)


def test_worker_records_a_service_with_minutes(login, world, open_visit):
    shopping = service_kind()
    response = record(login(world.alice), open_visit, service=shopping.pk, minutes="35")
    assert response.status_code == 302
    delivery = ServiceDelivery.objects.get()
    assert (delivery.service, delivery.minutes, delivery.unplanned_reason) == (shopping, 35, "")


@pytest.mark.parametrize("minutes, message", [
    ("-5", "between 1 and 480"), ("0", "between 1 and 480"), ("481", "between 1 and 480"),
    ("100000", "between 1 and 480"), ("ten", "whole number"), ("12.5", "whole number"), ("", "how many minutes"),
])
def test_impossible_minutes_are_refused_with_a_clear_error(login, world, open_visit, minutes, message):
    response = record(login(world.alice), open_visit, service=service_kind().pk, minutes=minutes)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ServiceDelivery.objects.exists()


def test_service_outside_the_plan_needs_a_reason(login, world, open_visit, monkeypatch):
    planned, other = service_kind("shopping"), service_kind("cleaning")
    monkeypatch.setattr(services, "planned_service_ids", lambda client: {planned.pk})
    client = login(world.alice)
    response = record(client, open_visit, service=other.pk, minutes="20")
    assert response.status_code == 400 and "not in the person" in response.content.decode()
    assert not ServiceDelivery.objects.exists()
    assert record(client, open_visit, service=other.pk, minutes="20",
                  unplanned_reason="The kitchen was flooded").status_code == 302
    assert record(client, open_visit, service=planned.pk, minutes="25").status_code == 302
    reasons = dict(ServiceDelivery.objects.values_list("service__code", "unplanned_reason"))
    assert reasons == {"cleaning": "The kitchen was flooded", "shopping": ""}


@pytest.mark.parametrize("persona, status", [("bob", 404), ("walt", 404), ("heidi", 403)])
def test_only_the_visits_worker_records_services(login, world, open_visit, persona, status):
    response = record(login(getattr(world, persona)), open_visit, service=service_kind().pk, minutes="10")
    assert response.status_code == status
    assert not ServiceDelivery.objects.exists()


@pytest.mark.parametrize("persona, status", [("alice", 200), ("heidi", 200), ("dora", 200), ("sam", 200),
                                             ("bob", 404), ("fiona", 404), ("walt", 404), ("eve", 404)])
def test_visit_page_access_per_persona(login, world, open_visit, persona, status):
    assert login(getattr(world, persona)).get(reverse("visits:visit", args=[open_visit.pk])).status_code == status


def test_opening_a_visit_is_logged(login, world, open_visit):
    login(world.heidi).get(reverse("visits:visit", args=[open_visit.pk]))
    assert ClientAccessLog.objects.filter(user=world.heidi, client=open_visit.client, what="visit").exists()


def test_check_out_shows_a_one_time_rating_code(login, world, open_visit):
    client = login(world.alice)
    response = client.post(reverse("visits:check_out", args=[open_visit.pk]),
                           {"notes": "Brought groceries.", "no_service_reason": NOT_HOME})
    open_visit.refresh_from_db()
    assert response.status_code == 302
    assert open_visit.status == Visit.Status.DONE and open_visit.checked_out_at > open_visit.checked_in_at
    assert open_visit.notes == "Brought groceries."
    html = client.get(reverse("visits:visit", args=[open_visit.pk])).content.decode()
    assert tokens.one_time_short(open_visit) in html
    assert reverse("rating:rate", args=[tokens.one_time_token(open_visit)]) in html
    assert "<svg" in html and "Let the person rate this visit" in html
    # The head sees the visit, not the client's code for rating it.
    assert tokens.one_time_short(open_visit) not in login(world.heidi).get(
        reverse("visits:visit", args=[open_visit.pk])).content.decode()


def test_no_more_services_or_check_out_after_check_out(login, world, open_visit):
    services.check_out(by=world.alice, visit=open_visit, no_service_reason=NOT_HOME)
    client = login(world.alice)
    assert record(client, open_visit, service=service_kind().pk, minutes="10").status_code == 400
    assert client.post(reverse("visits:check_out", args=[open_visit.pk])).status_code == 400
    assert not ServiceDelivery.objects.exists()


def test_check_out_before_check_in_is_impossible(world, open_visit):
    with pytest.raises(services.ValidationError):
        services.check_out(by=world.alice, visit=open_visit, now=open_visit.checked_in_at - datetime.timedelta(1))
    open_visit.refresh_from_db()
    assert open_visit.checked_out_at is None


def test_there_is_no_staff_side_rating_form(login, world, open_visit):
    services.check_out(by=world.alice, visit=open_visit, no_service_reason=NOT_HOME)
    html = login(world.alice).get(reverse("visits:visit", args=[open_visit.pk])).content.decode()
    assert 'name="score"' not in html


def test_a_planned_visit_page_leads_its_worker_to_check_in(login, world, card):
    planned = Visit.objects.create(client=card.client, worker=world.alice, org_unit=world.home_care,
                                   planned_for=timezone.localdate(), created_by=world.heidi)
    html = login(world.alice).get(reverse("visits:visit", args=[planned.pk])).content.decode()
    assert CHECK_IN in html and "Record a service" not in html
    assert CHECK_IN not in login(world.heidi).get(reverse("visits:visit", args=[planned.pk])).content.decode()


def test_a_code_opened_by_the_phones_camera_app_is_confirmed_not_stored(login, world, card):
    client = login(world.alice)
    html = client.get(f"{CHECK_IN}?code={tokens.check_in_token(card)}").content.decode()
    assert "The check-in code was read" in html and 'type="hidden" name="code"' in html
    assert not Visit.objects.exists()
    assert scan(client, tokens.check_in_token(card)).status_code == 302


def test_check_out_warns_when_the_services_took_longer_than_the_visit(login, world, card):
    visit = services.check_in(by=world.alice, client=card.client, now=timezone.now() - datetime.timedelta(minutes=3))
    client = login(world.alice)
    assert record(client, visit, service=service_kind("cleaning").pk, minutes="60").status_code == 302
    assert record(client, visit, service=service_kind("shopping").pk, minutes="40").status_code == 302
    response = client.post(reverse("visits:check_out", args=[visit.pk]), follow=True)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE  # warned, not blocked
    html = response.content.decode()
    assert "The services recorded add up to 100 min, but the visit lasted 3 min" in html
    assert "flagged for the head of your department" in html
    assert tokens.one_time_short(visit) in html  # the person still rates the visit
    head = login(world.heidi).get(reverse("visits:visit", args=[visit.pk])).content.decode()
    assert "The services recorded add up to 100 min, but the visit lasted 3 min" in head


def test_check_out_after_a_normal_visit_warns_of_nothing(login, world, open_visit):
    client = login(world.alice)
    record(client, open_visit, service=service_kind().pk, minutes="25")
    html = client.post(reverse("visits:check_out", args=[open_visit.pk]), follow=True).content.decode()
    assert "Visit ended" in html and "The services recorded add up to" not in html


def test_the_one_time_code_never_breaks_at_its_hyphens(login, world, open_visit):
    services.check_out(by=world.alice, visit=open_visit, no_service_reason=NOT_HOME)
    html = login(world.alice).get(reverse("visits:visit", args=[open_visit.pk])).content.decode()
    assert f'<strong class="socmon-code socmon-nowrap">{tokens.one_time_short(open_visit)}</strong>' in html


def _service_select(html: str) -> list[tuple[str, str, bool]]:
    """(group, label, selected) of each service offered, in order: without a plan the one list of the catalogue
    (group ""); with a plan its radios (group "plan") and then the catalogue behind "Another service" ("other")."""
    found = []
    radios = re.findall(r'<input class="govuk-radios__input" id="(id_service_\d+)" name="service" type="radio" '
                        r'value="(\d+)"( checked)?[^>]*>\s*<label[^>]*>([^<]*)</label>', html)
    for _id, _value, checked, label in radios:
        found.append(("plan", html_unescape(label).rsplit(" (", 1)[0], bool(checked)))
    for name, group in (("service", ""), ("other_service", "other")):
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
        for match in re.finditer(r'<option value="(\d+)"([^>]*)>([^<]*)</option>', select.group(0) if select else ""):
            found.append((group, html_unescape(match.group(3)).rsplit(" (", 1)[0], "selected" in match.group(2)))
    return found


def _kind(code, name, ru):
    kind = service_kind(code)
    kind.name, kind.name_i18n = name, {"ru": ru}
    kind.save()
    return kind


def test_services_are_listed_by_name_with_the_plan_first_and_the_next_planned_one_chosen(
        login, world, open_visit, monkeypatch):
    bathing, cleaning = _kind("zz-bathing", "Bathing", "Купание"), _kind("zz-cleaning", "Cleaning", "Уборка")
    shopping = _kind("zz-shopping", "Shopping", "Покупки")
    _kind("zz-aaa-other", "Accompanying", "Сопровождение")
    monkeypatch.setattr(services, "planned_service_ids", lambda client: {shopping.pk, cleaning.pk, bathing.pk})
    client = login(world.alice)
    url = reverse("visits:visit", args=[open_visit.pk])
    options = _service_select(client.get(url).content.decode())
    plan = [(label, chosen) for group, label, chosen in options if group == "plan"]
    assert plan == [("Bathing", True), ("Cleaning", False), ("Shopping", False)]
    assert options[: len(plan)] == [("plan", label, chosen) for label, chosen in plan]
    others = [label for group, label, _chosen in options if group != "plan"]
    assert "Accompanying" in others and others == sorted(others, key=forms.label_sort_key)
    assert not {"Bathing", "Cleaning", "Shopping"} & set(others)  # the plan's services are not offered twice

    record(client, open_visit, service=bathing.pk, minutes="20")
    assert [label for _g, label, chosen in _service_select(client.get(url).content.decode()) if chosen] == ["Cleaning"]
    client.cookies["django_language"] = "ru"
    russian = _service_select(client.get(url).content.decode())
    assert [(label, chosen) for _g, label, chosen in russian[:3]] == [
        ("Купание", False), ("Покупки", True), ("Уборка", False)]


def test_without_a_plan_every_service_is_listed_by_name(login, world, open_visit):
    _kind("zz-bathing", "Bathing", "Купание")
    client = login(world.alice)
    client.cookies["django_language"] = "ru"
    options = _service_select(client.get(reverse("visits:visit", args=[open_visit.pk])).content.decode())
    labels = [label for _g, label, _c in options]
    assert "Купание" in labels and labels == sorted(labels, key=forms.label_sort_key)
    assert not any(chosen for _g, _l, chosen in options)


@pytest.mark.parametrize("names", [
    ["Arc", "Ăla", "Bun", "Zar"],  # Romanian: ă is a letter of its own after a, not after z
    ["Elma", "Əl", "Fal"],  # Azerbaijani: ə right after e
    ["Ел", "Ёлка", "Жук"],  # Russian: ё right after е
    ["Ала", "Әке", "Бала"],  # Kazakh: ә right after а
    ["apple", "Banana"],  # case does not matter
])
def test_names_sort_alphabetically_in_our_languages(names):
    assert sorted(reversed(names), key=forms.label_sort_key) == names
