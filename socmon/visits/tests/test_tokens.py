"""The card's two codes and the one-time rating code: what they accept and what they refuse, and why."""

import datetime
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socmon.visits import services, tokens
from socmon.visits.models import Rating
from socmon.visits.tokens import Reason, TokenRejected

from .fieldkit import client_with_card, done_visit

pytestmark = pytest.mark.django_db


def rejected(reader, text) -> Reason:
    with pytest.raises(TokenRejected) as info:
        reader(text)
    return info.value.reason


@pytest.fixture
def card(world):
    return client_with_card(world)[1]


@pytest.fixture
def visit(world, card):
    return done_visit(world, card.client)


def test_check_in_code_names_the_card_and_nothing_personal(world, card):
    token = tokens.check_in_token(card)
    assert tokens.read_check_in(token) == card
    for personal in (card.client.first_name, card.client.last_name, card.client.code, card.client.address):
        assert personal not in token
    assert tokens.read_check_in(tokens.check_in_short(card)) == card


def test_typed_codes_are_short_unambiguous_and_forgiving(card):
    code = tokens.check_in_short(card)
    bare = code.replace("-", "")
    assert 9 <= len(bare) <= 10
    assert not set(bare) & set("01ILO")
    assert tokens.read_check_in(f"  {bare.lower()} ") == card
    assert tokens.read_check_in(" ".join(code.split("-"))) == card


def test_a_scanned_url_is_read_for_its_code(card):
    token = tokens.check_in_token(card)
    assert tokens.read_check_in(f"http://127.0.0.1:8000/visits/check-in/?code={token}") == card


def test_codes_of_one_kind_are_refused_as_another(world, card, visit):
    assert rejected(tokens.read_check_in, tokens.rating_token(card)) == Reason.WRONG_KIND
    assert rejected(tokens.read_check_in, tokens.one_time_token(visit)) == Reason.WRONG_KIND
    assert rejected(tokens.read_check_in, tokens.rating_short(card)) == Reason.WRONG_KIND
    assert rejected(tokens.read_rating, tokens.check_in_token(card)) == Reason.WRONG_KIND
    assert rejected(tokens.read_rating, tokens.check_in_short(card)) == Reason.WRONG_KIND


def test_card_rating_code_rates_the_latest_checked_out_visit(world, card, visit):
    target = tokens.read_rating(tokens.rating_token(card))
    assert target.visit == visit and target.channel == Rating.Channel.CARD
    assert tokens.read_rating(tokens.rating_short(card)).visit == visit


def test_one_time_code_rates_its_own_visit(world, card, visit):
    target = tokens.read_rating(tokens.one_time_token(visit))
    assert target.visit == visit and target.channel == Rating.Channel.ONE_TIME
    assert tokens.read_rating(tokens.one_time_short(visit)).visit == visit


def test_reissued_card_revokes_both_old_codes(world, card, visit):
    old = [tokens.check_in_token(card), tokens.check_in_short(card)]
    old_rating = [tokens.rating_token(card), tokens.rating_short(card)]
    new = services.issue_card(by=world.heidi, client=card.client)
    for code in old:
        assert rejected(tokens.read_check_in, code) == Reason.REVOKED
    for code in old_rating:
        assert rejected(tokens.read_rating, code) == Reason.REVOKED
    assert tokens.read_check_in(tokens.check_in_token(new)) == new
    assert tokens.read_rating(tokens.rating_token(new)).visit == visit


def test_rating_after_the_window_is_refused(world, card, settings):
    settings.SOCMON_RATING_WINDOW_MINUTES = 30
    late = done_visit(world, card.client, minutes_ago=31)
    assert rejected(tokens.read_rating, tokens.rating_token(card)) == Reason.EXPIRED
    assert rejected(tokens.read_rating, tokens.one_time_token(late)) == Reason.EXPIRED


def test_a_visit_not_yet_checked_out_cannot_be_rated(world, card):
    assert rejected(tokens.read_rating, tokens.rating_token(card)) == Reason.NO_VISIT
    services.check_in(by=world.alice, client=card.client)
    assert rejected(tokens.read_rating, tokens.rating_token(card)) == Reason.NO_VISIT


def test_a_used_code_is_refused_the_second_time(world, card, visit):
    services.rate_visit(token=tokens.one_time_token(visit), score=9)
    assert rejected(tokens.read_rating, tokens.one_time_token(visit)) == Reason.USED
    assert rejected(tokens.read_rating, tokens.rating_token(card)) == Reason.USED
    with pytest.raises(TokenRejected):
        services.rate_visit(token=tokens.rating_token(card), score=2)
    assert Rating.objects.get().score == 9


def test_another_clients_code_never_reaches_this_visit(world, card, visit):
    other_client, other_card = client_with_card(world, first="Ion", last="Rusu")
    other_visit = done_visit(world, other_client)
    assert tokens.read_rating(tokens.rating_token(other_card)).visit == other_visit
    assert tokens.read_rating(tokens.rating_token(card)).visit == visit
    # Splicing one visit's nonce onto another visit's id is a forgery.
    token = tokens.one_time_token(visit)
    payload = tokens.signing.Signer(salt=tokens.SALTS[tokens.Kind.ONE_TIME]).unsign_object(token)
    spliced = tokens.signing.Signer(salt="not-ours").sign_object([other_visit.pk, payload[1]])
    assert rejected(tokens.read_rating, spliced) in {Reason.FORGED, Reason.MALFORMED}


def test_reasons_for_broken_codes(card):
    token = tokens.check_in_token(card)
    assert rejected(tokens.read_check_in, token[:-5]) == Reason.MALFORMED
    assert rejected(tokens.read_check_in, "") == Reason.MALFORMED
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert rejected(tokens.read_check_in, flipped) == Reason.FORGED
    short = tokens.check_in_short(card).replace("-", "")
    assert rejected(tokens.read_check_in, short[:-2]) in {Reason.MALFORMED, Reason.FORGED}
    assert rejected(tokens.read_check_in, short[:-1] + ("Z" if short[-1] != "Z" else "Y")) == Reason.FORGED


def test_every_reason_has_a_message():
    assert set(tokens.MESSAGES) == set(Reason)


@st.composite
def mutations(draw, original: str):
    """A mutated copy of `original`: characters replaced, inserted, deleted, or cut short."""
    text = list(original)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        char = draw(st.characters(codec="utf-8"))
        if op == "replace" and text:
            text[at] = char
        elif op == "insert":
            text.insert(at, char)
        elif op == "delete" and text:
            del text[at]
        else:
            text = text[:at]
    return "".join(text)


# No example database: nothing written into the working tree; a failure prints its example to reproduce.
HYPOTHESIS = settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _check_never_accepted(reader, original, mutated, accepted_ok):
    if tokens.as_read(mutated) == tokens.as_read(original):
        return  # the same code again, reformatted as the readers normalise it (their own function)
    try:
        result = reader(mutated)
    except TokenRejected:
        return
    assert accepted_ok(result), f"accepted a mutated code {mutated!r} of {original!r}"


class TestGeneratedForgeries:
    """Thousands of mutated, truncated and invented codes; none is accepted."""

    @HYPOTHESIS
    @given(data=st.data())
    def test_mutated_check_in_tokens_are_refused(self, world_and_card, data):
        card = world_and_card
        original = tokens.check_in_token(card)
        mutated = data.draw(mutations(original))
        # Base64 may decode a mutated payload to the same ids only if the signature still matches: then it
        # is the genuine code, which is the one acceptable outcome.
        _check_never_accepted(tokens.read_check_in, original, mutated, lambda c: c == card and mutated == original)

    @HYPOTHESIS
    @given(data=st.data())
    def test_mutated_typed_codes_are_refused(self, world_and_card, data):
        card = world_and_card
        original = tokens.check_in_short(card)
        mutated = data.draw(mutations(original))
        _check_never_accepted(tokens.read_check_in, original, mutated, lambda c: False)

    @HYPOTHESIS
    @given(data=st.data())
    def test_mutated_rating_tokens_are_refused(self, rated_setup, data):
        card, visit = rated_setup
        original = data.draw(st.sampled_from([tokens.rating_token(card), tokens.one_time_token(visit),
                                              tokens.rating_short(card), tokens.one_time_short(visit)]))
        mutated = data.draw(mutations(original))
        _check_never_accepted(tokens.read_rating, original, mutated, lambda t: False)

    @HYPOTHESIS
    @given(text=st.text(max_size=120))
    def test_invented_text_is_refused(self, world_and_card, text):
        for reader in (tokens.read_check_in, tokens.read_rating):
            with pytest.raises(TokenRejected):
                reader(text)

    @HYPOTHESIS
    @given(code=st.text(alphabet=tokens.CODE_ALPHABET + "-", min_size=9, max_size=13))
    def test_invented_typed_codes_are_refused(self, rated_setup, code):
        for reader in (tokens.read_check_in, tokens.read_rating):
            with pytest.raises(TokenRejected):
                reader(code)

    @HYPOTHESIS
    @given(payload=st.lists(st.integers(-5, 10_000) | st.text(max_size=10), min_size=0, max_size=3),
           salt=st.sampled_from(["", "socmon", "socmon.visits.card", "django.core.signing"]))
    def test_payloads_signed_under_other_salts_are_refused(self, world_and_card, payload, salt):
        token = tokens.signing.Signer(salt=salt).sign_object(payload)
        for reader in (tokens.read_check_in, tokens.read_rating):
            with pytest.raises(TokenRejected):
                reader(token)


@pytest.fixture
def world_and_card(world):
    return client_with_card(world)[1]


@pytest.fixture
def rated_setup(world):
    client, card = client_with_card(world)
    return card, done_visit(world, client)


def test_a_rating_code_stops_working_once_the_visit_is_rated_through_either_channel(world, card, visit):
    services.rate_visit(token=tokens.rating_short(card), score=7)
    assert rejected(tokens.read_rating, tokens.one_time_short(visit)) == Reason.USED


def test_a_new_visit_moves_the_card_rating_to_it(world, card, visit):
    services.rate_visit(token=tokens.rating_token(card), score=6)
    later = done_visit(world, card.client, minutes_ago=1)
    assert tokens.read_rating(tokens.rating_token(card)).visit == later
    # The first visit's one-time code still names the first visit: already rated.
    assert rejected(tokens.read_rating, tokens.one_time_token(visit)) == Reason.USED


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ratings_of_one_visit_store_exactly_one(world):
    client, card = client_with_card(world)
    visit = done_visit(world, client)
    codes = [tokens.rating_token(card), tokens.one_time_token(visit)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def rate(code, score):
        barrier.wait()
        try:
            # The test database is SQLite's shared-cache memory database, which answers a concurrent writer
            # "table is locked" at once instead of waiting like the file database does: retry as a client would.
            for _attempt in range(50):
                try:
                    services.rate_visit(token=code, score=score)
                    outcomes.append("stored")
                    return
                except OperationalError:
                    time.sleep(0.02)
                except TokenRejected as rejection:
                    outcomes.append(rejection.reason)
                    return
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(code, score)) for code, score in zip(codes, (3, 10), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["stored", Reason.USED])
    assert Rating.objects.filter(visit=visit).count() == 1


def test_the_database_refuses_a_second_rating_even_past_the_read_check(world, card, visit, monkeypatch):
    services.rate_visit(token=tokens.one_time_token(visit), score=4)
    # Pretend the "already rated?" read saw nothing (as in a race): the unique constraint still holds.
    monkeypatch.setattr(tokens, "_rateable", lambda v, now=None: v)
    with pytest.raises(TokenRejected) as info:
        services.rate_visit(token=tokens.rating_token(card), score=10)
    assert info.value.reason == Reason.USED
    assert list(Rating.objects.values_list("score", flat=True)) == [4]


def test_rating_window_is_measured_from_check_out(world, card, settings):
    settings.SOCMON_RATING_WINDOW_MINUTES = 120
    visit = done_visit(world, card.client, minutes_ago=1)
    later = visit.checked_out_at + datetime.timedelta(minutes=119)
    assert tokens.read_rating(tokens.rating_token(card), now=later).visit == visit
    too_late = visit.checked_out_at + datetime.timedelta(minutes=121)
    assert rejected(lambda t: tokens.read_rating(t, now=too_late), tokens.rating_token(card)) == Reason.EXPIRED
    assert timezone.now() < too_late


def test_a_typed_code_framed_by_unicode_spaces_is_the_same_code_to_the_reader_and_to_the_forgery_check(world_and_card):
    card = world_and_card
    original = tokens.check_in_short(card)
    reformatted = "\u2003" + original.replace("-", "").lower() + "\xa0"
    assert tokens.read_check_in(reformatted) == card
    _check_never_accepted(tokens.read_check_in, original, reformatted, lambda c: False)
