"""Five interface languages; the choice sticks, is made by a POST, and a forged language code changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["en", "ru", "az", "kk", "ro"])
def test_each_language_can_be_chosen_and_sticks(client, login, world, code):
    login(world.alice)
    response = client.post(reverse("switch_language", args=[code]), {"next": "/org/"})
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
    client.post(reverse("switch_language", args=["ro"]))
    response = client.post(reverse("switch_language", args=["xx-evil"]), {"next": "/"}, follow=True)
    assert client.cookies["django_language"].value == "ro"
    world.alice.refresh_from_db()
    assert world.alice.language == "ro"
    assert response.status_code == 200
    assert 'class="govuk-notification-banner' in response.content.decode()


def test_an_outside_next_address_is_ignored(client, world):
    response = client.post(reverse("switch_language", args=["ru"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_anonymous_visitors_can_switch_too(client, world):
    client.post(reverse("switch_language", args=["az"]))
    assert '<html lang="az"' in client.get(reverse("account_login")).content.decode()


def test_larger_text_can_be_switched_on_and_off(client, world):
    response = client.post(reverse("text_size"), {"next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert "socmon-large-text" in client.get(reverse("account_login")).content.decode()
    client.post(reverse("text_size"))
    assert "socmon-large-text" not in client.get(reverse("account_login")).content.decode()


def test_a_link_cannot_change_the_language_or_the_text_size(client, login, world):
    """A GET (an image or link on another site) changes nothing: both are POSTs."""
    login(world.alice)
    for url in (reverse("switch_language", args=["ru"]) + "?next=/org/", reverse("text_size") + "?next=/"):
        assert client.get(url).status_code == 405
    assert "django_language" not in client.cookies and "socmon_text" not in client.cookies
    world.alice.refresh_from_db()
    assert world.alice.language != "ru"


def test_changing_the_language_needs_the_pages_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(reverse("switch_language", args=["ru"]), {"next": "/"}).status_code == 403
    page = browser.get(reverse("account_login")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.post(reverse("switch_language", args=["ru"]), {"next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and browser.cookies["django_language"].value == "ru"


@pytest.mark.parametrize("bad", ["x", "org/", "//evil.example/", "/\\evil.example", "https://evil.example/",
                                 "javascript:alert(1)", "/x\ny", "\x00", "", "%", " /org/"])
@pytest.mark.parametrize("url", [reverse("switch_language", args=["en"]), reverse("text_size")])
def test_a_bad_next_address_goes_home_instead_of_failing(client, world, url, bad):
    response = client.post(url, {"next": bad})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_language_buttons_and_the_text_size_button_are_posts_back_to_this_page(login, world):
    html = login(world.alice).get("/org/?x=1").content.decode()
    assert 'formaction="/language/ru/"' in html and 'lang="ru">Русский</button>' in html
    assert f'action="{reverse("text_size")}"' in html
    assert html.count('name="next" value="/org/?x=1"') == 2
    assert 'href="/language/' not in html and 'href="/text-size/' not in html
