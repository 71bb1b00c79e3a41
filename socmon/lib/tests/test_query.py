"""Values read from an address never reach the database as something it refuses."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from socmon.lib import dates
from socmon.lib.query import MAX_QUERY_LENGTH, clean_query, day_from_query

TODAY = datetime.date(2026, 12, 31)


@given(st.text())
def test_a_search_term_never_holds_a_control_character_or_runs_long(text):
    cleaned = clean_query(text)
    assert "\x00" not in cleaned and len(cleaned) <= MAX_QUERY_LENGTH
    assert cleaned == cleaned.strip()


@given(st.dates())
def test_a_day_from_the_address_is_used_only_within_range(day):
    shown, problem = day_from_query({"date": day.isoformat()}, today=TODAY)
    if dates.EARLIEST <= day <= dates.horizon(TODAY):
        assert (shown, problem) == (day, "")
    else:
        assert shown == TODAY and "Today is shown instead" in problem


@given(st.text(max_size=30))
def test_anything_typed_as_a_day_gives_a_day(value):
    shown, _problem = day_from_query({"date": value}, today=TODAY)
    assert dates.EARLIEST <= shown <= dates.horizon(TODAY)
