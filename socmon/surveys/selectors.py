"""Reads for the survey pages and for the indicator engine.

**Clients served** by a unit in a period (who the 6-monthly survey invites and the frame the yearly sample is
drawn from): clients with a *done* home visit of a unit in the subtree on a day of the period, or with a case
of a unit in the subtree that was open at some time during the period (opened on or before its last day and
not closed before its first). They are listed by id, so the sample frame has a fixed order.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from socmon.accounts.access import paths_q
from socmon.cases.models import Case
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit
from socmon.visits.models import Visit

from .flow import items_of, text_in
from .models import Campaign, IndicatorAnswer, Invitation, QuestionnaireVersion, Response
from .questions import Question, questions


def _type_label(kind: str) -> str:
    return {
        "text": _("Text"), "integer": _("Whole number"), "decimal": _("Number"), "date": _("Date"),
        "select_one": _("One choice"), "select_multiple": _("Several choices"), "note": _("Note"),
    }.get(kind, kind)


def question_rows(version) -> list[dict]:
    language = get_language()
    return [{"name": item.name, "type": _type_label(item.type),
             "label": text_in(item.label, language, version.languages),
             "required": item.required, "conditional": bool(item.relevant)} for item in items_of(version)]


def changes_between(old, new) -> list[str]:
    """A readable list: questions added, removed, and changed (label, type, choices, rules), in the new order."""
    language = get_language()
    before = {item.name: item for item in items_of(old)}
    after = {item.name: item for item in items_of(new)}

    def label(item, version):
        return text_in(item.label, language, version.languages) or item.name

    changes: list[str] = []
    for name, item in after.items():
        if name not in before:
            changes.append(_("Added: “%(label)s” (%(name)s).") % {"label": label(item, new), "name": name})
            continue
        was = before[name]
        if was.type != item.type:
            changes.append(_("“%(label)s” (%(name)s): the type changed from %(old)s to %(new)s.") % {
                "label": label(item, new), "name": name, "old": _type_label(was.type), "new": _type_label(item.type)})
        if was.label != item.label:
            changes.append(_("“%(label)s” (%(name)s): the wording changed (it was “%(old)s”).") % {
                "label": label(item, new), "name": name, "old": label(was, old)})
        if was.choices != item.choices:
            old_names = [n for n, _l in was.choices]
            new_names = [n for n, _l in item.choices]
            added = [n for n in new_names if n not in old_names]
            removed = [n for n in old_names if n not in new_names]
            parts = []
            if added:
                parts.append(_("answers added: %(names)s") % {"names": ", ".join(added)})
            if removed:
                parts.append(_("answers removed: %(names)s") % {"names": ", ".join(removed)})
            if not parts:
                parts.append(_("the wording of the answers changed"))
            changes.append(_("“%(label)s” (%(name)s): %(what)s.") % {
                "label": label(item, new), "name": name, "what": "; ".join(parts)})
        if (was.required, was.relevant, was.constraint) != (item.required, item.relevant, item.constraint):
            changes.append(_("“%(label)s” (%(name)s): when it is asked or required, or what it accepts, changed.")
                           % {"label": label(item, new), "name": name})
    for name, item in before.items():
        if name not in after:
            changes.append(_("Removed: “%(label)s” (%(name)s). Answers given to it in earlier versions are kept.")
                           % {"label": label(item, old), "name": name})
    return changes

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
