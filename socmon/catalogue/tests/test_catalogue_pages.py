"""The service catalogue: seeded from the sources, seen by all staff, changed by administrators (R-2.3)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.catalogue.models import ClientCategory, ServiceKind

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:services")
ADD = reverse("catalogue:service_add")


def form_data(**changes) -> dict:
    data = {"domain": "household", "name": "Washing clothes", "name_ru": "Стирка белья", "name_az": "Paltar yuyulması",
            "name_kk": "Кір жуу", "name_ro": "Spălarea hainelor", "code": "washing", "norm_minutes": "40",
            "is_active": "on"}
    data.update(changes)
    return data


def test_the_seeded_catalogue_has_the_sources_categories_and_services():
    assert ClientCategory.objects.count() == 11
    assert ServiceKind.objects.get(code="cleaning").norm_minutes == 45
    assert ServiceKind.objects.get(code="accompanying-to-medical").norm_minutes == 90
    assert set(ServiceKind.objects.values_list("domain", flat=True)) >= {
        "household", "psychological", "pedagogical", "labour", "cultural", "legal", "medical_social"}
    for row in [*ClientCategory.objects.all(), *ServiceKind.objects.all()]:
        assert set(row.name_i18n) == {"ru", "az", "kk", "ro"}, row.code


def test_category_names_are_person_first():
    words = " ".join(n for c in ClientCategory.objects.all() for n in [c.name, *c.name_i18n.values()]).lower()
    for word in ("invalid", "инвалид ", "инвалиды", "invalizi", "əlil "):
        assert word not in words


def test_names_follow_the_interface_language():
    cleaning = ServiceKind.objects.get(code="cleaning")
    with translation.override("kk"):
        assert cleaning.label == "Тұрғын үй-жайды жинау"
    with translation.override("az"):
        assert cleaning.label == "Yaşayış sahəsinin təmizlənməsi"


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora", "sam", "ann", "eve", "walt", "adam"])
def test_all_staff_see_the_catalogue_with_norms(login, world, persona):
    html = login(getattr(world, persona)).get(LIST).content.decode()
    assert "Cleaning of living quarters" in html and "45 minutes" in html
    assert "Person who is homeless" in html


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora", "ann"])
def test_only_administrators_change_the_catalogue(login, world, persona):
    client = login(getattr(world, persona))
    cleaning = ServiceKind.objects.get(code="cleaning")
    assert client.get(ADD).status_code == 403
    assert client.post(reverse("catalogue:service_edit", args=[cleaning.pk]), form_data()).status_code == 403
    assert "Edit" not in client.get(LIST).content.decode().split("<main")[1].split("Client categories")[0]
    assert not ServiceKind.objects.filter(code="washing").exists()


def test_an_administrator_adds_a_service_in_five_languages(login, world):
    response = login(world.adam).post(ADD, form_data())
    assert response.status_code == 302
    washing = ServiceKind.objects.get(code="washing")
    assert washing.norm_minutes == 40 and washing.name_i18n["kk"] == "Кір жуу"
    assert AuditEvent.objects.filter(action=AuditAction.SERVICE_KIND_CREATED, actor=world.adam).exists()


def test_the_superuser_edits_a_norm(login, world):
    cleaning = ServiceKind.objects.get(code="cleaning")
    url = reverse("catalogue:service_edit", args=[cleaning.pk])
    client = login(world.root)
    assert "Тұрғын үй-жайды жинау" in client.get(url).content.decode()
    response = client.post(url, form_data(code="cleaning", name="Cleaning of living quarters", norm_minutes="50"))
    assert response.status_code == 302
    cleaning.refresh_from_db()
    assert cleaning.norm_minutes == 50
    assert AuditEvent.objects.get(action=AuditAction.SERVICE_KIND_UPDATED).detail["norm_minutes_before"] == 45


@pytest.mark.parametrize("changes, message", [
    ({"norm_minutes": "0"}, "at least 1 minute"),
    ({"norm_minutes": "481"}, "at most 480 minutes"),
    ({"norm_minutes": "forty"}, "whole number of minutes"),
    ({"norm_minutes": ""}, "Enter the standard time in minutes."),
    ({"name": ""}, "Enter the name of the service in English."),
    ({"domain": "magic"}, "Choose a kind of service from the list."),
    ({"code": "cleaning"}, "Another service already uses this code."),
])
def test_bad_services_are_refused(login, world, changes, message):
    before = ServiceKind.objects.count()
    response = login(world.adam).post(ADD, form_data(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert ServiceKind.objects.count() == before


def test_a_service_taken_out_of_the_offer_is_hidden_from_workers(login, world):
    cleaning = ServiceKind.objects.get(code="cleaning")
    login(world.adam).post(reverse("catalogue:service_edit", args=[cleaning.pk]),
                           form_data(code="cleaning", name="Cleaning of living quarters", is_active=""))
    assert "Cleaning of living quarters" not in login(world.alice).get(LIST).content.decode()


def test_editing_an_unknown_service_is_not_found(login, world):
    assert login(world.adam).get(reverse("catalogue:service_edit", args=[99999])).status_code == 404


def test_the_standard_time_opens_the_number_keypad(login, world):
    """A text input with inputmode numeric (a number input would change its value when the page scrolls)."""
    html = login(world.adam).get(ADD).content.decode()
    field = re.search(r'<input[^>]*name="norm_minutes"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field and "govuk-input--width-4" in field
