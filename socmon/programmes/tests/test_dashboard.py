"""A programme's dashboard opens on its plan's key indicators for the programme's unit, with their targets."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.indicators.models import Indicator, IndicatorValue, Target
from socmon.indicators.tests.pages import table
from socmon.indicators.tests.test_dashboard import text_of

from .kit import approved_plan, programme

pytestmark = pytest.mark.django_db

Q3 = datetime.date(2026, 7, 1)


def _stored(world):
    ip2 = Indicator.objects.get(code="IP2")
    now = timezone.now()
    for unit, number in ((world.centre, 48), (world.home_care, 30), (world.family, 20)):
        IndicatorValue.objects.create(indicator=ip2, org_unit=unit, period_type="Q", period_start=Q3, numerator=number,
                                      computed_at=now)
    Target.objects.create(indicator=ip2, org_unit=world.centre, period_type="Q", period_start=Q3, target=Decimal(50),
                          set_by=world.sam, set_at=now)


def test_the_programme_dashboard_opens_on_the_key_indicators_with_their_targets(world, login,
                                                                                 django_assert_max_num_queries):
    plan = programme(world)
    approved_plan(world, plan)
    _stored(world)
    browser = login(world.dora)
    assert reverse("programmes:dashboard", args=[plan.pk]) in browser.get(
        reverse("programmes:detail", args=[plan.pk])).content.decode()
    address = reverse("programmes:dashboard", args=[plan.pk]) + "?period=2026-Q3"
    browser.get(address)
    # 13: the 12 of the indicator dashboard (unit search aside) plus programmes' own scope (the unit ids in reach).
    with django_assert_max_num_queries(13):
        response = browser.get(address)
    assert response.status_code == 200
    assert [panel.indicator.code for panel in response.context["found"].panels] == ["IP2"]
    headline = text_of(response, "headline-IP2")
    assert "Actual 48" in headline and "Target 50" in headline and "Gap to the target -2" in headline
    assert [row[0] for row in table(response, "compare-table")] == ["Family Support", "Home Care"]
    assert "Home care for older people" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("sam", 200), ("eve", 200), ("walt", 404), ("heidi", 404)])
def test_the_programme_dashboard_is_for_those_who_read_the_programme(world, login, persona, status):
    plan = programme(world)
    approved_plan(world, plan)
    _stored(world)
    response = login(getattr(world, persona)).get(reverse("programmes:dashboard", args=[plan.pk]))
    assert response.status_code == status


def test_a_programme_without_a_plan_says_there_is_nothing_to_show(world, login):
    plan = programme(world)
    response = login(world.dora).get(reverse("programmes:dashboard", args=[plan.pk]))
    assert response.status_code == 200
    assert "There is no indicator to show." in response.content.decode()
