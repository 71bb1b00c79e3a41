"""Who may see and change the org tree, through the front door."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.orgs import services
from socmon.orgs.models import OrgLevel, OrgUnit

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona, visible, hidden", [
    ("alice", ["Home Care"], ["Family Support", "Hill Home Care", "North"]),
    ("heidi", ["Home Care"], ["Family Support", "Hilltown Centre"]),
    ("dora", ["Riverside Centre", "Home Care", "Family Support"], ["Hilltown Centre", "Riverside<"]),
    ("sam", ["North", "Riverside Centre", "Family Support"], ["South", "Hilltown Centre"]),
    ("ann", ["Testland", "North", "South", "Hill Home Care"], []),
    ("walt", ["Hill Home Care"], ["Riverside Centre", ">Home Care<"]),
])
def test_tree_shows_only_the_persons_subtree(login, world, persona, visible, hidden):
    html = login(getattr(world, persona)).get(reverse("orgs:tree")).content.decode()
    for name in visible:
        assert name in html
    for name in hidden:
        assert name not in html


def test_unit_outside_reach_is_not_found(login, world):
    client = login(world.walt)
    assert client.get(reverse("orgs:unit", args=[world.home_care.pk])).status_code == 404
    assert client.get(reverse("orgs:unit", args=[world.hill_care.pk])).status_code == 200


def test_evaluator_sees_structure_but_no_people(login, world):
    html = login(world.eve).get(reverse("orgs:unit", args=[world.home_care.pk])).content.decode()
    assert "Home Care" in html
    assert "Akhmetova" not in html
    assert "People and roles" not in html


def test_head_sees_the_people_of_their_department(login, world):
    html = login(world.heidi).get(reverse("orgs:unit", args=[world.home_care.pk])).content.decode()
    assert "Alice Akhmetova" in html and "Bob Bondarenko" in html


@pytest.mark.parametrize("name", ["orgs:edit", "orgs:move", "orgs:add_child", "orgs:person_new",
                                  "orgs:membership_add"])
def test_people_who_may_only_look_get_forbidden_on_change_pages(login, world, name):
    client = login(world.dora)
    assert client.get(reverse(name, args=[world.home_care.pk])).status_code == 403
    assert client.get(reverse(name, args=[world.hill_care.pk])).status_code == 404


def test_admin_of_north_cannot_reach_south(login, world):
    client = login(world.adam)
    assert client.get(reverse("orgs:edit", args=[world.centre.pk])).status_code == 200
    assert client.get(reverse("orgs:edit", args=[world.hill_centre.pk])).status_code == 404


def test_admin_adds_a_department(login, world):
    client = login(world.adam)
    department = OrgLevel.objects.get(code="department")
    response = client.post(reverse("orgs:add_child", args=[world.centre.pk]), {
        "level": department.pk, "name": "Day Care", "code": "day-care", "ownership": "", "address": "",
    })
    unit = OrgUnit.objects.get(code="day-care")
    assert response.status_code == 302
    assert OrgUnit.objects.get_parent(unit) == world.centre
    assert AuditEvent.objects.filter(action=AuditAction.ORG_UNIT_CREATED, actor=world.adam).exists()


def test_a_unit_cannot_sit_above_its_parent_level(login, world):
    client = login(world.adam)
    region = OrgLevel.objects.get(code="region")
    response = client.post(reverse("orgs:add_child", args=[world.centre.pk]), {
        "level": region.pk, "name": "Bad", "code": "bad", "ownership": "", "address": "",
    })
    assert response.status_code == 400
    assert not OrgUnit.objects.filter(code="bad").exists()


def test_moving_a_unit_under_its_own_child_is_refused_and_changes_nothing(login, world):
    client = login(world.root)
    before = OrgUnit.objects.values_list("pk", "path").order_by("pk")
    before = list(before)
    response = client.post(reverse("orgs:move", args=[world.north.pk]), {"new_parent": world.riverside.pk})
    assert response.status_code == 400
    assert list(OrgUnit.objects.values_list("pk", "path").order_by("pk")) == before
    assert not AuditEvent.objects.filter(action=AuditAction.ORG_UNIT_MOVED).exists()


def test_moving_under_own_child_is_explained_in_russian(login, world):
    client = login(world.root)
    client.cookies["django_language"] = "ru"
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from socmon.orgs import services

    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.move_org_unit(by=world.root, unit=world.north, new_parent=world.riverside)
    assert "cannot be moved" not in error.value.messages[0]


def test_admin_moves_a_district_to_another_region(login, world):
    client = login(world.root)
    response = client.post(reverse("orgs:move", args=[world.riverside.pk]), {"new_parent": world.south.pk})
    assert response.status_code == 302
    world.home_care.refresh_from_db()
    assert world.home_care.path.startswith(world.south.path)
    # Access follows the tree: the specialist of North no longer reaches Riverside.
    assert login(world.sam).get(reverse("orgs:unit", args=[world.home_care.pk])).status_code == 404


@pytest.mark.parametrize("unit, under", [("riverside", "home_care"), ("north", "centre")])
def test_moving_a_unit_under_its_own_sub_unit_is_refused_for_that_reason(world, unit, under):
    unit, under = OrgUnit.objects.get(pk=getattr(world, unit).pk), OrgUnit.objects.get(pk=getattr(world, under).pk)
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError) as refused:
        services.move_org_unit(by=world.root, unit=unit, new_parent=under)
    assert refused.value.code == "move_to_descendant"
    assert refused.value.messages == [f"{unit.name} cannot be moved under {under.name}: {under.name} is one of its "
                                      "own sub-units."]
    assert dict(OrgUnit.objects.values_list("pk", "path")) == paths


def test_moving_a_unit_under_itself_is_refused_with_its_own_message(world):
    with pytest.raises(ValidationError, match="A unit cannot be moved under itself.") as refused:
        services.move_org_unit(by=world.root, unit=world.riverside, new_parent=world.riverside)
    assert refused.value.code == "move_to_itself"


def test_admin_creates_a_worker_account_with_a_role(login, world):
    client = login(world.adam)
    response = client.post(reverse("orgs:person_new", args=[world.family.pk]), {
        "first_name": "Gulnara", "last_name": "Omarova", "username": "gulnara",
        "password": "a-long-enough-secret-42", "role": Role.WORKER,
    })
    assert response.status_code == 302
    user = User.objects.get(username="gulnara")
    assert Membership.objects.filter(user=user, org_unit=world.family, role=Role.WORKER).exists()


def test_a_worker_cannot_be_placed_at_a_region_and_no_account_is_left_behind(login, world):
    client = login(world.adam)
    response = client.post(reverse("orgs:person_new", args=[world.north.pk]), {
        "first_name": "X", "last_name": "Y", "username": "xy", "password": "a-long-enough-secret-42",
        "role": Role.WORKER,
    })
    assert response.status_code == 400
    # No article glued to the role or level name ("A institution director"): the names stand in quotes.
    assert "The role “Social worker” cannot be given at the level" in response.content.decode()
    assert not User.objects.filter(username="xy").exists()


def test_weak_password_is_refused_with_a_clear_message(login, world):
    client = login(world.adam)
    response = client.post(reverse("orgs:person_new", args=[world.family.pk]), {
        "first_name": "X", "last_name": "Y", "username": "xy", "password": "123", "role": Role.WORKER,
    })
    assert response.status_code == 400
    assert not User.objects.filter(username="xy").exists()


def test_admin_removes_a_role(login, world):
    membership = Membership.objects.get(user=world.bob)
    response = login(world.adam).post(reverse("orgs:membership_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_looking_roles_cannot_remove_roles(login, world):
    membership = Membership.objects.get(user=world.bob)
    assert login(world.heidi).post(reverse("orgs:membership_remove", args=[membership.pk])).status_code == 403
    assert login(world.walt).post(reverse("orgs:membership_remove", args=[membership.pk])).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_unit_can_be_named_with_its_parent(world):
    world.home_care.refresh_from_db()
    assert world.home_care.name_with_parent == "Home Care · Riverside Centre"
    assert world.country.name_with_parent == "Testland"


def test_admin_names_a_unit_in_other_languages_and_an_empty_name_uses_the_main_one(login, world):
    client = login(world.adam)
    url = reverse("orgs:edit", args=[world.home_care.pk])
    assert 'name="name_kk"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Home Care", "name_kk": " Үйде күтім бөлімі ", "name_ru": "", "name_en": "",
                                 "name_az": "", "name_ro": "Îngrijire la domiciliu", "code": "home-care",
                                 "ownership": "", "address": "", "is_active": "on"})
    assert response.status_code == 302
    world.home_care.refresh_from_db()
    assert world.home_care.name_i18n == {"kk": "Үйде күтім бөлімі", "ro": "Îngrijire la domiciliu"}
    page = client.get(reverse("orgs:unit", args=[world.home_care.pk])).content.decode()
    assert "Үйде күтім бөлімі" in page
    assert 'value="Үйде күтім бөлімі"' in client.get(url).content.decode()


def test_admin_adds_a_unit_with_its_name_in_kazakh(login, world):
    department = OrgLevel.objects.get(code="department")
    login(world.adam).post(reverse("orgs:add_child", args=[world.centre.pk]), {
        "level": department.pk, "name": "Day Care", "name_kk": "Күндізгі күтім", "code": "day-care"})
    assert OrgUnit.objects.get(code="day-care").name_i18n == {"kk": "Күндізгі күтім"}


def test_a_units_label_follows_the_language_and_falls_back_to_its_name(world):
    from django.utils import translation

    world.home_care.name_i18n = {"kk": "Үйде күтім бөлімі"}
    world.home_care.save()
    world.centre.name_i18n = {"kk": "Өзен жағасы орталығы"}
    world.centre.save()
    with translation.override("kk"):
        assert world.home_care.label_with_parent == "Үйде күтім бөлімі · Өзен жағасы орталығы"
    with translation.override("ru"):
        assert world.home_care.label_with_parent == "Home Care · Riverside Centre"


def test_every_demo_unit_has_its_name_in_the_clients_languages():
    from socmon.demo.world import build_world

    build_world()
    for unit in OrgUnit.objects.all():
        assert set(unit.name_i18n) == {"ru", "az", "kk", "ro"} and all(unit.name_i18n.values()), unit.name
