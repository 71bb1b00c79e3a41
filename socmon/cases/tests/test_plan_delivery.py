"""The case page shows each planned service against what was delivered: since the plan started and this
month, with "Behind plan" when fewer were delivered than planned up to today (the clock pinned at
TEST_NOW, Wednesday 18 November 2026)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socmon.test import TEST_NOW
from socmon.visits.models import Visit
from socmon.visits.tests.planning_kit import done

from ..models import Plan, PlanService
from ..selectors import times_due
from . import factories

pytestmark = pytest.mark.django_db
TODAY = TEST_NOW.date()
STARTED = datetime.date(2026, 10, 25)  # 25 days ago, today included: 2 a week → 7 due; since 1 November → 5


@pytest.fixture
def case(world):
    case = factories.case_in(world, "active")  # 2 times a week of "Help at home"
    Plan.objects.filter(case=case).update(starts_on=STARTED)
    return case


def deliver(world, case, days: list[datetime.date], service=None):
    for day in days:
        done(world, case.client, day=day, services=[(service or factories.service(), 40)])


def row(html: str, service) -> str:
    start = html.index(f'id="plan-delivery-{service.pk}"')
    return html[start:html.index("</div>", start)]


def test_the_case_shows_planned_against_delivered_and_marks_a_service_behind_plan(login, world, case):
    deliver(world, case, [datetime.date(2026, 10, 27), datetime.date(2026, 10, 30), datetime.date(2026, 11, 3),
                          datetime.date(2026, 11, 10), datetime.date(2026, 11, 17)])
    html = login(world.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    help_at_home = row(html, factories.service())
    assert "2 times a week" in help_at_home
    assert "Delivered since the start: 5 (planned by today: 7)" in help_at_home
    assert "This month: 3 (planned by today: 5)" in help_at_home
    assert "Behind plan" in help_at_home


def test_a_service_delivered_as_planned_is_not_behind(login, world, case):
    deliver(world, case, [datetime.date(2026, 10, 26), datetime.date(2026, 10, 29), *(
        datetime.date(2026, 11, d) for d in (2, 5, 9, 12, 16))])
    html = login(world.heidi).get(reverse("cases:detail", args=[case.pk])).content.decode()
    help_at_home = row(html, factories.service())
    assert "Delivered since the start: 7 (planned by today: 7)" in help_at_home
    assert "This month: 5 (planned by today: 5)" in help_at_home
    assert "Behind plan" not in help_at_home


def test_only_the_plans_period_and_real_visits_count(login, world, case):
    deliver(world, case, [datetime.date(2026, 10, 20)])  # before the plan started
    other = factories.service("laundry", "Laundry")
    deliver(world, case, [datetime.date(2026, 11, 11)], service=other)  # not in the plan
    cancelled = done(world, case.client, day=datetime.date(2026, 11, 12), services=[(factories.service(), 40)])
    Visit.objects.filter(pk=cancelled.pk).update(status=Visit.Status.CANCELLED)
    html = login(world.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Delivered since the start: 0 (planned by today: 7)" in row(html, factories.service())
    assert f'id="plan-delivery-{other.pk}"' not in html


def test_the_table_counts_with_grouped_queries_not_one_per_service(login, world, case):
    browser = login(world.alice)
    url = reverse("cases:detail", args=[case.pk])
    browser.get(url)
    for code in ("laundry", "shopping", "cooking"):
        PlanService.objects.create(plan=Plan.objects.get(case=case), service=factories.service(code, code.title()),
                                   times=1, period="month")
    with CaptureQueriesContext(connection) as one:
        browser.get(url)
    PlanService.objects.create(plan=Plan.objects.get(case=case), service=factories.service("bathing", "Bathing"),
                               times=1, period="month")
    with CaptureQueriesContext(connection) as more:
        browser.get(url)
    assert len(more) == len(one)


def test_no_table_before_the_plan_is_approved(login, world):
    case = factories.case_in(world, "plan_submitted")
    html = login(world.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Planned and delivered" not in html


@pytest.mark.parametrize("times, period, start, last, due", [
    (2, "week", datetime.date(2026, 11, 18), datetime.date(2026, 11, 18), 0),  # the first day: none due yet
    (2, "week", datetime.date(2026, 11, 12), datetime.date(2026, 11, 18), 2),  # a whole week
    (2, "week", datetime.date(2026, 11, 9), datetime.date(2026, 11, 18), 2),  # 10 days: 2.86, in whole times 2
    (4, "month", datetime.date(2026, 10, 19), datetime.date(2026, 11, 18), 4),  # a whole month
    (4, "month", datetime.date(2026, 11, 1), datetime.date(2026, 11, 15), 2),  # half of November
    (1, "month", datetime.date(2026, 1, 31), datetime.date(2026, 2, 27), 1),  # to the last day of February
    (3, "week", datetime.date(2026, 11, 20), datetime.date(2026, 11, 18), 0),  # not started
])
def test_how_many_times_are_due(times, period, start, last, due):
    assert times_due(PlanService(times=times, period=period), start, last) == due
