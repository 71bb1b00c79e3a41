"""Two M&E specialists drawing the yearly sample (or inviting) at the same moment: one sample, the other is told."""

import datetime

import pytest
from django.urls import reverse

from socmon.accounts.models import Role
from socmon.surveys.models import Campaign
from socmon.test import _person, race, web_session

from .conftest import client_survey, served

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 6


def test_two_specialists_drawing_one_sample_at_once_draw_it_once(world, live_server):
    second = _person("mira", "Mira", "Mukanova", world.north, Role.SPECIALIST)
    version = client_survey()
    for i in range(14):
        served(world.home_care, "Client", f"Drawn{i}", worker=world.alice, day=datetime.date(2026, 7, 1))
    sessions = [web_session(live_server.url, world.sam), web_session(live_server.url, second)]
    for attempt in range(TRIES):
        kind = Campaign.Kind.YEARLY_SAMPLE if attempt % 2 == 0 else Campaign.Kind.SIX_MONTHLY
        campaign = Campaign.objects.create(version=version, org_unit=world.centre, kind=kind, sample_size=10,
                                           title=f"Race {attempt}", period_start=datetime.date(2026, 1, 1),
                                           period_end=datetime.date(2026, 10, 31), created_by=world.sam)
        url = reverse("surveys:campaign_invite", args=[campaign.pk])
        pages = race(2, lambda i, url=url: sessions[i].post(sessions[i].url(url)))
        assert [p.status_code for p in pages] == [200, 200], pages
        told = [p for p in pages if "already been invited" in p.text]
        assert len(told) == 1, [p.text[:500] for p in pages]
        campaign.refresh_from_db()
        assert campaign.invitations.count() == (10 if kind == Campaign.Kind.YEARLY_SAMPLE else 14)
        if kind == Campaign.Kind.YEARLY_SAMPLE:
            assert len(campaign.sample_frame) == 14 and campaign.sample_seed
