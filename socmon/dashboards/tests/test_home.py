"""The home page shows each person only what their role can use, with counts from their reach."""

from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_worker_sees_their_role_and_their_department(login, world):
    html = login(world.alice).get("/").content.decode()
    assert "Social worker at Home Care" in html
    assert "See your organisation" in html
    assert "Manage the organisation" not in html
    assert "System administration" not in html


def test_a_director_counts_the_workers_of_their_institution(login, world):
    response = login(world.dora).get("/")
    assert response.context["worker_count"] == 3  # alice, bob, fiona; not walt
    assert response.context["department_count"] == 2


def test_an_analyst_counts_the_whole_country(login, world):
    response = login(world.ann).get("/")
    assert response.context["institution_count"] == 2
    assert response.context["worker_count"] == 4


def test_an_external_evaluator_gets_counts_of_units_but_no_people(login, world):
    response = login(world.eve).get("/")
    assert response.context["institution_count"] == 2
    assert response.context["worker_count"] is None
    assert "social worker" not in response.content.decode().split("Within your reach")[1].split("<h2")[0]


def test_an_administrator_is_offered_to_manage_the_organisation(login, world):
    html = login(world.adam).get("/").content.decode()
    assert "Manage the organisation" in html


def test_a_person_without_a_role_is_told_what_to_do(login, world):
    from socmon.accounts.models import User

    nobody = User.objects.create_user("newcomer", password="x-long-password-1")
    html = login(nobody).get("/").content.decode()
    assert "You have no role yet" in html
    assert "Organisation" not in html.split("<main")[1]


def test_a_worker_is_offered_to_check_in(login, world):
    html = login(world.alice).get("/").content.decode()
    assert 'href="/visits/check-in/"' in html


def test_a_head_is_not_offered_to_check_in(login, world):
    html = login(world.heidi).get("/").content.decode()
    assert 'href="/visits/check-in/"' not in html


def test_the_clients_card_says_department_only_for_a_heads_own_department(login, world):
    html = login(world.heidi).get("/").content.decode()
    assert "clients in your department" in html and "clients within your reach" not in html
    html = login(world.root).get("/").content.decode()  # the superuser counts every department
    assert "clients within your reach" in html and "clients in your department" not in html


def test_the_organisation_link_promises_people_only_to_those_who_may_see_them(login, world):
    html = unescape(login(world.eve).get("/").content.decode())
    assert "See your organisation's units" in html and "units and people" not in html
    html = unescape(login(world.sam).get("/").content.decode())
    assert "See your organisation: units and people" in html


def test_a_director_finds_the_cases_in_the_menu(login, world):
    html = login(world.dora).get("/").content.decode()
    assert 'href="/cases/"' in html.split('id="navigation"')[1].split("</ul>")[0]


def test_the_check_in_button_comes_first_on_a_workers_home(login, world):
    html = login(world.alice).get("/").content.decode()
    main = html.split("<main")[1]
    button = main.index('id="check-in-button"')
    assert 'class="govuk-button govuk-button--start' in main[main.rindex("<a", 0, button):button]
    assert button < main.index("<h2")  # above every section of the page


@pytest.mark.parametrize("persona", ["adam", "dora", "heidi", "ann", "eve"])
def test_people_who_do_not_visit_get_no_check_in_button(login, world, persona):
    html = login(getattr(world, persona)).get("/").content.decode()
    assert 'id="check-in-button"' not in html and 'href="/visits/check-in/"' not in html


def test_a_worker_reaches_noting_feedback_from_the_home_page_and_an_evaluator_does_not(login, world):
    note = reverse("feedback:new")
    assert f'href="{note}"' not in login(world.eve).get("/").content.decode()
    assert f'href="{note}"' in login(world.alice).get("/").content.decode()
