"""The client's timeline: visits with services, minutes, notes and rating, case events and referrals,
newest first, by day, paged by whole days, within what the viewer may see."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socmon.cases import services as case_services
from socmon.cases.models import CaseEvent
from socmon.cases.tests import factories
from socmon.test import TEST_NOW
from socmon.visits.models import Rating
from socmon.visits.tests.planning_kit import done

pytestmark = pytest.mark.django_db
TODAY = TEST_NOW.date()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def position(html: str, marker: str) -> int:
    assert marker in html, marker
    return html.index(marker)


@pytest.fixture
def story(world):
    """A case made active ten days ago, a visit five days ago, a referral sent and accepted today."""
    with time_machine.travel(TEST_NOW - datetime.timedelta(days=10), tick=False):
        case = factories.case_in(world, "active")
    help_at_home = factories.service()
    visit = done(world, case.client, day=days_ago(5), minutes=50,
                 services=[(help_at_home, 35), (factories.service("shopping", "Shopping", 20), 15)])
    visit.notes = "Fridge almost empty; asked about a food parcel."
    visit.save(update_fields=["notes"])
    Rating.objects.filter(visit=visit).delete()
    Rating.objects.create(visit=visit, score=8, comment="Kind and on time", channel=Rating.Channel.CARD)
    referral = case_services.send_referral(by=world.alice, case=case, programme="Meals on wheels", kind="standard",
                                           programme_kind="food", notes="Needs a hot meal daily",
                                           to_external="Red Crescent kitchen")
    case_services.answer_referral(by=world.alice, referral=referral, accept=True)
    return case, visit, referral


def test_the_timeline_shows_a_visit_with_services_minutes_notes_and_rating_and_case_events_newest_first(
        login, world, story):
    case, visit, referral = story
    html = login(world.alice).get(reverse("clients:detail", args=[case.client.pk])).content.decode()
    accepted = CaseEvent.objects.get(case=case, kind="referral_accepted")
    sent = CaseEvent.objects.get(case=case, kind="referral_sent")
    approved = CaseEvent.objects.get(case=case, kind="plan_approved")
    opened = CaseEvent.objects.get(case=case, kind="opened")
    order = [position(html, f'id="timeline-event-{accepted.pk}"'), position(html, f'id="timeline-event-{sent.pk}"'),
             position(html, f'id="timeline-visit-{visit.pk}"'), position(html, f'id="timeline-event-{approved.pk}"')]
    assert order == sorted(order)
    entry = html[order[2]:order[3]]
    assert "Help at home: 35 min" in entry and "Shopping: 15 min" in entry and "In all: 50 min" in entry
    assert "Fridge almost empty" in entry
    assert "The person's rating: 8 out of 10" in entry and "Kind and on time" in entry
    referral_entry = html[order[1]:order[2]]
    assert "Meals on wheels</a> (Food)" in referral_entry and "To: Red Crescent kitchen" in referral_entry
    assert "Referral accepted" in html[order[0]:order[1]]
    assert position(html, f'id="timeline-event-{opened.pk}"') > order[3]  # the day's events, each once


def test_the_timeline_groups_entries_by_day(login, world, story):
    case, visit, _referral = story
    html = login(world.heidi).get(reverse("clients:detail", args=[case.client.pk])).content.decode()
    assert f'<time datetime="{days_ago(5).isoformat()}">' in html
    assert html.count(f'<time datetime="{TODAY.isoformat()}">') == 1  # the day's two referral events under one date


def test_the_timeline_pages_by_whole_days_and_costs_the_same_for_a_long_history(login, world):
    client = factories.client(world, worker=world.alice)
    visits = [done(world, client, day=days_ago(n)) for n in range(1, 13)]
    second_on_tenth_day = done(world, client, day=days_ago(10), started=timezone.make_aware(
        datetime.datetime.combine(days_ago(10), datetime.time(15, 0))))
    browser = login(world.alice)
    first = browser.get(reverse("clients:detail", args=[client.pk])).content.decode()
    shown = [v for v in visits + [second_on_tenth_day] if f'id="timeline-visit-{v.pk}"' in first]
    # Days 1 to 10 (the tenth with both its visits: a day is never split), then a link to the older ones.
    assert shown == visits[:10] + [second_on_tenth_day]
    older_url = reverse("clients:timeline", args=[client.pk]) + f"?before={days_ago(10).isoformat()}"
    assert older_url in first
    second = browser.get(older_url).content.decode()
    assert [v for v in visits + [second_on_tenth_day] if f'id="timeline-visit-{v.pk}"' in second] == visits[10:]
    assert "Older entries" not in second and "Newest entries" in second

    for n in range(13, 80):
        done(world, client, day=days_ago(n))
    with CaptureQueriesContext(connection) as short_history:
        browser.get(reverse("clients:timeline", args=[client.pk]))
    for n in range(80, 240):
        done(world, client, day=days_ago(n))
    with CaptureQueriesContext(connection) as long_history:
        browser.get(reverse("clients:timeline", args=[client.pk]))
    assert len(long_history) == len(short_history)


def test_a_worker_sees_the_visits_the_visit_pages_let_them_open_and_the_head_sees_all(login, world, story):
    case, visit, _referral = story
    covering = done(world, case.client, worker=world.bob, day=days_ago(3), services=[(factories.service(), 30)],
                    score=6)
    marker = f'id="timeline-visit-{covering.pk}"'
    assert marker not in login(world.alice).get(reverse("clients:detail", args=[case.client.pk])).content.decode()
    html = login(world.heidi).get(reverse("clients:detail", args=[case.client.pk])).content.decode()
    assert marker in html and "6 out of 10" in html


@pytest.mark.parametrize("name", ["clients:detail", "clients:timeline"])
def test_a_worker_of_another_institution_gets_not_found(login, world, story, name):
    case, _visit, _referral = story
    response = login(world.walt).get(reverse(name, args=[case.client.pk]))
    assert response.status_code == 404


def test_a_client_without_history_has_an_empty_timeline(login, world):
    client = factories.client(world, worker=world.alice)
    html = login(world.alice).get(reverse("clients:timeline", args=[client.pk])).content.decode()
    assert "No earlier entries." in html


def test_a_bad_cursor_shows_the_newest_entries_and_says_why(login, world, story):
    case, visit, _referral = story
    html = login(world.alice).get(reverse("clients:timeline", args=[case.client.pk]), {"before": "soon"}).content
    assert b"is not a date" in html and f'id="timeline-visit-{visit.pk}"'.encode() in html
