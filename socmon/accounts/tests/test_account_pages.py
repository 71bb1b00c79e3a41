"""Only the account pages socmon offers exist: no sign-up, e-mail or e-mailed password reset pages that
crash or store an address nobody verified (changing one's own password is offered: test_passwords.py)."""

import pytest
from allauth.account.models import EmailAddress

from socmon.accounts.models import User
from socmon.test import PASSWORD

pytestmark = pytest.mark.django_db

REMOVED = [
    "/accounts/signup/",
    "/accounts/email/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/some-key/",
    "/accounts/password/set/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-set-password/",
    "/accounts/password/reset/key/done/",
    "/accounts/login/code/confirm/",
    "/accounts/inactive/",
]
POSTED = {"email": "intruder@example.org", "action_add": "", "username": "intruder", "password1": "a-long-secret-4711",
          "password2": "a-long-secret-4711", "oldpassword": PASSWORD, "code": "123456"}


@pytest.mark.parametrize("path", REMOVED)
def test_a_page_the_product_does_not_offer_is_not_found_and_stores_nothing(client, world, login, path):
    for browser in (client, login(world.alice)):
        assert browser.get(path).status_code == 404
        assert browser.post(path, POSTED).status_code == 404
    assert not EmailAddress.objects.exists()
    world.alice.refresh_from_db()
    assert (world.alice.email, world.alice.check_password(PASSWORD)) == ("", True)
    assert not User.objects.filter(username="intruder").exists()


def test_a_switched_off_account_is_told_so_on_the_sign_in_page(client, world):
    # allauth would send them to its "inactive account" page, which is not mounted.
    User.objects.filter(pk=world.alice.pk).update(is_active=False)
    response = client.post("/accounts/login/", {"login": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "This account has been switched off" in response.content.decode()
    assert client.get("/").status_code == 302
