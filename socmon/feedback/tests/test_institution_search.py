"""The public finds the institution their feedback is about by part of its name (in any language) or its place,
never from a list of every institution; staff choose the unit of their feedback list with the org picker."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socmon.orgs.models import OrgUnit, search_text_of
from socmon.orgs.services import update_org_unit
from socmon.visits.tests.fieldkit import client_with_card

from .. import selectors
from ..models import Feedback
from .test_feedback import category, client_feedback, public_feedback

pytestmark = pytest.mark.django_db
SEND = reverse("feedback_public:send")


def offered(html: str) -> set[int]:
    """The institutions offered as choices on the public form."""
    return {int(pk) for pk in re.findall(r'type="radio" name="org_unit" value="(\d+)"', html)}


def typed(world, **extra):
    return {"kind": "complaint", "category": category().pk, "text": "Am așteptat două ore la recepție.",
            "lang": "ro", **extra}


@pytest.fixture
def names(world):
    update_org_unit(by=world.root, unit=world.centre, name="Riverside Centre", code=world.centre.code,
                    ownership="", address="", is_active=True,
                    name_i18n={"ro": "Centrul Malul Râului", "kk": "Өзен жағасы орталығы"})
    update_org_unit(by=world.root, unit=world.riverside, name="Riverside", code=world.riverside.code, ownership="",
                    address="", is_active=True, name_i18n={"kk": "Өзен ауданы"})
    return world


def test_an_institution_is_found_by_part_of_its_name_in_two_languages_and_shown_in_the_pages(client, names):
    world = names
    # "Find" keeps what was typed and sends nothing.
    response = client.post(SEND, typed(world, institution_q="malul", find="1"))
    html = response.content.decode()
    assert response.status_code == 200 and offered(html) == {world.centre.pk}
    assert "Centrul Malul Râului · Riverside" in html and "Am așteptat două ore la recepție." in html
    assert re.search(r'name="kind" value="complaint"[^>]*checked', html)
    assert not Feedback.objects.exists() and "There is a problem" not in html and "problemă" not in html
    # Kazakh, in capitals: the search is case-folded in any script; the label speaks Kazakh.
    html = client.get(SEND + "?lang=kk&institution_q=ЖАҒАСЫ").content.decode()
    assert offered(html) == {world.centre.pk} and "Өзен жағасы орталығы · Өзен ауданы" in html


def test_an_institution_is_found_by_its_place_and_only_active_institutions_are_offered(client, names):
    world = names
    assert offered(client.get(SEND + "?institution_q=north").content.decode()) == {world.centre.pk}
    assert offered(client.get(SEND + "?institution_q=hilltown").content.decode()) == {world.hill_centre.pk}
    assert offered(client.get(SEND + "?institution_q=centre").content.decode()) == {world.centre.pk,
                                                                                     world.hill_centre.pk}
    update_org_unit(by=world.root, unit=world.hill_centre, name="Hilltown Centre", code=world.hill_centre.code,
                    ownership="", address="", is_active=False)
    assert offered(client.get(SEND + "?institution_q=centre").content.decode()) == {world.centre.pk}


def test_departments_and_areas_are_never_offered(client, names):
    world = names
    html = client.get(SEND + "?institution_q=care").content.decode()  # Home Care, Hill Home Care: departments
    assert offered(html) == set() and "Home Care" not in html
    html = client.get(SEND + "?institution_q=riverside").content.decode()  # the district and its centre
    assert offered(html) == {world.centre.pk}
    html = client.get(SEND + "?institution_q=c").content.decode()
    assert offered(html) == set() and "Type at least two letters" in html


def test_the_form_is_sent_after_finding_the_institution_and_asks_for_one_when_none_was_chosen(client, names):
    world = names
    response = client.post(SEND, typed(world, institution_q="malul"))
    html = response.content.decode()
    assert response.status_code == 400 and not Feedback.objects.exists()
    assert 'href="#id_org_unit"' in html and 'id="id_org_unit"' in html and offered(html) == {world.centre.pk}
    response = client.post(SEND, typed(world, institution_q="malul", org_unit=world.centre.pk))
    assert response.status_code == 200 and 'id="tracking-code"' in response.content.decode()
    assert Feedback.objects.get().org_unit == world.centre


def test_a_link_naming_an_institution_offers_it_chosen(client, names):
    world = names
    html = client.get(SEND + f"?lang=ro&unit={world.centre.pk}").content.decode()
    assert offered(html) == {world.centre.pk} and f'value="{world.centre.pk}" id="id_org_unit_0" checked' in html
    html = client.get(SEND + f"?unit={world.home_care.pk}").content.decode()
    assert offered(html) == set()


def _bulk_institutions(world, start: int, count: int) -> None:
    """`count` institutions in Riverside district, written in bulk (bypassing save(), so search_text by hand)."""
    parent = world.riverside
    units = []
    for n in range(start, start + count):
        name = f"Care Centre {n:04d}"
        units.append(OrgUnit(path=OrgUnit._get_path(parent.path, parent.depth + 1, n), depth=parent.depth + 1,
                             numchild=0, name=name, code=f"care-centre-{n}", level=world.centre.level,
                             search_text=search_text_of(name, {})))
    OrgUnit.objects.bulk_create(units, batch_size=500)


def test_with_two_thousand_institutions_at_most_twenty_are_offered_in_as_many_queries_as_with_five(client, world):
    _bulk_institutions(world, 2, 5)
    url = SEND + "?lang=ru&institution_q=care+centre"
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert len(offered(html)) == 5
    _bulk_institutions(world, 7, 1995)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(offered(html)) == selectors.INSTITUTION_MATCHES
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count('name="org_unit"') == selectors.INSTITUTION_MATCHES and "Care Centre 0030" not in html
    with CaptureQueriesContext(connection) as unsearched:
        html = client.get(SEND).content.decode()
    assert offered(html) == set() and len(unsearched.captured_queries) <= len(few.captured_queries)
    # Narrowing finds the one wanted among them.
    assert len(offered(client.get(SEND + "?institution_q=centre+1999").content.decode())) == 1


# --- Staff: the list's unit, chosen with the org picker ------------------------------------------------------

def test_the_feedback_list_chooses_its_unit_with_the_org_picker(world, login):
    holder, _card = client_with_card(world)
    about_department, _code = client_feedback(world, holder)  # about Home Care
    about_centre, _code = public_feedback(world)
    browser = login(world.dora)
    html = browser.get(reverse("feedback:list")).content.decode()
    assert 'id="unit-picker"' in html and "Units in Riverside Centre" in html
    assert f"?unit={world.home_care.pk}" in html and f"?unit={world.family.pk}" in html
    assert reverse("feedback:detail", args=[about_centre.pk]) in html
    html = browser.get(reverse("feedback:list") + f"?unit={world.home_care.pk}&status=open").content.decode()
    assert reverse("feedback:detail", args=[about_department.pk]) in html
    assert reverse("feedback:detail", args=[about_centre.pk]) not in html
    assert f'name="unit" value="{world.home_care.pk}"' in html  # the filters keep the unit
    html = browser.get(reverse("feedback:list") + "?unit_q=family").content.decode()
    assert 'id="unit-picker-matches"' in html and f"unit={world.family.pk}" in html
    # A unit outside the reader's reach is refused and shows nothing.
    response = browser.get(reverse("feedback:list") + f"?unit={world.hill_centre.pk}")
    assert response.status_code == 400 and "Choose a unit from the list." in response.content.decode()
    assert reverse("feedback:detail", args=[about_centre.pk]) not in response.content.decode()
