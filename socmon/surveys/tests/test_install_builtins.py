"""The questionnaires shipped with socmon install at set-up and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from socmon.surveys.models import Questionnaire, QuestionnaireVersion

pytestmark = pytest.mark.django_db


def test_set_up_installs_the_client_and_expert_surveys_once():
    call_command("install_questionnaires", stdout=io.StringIO())
    call_command("install_questionnaires", stdout=io.StringIO())
    built_in = {q.code: q for q in Questionnaire.objects.filter(built_in=True)}
    assert built_in["client_survey"].purpose == Questionnaire.Purpose.CLIENT_SURVEY
    assert built_in["expert_survey"].purpose == Questionnaire.Purpose.EXPERT_SURVEY
    assert QuestionnaireVersion.objects.filter(questionnaire__built_in=True).count() == 2
    assert set(built_in["client_survey"].versions.get().languages) == {"en", "ru", "az", "kk", "ro"}
