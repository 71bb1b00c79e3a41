"""Demo survey (issue 9): a 6-monthly client survey of Talgar's social service centre, its served clients
invited through the services, most of them answered (some by phone, some at home), one declined.

Uses the built-in client survey when one is loaded; otherwise a short one of the same question names.
Does nothing without demo visits or an M&E specialist over the centre.
"""

import datetime
import random

from django.utils import timezone

from socmon.accounts.models import Membership, Role
from socmon.orgs.models import OrgUnit
from socmon.surveys import scoring, selectors
from socmon.surveys import services as survey_services
from socmon.surveys.models import Campaign, Invitation, Questionnaire, QuestionnaireVersion, Response

HOME_CARE = "talgar-csc-d1"
DEMO_FORM = """
| survey |
| | type | name | label::English (en) | label::Russian (ru) |
| | select_one improved | state_improved | Has your mood improved? | Улучшилось ли ваше настроение? |
| | text | improvement_example | In what way? Name one example. | В чём именно? Назовите пример. |
| | select_one yn | feels_important | Has your own role grown? | Выросла ли ваша роль? |
| | select_one score | satisfied_service | Satisfied with the service? (1–5) | Довольны ли вы услугой? |
| | select_one score | satisfied_results | Satisfied with the results? (1–5) | Довольны ли результатами? |
| choices |
| | list_name | name | label::English (en) | label::Russian (ru) |
| | improved | yes | Yes, it improved | Да, улучшилось |
| | improved | same | It stayed the same | Осталось прежним |
| | improved | no | It got worse | Стало хуже |
| | yn | yes | Yes | Да |
| | yn | no | No | Нет |
| | score | 1 | 1 | 1 |
| | score | 2 | 2 | 2 |
| | score | 3 | 3 | 3 |
| | score | 4 | 4 | 4 |
| | score | 5 | 5 | 5 |
"""
EXAMPLES = ["I sleep better", "Я снова выхожу на прогулку", "Less lonely since the visits", "Меньше тревожусь",
            "", "-", "нет"]


def _client_survey() -> QuestionnaireVersion:
    version = (QuestionnaireVersion.objects.filter(questionnaire__purpose=Questionnaire.Purpose.CLIENT_SURVEY,
                                                   questionnaire__built_in=True).order_by("-number").first())
    if version is not None:
        return version
    from pyxform.xls2xform import convert

    questionnaire, _new = Questionnaire.objects.get_or_create(
        code="demo-client-survey", defaults={"title": "Client survey (demo)",
                                             "purpose": Questionnaire.Purpose.CLIENT_SURVEY})
    form = convert(xlsform=DEMO_FORM, file_type=".md", form_name="client_survey")._pyxform
    return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, source=b"", form=form,
                                               languages=["en", "ru"])


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
