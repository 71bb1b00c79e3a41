"""Tree paths decide access, so they never change under people's feet: units are appended, never re-sorted."""

import pytest
from django.urls import reverse

from socmon.clients.tests.conftest import make_client
from socmon.orgs.models import OrgLevel, OrgUnit
from socmon.test import race, web_session

ADD_FORM = {"ownership": "", "address": ""}


def department_form(name: str, code: str) -> dict:
    return {**ADD_FORM, "level": OrgLevel.objects.get(code="department").pk, "name": name, "code": code}


def paths() -> dict[int, str]:
    return dict(OrgUnit.objects.values_list("pk", "path"))


@pytest.mark.django_db
def test_adding_a_unit_that_sorts_first_keeps_every_existing_path(login, world):
    before = paths()
    response = login(world.adam).post(reverse("orgs:add_child", args=[world.centre.pk]),
                                      department_form("Aaa Day Care", "aaa"))
    assert response.status_code == 302
    after = paths()
    assert {pk: after[pk] for pk in before} == before
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="aaa")) == world.centre


@pytest.mark.django_db
def test_the_tree_and_the_unit_page_still_list_siblings_by_name(login, world):
    client = login(world.adam)
    client.post(reverse("orgs:add_child", args=[world.centre.pk]), department_form("Aaa Day Care", "aaa"))
    for url in (reverse("orgs:tree"), reverse("orgs:unit", args=[world.centre.pk])):
        html = client.get(url).content.decode()
        assert html.index("Aaa Day Care") < html.index("Family Support") < html.index("Home Care"), url


@pytest.mark.django_db
def test_the_move_picker_lists_units_as_a_tree_by_name(login, world):
    html = login(world.root).get(reverse("orgs:move", args=[world.home_care.pk])).content.decode()
    # North was created before South and Riverside under North; by name the tree reads the same way,
    # and Hilltown Centre (under South) comes after everything under North.
    assert html.index(">North<") < html.index(">Riverside Centre<") < html.index(">South<") < html.index(
        ">Hilltown Centre<")


@pytest.mark.django_db
def test_a_move_changes_only_the_paths_of_the_moved_subtree(login, world):
    before = paths()
    response = login(world.root).post(reverse("orgs:move", args=[world.riverside.pk]),
                                      {"new_parent": world.south.pk})
    assert response.status_code == 302
    after = paths()
    moved = set(OrgUnit.objects.filter(path__startswith=after[world.riverside.pk]).values_list("pk", flat=True))
    assert moved == {world.riverside.pk, world.centre.pk, world.home_care.pk, world.family.pk}
    assert {pk: after[pk] for pk in before if pk not in moved} == {pk: before[pk] for pk in before if pk not in moved}
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db(transaction=True)
def test_units_added_while_a_head_lists_clients_never_show_her_another_departments_client(world, live_server):
    foreign = [make_client(world.family, "Fatima", "Aliyeva", worker=world.fiona, by=world.fiona),
               make_client(world.hill_care, "Vasile", "Rusu", worker=world.walt, by=world.walt)]
    own = make_client(world.home_care, "Aigul", "Sarsenova", worker=world.alice, by=world.heidi)
    adam, heidi = web_session(live_server.url, world.adam), web_session(live_server.url, world.heidi)
    add, clients = reverse("orgs:add_child", args=[world.centre.pk]), reverse("clients:list")
    for attempt in range(20):
        # Each new unit sorts before Family Support and Home Care by name.
        form = department_form(f"Aa {attempt:02d}", f"aa-{attempt}")
        added, listed = race(2, lambda i, form=form: adam.post(adam.url(add), data=form, allow_redirects=False)
                             if i == 0 else heidi.get(heidi.url(clients)))
        assert added.status_code == 302 and listed.status_code == 200
        assert own.code in listed.text
        assert not [c.code for c in foreign if c.code in listed.text]
    assert OrgUnit.objects.filter(code__startswith="aa-").count() == 20


@pytest.mark.django_db(transaction=True)
def test_a_unit_added_inside_a_subtree_while_it_moves_moves_with_it(world, live_server):
    mover, adder = web_session(live_server.url, world.root), web_session(live_server.url, world.root)
    move, add = reverse("orgs:move", args=[world.riverside.pk]), reverse("orgs:add_child", args=[world.centre.pk])
    for attempt in range(10):
        target = (world.south, world.north)[attempt % 2]
        form = department_form(f"Day Care {attempt}", f"day-care-{attempt}")
        moved, added = race(2, lambda i, form=form, target=target: (
            mover.post(mover.url(move), data={"new_parent": target.pk}, allow_redirects=False) if i == 0
            else adder.post(adder.url(add), data=form, allow_redirects=False)))
        assert (moved.status_code, added.status_code) == (302, 302)
        unit = OrgUnit.objects.get(code=f"day-care-{attempt}")
        assert OrgUnit.objects.get_parent(unit).pk == world.centre.pk
        assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=world.riverside.pk)).pk == target.pk
        assert OrgUnit.objects.find_problems() == ([], [], [], [], [])
