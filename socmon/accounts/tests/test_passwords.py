"""Changing one's own password, and being held to change a temporary one, through the front door."""

import pytest
from django.test import Client
from django.urls import reverse

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.test import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/change/"
NEW = "a-quiet-river-at-dawn"


def change(client, old: str, new: str = NEW, again: str | None = None):
    return client.post(CHANGE, {"oldpassword": old, "password1": new, "password2": new if again is None else again})


def test_account_security_links_to_changing_the_password(login, world):
    html = login(world.alice).get(reverse("mfa_index")).content.decode()
    assert f'href="{CHANGE}"' in html and "Change your password" in html


def test_the_sign_in_page_offers_no_e_mail_reset_and_says_to_ask_the_administrator(client, world):
    html = client.get(reverse("account_login")).content.decode()
    assert "Ask your administrator to set a new one." in html
    assert "/accounts/password/reset/" not in html and "Forgot your password?" not in html
    assert client.get("/accounts/password/reset/").status_code == 404


def test_a_person_changes_their_password_and_signs_in_with_the_new_one(login, world):
    client = login(world.alice)
    page = client.get(CHANGE)
    assert page.status_code == 200 and "Current password" in page.content.decode()
    response = change(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    assert "Your password was changed." in client.get(response["Location"]).content.decode()
    assert client.get("/").status_code == 200  # this session goes on
    world.alice.refresh_from_db()
    assert world.alice.check_password(NEW) and not world.alice.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=world.alice,
                                     target_id=str(world.alice.pk)).count() == 1
    fresh = Client()
    assert fresh.post(reverse("account_login"), {"login": "alice", "password": NEW}).status_code == 302


def test_changing_the_password_ends_the_persons_other_sessions(world):
    phone, desk = Client(), Client()
    for browser in (phone, desk):
        browser.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
        assert browser.get("/").status_code == 200
    change(desk, PASSWORD)
    assert desk.get("/").status_code == 200
    assert phone.get("/")["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("old, new, again, message", [
    ("not-my-password", NEW, None, "That password is not right."),
    (PASSWORD, NEW, "a-quiet-river-at-dusk", "The two new passwords are not the same."),
    (PASSWORD, "password123", None, "This password is too common."),
    (PASSWORD, "", None, "Enter a new password."),
])
def test_a_wrong_current_password_or_a_poor_new_one_is_explained_and_changes_nothing(login, world, old, new, again,
                                                                                     message):
    response = change(login(world.alice), old, new, again)
    assert message in response.content.decode()
    world.alice.refresh_from_db()
    assert world.alice.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()



def test_a_person_who_must_change_their_password_reaches_only_the_change_page(login, world):
    world.alice.must_change_password = True
    world.alice.save(update_fields=["must_change_password"])
    client = login(world.alice)
    for path in ("/", reverse("clients:mine"), reverse("mfa_index"), reverse("visits:my_day")):
        assert client.get(path)["Location"] == CHANGE
    assert client.post(reverse("clients:register"), {"first_name": "Nobody"})["Location"] == CHANGE
    assert client.get("/", headers={"HX-Request": "true"})["HX-Redirect"] == CHANGE
    html = client.get(CHANGE).content.decode()
    assert "temporary password from your administrator" in html and "Back to account security" not in html
    assert client.post(reverse("switch_language", args=["kk"]))["Location"] != CHANGE
    assert client.post(reverse("account_logout"))["Location"] == reverse("account_login")
