import datetime

from django.utils import timezone
from pyxform.xls2xform import convert

from socmon.cases.models import Case
from socmon.clients.tests.conftest import make_client
from socmon.surveys import scoring
from socmon.surveys.models import Questionnaire, QuestionnaireVersion, Response
from socmon.visits.models import Visit

CLIENT_SURVEY_MD = """
| survey |
| | type | name | label::English (en) | label::Russian (ru) |
| | select_one improved | state_improved | Has your state of mind improved? | Улучшилось ли ваше состояние? |
| | text | improvement_example | In what way? | В чём именно? |
| | select_one yn | feels_important | Do you feel your role has grown? | Выросла ли ваша роль? |
| | select_one score | satisfied_service | How satisfied are you with the service? | Насколько вы довольны услугой? |
| | select_one score | satisfied_results | How satisfied are you with the results? | Довольны ли вы результатами? |
| | integer | visits_per_month | How many visits a month? | Сколько визитов в месяц? |
| choices |
| | list_name | name | label::English (en) | label::Russian (ru) |
| | improved | yes | Yes, improved | Да, улучшилось |
| | improved | same | Stayed the same | Осталось прежним |
| | improved | no | Worse | Хуже |
| | yn | yes | Yes | Да |
| | yn | no | No | Нет |
| | score | 1 | 1 | 1 |
| | score | 2 | 2 | 2 |
| | score | 3 | 3 | 3 |
| | score | 4 | 4 | 4 |
| | score | 5 | 5 | 5 |
"""


def form_from_md(md: str, name: str = "client_survey") -> dict:
    return convert(xlsform=md, file_type=".md", form_name=name)._pyxform


def client_survey(*, number: int = 1, md: str = CLIENT_SURVEY_MD, code: str = "test-client-survey"):
    questionnaire, _ = Questionnaire.objects.get_or_create(
        code=code, defaults={"title": "Client survey", "purpose": Questionnaire.Purpose.CLIENT_SURVEY})
    return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=number, source=b"",
                                               form=form_from_md(md))


def served(unit, first, last, *, worker, day: datetime.date, status=Visit.Status.DONE):
    """A client of `unit` with one visit on `day` (done unless said)."""
    client = make_client(unit, first, last, worker=worker)
    Visit.objects.create(client=client, worker=worker, org_unit=unit, planned_for=day, status=status,
                         created_by=worker)
    return client


def with_case(unit, first, last, *, worker, opened: datetime.datetime, closed: datetime.datetime | None = None):
    client = make_client(unit, first, last, worker=worker)
    Case.objects.create(client=client, org_unit=unit, opened_by=worker, responsible=worker, opened_at=opened,
                        status=Case.Status.CLOSED if closed else Case.Status.ACTIVE, closed_at=closed,
                        closure_reason="other" if closed else "")
    return client


def respond(invitation, answers: dict, *, when=None) -> Response:
    """What the public answer page will do: a response, the invitation answered, the indicator answers stored."""
    response = Response.objects.create(
        campaign=invitation.campaign, version=invitation.campaign.version, invitation=invitation,
        client=invitation.client, org_unit=invitation.client.org_unit, mode=invitation.mode, language="en",
        answers=answers, submitted_at=when or timezone.now())
    invitation.status = invitation.Status.ANSWERED
    invitation.save(update_fields=["status"])
    scoring.store_indicator_answers(response)
    return response
