"""The whole case flow in Chromium: alice assesses, heidi approves, alice plans and refers urgently,
fiona accepts and records that the person joined, heidi approves the closure. Every page passes axe
and is photographed in English and Russian (test-artifacts/cases-*.png)."""

import pytest
from django.utils import timezone

from socmon.cases.models import Assessment, Case, Referral

from . import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def look(page, axe, screenshot):
    """Check the current page with axe and photograph it in English, then in Russian, then back."""

    def _look(name: str) -> None:
        axe()
        screenshot(f"cases-{name}-en")
        with page.expect_navigation():
            page.click(".govuk-language-navigation button[lang=ru]")
        assert page.locator("html").get_attribute("lang") == "ru"
        axe()
        screenshot(f"cases-{name}-ru")
        with page.expect_navigation():
            page.click(".govuk-language-navigation button[lang=en]")

    return _look


def test_a_case_from_assessment_to_closure(live_world, page, sign_in, live_url, look):
    w = live_world
    person = factories.client(w, worker=w.alice)
    factories.service(name="Help at home with shopping and cleaning")

    def press(name: str) -> None:
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=name, exact=True).click()

    def switch_to(user) -> None:
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
        sign_in(user)

    # alice opens a case and assesses needs.
    sign_in(w.alice)
    page.goto(live_url(f"/cases/new/{person.pk}/"))
    look("open")
    press("Open a case")
    case = Case.objects.get(client=person)
    look("case-new")
    page.get_by_role("link", name="Assess needs").click()
    look("assessment-form")
    for domain in Assessment.Domain.values:
        page.check(f"input[name=score_{domain}][value='2']")
    page.check("input[name=score_health][value='3']")
    page.fill("#id_notes_health", "Diabetes; forgets insulin some days")
    page.fill("#id_summary", "Wants to stay at home; needs help with shopping and medication")
    press("Save the assessment")
    press("Submit the assessment for approval")
    assert "waiting for the department head" in page.content()

    # heidi approves from her list.
    switch_to(w.heidi)
    page.goto(live_url("/cases/"))
    look("list-head")
    page.get_by_role("link", name=f"Decide {person.code}").click()
    look("decide-assessment")
    page.check("input[name=decision][value=approve]")
    press("Send your decision")
    assert Case.objects.get(pk=case.pk).status == "planning"

    # alice writes the plan with one service.
    switch_to(w.alice)
    page.goto(live_url(f"/cases/{case.pk}/"))
    page.get_by_role("link", name="Write the plan").click()
    look("plan-form")
    today = timezone.localdate()
    page.fill("#id_goals", "Takes medication every day\nShops with help once a week")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", today.replace(year=today.year + 1).isoformat())
    page.select_option("#id_responsible", label="Alice Akhmetova")
    press("Save the plan")
    page.get_by_role("link", name="Add a service").click()
    look("plan-service")
    page.select_option("#id_service", label="Help at home with shopping and cleaning")
    page.fill("#id_times", "2")
    page.check("input[name=period][value=week]")
    press("Add the service")
    press("Submit the plan for approval")

    switch_to(w.heidi)
    page.goto(live_url(f"/cases/{case.pk}/plan/decide/"))
    look("decide-plan")
    page.check("input[name=decision][value=approve]")
    press("Send your decision")
    assert Case.objects.get(pk=case.pk).status == "active"

    # alice refers the person urgently to Family Support.
    switch_to(w.alice)
    page.goto(live_url(f"/cases/{case.pk}/"))
    page.get_by_role("link", name="Refer the person").click()
    look("referral-form")
    page.select_option("#id_to_unit", label="Riverside Centre › Family Support")
    page.select_option("#id_programme_kind", label="Psychological support")
    page.fill("#id_programme", "Crisis support for survivors of violence")
    page.check("input[name=kind][value=violence]")
    page.fill("#id_notes", "Please call before visiting; the person prefers Kazakh")
    press("Send the referral")
    referral = Referral.objects.get(case=case)

    # fiona sees it first in her inbox, accepts, and records that the person joined.
    switch_to(w.fiona)
    page.goto(live_url("/cases/referrals/"))
    assert "Urgent: violence" in page.content()
    look("referrals-inbox")
    page.get_by_role("link", name=person.code).click()
    look("referral-received")
    page.get_by_role("link", name="Answer the referral").click()
    page.check("input[name=answer][value=accept]")
    press("Send your answer")
    page.get_by_role("link", name="Record the outcome").click()
    look("referral-outcome")
    page.check("input[name=joined][value=yes]")
    page.fill("#id_joined_on", today.isoformat())
    press("Save the outcome")
    referral.refresh_from_db()
    assert referral.joined is True

    # alice proposes closure; heidi approves it.
    switch_to(w.alice)
    page.goto(live_url(f"/cases/{case.pk}/"))
    page.get_by_role("link", name="Propose closing the case").click()
    look("closure-form")
    page.check("input[name=reason][value=goals_achieved]")
    page.fill("#id_outcome", "Manages medication alone; joined the crisis-support group")
    press("Send for approval")

    switch_to(w.heidi)
    page.goto(live_url(f"/cases/{case.pk}/closure/decide/"))
    page.check("input[name=decision][value=approve]")
    press("Send your decision")
    assert Case.objects.get(pk=case.pk).status == "closed"
    look("case-closed")
    assert page.locator("#timeline ~ ol li").count() == case.events.count() == 13
