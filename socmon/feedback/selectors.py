"""Reads for the feedback pages: what the sender sees (status and clock), the staff list and the home
block of overdue feedback, and the IP6 count."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from socmon.accounts.access import paths_q
from socmon.clients.access import units_q

from .access import feedback_visible_to
from .models import Feedback, FeedbackStep
from .services import tracking_hash

HOME_LIST = 5


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
    "received": _("Received"), "answered": _("Answered"), "overdue": _("Overdue"), "escalated": _("Escalated"),
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
