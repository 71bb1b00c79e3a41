"""Wording and dates (issue 8, section 3): counts agree with their noun, dates inside sentences are written
as the language writes them there, a sentence ending in "2026 г." has one full stop, and a page writes its
dates one way."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from socmon.lib import dates
from socmon.visits import tokens

from .fieldkit import client_with_card, done_visit, make_client
from .planning_kit import client_at, refreshed, visit

pytestmark = pytest.mark.django_db

SATURDAY = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def world(world):
    return refreshed(world)


@pytest.fixture
def saturday():
    with time_machine.travel(SATURDAY, tick=False):
        yield


def _get(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


@pytest.mark.parametrize("language, one", [
    ("en", "visit planned for you today"), ("ru", "посещение запланировано для вас на сегодня"),
    ("ro", "vizită planificată pentru dumneavoastră astăzi")])
def test_one_visit_on_the_home_page_is_counted_in_the_singular(world, login, saturday, language, one):
    visit(world, client_at(world, 43.31, 77.25))
    html = _get(login(world.alice), reverse("home"), language)
    assert '<span class="socmon-stat">1</span>' in html and one in html


@pytest.mark.parametrize("language, heading", [
    ("en", "Saturday, 5 December 2026"), ("ru", "суббота, 5 декабря 2026"), ("kk", "сенбі, 5 желтоқсан 2026"),
    ("az", "şənbə, 5 dekabr 2026")])
def test_the_weekday_and_month_inside_the_live_views_heading_are_written_as_the_language_writes_them(
        world, login, saturday, language, heading):
    html = _get(login(world.heidi), reverse("visits:live", args=[world.home_care.pk]), language)
    assert heading in html.split("<h1", 1)[1].split("</h1>")[0]


def test_azerbaijani_months_with_a_dotted_capital_i_are_lowered_to_a_plain_i():
    with translation.override("az"):
        assert dates.in_text(datetime.date(2026, 6, 5)) == "5 iyun 2026"


def test_the_rating_page_ends_its_russian_date_sentence_with_one_full_stop(world, client, saturday):
    card = client_with_card(world, language="ru")[1]
    done_visit(world, card.client)
    html = client.get(reverse("rating:rate", args=[tokens.rating_token(card)])).content.decode()
    assert "Посещение 5 декабря 2026 г. " in html and "г.." not in html


def test_a_russian_date_range_error_ends_with_one_full_stop():
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        dates.check_between(datetime.date(2030, 1, 1), field="day", earliest=datetime.date(2026, 1, 1),
                            latest=datetime.date(2026, 12, 5))
    message = error.value.message_dict["day"][0]
    assert message.endswith("5 декабря 2026 г.") and "г.." not in message


def test_the_client_page_writes_every_date_in_the_short_form(world, login, saturday):
    person = make_client(world, worker=world.alice)  # born 8 March 1948, consent on 10 January 2026
    html = _get(login(world.alice), reverse("clients:detail", args=[person.pk]), "en")
    assert "08.03.1948" in html and "10.01.2026" in html and "05.12.2026" in html
    assert "March" not in html and "January" not in html and "December" not in html


def test_a_moment_inside_a_sentence_is_written_in_local_time():
    """The visit page's check-in time matches My day's: 04:28 UTC is 09:28 in Almaty, not 04:28."""
    moment = datetime.datetime(2026, 12, 5, 4, 28, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert dates.in_text(moment, "DATETIME_FORMAT") == dates.in_text(timezone.localtime(moment), "DATETIME_FORMAT")
        assert "09:28" in dates.in_text(moment, "DATETIME_FORMAT")
