"""Demo survey (issue 9): a 6-monthly client survey of Talgar's social service centre, its served clients
invited through the services, most of them answered (some by phone, some at home), one declined; a yearly
random sample of the centre's clients, drawn with a fixed seed, where one client declined and the next drawn
replaces them; and a questionnaire of Almaty Region uploaded twice (a second version with a question reworded,
one added, one removed), for the list of changes.

Uses the built-in client survey (socmon/surveys/builtin/client_survey.xlsx).
Does nothing without demo visits or an M&E specialist over the centre.
"""

import datetime
import io
import random

import openpyxl
from django.utils import timezone

from socmon.accounts.models import Membership, Role
from socmon.orgs.models import OrgUnit
from socmon.surveys import scoring, selectors
from socmon.surveys import services as survey_services
from socmon.surveys.models import Campaign, Invitation, Questionnaire, QuestionnaireVersion, Response

HOME_CARE = "talgar-csc-d1"
EXAMPLES = ["I sleep better", "Я снова выхожу на прогулку", "Less lonely since the visits", "Меньше тревожусь",
            "", "-", "нет"]


def _client_survey() -> QuestionnaireVersion:
    """The built-in client survey (installed here too, for a demo loaded without `make run`)."""
    survey_services.install_builtins()
    return (QuestionnaireVersion.objects.filter(questionnaire__purpose=Questionnaire.Purpose.CLIENT_SURVEY,
                                                questionnaire__built_in=True).order_by("-number").first())


# The region's own activity questionnaire, version 1 and 2: (type, name, en, ru, kk).
ACTIVITY_FORM = [
    ("select_one yes_no", "liked", "Did you like the activity?", "Вам понравилось занятие?", "Сізге сабақ ұнады ма?"),
    ("select_one yes_no", "again", "Would you come again?", "Вы придёте ещё раз?", "Тағы келесіз бе?"),
    ("text", "wish", "What would you like to do next time?", "Чем бы вы хотели заняться в следующий раз?",
     "Келесі жолы немен айналысқыңыз келеді?"),
]
ACTIVITY_FORM_V2 = [
    ("select_one yes_no", "liked", "Did you enjoy the activity?", "Вам понравилось занятие?",
     "Сізге сабақ ұнады ма?"),
    ("text", "wish", "What would you like to do next time?", "Чем бы вы хотели заняться в следующий раз?",
     "Келесі жолы немен айналысқыңыз келеді?"),
    ("select_one yes_no", "friend", "Did you meet someone new?", "Вы познакомились с кем-то новым?",
     "Жаңа адаммен таныстыңыз ба?"),
]
YES_NO = [("yes", "Yes", "Да", "Иә"), ("no", "No", "Нет", "Жоқ")]


def _activity_xlsform(questions) -> bytes:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Russian (ru)", "label::Kazakh (kk)", "required"])
    for row in questions:
        survey.append([*row, "yes" if row[0].startswith("select") else ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::Russian (ru)", "label::Kazakh (kk)"])
    for row in YES_NO:
        choices.append(["yes_no", *row])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "default_language"])
    settings.append(["activity_feedback", "After a group activity", "English (en)"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _uploaded_questionnaire(specialist, region) -> None:
    version = survey_services.upload_version(by=specialist, data=_activity_xlsform(ACTIVITY_FORM),
                                             name="activity_feedback.xlsx", org_unit=region)
    survey_services.upload_version(by=specialist, data=_activity_xlsform(ACTIVITY_FORM_V2),
                                   name="activity_feedback_v2.xlsx", questionnaire=version.questionnaire)


def _yearly_sample(specialist, centre, today) -> None:
    campaign = survey_services.create_campaign(
        by=specialist, unit=centre, version=_client_survey(), kind=Campaign.Kind.YEARLY_SAMPLE,
        title="Yearly survey, random sample of 10", period_start=today - datetime.timedelta(days=365),
        period_end=today - datetime.timedelta(days=1))
    survey_services.draw_sample(by=specialist, campaign=campaign, seed="demo-2026")
    first = campaign.invitations.order_by("position").first()
    if first is not None:
        survey_services.record_decline(by=specialist, invitation=first, reason="In hospital until next month")


def build() -> None:
    department = OrgUnit.objects.filter(code=HOME_CARE).first()
    if department is None:
        return
    centre = OrgUnit.objects.get(path=department.path[:-department.steplen])
    specialist = next((m.user for m in Membership.objects.filter(role=Role.SPECIALIST).select_related(
        "user", "org_unit") if centre.path.startswith(m.org_unit.path)), None)
    if specialist is None:
        return
    today = timezone.localdate()
    start = today - datetime.timedelta(days=182)
    if not selectors.served_client_ids(centre, start, today - datetime.timedelta(days=1)):
        return
    campaign = survey_services.create_campaign(
        by=specialist, unit=centre, version=_client_survey(), kind=Campaign.Kind.SIX_MONTHLY,
        title="Client survey, last six months", period_start=start, period_end=today - datetime.timedelta(days=1))
    survey_services.invite_served_clients(by=specialist, campaign=campaign)
    rnd = random.Random(9)
    invitations = list(campaign.invitations.select_related("client").order_by("position"))
    for i, invitation in enumerate(invitations):
        if i == 1:
            survey_services.record_decline(by=specialist, invitation=invitation, reason="Does not want to be asked")
            continue
        if i % 4 == 3:
            continue  # not answered yet
        mode = [Invitation.Mode.SELF, Invitation.Mode.HOME, Invitation.Mode.PHONE][i % 3]
        Invitation.objects.filter(pk=invitation.pk).update(mode=mode, status=Invitation.Status.ANSWERED)
        answers = {"state_improved": rnd.choice(["yes", "yes", "same", "no"]),
                   "improvement_example": rnd.choice(EXAMPLES), "feels_important": rnd.choice(["yes", "no"]),
                   "satisfied_service": str(rnd.choice([3, 4, 5, 5])), "satisfied_results": str(rnd.choice([2, 4, 5]))}
        response = Response.objects.create(
            campaign=campaign, version=campaign.version, invitation=invitation, client=invitation.client,
            org_unit=invitation.client.org_unit, mode=mode, language=invitation.client.language or "ru",
            answers=answers, submitted_at=timezone.now() - datetime.timedelta(days=rnd.randint(1, 10)),
            entered_by=None if mode == Invitation.Mode.SELF else specialist)
        scoring.store_indicator_answers(response)
    _yearly_sample(specialist, centre, today)
    region = next((m.org_unit for m in Membership.objects.filter(user=specialist, role=Role.SPECIALIST)
                   .select_related("org_unit").order_by("org_unit__path")), None)
    if region is not None:
        _uploaded_questionnaire(specialist, region)
