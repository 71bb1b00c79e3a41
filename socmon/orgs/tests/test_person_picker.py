"""Giving a role to an existing person: they are found by name, username or unit, never listed all at once."""

import re

import pytest
from django.urls import reverse

from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def add_url(world) -> str:
    return reverse("orgs:membership_add", args=[world.family.pk])


def found(client, world, q: str) -> list[str]:
    """Usernames of the people offered as choices for the search `q`."""
    html = client.get(add_url(world), {"q": q}).content.decode()
    return re.findall(r'<label class="govuk-label govuk-radios__label"[^>]*>[^<(]*\((\w+)\)', html)


@pytest.mark.parametrize("q, expected", [
    ("Akhmet", ["alice"]),            # part of a last name
    ("fiona", ["fiona"]),             # a username
    ("heidi", ["heidi"]),             # first name and username
    ("Family Support", ["fiona"]),    # the unit where they hold a role
    ("home care", ["alice", "bob", "heidi"]),
    ("alice home", ["alice"]),        # every word must match
    ("Riverside Centre", ["dora"]),
])
def test_the_administrator_finds_people_by_name_username_or_unit(login, world, q, expected):
    assert found(login(world.adam), world, q) == expected


@pytest.mark.parametrize("q", ["Volkov", "walt", "Hill Home Care", "Hilltown", "Aliyeva", "root"])
def test_nobody_outside_the_administrators_reach_is_found(login, world, q):
    client = login(world.adam)
    assert found(client, world, q) == []
    assert "Nobody you manage matches" in client.get(add_url(world), {"q": q}).content.decode()


def test_without_a_search_nobody_is_listed(login, world):
    html = login(world.adam).get(add_url(world)).content.decode()
    assert 'type="radio"' not in html and "<select" not in html.split('id="person-search"')[1].split("</form>")[0]
    assert "Akhmetova" not in html and "Find a person by name, username or unit" in html


def test_the_person_found_gets_the_role(login, world):
    client = login(world.adam)
    response = client.post(f"{add_url(world)}?q=alice", {"user": world.alice.pk, "role": Role.WORKER})
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.alice, org_unit=world.family, role=Role.WORKER).exists()
    assert AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_ADDED, actor=world.adam).exists()


def test_someone_outside_reach_cannot_be_given_a_role_by_their_id(login, world):
    response = login(world.adam).post(f"{add_url(world)}?q=walt", {"user": world.walt.pk, "role": Role.WORKER})
    assert response.status_code == 400
    assert "Choose one of the people found." in response.content.decode()
    assert not Membership.objects.filter(user=world.walt, org_unit=world.family).exists()


def test_choosing_nobody_says_to_find_the_person_first(login, world):
    response = login(world.adam).post(f"{add_url(world)}?q=alice", {"role": Role.WORKER})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a person. Find them by name, username or unit first." in html
    assert 'href="#id_user_0"' in html and 'id="id_user_0"' in html  # the summary leads to the first choice


def test_many_matches_come_a_page_at_a_time(login, world, django_assert_max_num_queries):
    for n in range(25):
        user = User.objects.create_user(f"carer{n:02}", first_name="Carer", last_name=f"Number{n:02}")
        Membership.objects.create(user=user, org_unit=world.home_care, role=Role.WORKER)
    client = login(world.adam)
    with django_assert_max_num_queries(20):
        first = found(client, world, "carer")
    assert len(first) == 20 and first[0] == "carer00"
    html = client.get(add_url(world), {"q": "carer"}).content.decode()
    assert "Showing 1–20 of 25" in html and "?q=carer&amp;page=2" in html
    second = client.get(add_url(world), {"q": "carer", "page": 2}).content.decode()
    assert len(re.findall(r'type="radio"', second)) == 5


def test_the_administrator_finds_a_person_from_the_organisation_page_and_can_reset_their_password(login, world):
    client = login(world.adam)
    assert reverse("orgs:people") in client.get(reverse("orgs:tree")).content.decode()
    html = client.get(reverse("orgs:people"), {"q": "akhmet"}).content.decode()
    assert "Alice Akhmetova" in html and "Home Care · Riverside Centre" in html
    assert reverse("orgs:password_reset", args=[world.alice.pk]) in html
    assert reverse("orgs:unit", args=[world.home_care.pk]) in html
    for q in ("walt", "Hilltown", "root"):
        assert "Nobody you manage matches" in client.get(reverse("orgs:people"), {"q": q}).content.decode()


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora", "sam", "ann", "eve"])
def test_only_administrators_have_the_people_page(login, world, persona):
    client = login(getattr(world, persona))
    assert client.get(reverse("orgs:people"), {"q": "alice"}).status_code == 403
    assert reverse("orgs:people") not in client.get(reverse("orgs:tree")).content.decode()
