"""A form sent twice (its answer lost on a dropped connection, a double click, a reload) stores once."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.clients.models import Client
from socmon.clients.tests.test_register import form_data as registration
from socmon.lib.models import UsedFormKey
from socmon.test import race, web_session
from socmon.visits import services as visit_services
from socmon.visits import tokens
from socmon.visits.models import ServiceDelivery, Visit
from socmon.visits.tests.fieldkit import client_with_card, make_client, service_kind

ALREADY_SENT = "This form had already been sent, so nothing was saved a second time."


def form_key(html: str) -> str:
    return re.search(r'name="form_key" value="([^"]+)"', html).group(1)


def sent_twice(client, url: str, data: dict, *, form_page: str | None = None):
    key = form_key(client.get(form_page or url).content.decode())
    first = client.post(url, {**data, "form_key": key})
    second = client.post(url, {**data, "form_key": key}, follow=True)
    return first, second


@pytest.mark.django_db
def test_a_registration_sent_twice_registers_one_client_and_says_so(login, world):
    first, second = sent_twice(login(world.alice), reverse("clients:register"), registration())
    person = Client.objects.get(last_name="Tulegenova")
    assert first.status_code == 302
    assert second.redirect_chain == [(reverse("clients:detail", args=[person.pk]), 302)]
    html = second.content.decode()
    assert ALREADY_SENT in html and person.code in html


@pytest.mark.django_db
def test_a_service_sent_twice_is_recorded_once(login, world):
    client, card = client_with_card(world, worker=world.alice)
    visit = visit_services.check_in(by=world.alice, client=client, now=timezone.now() - datetime.timedelta(minutes=30))
    data = {"service": service_kind().pk, "minutes": "35"}
    first, second = sent_twice(login(world.alice), reverse("visits:record_service", args=[visit.pk]), data,
                               form_page=reverse("visits:visit", args=[visit.pk]))
    assert first.status_code == 302 and ServiceDelivery.objects.count() == 1
    assert second.redirect_chain == [(reverse("visits:visit", args=[visit.pk]), 302)]
    assert ALREADY_SENT in second.content.decode()


@pytest.mark.django_db
def test_a_check_in_sent_again_after_the_visit_ended_opens_no_second_visit(login, world):
    client, card = client_with_card(world, worker=world.alice)
    session = login(world.alice)
    url = reverse("visits:check_in")
    key = form_key(session.get(url).content.decode())
    assert session.post(url, {"code": tokens.check_in_short(card), "form_key": key}).status_code == 302
    visit = Visit.objects.get(client=client)
    visit_services.check_out(by=world.alice, visit=visit, no_service_reason="Not at home.")
    again = session.post(url, {"code": tokens.check_in_short(card), "form_key": key}, follow=True)
    assert again.redirect_chain == [(reverse("visits:visit", args=[visit.pk]), 302)]
    assert ALREADY_SENT in again.content.decode()
    assert Visit.objects.filter(client=client).count() == 1


@pytest.mark.django_db
def test_a_planned_visit_sent_twice_is_added_once(login, world):
    client = make_client(world, worker=world.bob)
    day = timezone.localdate() + datetime.timedelta(days=1)
    data = {"client": client.pk, "planned_for": day.isoformat(), "worker": world.bob.pk}
    first, second = sent_twice(login(world.heidi), reverse("visits:add_visit", args=[world.bob.pk]), data)
    assert first.status_code == 302 and Visit.objects.filter(client=client).count() == 1
    assert ALREADY_SENT in second.content.decode()


@pytest.mark.django_db
def test_a_new_form_gets_a_new_key_and_writes_again(login, world):
    session = login(world.alice)
    url = reverse("clients:register")
    for last_name in ("Tulegenova", "Omarova"):
        key = form_key(session.get(url).content.decode())
        assert session.post(url, {**registration(last_name=last_name), "form_key": key}).status_code == 302
    assert Client.objects.filter(last_name__in=["Tulegenova", "Omarova"]).count() == 2
    assert UsedFormKey.objects.filter(user=world.alice).count() == 2


@pytest.mark.django_db
def test_a_form_that_was_refused_can_be_corrected_and_sent_with_the_same_key(login, world):
    session = login(world.alice)
    url = reverse("clients:register")
    key = form_key(session.get(url).content.decode())
    refused = session.post(url, {**registration(first_name=""), "form_key": key})
    assert refused.status_code == 400 and form_key(refused.content.decode()) == key
    assert session.post(url, {**registration(), "form_key": key}).status_code == 302
    assert Client.objects.filter(last_name="Tulegenova").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 1000, "not a key!"])
def test_a_missing_or_malformed_key_is_ignored_not_a_500(login, world, key):
    response = login(world.alice).post(reverse("clients:register"), {**registration(), "form_key": key})
    assert response.status_code == 302 and Client.objects.filter(last_name="Tulegenova").count() == 1
    assert not UsedFormKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_registration_sent_twice_at_once_registers_one_client(world, live_server):
    sessions = [web_session(live_server.url, world.alice) for _ in range(2)]
    url = reverse("clients:register")
    for attempt in range(20):
        key = form_key(sessions[0].get(sessions[0].url(url)).text)
        data = {**registration(last_name=f"Tulegenova{attempt}", different_person="1"), "form_key": key}
        pages = race(2, lambda i, data=data: sessions[i].post(sessions[i].url(url), data=data))
        assert [p.status_code for p in pages] == [200, 200], pages
        person = Client.objects.get(last_name=f"Tulegenova{attempt}")
        assert all(p.url.endswith(reverse("clients:detail", args=[person.pk])) for p in pages)
        assert sorted(ALREADY_SENT in p.text for p in pages) == [False, True]
