"""Targets and baselines: the M&E specialist sets and changes them within reach (audited), splits a year into
quarters; refusals store nothing and say why; a create that loses a race gets words, not a 500."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from socmon.audit.models import AuditEvent
from socmon.indicators import periods, services
from socmon.indicators.models import Indicator, Target

from .kit import activity, client, fresh
from .pages import column, table

pytestmark = pytest.mark.django_db


def targets_url(code: str = "IP2", **query) -> str:
    return reverse("indicators:targets", args=[code]) + ("?" + "&".join(f"{k}={v}" for k, v in query.items())
                                                          if query else "")


def form(world, unit=None, **data) -> dict:
    return {"org_unit": (unit or world.home_care).pk, "period": "2026", "member": "", "target": "120",
            "baseline": "", **data}


def custom(code: str, **fields) -> Indicator:
    spec = Indicator.objects.get(code="IP1").spec
    return Indicator.objects.create(code=code, name=f"Custom {code}", kind="process", spec=spec,
                                    dimensions=["sex"], **fields)


def test_the_specialist_sets_a_target_and_sees_it_against_the_value(world, login):
    person = client(world, world.home_care)
    activity(world, world.home_care, datetime.date(2026, 3, 2), "group", [person])
    fresh()
    browser = login(world.sam)
    page = browser.get(targets_url(unit=world.home_care.pk))
    assert page.status_code == 200 and "Set a target for Home Care" in page.content.decode()
    response = browser.post(targets_url(unit=world.home_care.pk),
                            form(world, period="2026-Q1", target="4", baseline="2"))
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.org_unit, target.period_type, target.period_start, target.target, target.baseline,
            target.set_by) == (world.home_care, "Q", datetime.date(2026, 1, 1), Decimal("4.00"), Decimal("2.00"),
                               world.sam)
    shown = browser.get(response["Location"])
    assert "The target was saved." in shown.content.decode()
    assert column(shown, "Target") == {"Home Care": "4"}
    assert column(shown, "Baseline") == {"Home Care": "2"}
    assert column(shown, "Gap") == {"Home Care": "-3 worse than the target"}
    event = AuditEvent.objects.get(action="indicators.target_set")
    assert (event.actor, event.org_path, event.detail["period"], event.detail["value"], event.detail["previous"]) == (
        world.sam, world.home_care.path, "2026-Q1", "4.00", None)
    listed = table(browser.get(targets_url()), "targets")
    assert [row[:5] for row in listed] == [["Home Care", "Q1 2026", "All (total)", "4", "2"]]


def test_setting_a_target_again_changes_it(world, login):
    browser = login(world.sam)
    browser.post(targets_url(), form(world, target="100"))
    browser.post(targets_url(), form(world, target="90", baseline="75.5"))
    target = Target.objects.get()
    assert (target.target, target.baseline) == (Decimal("90.00"), Decimal("75.50"))
    last = AuditEvent.objects.filter(action="indicators.target_set").order_by("pk").last()
    assert last.detail["previous"] == {"target": "100.00", "baseline": None}
    assert AuditEvent.objects.filter(action="indicators.target_set").count() == 2


def test_a_target_for_women_only(world, login):
    response = login(world.sam).post(targets_url(), form(world, member="sex:female", target="30"))
    assert response.status_code == 302 and "by=sex" in response["Location"]
    assert Target.objects.values_list("dimension", "member", "target").get() == ("sex", "female", Decimal("30.00"))
    breakdown = login(world.sam).get(response["Location"] + "&period=2026")
    assert column(breakdown, "Target", "indicator-breakdown")["Female"] == "30"


def test_an_annual_target_is_split_evenly_into_quarters(world, login):
    response = login(world.sam).post(targets_url(), form(world, target="10.01", baseline="8", split="on"))
    assert response.status_code == 302
    found = {(t.period_type, t.period_start.month): (t.target, t.baseline) for t in Target.objects.all()}
    assert found == {("Y", 1): (Decimal("10.01"), Decimal("8.00")),
                     ("Q", 1): (Decimal("2.50"), Decimal("2.00")), ("Q", 4): (Decimal("2.50"), Decimal("2.00")),
                     ("Q", 7): (Decimal("2.50"), Decimal("2.00")), ("Q", 10): (Decimal("2.51"), Decimal("2.00"))}
    assert sum(t.target for t in Target.objects.filter(period_type="Q")) == Decimal("10.01")
    assert AuditEvent.objects.filter(action="indicators.target_set").count() == 5


@pytest.mark.parametrize("change,field,message", [
    ({"period": "2026-Q5"}, "period", "Give a period as 2026-11 (month)"),
    ({"period": "2026-00"}, "period", "A month is numbered from 01 to 12."),
    ({"period": ""}, "period", "Enter a period."),
    ({"target": "-5"}, "target", "Enter a number from 0 to 999,999,999,999."),
    ({"baseline": "-0.5"}, "baseline", "Enter a number from 0 to 999,999,999,999."),
    ({"target": "ten"}, "target", "Enter a number, for example 120 or 12.5."),
    ({"target": "1.234"}, "target", "Enter at most 2 decimal places."),
    ({"target": "1" * 20}, "target", "Enter a number from 0 to 999,999,999,999."),
    ({"period": "2019"}, "period", "2019 is outside the validity of IP2"),
    ({"member": "sex:other"}, "member", "Choose from the list."),
    ({"split": "on", "period": "2026-Q1"}, "split", "Only a target for a year"),
])
def test_a_target_that_cannot_be_is_refused_and_nothing_is_stored(world, login, change, field, message):
    response = login(world.sam).post(targets_url(), form(world, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Target.objects.exists() and not AuditEvent.objects.filter(action="indicators.target_set").exists()


def test_a_unit_out_of_reach_is_refused(world, login):
    browser = login(world.sam)  # North only
    response = browser.post(targets_url(), form(world, unit=world.hill_care))
    assert response.status_code == 400
    assert "You may set targets only for units in your reach." in response.content.decode()
    assert browser.get(targets_url(unit=world.hill_care.pk)).status_code == 404
    assert not Target.objects.exists()
    with pytest.raises(ValidationError, match="only for units in your reach"):
        services.set_target(by=world.sam, indicator=Indicator.objects.get(code="IP2"), org_unit=world.hill_care,
                            period=periods.parse("2026"), target=Decimal(1), now=timezone.now())
    assert not Target.objects.exists()


def test_a_retired_indicator_takes_no_target(world, login):
    custom("C1", valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2025, 12, 31))
    browser = login(world.sam)
    page = browser.get(targets_url("C1"))
    assert page.status_code == 200 and 'id="targets-retired"' in page.content.decode()
    assert 'id="target-form"' not in page.content.decode()
    response = browser.post(targets_url("C1"), form(world, period="2025"))
    assert response.status_code == 400
    assert "C1 is retired" in response.content.decode()
    assert not Target.objects.exists()


def test_a_replaced_version_takes_no_target(world):
    old = custom("C2", valid_from=datetime.date(2020, 1, 1))
    custom("C2", version=2, valid_from=datetime.date(2027, 1, 1), replaces=old)
    with pytest.raises(ValidationError, match="C2 is retired"):
        services.set_target(by=world.sam, indicator=old, org_unit=world.home_care, period=periods.parse("2026"),
                            target=Decimal(1), now=timezone.now())
    assert not Target.objects.exists()


def test_a_period_outside_the_validity_is_refused(world, login):
    custom("C3", valid_from=datetime.date(2026, 3, 15), valid_to=datetime.date(2027, 6, 30))
    browser = login(world.sam)
    for period in ("2026", "2027", "2026-Q1", "2026-02", "2027-07", "2027-H2"):
        response = browser.post(targets_url("C3"), form(world, period=period))
        assert response.status_code == 400, period
        assert "is outside the validity of C3" in response.content.decode()
    assert not Target.objects.exists()
    assert browser.post(targets_url("C3"), form(world, period="2026-03")).status_code == 302  # half inside: counted
    assert browser.post(targets_url("C3"), form(world, period="2027-H1")).status_code == 302


def test_a_target_shorter_than_the_collection_period_is_refused(world, login):
    response = login(world.sam).post(targets_url("IR2"), form(world, period="2026-05"))
    assert response.status_code == 400
    assert "IR2 is not collected for periods this short" in response.content.decode()
    assert "(Every six months)" in response.content.decode()
    assert login(world.sam).post(targets_url("IR2"), form(world, period="2026-H1")).status_code == 302


@pytest.mark.parametrize("persona", ["heidi", "dora", "ann", "eve", "alice", "adam"])
def test_only_those_who_manage_indicators_reach_the_targets(world, login, persona):
    browser = login(getattr(world, persona))
    assert browser.get(targets_url()).status_code == 403
    assert browser.post(targets_url(), form(world)).status_code == 403
    assert not Target.objects.exists()


def test_the_loser_of_a_race_to_create_a_target_gets_words(world, login, monkeypatch):
    login(world.sam).post(targets_url(), form(world, target="100"))
    # The other request read "no target yet" just before this one stored it: the constraint decides.
    monkeypatch.setattr(services, "_locked", lambda cell: None)
    response = login(world.sam).post(targets_url(), form(world, target="50"))
    assert response.status_code == 400
    assert "Someone set this target at the same moment." in response.content.decode()
    assert Target.objects.get().target == Decimal("100.00")
    assert AuditEvent.objects.filter(action="indicators.target_set").count() == 1
