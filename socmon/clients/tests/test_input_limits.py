"""Impossible dates and hostile input on the client pages: a message on the field, nothing stored, never a
500. Run on SQLite and PostgreSQL (DATABASE_URL)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socmon.clients.models import Application, CaseloadAssignment, Client
from socmon.lib import dates

from .test_register import URL, form_data

pytestmark = pytest.mark.django_db
GENERATED = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _refused_on(response, field: str) -> str:
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert not Client.objects.filter(last_name="Tulegenova").exists()
    return html


@given(received=st.dates(max_value=datetime.date(2019, 12, 31)))
@GENERATED
def test_an_application_received_long_ago_or_in_year_one_is_refused(login, world, received):
    today = timezone.localdate()
    response = login(world.alice).post(URL, form_data(received_on=received.isoformat()))
    html = _refused_on(response, "received_on")
    assert "Enter a date from" in html and received < dates.recent(today)


@given(gap=st.integers(min_value=1, max_value=20_000))
@GENERATED
def test_consent_before_birth_is_refused(login, world, gap):
    birth = datetime.date(1960, 6, 1)
    consent = birth - datetime.timedelta(days=gap)
    response = login(world.alice).post(URL, form_data(birth_date=birth.isoformat(),
                                                      consent_given_on=consent.isoformat()))
    html = _refused_on(response, "consent_given_on")
    assert "before the date of birth" in html or "Enter a date from" in html


def test_every_wrong_date_is_shown_at_once_on_its_own_field(login, world):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = login(world.alice).post(URL, form_data(birth_date=tomorrow, consent_given_on=tomorrow,
                                                      received_on="0001-01-01"))
    for field in ("birth_date", "consent_given_on", "received_on"):
        _refused_on(response, field)
    assert not Application.objects.exists()


def test_an_application_before_the_persons_birth_is_refused(login, world):
    today = timezone.localdate()
    born = today - datetime.timedelta(days=30)
    response = login(world.alice).post(URL, form_data(birth_date=born.isoformat(), consent_given_on=born.isoformat(),
                                                      received_on=(born - datetime.timedelta(days=1)).isoformat()))
    assert "before the person was born" in _refused_on(response, "received_on")


@pytest.mark.parametrize("query", ["\x00", "Ai\x00gul", "\x00" * 500])
def test_a_nul_byte_in_the_search_gives_a_page(login, world, clients, query):
    response = login(world.heidi).get(reverse("clients:list"), {"q": query})
    assert response.status_code == 200


def test_a_twenty_digit_client_id_is_an_invalid_choice(login, world, clients):
    response = login(world.heidi).post(reverse("clients:caseload_assign", args=[world.home_care.pk]),
                                       {"clients": ["9" * 20, clients.nobodys.pk], "worker": world.alice.pk})
    assert response.status_code == 400
    assert "Select clients of this department only." in response.content.decode()
    assert not CaseloadAssignment.objects.filter(client=clients.nobodys).exists()


def test_handing_over_to_the_same_worker_is_refused_on_the_receiving_field(login, world, clients):
    response = login(world.heidi).post(reverse("clients:caseload_handover", args=[world.home_care.pk]),
                                       {"from_worker": world.alice.pk, "to_worker": world.alice.pk})
    assert response.status_code == 400
    assert 'id="id_to_worker_error"' in response.content.decode()
    assert CaseloadAssignment.objects.get(client=clients.alices).worker == world.alice


@pytest.mark.parametrize("changes", [
    {"consent_given_on": datetime.date(1950, 5, 16)},   # the day before birth
    {"birth_date": datetime.date(1899, 12, 31), "consent_given_on": datetime.date(1950, 1, 1)},
])
def test_the_database_refuses_a_person_who_cannot_exist_whoever_writes(world, clients, changes):
    from django.db import IntegrityError, transaction

    person = Client.objects.get(pk=clients.nobodys.pk)  # born 1950-05-17
    for field, value in changes.items():
        setattr(person, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()
