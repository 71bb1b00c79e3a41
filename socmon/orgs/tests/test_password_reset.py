"""The administrator gives a person a temporary password from the Organisation page, through the front door."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.orgs.services import password_version
from socmon.test import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/change/"
NEW = "a-quiet-river-at-dawn"


def reset_url(person: User) -> str:
    return reverse("orgs:password_reset", args=[person.pk])


def seen(client, person: User) -> str:
    return re.search(r'name="seen" value="([^"]+)"', client.get(reset_url(person)).content.decode()).group(1)


def reset(client, person: User):
    """Open the reset page and press its button, as the administrator does."""
    return client.post(reset_url(person), {"seen": seen(client, person)})


def temporary_password(html: str) -> str:
    return re.search(r'id="temporary-password"[^>]*>([^<]+)<', html).group(1)


def test_the_administrator_resets_alices_password_and_sees_it_once(login, world):
    client = login(world.adam)
    page = client.get(reset_url(world.alice)).content.decode()
    assert "Alice Akhmetova" in page and "Set a temporary password" in page and 'id="temporary-password"' not in page
    response = reset(client, world.alice)
    assert response.status_code == 200
    password = temporary_password(response.content.decode())
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", password)
    world.alice.refresh_from_db()
    assert world.alice.check_password(password) and not world.alice.check_password(PASSWORD)
    assert world.alice.must_change_password
    assert password not in world.alice.password  # only its hash is kept
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (event.actor, event.target_id, event.org_path) == (world.adam, str(world.alice.pk), world.home_care.path)
    assert password not in str(event.detail)
    # Never shown again: the page only offers another reset.
    assert password not in client.get(reset_url(world.alice)).content.decode()


def test_after_a_reset_alices_sign_in_goes_to_change_password_then_her_pages_work(login, world):
    password = temporary_password(reset(login(world.adam), world.alice).content.decode())
    alice = Client()
    signed_in = alice.post(reverse("account_login"), {"login": "alice", "password": password}, follow=True)
    assert signed_in.redirect_chain[-1][0] == CHANGE
    assert "temporary password from your administrator" in signed_in.content.decode()
    assert alice.get(reverse("clients:mine"))["Location"] == CHANGE
    changed = alice.post(CHANGE, {"oldpassword": password, "password1": NEW, "password2": NEW})
    assert changed.status_code == 302
    world.alice.refresh_from_db()
    assert not world.alice.must_change_password and world.alice.check_password(NEW)
    assert alice.get(reverse("clients:mine")).status_code == 200
    assert alice.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=world.alice).exists()


def test_a_reset_ends_the_persons_open_sessions(world):
    alice, adam = Client(), Client()
    alice.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    adam.post(reverse("account_login"), {"login": "adam", "password": PASSWORD})
    assert alice.get("/").status_code == 200
    assert reset(adam, world.alice).status_code == 200
    assert alice.get("/")["Location"].startswith(reverse("account_login"))
    assert adam.get("/").status_code == 200  # the administrator's own session goes on


@pytest.mark.parametrize("persona", ["walt", "root", "adam"])
def test_the_administrator_cannot_reset_someone_outside_reach_a_superuser_or_themselves(login, world, persona):
    person = getattr(world, persona)
    client = login(world.adam)
    assert client.get(reset_url(person)).status_code == 404
    assert client.post(reset_url(person), {"seen": password_version(person)}).status_code == 404
    person.refresh_from_db()
    assert person.check_password(PASSWORD) and not person.must_change_password
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).exists()


def test_someone_with_a_role_beyond_the_administrators_reach_cannot_be_reset(login, world):
    # ann analyses the whole country; a worker's role in North must not let North's administrator take over her account.
    Membership.objects.create(user=world.ann, org_unit=world.home_care, role=Role.WORKER)
    superuser = User.objects.create_user("sue", password=PASSWORD, first_name="Sue", last_name="Super",
                                         is_superuser=True)
    Membership.objects.create(user=superuser, org_unit=world.home_care, role=Role.WORKER)
    client = login(world.adam)
    for person in (world.ann, superuser):
        assert client.post(reset_url(person), {"seen": password_version(person)}).status_code == 404
    html = client.get(reverse("orgs:unit", args=[world.home_care.pk])).content.decode()
    assert reset_url(world.alice) in html
    assert reset_url(world.ann) not in html and reset_url(superuser) not in html


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora", "sam", "ann"])
def test_people_who_do_not_administer_cannot_reset_anyone(login, world, persona):
    client = login(getattr(world, persona))
    assert client.post(reset_url(world.bob), {"seen": password_version(world.bob)}).status_code in (403, 404)
    world.bob.refresh_from_db()
    assert world.bob.check_password(PASSWORD) and not world.bob.must_change_password
    html = client.get(reverse("orgs:unit", args=[world.home_care.pk])).content.decode()
    assert reset_url(world.bob) not in html


def test_a_reset_made_meanwhile_wins_and_the_second_administrator_is_told(login, world):
    client = login(world.adam)
    stale = seen(client, world.alice)
    first = temporary_password(reset(client, world.alice).content.decode())
    second = client.post(reset_url(world.alice), {"seen": stale})
    html = second.content.decode()
    assert second.status_code == 400 and "was changed a moment ago" in html and 'id="temporary-password"' not in html
    world.alice.refresh_from_db()
    assert world.alice.check_password(first)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).count() == 1


def test_only_get_and_post_are_answered(login, world):
    assert login(world.adam).put(reset_url(world.alice)).status_code == 405
