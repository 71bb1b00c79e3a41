"""Closing a survey campaign: the M&E specialist who runs it closes it once (audited); afterwards the client's
answer page says the survey is closed, in the client's language, on a GET as on a POST; invitations no longer
change; the results say when it closed. Reopening is not offered."""

import datetime

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.surveys import flow, services
from socmon.surveys.models import Campaign, Invitation, Response

from .conftest import client_survey, served
from .kit import invitation, questionnaire_version
from .test_answer import kk
from .test_campaigns import new_campaign

pytestmark = pytest.mark.django_db


def _invited_campaign(world, login):
    version = client_survey()
    client = served(world.home_care, "Aigul", "Visited", worker=world.alice, day=datetime.date(2026, 6, 3))
    sam = login(world.sam)
    campaign = new_campaign(sam, world.home_care, version)
    sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]))
    return campaign, campaign.invitations.get(client=client)


def test_the_me_specialist_closes_the_campaign_once_and_it_is_audited(world, login):
    campaign, _invitation = _invited_campaign(world, login)
    sam = login(world.sam)
    page = sam.get(reverse("surveys:campaign", args=[campaign.pk])).content.decode()
    assert reverse("surveys:campaign_close", args=[campaign.pk]) in page
    ask = sam.get(reverse("surveys:campaign_close", args=[campaign.pk]))
    assert ask.status_code == 200 and "cannot be reopened" in ask.content.decode()
    done = sam.post(reverse("surveys:campaign_close", args=[campaign.pk]), follow=True)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.closed_by) == (Campaign.Status.CLOSED, world.sam)
    assert abs((timezone.now() - campaign.closed_at).total_seconds()) < 60
    text = done.content.decode()
    assert "The campaign is closed." in text and 'id="campaign-status"' in text and "Closed on" in text
    assert reverse("surveys:campaign_close", args=[campaign.pk]) not in text  # nothing to close, no reopening
    assert 'id="campaign-invite"' not in text
    event = AuditEvent.objects.get(action=AuditAction.SURVEY_CAMPAIGN_CLOSED)
    assert (event.actor, event.target_id, event.detail["waiting"]) == (world.sam, str(campaign.pk), 1)
    # A second closing (another tab) changes nothing and says so.
    again = sam.post(reverse("surveys:campaign_close", args=[campaign.pk]), follow=True)
    assert "This campaign was closed already." in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_CAMPAIGN_CLOSED).count() == 1
    results = sam.get(reverse("surveys:results", args=[campaign.pk])).content.decode()
    assert 'id="results-status"' in results and "The campaign closed on" in results


def test_only_the_me_specialist_who_runs_it_closes_a_campaign(world, login):
    campaign, invited = _invited_campaign(world, login)
    url = reverse("surveys:campaign_close", args=[campaign.pk])
    for persona in (world.heidi, world.dora):
        assert login(persona).get(url).status_code == 403
        assert login(persona).post(url).status_code == 403
    assert login(world.walt).post(url).status_code == 404
    assert 'id="campaign-close-link"' not in login(world.heidi).get(
        reverse("surveys:campaign", args=[campaign.pk])).content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN and campaign.closed_at is None


def test_the_answer_page_of_a_closed_campaign_says_so_in_the_clients_language(world):
    invited = invitation(world, questionnaire_version(world), language="kk")
    browser, url = Browser(), reverse("survey:answer", args=[invited.nonce])
    first = browser.get(url)  # the client opened the first question while it was open
    assert first.status_code == 200
    services.close_campaign(by=world.sam, campaign=invited.campaign)
    page = browser.get(url)
    assert page.status_code == 410
    text = page.content.decode()
    assert 'lang="kk"' in text and kk("This survey is closed") in text
    last = len(flow.items_of(invited.campaign.version)) - 1
    sent = browser.post(url, {"state": '{"better": "no", "visits": 1}', "at": str(last), "action": "next",
                              "areas": "sleep", "lang": "kk"})
    assert sent.status_code == 410 and kk("This survey is closed") in sent.content.decode()
    assert not Response.objects.exists()
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.INVITED


def test_a_submission_after_the_closing_is_refused_by_the_service(world):
    invited = invitation(world, questionnaire_version(world), language="ru")
    services.close_campaign(by=world.sam, campaign=invited.campaign)
    with pytest.raises(services.SurveyClosed):
        services.submit_response(by=services.PUBLIC, invitation=invited, answers={"better": "no"}, language="ru")
    assert not Response.objects.exists()


def test_invitations_of_a_closed_campaign_no_longer_change_mode_or_decline(world, login):
    campaign, invited = _invited_campaign(world, login)
    login(world.sam).post(reverse("surveys:campaign_close", args=[campaign.pk]))
    alice = login(world.alice)
    page = alice.get(reverse("surveys:invitation", args=[invited.pk])).content.decode()
    assert 'id="invitation-closed"' in page and reverse("surveys:invitation_mode", args=[invited.pk]) not in page
    refused = alice.post(reverse("surveys:invitation_mode", args=[invited.pk]), {"mode": "phone"})
    assert refused.status_code == 400 and "This campaign is closed" in refused.content.decode()
    url = reverse("surveys:invitation_decline", args=[invited.pk])
    key = alice.get(url).context["form"]["form_key"].value()
    refused = alice.post(url, {"reason": "Moved away", "form_key": key})
    assert refused.status_code == 400 and "This campaign is closed" in refused.content.decode()
    invited.refresh_from_db()
    assert (invited.mode, invited.status) == (Invitation.Mode.SELF, Invitation.Status.INVITED)
    assert not AuditEvent.objects.filter(action__in=[AuditAction.SURVEY_INVITATION_MODE_CHANGED,
                                                     AuditAction.SURVEY_INVITATION_DECLINED]).exists()
    assert invited.client.code not in alice.get(reverse("surveys:mine")).content.decode()
