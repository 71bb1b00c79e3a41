"""The demo builder: a 6-monthly client survey with answers, or nothing without clients served."""

import pytest

from socmon.demo import clients as demo_clients
from socmon.demo import surveys as demo_surveys
from socmon.demo import visits as demo_visits
from socmon.demo.world import build_world
from socmon.surveys.models import Campaign, IndicatorAnswer, Invitation, Questionnaire

pytestmark = pytest.mark.django_db


def test_without_clients_served_the_demo_adds_no_campaign():
    build_world()
    demo_surveys.build()
    assert not Campaign.objects.exists()


def test_the_demo_has_a_six_monthly_survey_with_answers_a_decline_and_indicator_answers():
    build_world()
    demo_clients.build()
    demo_visits.build()
    demo_surveys.build()
    campaign = Campaign.objects.get(kind=Campaign.Kind.SIX_MONTHLY)
    assert campaign.invitations.filter(status=Invitation.Status.DECLINED).count() == 1
    assert campaign.responses.count() >= 5
    assert IndicatorAnswer.objects.filter(response__campaign=campaign, indicator="IR2").count() == \
        campaign.responses.count()


def test_the_demo_has_a_yearly_sample_with_a_replacement_and_a_questionnaire_in_two_versions():
    build_world()
    demo_clients.build()
    demo_visits.build()
    demo_surveys.build()
    sample = Campaign.objects.get(kind=Campaign.Kind.YEARLY_SAMPLE)
    assert sample.sample_seed == "demo-2026" and sample.sample_frame
    declined = sample.invitations.get(status=Invitation.Status.DECLINED)
    assert sample.invitations.filter(replaces=declined).count() == 1
    assert sample.invitations.count() == min(11, len(sample.sample_frame))
    uploaded = Questionnaire.objects.get(built_in=False)
    assert list(uploaded.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
