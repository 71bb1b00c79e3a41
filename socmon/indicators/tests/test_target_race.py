"""Two specialists' browsers set the same target at the same moment (live server): one target is stored, and
each answer is the saved page or words saying what happened, never a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse

from socmon.indicators.models import Target
from socmon.test import race, web_session

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 5


def test_two_simultaneous_targets_for_one_cell_store_one(world, live_server):
    sessions = [web_session(live_server.url, world.sam) for _ in range(2)]
    url = reverse("indicators:targets", args=["IP2"])
    for year in range(2030, 2030 + TRIES):
        answers = race(2, lambda i, year=year: sessions[i].post(
            sessions[i].url(url), data={"org_unit": world.home_care.pk, "period": str(year), "member": "",
                                        "target": str(10 + i)}, allow_redirects=False))
        assert all(a.status_code in (302, 400) for a in answers), answers
        assert any(a.status_code == 302 for a in answers)
        for lost in (a for a in answers if a.status_code == 400):
            assert "Someone set this target at the same moment." in lost.text
        stored = Target.objects.get(period_start__year=year)
        assert stored.target in (Decimal(10), Decimal(11))
