"""Five interface languages; the choice sticks, and a forged language code changes nothing."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["en", "ru", "az", "kk", "ro"])
def test_each_language_can_be_chosen_and_sticks(client, login, world, code):
    login(world.alice)
    response = client.get(reverse("switch_language", args=[code]) + "?next=/org/")
    assert response.status_code == 302 and response["Location"] == "/org/"
    assert client.cookies["django_language"].value == code
    assert f'<html lang="{code}"' in client.get("/org/").content.decode()
    world.alice.refresh_from_db()
    assert world.alice.language == code


def test_the_saved_language_follows_the_person_to_a_new_browser(client, login, world):
    world.alice.language = "kk"
    world.alice.save()
    login(world.alice)
    response = client.get("/")
    assert '<html lang="kk"' in response.content.decode()
    assert response.cookies["django_language"].value == "kk"


def test_a_forged_language_code_is_refused_with_a_clear_message(client, login, world):
    login(world.alice)
    client.get(reverse("switch_language", args=["ro"]))
    response = client.get(reverse("switch_language", args=["xx-evil"]) + "?next=/", follow=True)
    assert client.cookies["django_language"].value == "ro"
    world.alice.refresh_from_db()
    assert world.alice.language == "ro"
    assert response.status_code == 200
    assert 'class="govuk-notification-banner' in response.content.decode()


def test_an_outside_next_address_is_ignored(client, world):
    response = client.get(reverse("switch_language", args=["ru"]) + "?next=https://evil.example/")
    assert response["Location"] == "/"


def test_anonymous_visitors_can_switch_too(client, world):
    client.get(reverse("switch_language", args=["az"]))
    assert '<html lang="az"' in client.get(reverse("account_login")).content.decode()


def test_larger_text_can_be_switched_on_and_off(client, world):
    client.get(reverse("text_size") + "?next=/accounts/login/")
    assert "socmon-large-text" in client.get(reverse("account_login")).content.decode()
    client.get(reverse("text_size"))
    assert "socmon-large-text" not in client.get(reverse("account_login")).content.decode()
