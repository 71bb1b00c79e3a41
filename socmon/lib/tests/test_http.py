"""Where a `next` address may lead, and how much a request may send."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from socmon.lib.http import safe_next


@pytest.mark.parametrize("target, expected", [
    ("/org/?page=2", "/org/?page=2"), ("x", "/home/"), ("org/", "/home/"), ("//evil.example/", "/home/"),
    ("/\\evil.example", "/home/"), ("https://evil.example/", "/home/"), ("http://testserver/org/", "/home/"),
    ("javascript:alert(1)", "/home/"), ("/a\nb", "/home/"), ("/a\x00b", "/home/"), ("", "/home/"),
])
def test_only_a_path_on_this_site_is_followed(target, expected):
    assert safe_next(RequestFactory().get("/", {"next": target}), "/home/") == expected
    assert safe_next(RequestFactory().post("/", {"next": target}), "/home/") == expected


@pytest.mark.django_db
def test_a_huge_form_sent_to_a_signed_in_page_is_refused_without_a_500(client, world):
    response = client.post(reverse("account_login"), {"login": "alice", "password": "x" * 400_000})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_bad_next_on_the_purpose_page_goes_to_the_client_instead(login, world):
    from socmon.visits.tests.fieldkit import make_client

    client = make_client(world, worker=world.bob)
    url = reverse("clients:purpose", args=[client.pk])
    for bad in ("x", "//evil.example/"):
        response = login(world.alice).post(f"{url}?next={bad}", {"purpose": "Covering a visit for Bob"})
        assert response.status_code == 302 and response["Location"] == reverse("clients:detail", args=[client.pk])
