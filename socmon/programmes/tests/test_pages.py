"""The programme pages through the front door, per role: who reads, who writes, who approves; bad input."""

import pytest
from django.urls import reverse

from socmon.audit.models import AuditEvent
from socmon.indicators.models import Indicator
from socmon.programmes.models import PlanIndicator, PlanVersion, Programme

from .kit import approved_plan, complete_draft, programme

pytestmark = pytest.mark.django_db


def test_the_specialist_creates_a_programme_for_a_unit_in_reach(world, login):
    page = login(world.sam).post(reverse("programmes:new") + f"?unit={world.centre.pk}", {
        "org_unit": world.centre.pk, "name": "Day care", "stage": "design", "basis": "contract",
        "basis_number": "17/2026", "basis_date": "2026-02-01", "basis_party": "Talgar akimat"})
    prog = Programme.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("programmes:detail", args=[prog.pk])
    assert prog.org_unit == world.centre and prog.stage == "design"
    assert AuditEvent.objects.filter(action="programmes.programme_created").count() == 1


def test_a_unit_out_of_reach_or_a_date_out_of_range_stores_nothing(world, login):
    browser = login(world.sam)
    url = reverse("programmes:new")
    base = {"name": "Day care", "stage": "design", "basis": "contract"}
    page = browser.post(url, {**base, "org_unit": world.hill_centre.pk})
    assert page.status_code == 400 and "only for units in your reach" in page.content.decode()
    page = browser.post(url, {**base, "org_unit": world.centre.pk, "basis_date": "1901-01-01"})
    assert page.status_code == 400 and "Enter a date from" in page.content.decode()
    page = browser.post(url, {**base, "org_unit": "99999999999999999999999"})
    assert page.status_code == 400
    assert not Programme.objects.exists()


@pytest.mark.parametrize("persona, status", [("sam", 200), ("dora", 200), ("heidi", 200), ("ann", 200),
                                             ("eve", 200), ("alice", 403), ("walt", 403), ("adam", 403)])
def test_who_reads_the_programme_list(world, login, persona, status):
    programme(world)
    page = login(getattr(world, persona)).get(reverse("programmes:list"))
    assert page.status_code == status
    if status == 200:
        assert ("Home care for older people" in page.content.decode()) == (persona != "heidi")


def test_the_list_filters_by_stage_and_refuses_an_unknown_stage(world, login):
    programme(world, name="Designing")
    programme(world, name="Assessing", stage="needs")
    browser = login(world.sam)
    page = browser.get(reverse("programmes:list"), {"stage": "needs"})
    assert "Assessing" in page.content.decode() and "Designing" not in page.content.decode()
    page = browser.get(reverse("programmes:list"), {"stage": "nonsense"})
    assert page.status_code == 400 and "Choose a stage from the list" in page.content.decode()


def test_a_programme_of_another_region_is_not_found(world, login):
    prog = programme(world)
    assert login(world.walt).get(reverse("programmes:detail", args=[prog.pk])).status_code == 404
    other = programme(world, unit=world.hill_centre, by=world.root)
    assert login(world.sam).get(reverse("programmes:detail", args=[other.pk])).status_code == 404


def test_the_editor_adds_parts_and_refuses_bad_input_in_words(world, login):
    prog = programme(world)
    browser = login(world.sam)
    browser.post(reverse("programmes:plan_start", args=[prog.pk]))
    add = lambda part, data: browser.post(reverse("programmes:plan_add", args=[prog.pk, part]),  # noqa: E731
                                          {f"{part}-{k}": v for k, v in data.items()})
    assert add("goal", {"text": "People keep living at home"}).status_code == 302
    goal = PlanVersion.objects.get().goals.get()
    assert add("outcome", {"goal": goal.pk, "text": "Fewer admissions"}).status_code == 302
    outcome = goal.outcomes.get()
    indicator = {"outcome": outcome.pk, "method": "Monthly report", "frequency": "month", "responsible": "Head"}
    page = add("indicator", {**indicator, "indicator": "NOPE"})
    assert page.status_code == 400 and "There is no indicator with the code NOPE" in page.content.decode()
    page = add("indicator", {**indicator, "indicator": "IP2", "outcome": "abc"})
    assert page.status_code == 400 and "Choose an outcome of this plan" in page.content.decode()
    page = add("indicator", {**indicator, "indicator": "IP2", "baseline": "-3"})
    assert page.status_code == 400 and "0 or more" in page.content.decode()
    assert add("indicator", {**indicator, "indicator": "ip2", "key": "on"}).status_code == 302
    assert PlanIndicator.objects.get().key
    editor = browser.get(reverse("programmes:plan_edit", args=[prog.pk]))
    assert "IP2" in editor.content.decode() and "Job descriptions" in editor.content.decode()


def test_the_director_approves_and_the_author_is_told_why_not(world, login):
    prog = programme(world)
    version = complete_draft(world, prog)
    assert login(world.sam).post(reverse("programmes:plan_submit", args=[prog.pk])).status_code == 302
    page = login(world.sam).post(reverse("programmes:plan_decide", args=[prog.pk]), {"decision": "approve"})
    assert page.status_code == 400 and "someone else must approve it" in page.content.decode()
    version.refresh_from_db()
    assert version.status == "submitted"
    page = login(world.dora).post(reverse("programmes:plan_decide", args=[prog.pk]), {"decision": "approve"})
    assert page.status_code == 302
    version.refresh_from_db()
    assert version.status == "approved" and version.approved_by == world.dora
    detail = login(world.dora).get(reverse("programmes:detail", args=[prog.pk])).content.decode()
    assert "Dora Dumitru" in detail and 'aria-current="step">Implementation' in detail


def test_the_head_cannot_approve_and_the_evaluator_reads_without_names(world, login):
    prog = programme(world, unit=world.home_care)
    approved_plan(world, prog)
    assert login(world.heidi).post(reverse("programmes:plan_decide", args=[prog.pk]),
                                   {"decision": "approve"}).status_code == 403
    page = login(world.eve).get(reverse("programmes:detail", args=[prog.pk])).content.decode()
    assert "Older people keep living at home" in page
    assert "Sam Seitkali" not in page and "Dora Dumitru" not in page and "a staff member" in page


def test_a_plan_without_its_parts_cannot_be_submitted(world, login):
    prog = programme(world)
    browser = login(world.sam)
    browser.post(reverse("programmes:plan_start", args=[prog.pk]))
    page = browser.post(reverse("programmes:plan_submit", args=[prog.pk]))
    assert page.status_code == 400 and "needs at least one goal" in page.content.decode()


def test_versions_and_their_differences_are_listed(world, login):
    prog = programme(world)
    approved_plan(world, prog)
    browser = login(world.sam)
    browser.post(reverse("programmes:plan_start", args=[prog.pk]))
    page = browser.get(reverse("programmes:compare", args=[prog.pk]))
    assert page.status_code == 200 and "Nothing changed between these versions" in page.content.decode()
    assert browser.get(reverse("programmes:compare", args=[prog.pk]), {"from": "x"}).status_code == 404
    assert browser.get(reverse("programmes:version", args=[prog.pk, 2])).status_code == 200
    assert browser.get(reverse("programmes:version", args=[prog.pk, 9])).status_code == 404


def test_an_evaluation_is_recorded_and_a_bad_one_stores_nothing(world, login):
    prog = programme(world)
    approved_plan(world, prog)
    url = reverse("programmes:evaluation_new", args=[prog.pk, 1])
    browser = login(world.sam)
    data = {"kind": "interim", "held_on": "2026-11-18", "findings": "On track", "cost": "1 000", "currency": "KZT"}
    page = browser.post(url, data)
    assert page.status_code == 400 and "Enter a number" in page.content.decode()
    page = browser.post(url, {**data, "cost": "1000", "held_on": "2027-01-01"})
    assert page.status_code == 400 and "today or in the past" in page.content.decode()
    assert browser.post(url, {**data, "cost": "1000.50"}).status_code == 302
    assert login(world.dora).get(url).status_code == 403
    page = browser.get(reverse("programmes:version", args=[prog.pk, 1])).content.decode()
    assert "On track" in page and "KZT" in page


def test_the_menu_offers_programmes_to_indicator_readers(world, login):
    assert 'href="/programmes/"' in login(world.dora).get("/").content.decode()
    assert 'href="/programmes/"' not in login(world.alice).get("/").content.decode()


def test_a_change_sent_after_the_submission_is_refused_in_words(world, login):
    prog = programme(world)
    version = complete_draft(world, prog)
    browser = login(world.sam)
    assert browser.post(reverse("programmes:plan_submit", args=[prog.pk])).status_code == 302
    page = browser.post(reverse("programmes:plan_submit", args=[prog.pk]))
    assert page.status_code == 400 and "can no longer be changed" in page.content.decode()
    page = browser.post(reverse("programmes:plan_add", args=[prog.pk, "goal"]), {"goal-text": "Late"})
    assert page.status_code == 400 and "can no longer be changed" in page.content.decode()
    page = browser.post(reverse("programmes:plan_remove", args=[prog.pk, "goal", version.goals.get().pk]),
                        follow=True)
    assert "can no longer be changed" in page.content.decode()
    assert version.goals.count() == 1
    assert browser.get(reverse("programmes:plan_edit", args=[prog.pk])).status_code == 302


def test_the_list_and_a_programme_page_cost_the_same_whatever_their_size(world, login, django_assert_max_num_queries):
    browser = login(world.sam)
    for i in range(3):
        approved_plan(world, programme(world, name=f"Programme {i}"))
    with django_assert_max_num_queries(12) as few:
        browser.get(reverse("programmes:list"))
    prog = Programme.objects.first()
    with django_assert_max_num_queries(20) as detail:
        browser.get(reverse("programmes:detail", args=[prog.pk]))
    for i in range(3, 30):
        programme(world, name=f"Programme {i}")
    with django_assert_max_num_queries(len(few)):
        browser.get(reverse("programmes:list"))
    outcome = prog.versions.get().goals.get().outcomes.get()
    for indicator in Indicator.objects.filter(code__in=["IP1", "IP3", "IP4"], version=1):
        PlanIndicator.objects.create(outcome=outcome, indicator=indicator, method="m", frequency="month",
                                     responsible="r")
    with django_assert_max_num_queries(len(detail)):
        browser.get(reverse("programmes:detail", args=[prog.pk]))
