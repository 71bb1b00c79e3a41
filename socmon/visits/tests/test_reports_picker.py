"""The report's unit is chosen from the tree (children, parent, search by name), never from a list of
every unit in reach; the worker list holds the chosen unit's workers only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socmon.accounts.models import Membership, Role, User
from socmon.orgs.models import OrgLevel, OrgUnit

from .planning_kit import refreshed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


def department(world, parent, name, code, workers=0):
    unit = OrgUnit.objects.add_child(parent, {"name": name, "code": code,
                                              "level": OrgLevel.objects.get(code="department")})
    people = User.objects.bulk_create(User(username=f"{code}-{i}", first_name="Worker", last_name=f"{code} {i}")
                                      for i in range(workers))
    Membership.objects.bulk_create(Membership(user=u, org_unit=unit, role=Role.WORKER) for u in people)
    return unit


def page(client, **params) -> str:
    response = client.get(reverse("visits:report"), params)
    assert response.status_code == 200
    return response.content.decode()


def links(html: str, section: str) -> dict[str, str]:
    """{label: href} of the picker's list `section` (children or matches)."""
    start = html.find(f'id="unit-picker-{section}"')
    if start < 0:
        return {}
    block = html[start:html.index("</ul>", start)]
    return {label: href.replace("&amp;", "&") for href, label in re.findall(r'href="([^"]+)">([^<]+)</a>', block)}


def test_the_country_analysts_form_has_a_few_dozen_options_however_many_units_and_workers(world, login):
    for i in range(40):
        department(world, OrgUnit.objects.get(pk=world.centre.pk), f"Department {i:02}", f"dept-{i}", workers=5)
    html = page(login(world.ann))
    assert len(re.findall(r"<option", html)) <= 36
    assert "Department 07" not in html  # not listed until one walks down to Riverside Centre
    assert set(links(html, "children")) == {"North", "South"}


def test_walking_down_the_tree_reaches_a_department_and_lists_its_workers_only(world, login):
    client = login(world.ann)
    html = page(client)
    for name in ("North", "Riverside", "Riverside Centre", "Home Care"):
        href = links(html, "children")[name]
        html = client.get(reverse("visits:report") + href).content.decode()
        assert "<strong>" + name in html
    assert "Alice Akhmetova</option>" in html and "Bob Bondarenko</option>" in html
    assert "Fiona" not in html and "Walt" not in html
    assert "up to Riverside Centre" in html


def test_an_institution_offers_its_departments_and_no_list_of_workers(world, login):
    html = page(login(world.dora))
    assert set(links(html, "children")) == {"Home Care", "Family Support"}
    assert "up to" not in html  # Riverside is outside the director's reach
    assert "<select" not in html and "Alice" not in html


def test_units_found_by_name_are_named_with_their_parent_and_stay_within_reach(world, login):
    department(world, OrgUnit.objects.get(pk=world.hill_centre.pk), "Home Care", "hill-home-care")
    client = login(world.ann)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, unit_q="home care")
    assert set(links(html, "matches")) == {"Home Care · Riverside Centre", "Home Care · Hilltown Centre",
                                           "Hill Home Care · Hilltown Centre"}
    parents = [q for q in queries.captured_queries if '"path" IN' in q["sql"] and "orgs_orgunit" in q["sql"]]
    assert len(parents) == 1  # every match's parent in one query
    assert set(links(page(login(world.dora), unit_q="home"), "matches")) == {"Home Care · Riverside Centre"}


@pytest.mark.parametrize("search", ["\x00", "x" * 500, "%", "_"])
def test_an_odd_search_finds_nothing_and_breaks_nothing(world, login, search):
    html = page(login(world.ann), unit_q=search)
    assert links(html, "matches") == {}
