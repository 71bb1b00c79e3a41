"""Reads for the survey pages and for the indicator engine.

**Clients served** by a unit in a period (who the 6-monthly survey invites and the frame the yearly sample is
drawn from): clients with a *done* home visit of a unit in the subtree on a day of the period, or with a case
of a unit in the subtree that was open at some time during the period (opened on or before its last day and
not closed before its first). They are listed by id, so the sample frame has a fixed order.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from socmon.accounts.access import paths_q
from socmon.cases.models import Case
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit
from socmon.visits.models import Visit

from .models import Campaign, IndicatorAnswer, Invitation, QuestionnaireVersion, Response
from .questions import Question, questions


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def served_client_ids(unit: OrgUnit, start: datetime.date, end: datetime.date) -> list[int]:
    """Ids of the clients the unit's subtree served in [start, end], ascending (see the module's docstring)."""
    visited = Visit.objects.filter(paths_q([unit.path], "org_unit__path"), status=Visit.Status.DONE,
                                   planned_for__gte=start, planned_for__lte=end).values("client_id")
    after_end = _day_start(end + datetime.timedelta(days=1))
    cases = Case.objects.filter(paths_q([unit.path], "org_unit__path"), opened_at__lt=after_end).filter(
        Q(closed_at=None) | Q(closed_at__gte=_day_start(start))).values("client_id")
    return list(Client.objects.filter(Q(pk__in=visited) | Q(pk__in=cases)).order_by("pk")
                .values_list("pk", flat=True))


def invitations_of(campaign: Campaign, visible: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return visible.filter(campaign=campaign).order_by("position", "pk")


def status_counts(campaign: Campaign) -> dict[str, int]:
    counts = {s: 0 for s in Invitation.Status.values}
    for row in campaign.invitations.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def all_questions(campaign: Campaign) -> list[Question]:
    """The questions of every version of the campaign's questionnaire, each name once: the newest version's
    order first, then questions only older versions asked (a removed question stays in exports)."""
    seen: dict[str, Question] = {}
    versions = QuestionnaireVersion.objects.filter(questionnaire_id=campaign.version.questionnaire_id).order_by(
        "-number")
    for version in versions:
        for question in questions(version.form):
            seen.setdefault(question.name, question)
    return list(seen.values())


def responses_of(campaign: Campaign) -> QuerySet[Response]:
    return campaign.responses.select_related("client", "version").order_by("submitted_at", "pk")


def indicator_counts(indicator: str, unit_path: str, start: datetime.date, end: datetime.date) -> int:
    """Distinct clients whose stored answer counts for `indicator` in the subtree at `unit_path`, answered
    between `start` and `end` (both included). A client answering twice (two campaigns, two units of the
    subtree) is one client."""
    return (IndicatorAnswer.objects.filter(indicator=indicator, counts=True, answered_on__gte=start,
                                           answered_on__lte=end, client__isnull=False)
            .filter(paths_q([unit_path], "org_unit__path")).order_by().values("client_id").distinct().count())
