"""The custom-indicator builder through the front door: Sam (the M&E specialist) defines "share of visits rated 8
or more" and its stored values equal the hand-computed ones; every bad definition is refused with its message and
stores nothing (through the pages and through the service an import or the API would call); Heidi (a head) cannot
reach the builder; replacing makes version 2 and leaves version 1's values as they were; retiring refuses a day
before the first; the breakdown limit refuses with its explanation; two replacements at once have one winner."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from socmon.audit.models import AuditEvent
from socmon.indicators import services
from socmon.indicators.forms import IndicatorForm
from socmon.indicators.models import Indicator, IndicatorValue
from socmon.test import race, web_session
from socmon.visits.models import Rating, Visit

from .kit import client

pytestmark = pytest.mark.django_db

SEP, OCT, NOV = datetime.date(2026, 9, 14), datetime.date(2026, 10, 7), datetime.date(2026, 11, 2)
NEW = reverse("indicators_custom:new")


def rated(world, person, day: datetime.date, score: int) -> Rating:
    """A done visit of `day`, rated `score` by the client (as the visits app stores them)."""
    worker = world.fiona if person.org_unit_id == world.family.pk else world.alice
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    visit = Visit.objects.create(client=person, worker=worker, org_unit=person.org_unit, planned_for=day,
                                 status=Visit.Status.DONE, checked_in_at=start,
                                 checked_out_at=start + datetime.timedelta(minutes=40), created_by=worker)
    return Rating.objects.create(visit=visit, score=score, channel=Rating.Channel.CARD)


@pytest.fixture
def ratings(world):
    """Home Care: September 9, 8, 5; October 10, 3. Family Support: September 8, 7."""
    amina = client(world, world.home_care, first="Amina")
    dana = client(world, world.family, first="Dana")
    for day, score in [(SEP, 9), (SEP + datetime.timedelta(days=1), 8), (SEP + datetime.timedelta(days=2), 5),
                       (OCT, 10), (OCT + datetime.timedelta(days=1), 3)]:
        rated(world, amina, day, score)
    for day, score in [(SEP, 8), (SEP + datetime.timedelta(days=3), 7)]:
        rated(world, dana, day, score)
    return {"amina": amina, "dana": dana}


def share(**changes) -> dict:
    """The builder's form for "share of visits rated 8 or more", as Sam fills it in."""
    data = {"code": "VR8", "name": "Share of visits rated 8 or more", "definition": "Visits rated 8, 9 or 10 out "
            "of all rated visits.", "outcome": "Clients are satisfied with each visit", "kind": "satisfaction",
            "direct": "yes", "quantitative": "yes", "collected": "Q", "data_source": "Ratings of visits",
            "higher_is_better": "yes", "num_fact": "ratings", "num_measure": "count", "num_f_score_at_least": "8",
            "ratio": "on", "den_fact": "ratings", "den_measure": "count", "percent": "on", "dimensions": ["sex"],
            "valid_from": "2026-01-01", "quality": ["measurable", "verifiable"]}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def stored(indicator: Indicator, unit, period_type: str, start: datetime.date, dimension="", member="") -> tuple:
    row = IndicatorValue.objects.get(indicator=indicator, org_unit=unit, period_type=period_type,
                                     period_start=start, dimension=dimension, member=member)
    return row.numerator, row.denominator, row.value


def snapshot(indicator: Indicator) -> set:
    return set(IndicatorValue.objects.filter(indicator=indicator).values_list(
        "org_unit", "period_type", "period_start", "dimension", "member", "numerator", "denominator", "computed_at"))


def test_a_specialist_defines_the_share_of_visits_rated_8_or_more_and_its_values_are_computed_at_once(
        world, ratings, login):
    response = login(world.sam).post(NEW, share(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("indicators:detail", args=["VR8"]) + "?version=1"
    assert "VR8 version 1 was saved and its values computed" in response.content.decode()
    indicator = Indicator.objects.get(code="VR8")
    assert indicator.spec == {
        "numerator": [{"fact": "ratings", "measure": "count", "filters": {"score_at_least": 8}}],
        "denominator": [{"fact": "ratings", "measure": "count"}], "percent": True,
        "reported": {"fact": "ratings", "measure": "count"}, "quality": ["measurable", "verifiable"]}
    assert (indicator.version, indicator.kind, indicator.collected, indicator.dimensions, indicator.created_by) == (
        1, "satisfaction", "Q", ["sex"], world.sam)
    # By hand: Home Care September 2 of 3, October 1 of 2; Family Support September 1 of 2.
    assert stored(indicator, world.home_care, "M", datetime.date(2026, 9, 1)) == (2, 3, 66.7)
    assert stored(indicator, world.home_care, "M", datetime.date(2026, 10, 1)) == (1, 2, 50.0)
    assert stored(indicator, world.family, "M", datetime.date(2026, 9, 1)) == (1, 2, 50.0)
    assert stored(indicator, world.centre, "Q", datetime.date(2026, 7, 1)) == (3, 5, 60.0)
    assert stored(indicator, world.centre, "Q", datetime.date(2026, 10, 1)) == (1, 2, 50.0)
    assert stored(indicator, world.country, "Y", datetime.date(2026, 1, 1)) == (4, 7, 57.1)
    assert stored(indicator, world.north, "H", datetime.date(2026, 7, 1), "sex", "female") == (4, 7, 57.1)
    assert not IndicatorValue.objects.filter(indicator=indicator, dimension="age").exists()  # not chosen
    event = AuditEvent.objects.get(action="indicators.indicator_defined")
    assert (event.actor, event.target_id, event.detail["code"]) == (world.sam, str(indicator.pk), "VR8")
    # The quality list is a prompt: what was left unticked is named, nothing is refused.
    assert "think again about what you did not tick: Accessible and practical" in response.content.decode()


def test_the_form_brings_the_chosen_facts_own_measures_and_filters_without_saving(world, login):
    browser = login(world.sam)
    page = browser.get(NEW).content.decode()
    assert "Choose a kind of record to see how it can be counted and filtered." in page
    chosen = browser.post(NEW, {"num_fact": "ratings", "code": "VR8", "choose": "num"})
    page = chosen.content.decode()
    assert chosen.status_code == 200 and "There is a problem" not in page
    assert "Score at least" in page and "Number of distinct clients" in page and "Sum of score (1–10)" in page
    assert 'value="VR8"' in page  # what was typed stays
    activities = browser.post(NEW, {"num_fact": "activities", "choose": "num"}).content.decode()
    assert "Kind of activity" in activities and "At least one client attended" in activities
    assert "Number of distinct clients" not in activities and "Sum of" not in activities
    assert not Indicator.objects.filter(code="VR8").exists()


BAD = [
    ("an unknown fact", {"num_fact": "wishes"}, "There is no kind of record called “wishes”"),
    ("an unknown field", {"num_measure": "sum:minutes"}, "have no field “minutes” to add up; they have: score"),
    ("distinct clients of a fact without clients", {"num_fact": "activities", "num_measure": "distinct_clients",
                                                    "num_f_score_at_least": None},
     "Activities are not about one client each, so they cannot be counted as distinct clients."),
    ("a sum of a fact without sums", {"den_fact": "visits", "den_measure": "sum:minutes"},
     "Home visits (by the planned day) have no numbers to add up: count them instead."),
    ("a minimum filter refusing the value", {"num_f_score_at_least": "-3"}, "“-3” is not a value “score at least” "
                                                                            "accepts."),
    ("a choice filter refusing the value", {"den_fact": "visits", "den_f_status": ["late", "done"]},
     "is not a value “status” accepts."),
    ("a ratio with an empty denominator", {"den_fact": "", "den_measure": None},
     "A ratio needs a denominator: choose the kind of record the count is divided by."),
    ("a percentage without a ratio", {"ratio": None, "den_fact": "", "den_measure": None},
     "Only a ratio can be shown as a percentage"),
    ("a built-in code", {"code": "ip2"}, "IP2 is a built-in indicator: choose another code"),
    ("a code that is not slug-like", {"code": "VR 8!"}, "Use up to 20 letters, numbers, hyphens or underscores"),
    ("no measure chosen", {"num_measure": None}, "Choose how to count them"),
    ("a day outside the sane range", {"valid_from": "1901-01-01"}, "Give a date between 2000 and 2100."),
]


@pytest.mark.parametrize("what, changes, message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_definition_is_refused_with_its_message_and_nothing_is_stored(world, login, what, changes, message):
    response = login(world.sam).post(NEW, share(**changes))
    assert response.status_code == 400, what
    assert message in response.content.decode()
    assert Indicator.objects.count() == 11 and not AuditEvent.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_an_empty_form_names_every_missing_answer_at_once(world, login):
    response = login(world.sam).post(NEW, {"direct": "yes", "quantitative": "yes", "higher_is_better": "yes"})
    page = response.content.decode()
    assert response.status_code == 400
    for message in ("Code: Enter a code for the indicator.", "Name of the indicator: Enter the indicator",
                    "Kind: Choose the kind", "Kind of record to count: Choose the kind of record to count.",
                    "Valid from: Enter the day."):
        assert message in page, message
    assert not Indicator.objects.filter(built_in=False).exists()


def test_a_duplicate_code_is_refused(world, login):
    browser = login(world.sam)
    assert browser.post(NEW, share()).status_code == 302
    again = browser.post(NEW, share(code="vr8", name="Another"))
    assert again.status_code == 400
    assert "Another indicator already uses the code vr8" in again.content.decode()
    assert Indicator.objects.filter(code__iexact="vr8").count() == 1


def test_the_service_is_the_guard_whoever_calls_it(world):
    """An import or the API calls the service directly: the same checks, the same messages, nothing stored."""
    description = services.Description(name="Share", kind="satisfaction")
    cases = [
        ({"numerator": [{"fact": "ratings", "measure": "sum", "field": "stars"}]}, "numerator.field"),
        ({"numerator": [{"fact": "ratings"}], "denominator": []}, "denominator.fact"),
        ({"numerator": [{"fact": "ratings", "filters": {"score_at_least": "8"}}]}, "numerator.filters.score_at_least"),
        ({"numerator": [{"fact": "ratings", "filters": {"colour": "red"}}]}, "numerator.filters.colour"),
        ({"numerator": [{"fact": "cases", "filters": {"status": "sleeping"}}]}, "numerator.filters.status"),
        ({"numerator": [{"fact": "ratings"}], "formula": "1/0"}, "spec"),
        ({"numerator": [{"fact": ["ratings"], "measure": {"count": 1}}]}, "numerator.fact"),
        ({"numerator": [{"fact": "ratings", "measure": ["sum"]}]}, "numerator.measure"),
        ({"numerator": [{"fact": "ratings"}], "quality": [{"measurable": True}]}, "quality"),
    ]
    for spec, key in cases:
        with pytest.raises(ValidationError) as refused:
            services.define_indicator(by=world.sam, code="X1", description=description, spec=spec,
                                      dimensions=[], valid_from=datetime.date(2026, 1, 1))
        assert key in refused.value.error_dict, spec
    with pytest.raises(ValidationError) as refused:
        services.define_indicator(by=world.sam, code="X1", description=description,
                                  spec={"numerator": [{"fact": "ratings"}]}, dimensions=["sex", "religion"],
                                  valid_from=datetime.date(2026, 1, 1))
    assert "dimensions" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        services.define_indicator(by=world.heidi, code="X1", description=description,
                                  spec={"numerator": [{"fact": "ratings"}]}, dimensions=[],
                                  valid_from=datetime.date(2026, 1, 1))
    assert not Indicator.objects.filter(code="X1").exists() and not AuditEvent.objects.exists()


def test_a_head_cannot_reach_the_builder(world, login):
    browser = login(world.heidi)
    for url in (NEW, reverse("indicators_custom:list"), reverse("indicators_custom:replace", args=["IP1"]),
                reverse("indicators_custom:retire", args=["IP1"])):
        assert browser.get(url).status_code == 403, url
        assert browser.post(url, share()).status_code == 403, url
    assert Indicator.objects.count() == 11 and Indicator.objects.get(code="IP1").valid_to is None


def test_the_breakdown_limit_refuses_with_its_explanation(world, login, settings):
    settings.SOCMON_INDICATOR_MAX_CELLS = 7
    response = login(world.sam).post(NEW, share(dimensions=["sex", "age"]))
    assert response.status_code == 400
    assert ("These breakdowns would store 8 values for every unit and period (the total, 2 by sex, 5 by age "
            "group), more than the limit of 7. Each breakdown is stored on its own, never crossed with another"
            ) in response.content.decode()
    assert not Indicator.objects.filter(code="VR8").exists()
    assert login(world.sam).post(NEW, share(dimensions=["sex"])).status_code == 302  # 1 + 2 fits


def test_replacing_makes_version_2_and_leaves_version_1s_values_untouched(world, ratings, login):
    browser = login(world.sam)
    browser.post(NEW, share())
    first = Indicator.objects.get(code="VR8")
    rated(world, ratings["amina"], NOV, 9)
    before = snapshot(first)
    assert before
    url = reverse("indicators_custom:replace", args=["VR8"])
    page = browser.get(url).content.decode()
    assert 'value="Share of visits rated 8 or more"' in page and 'name="replacing" value="1"' in page
    response = browser.post(url, share(code=None, num_f_score_at_least="9", valid_from="2026-11-01", replacing="1"))
    assert response.status_code == 302
    second = Indicator.objects.get(code="VR8", version=2)
    first.refresh_from_db()
    assert second.replaces == first and first.valid_to == datetime.date(2026, 10, 31)
    assert second.spec["numerator"][0]["filters"] == {"score_at_least": 9}
    assert snapshot(first) == before  # not recomputed: its values stay as they were published
    assert stored(second, world.home_care, "M", datetime.date(2026, 11, 1)) == (1, 1, 100.0)
    assert not IndicatorValue.objects.filter(indicator=second, period_type="M",
                                             period_start__lt=datetime.date(2026, 11, 1)).exists()
    assert AuditEvent.objects.filter(action="indicators.indicator_replaced", target_id=str(second.pk)).exists()
    # The same form sent again (a second tab): version 1 is no longer the newest, so nothing is saved.
    again = browser.post(url, share(code=None, valid_from="2026-12-01", replacing="1"))
    assert again.status_code == 400
    assert "VR8 version 1 has been replaced by version 2 meanwhile, so nothing was saved." in again.content.decode()
    assert Indicator.objects.filter(code="VR8").count() == 2


def test_a_replacement_must_leave_the_old_version_a_day(world, login):
    browser = login(world.sam)
    browser.post(NEW, share())
    response = browser.post(reverse("indicators_custom:replace", args=["VR8"]),
                            share(code=None, valid_from="2026-01-01", replacing="1"))
    assert response.status_code == 400
    assert "The new version must start after 2026-01-01, the first day of version 1" in response.content.decode()
    assert Indicator.objects.filter(code="VR8").count() == 1


def as_sent(initial: dict) -> dict:
    """A prefilled form as the browser sends it back unchanged."""
    sent = {}
    for key, value in initial.items():
        if value is True:
            sent[key] = "on"
        elif isinstance(value, datetime.date):
            sent[key] = value.isoformat()
        elif value not in (False, None):
            sent[key] = value
    return sent


def test_replacing_a_built_in_copies_its_definition_into_the_form(world, login):
    ip5 = Indicator.objects.get(code="IP5")
    browser = login(world.sam)
    url = reverse("indicators_custom:replace", args=["IP5"])
    page = browser.get(url).content.decode()
    assert 'value="Participants in open activities"' in page
    assert "Other participants at activities (head counts): Sum of number of people; kind of activity: " in page
    data = as_sent(IndicatorForm.initial_from(ip5))
    data.update(valid_from="2026-12-01", keep_extra="on")
    assert browser.post(url, data).status_code == 302
    second = Indicator.objects.get(code="IP5", version=2)
    assert [(s["fact"], s["measure"]) for s in second.spec["numerator"]] == [
        ("attendance", "distinct_clients"), ("other_participants", "sum")]
    assert second.spec["numerator"][0]["filters"] == {"kind": ["open"]}
    assert second.spec["reported"] == ip5.spec["reported"] == {"fact": "activities", "measure": "count"}
    assert (second.name, second.built_in, second.dimensions) == ("Participants in open activities", False,
                                                                  ["sex", "age", "category"])
    ip5.refresh_from_db()
    assert ip5.valid_to == datetime.date(2026, 11, 30)


def test_retiring_refuses_a_day_before_the_first_and_then_retires(world, login):
    browser = login(world.sam)
    browser.post(NEW, share())
    url = reverse("indicators_custom:retire", args=["VR8"])
    early = browser.post(url, {"valid_to": "2025-12-31", "version": "1"})
    assert early.status_code == 400
    assert "The last day cannot be before the indicator" in early.content.decode()
    assert Indicator.objects.get(code="VR8").valid_to is None
    assert browser.post(url, {"valid_to": "2026-12-31", "version": "1"}).status_code == 302
    assert Indicator.objects.get(code="VR8").valid_to == datetime.date(2026, 12, 31)
    event = AuditEvent.objects.get(action="indicators.indicator_retired")
    assert (event.actor, event.detail["valid_to"]) == (world.sam, "2026-12-31")
    again = browser.post(url, {"valid_to": "2026-12-15", "version": "1"})
    assert again.status_code == 400 and "VR8 is already retired: its last day is 2026-12-31." in again.content.decode()
    # A built-in is retired the same way.
    assert browser.post(reverse("indicators_custom:retire", args=["IR3"]),
                        {"valid_to": "2026-12-31", "version": "1"}).status_code == 302
    assert Indicator.objects.get(code="IR3").valid_to == datetime.date(2026, 12, 31)


def test_the_list_offers_replace_and_retire_for_the_newest_versions(world, login, django_assert_max_num_queries):
    browser = login(world.sam)
    with django_assert_max_num_queries(8):  # session, user, memberships, the indicators…: not one per row
        page = browser.get(reverse("indicators_custom:list")).content.decode()
    assert page.count("/replace/") == 11 and reverse("indicators_custom:retire", args=["IS2"]) in page


@pytest.mark.django_db(transaction=True)
def test_two_replacements_at_once_have_one_winner_and_the_other_is_told(world, live_server):
    Indicator.objects.filter(code="IP1").update(valid_from=datetime.date(2026, 1, 1))
    ip1 = Indicator.objects.get(code="IP1")
    data = as_sent(IndicatorForm.initial_from(ip1))
    url = reverse("indicators_custom:replace", args=["IP1"])
    for tries, start in enumerate(["2026-12-01", "2027-01-01", "2027-02-01"]):
        sessions = [web_session(live_server.url, world.sam) for _ in range(2)]
        sent = {**data, "valid_from": start, "replacing": str(ip1.version + tries)}
        answers = race(2, lambda i, sessions=sessions, sent=sent: sessions[i].post(
            sessions[i].url(url), data=sent, allow_redirects=False, timeout=30))
        assert not any(isinstance(a, Exception) for a in answers), answers
        assert sorted(a.status_code for a in answers) == [302, 400], answers
        loser = next(a for a in answers if a.status_code == 400)
        assert "has been replaced by version" in loser.text
    assert list(Indicator.objects.filter(code="IP1").values_list("version", flat=True)) == [1, 2, 3, 4]
