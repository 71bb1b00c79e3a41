"""A referral past its deadline without an answer stands out for the sender and their head (one rule:
`Referral.overdue_q` / `is_overdue_at`, at an explicit moment)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from .. import selectors, services
from ..models import Referral
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_referrals(world):
    """An overdue referral sent twelve days ago (client Galina) and a fresh one sent today (client Olga)."""
    old_case = factories.case_in(world, "active")
    services.send_referral(by=world.alice, case=old_case, programme="Day care", kind="standard", notes="Company",
                           to_external="Lakeside Day Centre")
    late = Referral.objects.get(case=old_case)
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(days=12),
                                               respond_by=timezone.now() - datetime.timedelta(days=2))
    fresh_case = services.open_case(by=world.alice, client=factories.client(world, worker=world.alice,
                                                                            first_name="Olga"))
    fresh = services.send_referral(by=world.alice, case=fresh_case, programme="Meals", kind="standard",
                                   notes="Lunch", to_external="Lakeside Day Centre")
    return late, fresh


def codes_in_order(html: str) -> list[str]:
    return re.findall(r'href="/cases/referrals/\d+/">([^<]+)</a>', html)


@pytest.mark.parametrize("persona", ["alice", "heidi"])
def test_an_overdue_referral_is_tagged_and_listed_first_for_the_sender_and_the_head(login, world, two_referrals,
                                                                                   persona):
    late, fresh = two_referrals
    browser = login(getattr(world, persona))
    html = browser.get(reverse("cases:referrals_outbox")).content.decode()
    assert codes_in_order(html) == [late.client.code, fresh.client.code]
    assert html.count("govuk-tag--red\">Overdue") == 2  # the filter's label and the one row
    only = browser.get(reverse("cases:referrals_outbox") + "?overdue=1").content.decode()
    assert codes_in_order(only) == [late.client.code]
    case_page = browser.get(reverse("cases:detail", args=[late.case_id])).content.decode()
    assert "Overdue" in case_page
    assert "Overdue" not in browser.get(reverse("cases:detail", args=[fresh.case_id])).content.decode()
    assert "Overdue" in browser.get(reverse("cases:referral", args=[late.pk])).content.decode()


def test_walt_sees_no_overdue_referral_of_riverside(login, world, two_referrals):
    late, _fresh = two_referrals
    walt = login(world.walt)
    html = walt.get(reverse("cases:referrals_outbox")).content.decode()
    assert late.client.code not in html and "Overdue" not in html
    assert late.client.code not in walt.get(reverse("cases:referrals_outbox") + "?overdue=1").content.decode()
    assert walt.get(reverse("cases:referral", args=[late.pk])).status_code == 404
    assert walt.get(reverse("cases:detail", args=[late.case_id])).status_code == 404


def test_an_answered_referral_is_not_overdue_and_the_rule_takes_its_moment(world, two_referrals):
    late, fresh = two_referrals
    now = timezone.now()
    late.refresh_from_db()
    assert late.is_overdue_at(now) and not fresh.is_overdue_at(now)
    assert fresh.is_overdue_at(fresh.respond_by + datetime.timedelta(seconds=1))
    overdue = [r.pk for r in selectors.referral_outbox_for(world.alice, now=now) if r.overdue]
    assert overdue == [late.pk]
    services.answer_referral(by=world.alice, referral=late, accept=True)
    assert not [r for r in selectors.referral_outbox_for(world.alice, now=now) if r.overdue]
