"""How to get in (issue 8): entered at registration or on the record's edit page, shown on the record and, for
the worker's own visits, on My day."""

import pytest
from django.urls import reverse

from socmon.clients.forms import ClientForm
from socmon.clients.models import Client

from .test_register import URL, form_data

pytestmark = pytest.mark.django_db
NOTES = "Entrance 2, 4th floor, intercom 45. The key is with the neighbour in flat 12."


def test_registration_takes_how_to_get_in_and_the_record_shows_it(login, world):
    browser = login(world.alice)
    assert 'name="access_notes"' in browser.get(URL).content.decode()
    response = browser.post(URL, form_data(access_notes=NOTES))
    person = Client.objects.get(last_name="Tulegenova")
    assert response.status_code == 302 and person.access_notes == NOTES
    assert NOTES in browser.get(response["Location"]).content.decode()


def test_how_to_get_in_is_corrected_on_the_edit_page(login, world):
    browser = login(world.alice)
    browser.post(URL, form_data())
    person = Client.objects.get(last_name="Tulegenova")
    edit = reverse("clients:edit", args=[person.pk])
    assert 'name="access_notes"' in browser.get(edit).content.decode()
    data = {**form_data(), **ClientForm.initial_from(person), "access_notes": "Ring twice; a dog in the yard."}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v is not None}
    response = browser.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.access_notes == "Ring twice; a dog in the yard."


def test_how_to_get_in_is_kept_short(login, world):
    response = login(world.alice).post(URL, form_data(access_notes="x" * 501))
    assert response.status_code == 400 and 'id="id_access_notes_error"' in response.content.decode()
