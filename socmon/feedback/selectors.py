"""Reads for the feedback pages: what the sender sees (status and clock), the staff list and the home
block of overdue feedback, and the IP6 count."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socmon.accounts.access import paths_q
from socmon.clients.access import units_q
from socmon.lib.i18n import translated_name
from socmon.orgs.models import OrgUnit
from socmon.orgs.search import find_units, search_words

from .access import feedback_visible_to, public_institutions
from .models import Feedback, FeedbackStep
from .services import tracking_hash

HOME_LIST = 5
INSTITUTION_MATCHES = 20


@dataclass(frozen=True)
class Clock:
    """What the sender and staff see: status (received, answered, overdue, escalated, closed), and for
    overdue feedback how late it is, coloured by band so that 10 and 90 days never look the same."""

    status: str
    label: str
    overdue_days: int
    band: str  # "", "late" (up to 10 days), "long" (11–30), "severe" (over 30)
    tag: str   # GOV.UK tag colour

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


STATUS_LABELS = {
    "received": pgettext_lazy("feedback status", "Received"), "answered": _("Answered"), "overdue": _("Overdue"),
    "escalated": _("Escalated"),
    "closed": _("Closed"),
}
BAND_TAGS = {"": "govuk-tag--blue", "late": "govuk-tag--yellow", "long": "govuk-tag--orange",
             "severe": "govuk-tag--red"}


def clock_of(feedback: Feedback, today: datetime.date) -> Clock:
    late = (today - feedback.due_on).days if feedback.status == Feedback.Status.OPEN else 0
    late = max(late, 0)
    band = "" if not late else "late" if late <= 10 else "long" if late <= 30 else "severe"
    if feedback.status == Feedback.Status.CLOSED:
        status, tag = "closed", "govuk-tag--grey"
    elif feedback.status == Feedback.Status.ANSWERED:
        status, tag = "answered", "govuk-tag--green"
    else:
        status = "escalated" if feedback.escalation_level else "overdue" if late else "received"
        tag = BAND_TAGS[band]
    return Clock(status=status, label=STATUS_LABELS[status], overdue_days=late, band=band, tag=tag)


def by_tracking_code(code: str) -> Feedback | None:
    if not code or len(code) > 64:
        return None
    return (Feedback.objects.select_related("category", "org_unit", "responsible_unit")
            .filter(tracking_hash=tracking_hash(code)).first())


def of_client(client) -> QuerySet[Feedback]:
    return Feedback.objects.filter(client=client).select_related("category", "org_unit").order_by("-received_on", "-pk")


def public_steps(feedback: Feedback) -> list[FeedbackStep]:
    """The steps the sender sees (not who acted)."""
    return list(feedback.steps.select_related("to_unit").order_by("at", "pk"))


FILTERS = ("status", "kind", "category", "overdue", "unit")


def feedback_list(user, *, today: datetime.date, status: str = "", kind: str = "", category=None,
                  overdue: bool = False, unit=None) -> QuerySet[Feedback]:
    queryset = feedback_visible_to(user).select_related("category", "org_unit", "responsible_unit")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if category is not None:
        queryset = queryset.filter(category=category)
    if overdue:
        queryset = queryset.filter(status=Feedback.Status.OPEN, due_on__lt=today)
    if unit is not None:
        queryset = queryset.filter(units_q([unit.path]))
    return queryset.order_by("-received_on", "-pk")


def overdue_for_home(user, *, today: datetime.date) -> dict | None:
    """The home page's block: overdue feedback in reach, the longest overdue first (the first few, and how many)."""
    from .access import may_answer

    if not may_answer(user):
        return None
    queryset = feedback_visible_to(user).filter(status=Feedback.Status.OPEN, due_on__lt=today)
    items = list(queryset.select_related("category", "org_unit").order_by("due_on", "pk")[:HOME_LIST + 1])
    total = len(items) if len(items) <= HOME_LIST else queryset.count()
    return {"items": [(f, clock_of(f, today)) for f in items[:HOME_LIST]], "total": total,
            "more": total > HOME_LIST}


def ip6_confirmations(unit_path: str, start: datetime.datetime, end: datetime.datetime) -> int:
    """IP6 for a unit's subtree and period [start, end): distinct clients whose feedback about a unit there was
    confirmed as answered in the period. Public and staff-noted feedback without a client never counts."""
    return (Feedback.objects.filter(paths_q([unit_path], "org_unit__path"), source=Feedback.Source.CLIENT,
                                    client__isnull=False, confirmed_at__gte=start, confirmed_at__lt=end)
            .aggregate(n=Count("client", distinct=True))["n"])



def awaiting_confirmation(user, client) -> list[Feedback]:
    """The client's answered feedback they have not yet said they received (for a worker to ask at a visit)."""
    from .access import may_record

    if not may_record(user):
        return []
    return list(of_client(client).filter(confirmed_at=None).exclude(answer="")[:5])


@dataclass(frozen=True)
class InstitutionChoices:
    """What the public form offers: the institution chosen so far and those found by what was typed, at most
    INSTITUTION_MATCHES, each as (pk, "name · place") in the page's language."""

    choices: list[tuple[int, str]]
    searched: bool  # a query long enough to search was typed
    more: bool  # more institutions match than are offered: type more


def institution_choices(query: str, chosen_pk, *, language: str) -> InstitutionChoices:
    """At most four to eight queries whatever the number of institutions (one per word, see orgs.search)."""
    institutions = public_institutions()
    chosen = institutions.filter(pk=chosen_pk).first() if str(chosen_pk or "").isdigit() else None
    searched = bool(search_words(query))
    found = list(find_units(institutions, query).order_by("name", "pk")[:INSTITUTION_MATCHES + 1]) \
        if searched else []
    more = len(found) > INSTITUTION_MATCHES
    units = found[:INSTITUTION_MATCHES]
    if chosen is not None and chosen.pk not in {u.pk for u in units}:
        units = [chosen, *units[:INSTITUTION_MATCHES - 1]]
    parent_paths = {u.path[:-u.steplen] for u in units if u.depth > 1}
    parents = {path: translated_name(name, names, language) for path, name, names in
               OrgUnit.objects.filter(path__in=parent_paths).values_list("path", "name", "name_i18n")} \
        if parent_paths else {}
    choices = [(u.pk, " · ".join(filter(None, [translated_name(u.name, u.name_i18n, language),
                                               parents.get(u.path[:-u.steplen])]))) for u in units]
    return InstitutionChoices(choices=choices, searched=searched, more=more)
