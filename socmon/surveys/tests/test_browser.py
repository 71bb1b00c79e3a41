"""The survey pages in Chromium: axe-clean, and nothing scrolls sideways on a 390 × 844 phone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from socmon.surveys import services
from socmon.visits.tests.test_browser_phone import PHONE, assert_fits_the_phone

from .conftest import client_survey, respond, served

pytestmark = pytest.mark.browser


def test_survey_pages_are_axe_clean_and_fit_the_phone(live_world, page, sign_in, live_url, axe, screenshot):
    world = live_world
    version = client_survey()
    for i in range(6):
        served(world.home_care, "Zaure", f"Phone{i}", worker=world.alice, day=datetime.date(2026, 6, 1))
    campaign = services.create_campaign(by=world.sam, unit=world.centre, version=version, kind="six_monthly",
                                        title="Client survey, first half of 2026",
                                        period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 10, 31))
    services.invite_served_clients(by=world.sam, campaign=campaign)
    invitations = list(campaign.invitations.order_by("position"))
    for invitation in invitations[:5]:
        respond(invitation, {"state_improved": "yes", "improvement_example": "I sleep better",
                             "feels_important": "yes", "satisfied_service": "5", "satisfied_results": "4",
                             "visits_per_month": "4"})
    page.set_viewport_size(PHONE)
    sign_in(world.sam)
    for name, args in (("surveys:campaigns", []), ("surveys:campaign_new", [world.centre.pk]),
                       ("surveys:campaign", [campaign.pk]), ("surveys:slips", [campaign.pk]),
                       ("surveys:results", [campaign.pk]), ("surveys:invitation", [invitations[-1].pk]),
                       ("surveys:invitation_decline", [invitations[-1].pk])):
        page.goto(live_url(reverse(name, args=args)))
        axe()
        assert_fits_the_phone(page)
        screenshot(name.replace(":", "-"))


def test_closing_a_campaign_and_the_closed_answer_page_are_axe_clean_and_fit_the_phone(
        live_world, page, sign_in, live_url, axe, screenshot):
    world = live_world
    version = client_survey()
    served(world.home_care, "Zaure", "Closing", worker=world.alice, day=datetime.date(2026, 6, 1))
    campaign = services.create_campaign(by=world.sam, unit=world.home_care, version=version, kind="six_monthly",
                                        title="Client survey, first half of 2026",
                                        period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 10, 31))
    services.invite_served_clients(by=world.sam, campaign=campaign)
    invitation = campaign.invitations.get()
    page.set_viewport_size(PHONE)
    sign_in(world.sam)
    page.goto(live_url(reverse("surveys:campaign", args=[campaign.pk])))
    page.get_by_role("link", name="Close the campaign").click()
    axe()
    assert_fits_the_phone(page)
    screenshot("surveys-campaign_close")
    page.get_by_role("button", name="Close the campaign").click()
    page.get_by_text("The campaign is closed.").wait_for()
    axe()
    assert_fits_the_phone(page)
    page.goto(live_url(reverse("surveys:results", args=[campaign.pk])))
    assert "The campaign closed on" in page.content()
    axe()
    page.goto(live_url(reverse("survey:answer", args=[invitation.nonce])))
    with translation.override(invitation.client.language):  # the client's page speaks the client's language
        closed = translation.gettext("This survey is closed")
    page.get_by_role("heading", name=closed).wait_for()
    axe()
    assert_fits_the_phone(page)
    screenshot("survey-closed")
