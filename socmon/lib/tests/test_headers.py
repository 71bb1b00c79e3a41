"""No page or export is kept by a browser or proxy, and only the check-in scanner may use the camera or position."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from socmon.lib.headers import PrivacyHeadersMiddleware
from socmon.visits import tokens
from socmon.visits.tests.fieldkit import client_with_card, done_visit

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def policy(response) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


def assert_private_and_no_camera(response):
    assert no_store(response), response.get("Cache-Control")
    features = policy(response)
    assert features["camera"] == features["geolocation"] == features["microphone"] == "()"


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora", "sam", "ann", "eve", "adam", "root"])
def test_every_roles_home_page_is_not_stored_and_may_not_use_the_camera(world, login, persona):
    response = login(getattr(world, persona)).get(reverse("home"))
    assert response.status_code == 200
    assert_private_and_no_camera(response)


def test_pages_with_personal_data_are_not_stored(world, login):
    client, card = client_with_card(world)
    visit = done_visit(world, client)
    browser = login(world.alice)
    for url in (reverse("clients:detail", args=[client.pk]), reverse("clients:list"), reverse("cases:list"),
                reverse("visits:visit", args=[visit.pk]), reverse("visits:my_day"),
                reverse("visits:card", args=[client.pk])):
        response = browser.get(url)
        assert response.status_code == 200, url
        assert_private_and_no_camera(response)


def test_exports_and_cards_are_not_stored(world, login):
    client, card = client_with_card(world)
    pdf = login(world.alice).get(reverse("visits:card_pdf", args=[client.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert_private_and_no_camera(pdf)
    xlsx = login(world.heidi).get(reverse("visits:report_export"), {
        "unit": world.home_care.pk, "date_from": datetime.date(2026, 1, 1), "date_to": datetime.date(2026, 1, 31)})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_private_and_no_camera(xlsx)


def test_the_public_rating_pages_are_not_stored(client, world):
    _client, card = client_with_card(world)
    done_visit(world, card.client)
    for url in (reverse("rating:enter"), reverse("rating:rate", args=[tokens.rating_token(card)]),
                reverse("rating:rate", args=["ZZZZ-ZZZZ-ZZ"]), reverse("account_login")):
        assert_private_and_no_camera(client.get(url))


def test_the_check_in_page_may_use_the_camera_and_position_of_our_own_site_only(world, login):
    browser = login(world.alice)
    for response in (browser.get(reverse("visits:check_in")),
                     browser.post(reverse("visits:check_in"), {"code": "nonsense"})):
        features = policy(response)
        assert features["camera"] == features["geolocation"] == "(self)"
        assert features["microphone"] == "()"
        assert no_store(response)


def test_static_files_keep_their_own_caching():
    def static_file(request):
        from django.http import HttpResponse

        return HttpResponse("body{}", content_type="text/css")

    response = PrivacyHeadersMiddleware(static_file)(RequestFactory().get("/static/socmon.css"))
    assert "Cache-Control" not in response
    assert policy(response)["camera"] == "()"
