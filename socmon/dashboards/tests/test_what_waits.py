"""The home page says what waits: a worker's returned and approved steps and overdue reviews, a head's
approvals with how long they wait, a director's figures; nobody is offered what they cannot use."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from socmon.cases import services
from socmon.cases.tests.factories import case_in
from socmon.visits.tests.planning_kit import client_at, counted, done, refreshed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


def section(html: str, marker: str) -> str:
    return html.split(marker)[1].split("</dl>")[0]


def test_a_worker_sees_a_case_returned_to_them_with_the_heads_comment(world, login):
    case = case_in(world, "assessment_submitted")
    services.decide_assessment(by=world.heidi, case=case, version=case.version, approve=False,
                               comment="Add the housing notes.")
    html = login(world.alice).get("/").content.decode()
    returned = section(html, 'id="cases-returned"')
    assert case.client.code in returned and "Assessment returned for changes" in returned
    assert "Add the housing notes." in returned and f'href="/cases/{case.pk}/"' in returned
    assert 'id="cases-returned"' not in login(world.bob).get("/").content.decode()  # not bob's case


def test_a_worker_sees_a_step_approved_recently(world, login):
    case = case_in(world, "planning")  # the assessment approved by heidi
    approved = section(login(world.alice).get("/").content.decode(), 'id="cases-approved"')
    assert case.client.code in approved and "Assessment approved" in approved and "Heidi Hasanova" in approved


def test_a_worker_sees_an_overdue_review_and_not_one_still_to_come(world, login):
    overdue, later = case_in(world, "active"), case_in(world, "active")
    today = timezone.localdate()
    for case, next_on in ((overdue, today - datetime.timedelta(days=3)), (later, today + datetime.timedelta(days=30))):
        case.refresh_from_db()
        services.record_review(by=world.alice, case=case, held_on=next_on - datetime.timedelta(days=60),
                               progress="unchanged", summary="Steady.", next_review_on=next_on)
    reviews = section(login(world.alice).get("/").content.decode(), 'id="reviews-overdue"')
    assert overdue.client.code in reviews and later.client.code not in reviews
    assert f'href="/cases/{overdue.pk}/reviews/new/"' in reviews


def test_a_head_sees_approvals_waiting_oldest_first_with_how_long(world, login):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=3), tick=False):
        older = case_in(world, "assessment_submitted")
    newer = case_in(world, "assessment_submitted")
    html = login(world.heidi).get("/").content.decode()
    waiting = section(html, 'id="approvals-waiting"')
    assert "2 cases are awaiting your approval" in html
    assert waiting.index(older.client.code) < waiting.index(newer.client.code)
    assert "waiting 3 days" in waiting.split(newer.client.code)[0] and "submitted today" in waiting
    assert f'href="/cases/{older.pk}/assessment/decide/"' in waiting


def test_a_long_list_shows_five_and_links_to_all(world, login):
    for _i in range(6):
        case_in(world, "assessment_submitted")
    html = login(world.heidi).get("/").content.decode()
    assert section(html, 'id="approvals-waiting"').count("summary-list__row") == 5
    assert "6 cases are awaiting your approval" in html and 'href="/cases/#awaiting"' in html


def test_the_home_page_runs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.alice)
    client.get("/")
    with django_assert_max_num_queries(30) as few:
        client.get("/")
    for _i in range(7):
        case = case_in(world, "assessment_submitted")
        services.decide_assessment(by=world.heidi, case=case, version=case.version, approve=False, comment="Redo.")
    with django_assert_max_num_queries(30) as many:
        client.get("/")
    assert len(many) <= len(few) + 1  # the total is counted once there are more than five


def test_a_director_sees_the_institutions_figures_for_the_month(world, login):
    now = timezone.now()
    for score in (8, 10):
        done(world, client_at(world, 43.31, 77.25), score=score, day=timezone.localdate() - datetime.timedelta(days=1)
             if timezone.localdate().day > 1 else None)
    done(world, client_at(world, 43.32, 77.25), started=now - datetime.timedelta(minutes=30), minutes=2)  # flagged
    counted()  # the figures come from the store the worker keeps
    response = login(world.dora).get("/")
    (figures,) = response.context["institution_figures"]
    assert figures.unit == world.centre and figures.done == 3 and figures.missed == 0
    assert figures.report.rating_average == 9 and figures.open_flags == 1
    html = response.content.decode()
    assert "Riverside Centre this month" in html and "flag today not checked yet" in html
    assert 'id="institution-figures"' not in login(world.heidi).get("/").content.decode()


def test_the_administrator_has_no_my_day_nor_case_lists(world, login):
    html = login(world.adam).get("/").content.decode()
    assert 'href="/visits/day/"' not in html
    assert "My day" not in html.split('id="navigation"')[1].split("</ul>")[0]
    for marker in ('id="cases-returned"', 'id="approvals-waiting"', 'id="reviews-overdue"', "Visits today"):
        assert marker not in html
    assert 'href="/visits/day/"' in login(world.alice).get("/").content.decode()
