"""Guessing typed rating codes is bounded per address, per card and for everyone together, while the client
who holds the real card is never locked out by someone else's guesses."""

import pytest
from django.test import Client
from django.urls import reverse

from socmon.clients.models import CODE_ALPHABET
from socmon.visits import tokens
from socmon.visits.models import Rating
from socmon.visits.views_rating import BY_ADDRESS, BY_TARGET, EVERYONE

from .fieldkit import client_with_card, done_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world):
    card = client_with_card(world, language="en")[1]
    done_visit(world, card.client)
    return card


def rate_url(code: str) -> str:
    return reverse("rating:rate", args=[code])


def wrong_code(number: int, attempt: int) -> str:
    """A well-formed typed code for record `number` whose check characters are wrong."""
    check = "".join(CODE_ALPHABET[(attempt // len(CODE_ALPHABET) ** i) % len(CODE_ALPHABET)] for i in range(6))
    return tokens._encode(number) + check


def phone(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def guess(browser: Client, number: int, attempt: int) -> int:
    return browser.get(rate_url(wrong_code(number, attempt))).status_code


def test_the_holder_of_the_real_card_rates_after_30_wrong_guesses_from_the_same_address(card):
    shared = phone("10.0.0.1")
    for attempt in range(BY_ADDRESS.limit):
        assert guess(shared, 900 + attempt, attempt) == 404  # many cards, so only the address limit is reached
    assert guess(shared, 5000, 99) == 429  # the address typing more codes now waits
    response = shared.get(rate_url(tokens.rating_token(card)))
    assert response.status_code == 200 and "How do you rate today's visit?" in response.content.decode()
    assert shared.post(rate_url(tokens.rating_token(card)), {"score": "7"}).status_code == 302
    assert Rating.objects.get().score == 7


def test_the_throttled_page_says_to_scan_instead_and_does_not_offer_typing(card):
    shared = phone("10.0.0.1")
    for attempt in range(BY_ADDRESS.limit):
        guess(shared, 900 + attempt, attempt)
    blocked = shared.get(rate_url(tokens.rating_short(card)))
    html = blocked.content.decode()
    assert blocked.status_code == 429 and "Scan the code with the phone" in html
    assert f'href="{reverse("rating:enter")}?lang=' not in html
    # Another address types its code as usual.
    assert phone("10.0.0.2").get(rate_url(tokens.rating_short(card))).status_code == 200


def test_guessing_one_card_from_many_addresses_is_bounded_per_card(card):
    for attempt in range(BY_TARGET.limit):
        assert guess(phone(f"10.1.0.{attempt}"), card.pk, attempt) == 404
    # Even its real typed code now waits, from a fresh address: the next guess could be right.
    assert phone("10.1.1.1").get(rate_url(tokens.rating_short(card))).status_code == 429
    # Scanning still works, and other cards are not affected.
    assert phone("10.1.1.1").get(rate_url(tokens.rating_token(card))).status_code == 200
    assert guess(phone("10.1.1.2"), card.pk + 1, 0) == 404


def test_290_guesses_spread_over_10_addresses_and_many_cards_are_stopped(card):
    answers = [guess(phone(f"10.2.0.{n % 10}"), 1000 + n, n) for n in range(290)]
    assert answers[:EVERYONE.limit] == [404] * EVERYONE.limit
    assert set(answers[EVERYONE.limit:]) == {429}
    assert phone("10.2.1.1").get(rate_url(tokens.rating_token(card))).status_code == 200


def test_a_few_mistyped_codes_of_ones_own_card_do_not_stop_a_client(card):
    own = phone("10.3.0.1")
    for attempt in range(3):
        assert guess(own, card.pk, attempt) == 404
    assert own.get(rate_url(tokens.rating_short(card))).status_code == 200


def test_text_that_is_not_a_code_is_refused_but_not_counted_as_a_guess(card):
    shared = phone("10.4.0.1")
    for attempt in range(BY_ADDRESS.limit + 5):
        assert shared.get(rate_url(f"nonsense-{attempt}")).status_code == 404
    assert shared.get(rate_url(tokens.rating_short(card))).status_code == 200


@pytest.mark.parametrize("url", ["rating:enter", "rating:thanks"])
def test_a_huge_post_to_a_public_page_is_refused_without_a_500(client, url):
    response = client.post(reverse(url), {"code": "x" * 100_000})
    assert response.status_code == 413


def test_a_huge_rating_post_is_refused_and_stores_nothing(client, card):
    response = client.post(rate_url(tokens.rating_token(card)), {"score": "7", "comment": "x" * 100_000})
    assert response.status_code == 413 and not Rating.objects.exists()
