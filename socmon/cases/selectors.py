"""Reads for the case pages, each starting from socmon.cases.access."""

import datetime

from django.db.models import Case as DbCase
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from socmon.accounts.access import APPROVE_CASES, WORK_CASES, has_capability, paths_q, reach_paths

from .access import cases_visible_to, referrals_received_by, referrals_sent_visible_to
from .models import Assessment, Case, CaseEvent, Decision, Plan, Referral, Review, closed_last


def case_list_for(user) -> QuerySet[Case]:
    """The user's cases: open ones first, then by date opened."""
    return cases_visible_to(user).annotate(closed_last=closed_last()).order_by("closed_last", "-opened_at", "-pk")


def cases_awaiting_decision_by(user) -> QuerySet[Case]:
    """Assessments, plans and closures waiting for this head, never the ones they submitted themselves."""
    if not has_capability(user, APPROVE_CASES):
        return Case.objects.none()
    paths = reach_paths(user, APPROVE_CASES)
    return (cases_visible_to(user).filter(paths_q(paths, "org_unit__path")).exclude(awaiting_approval="")
            .exclude(submitted_by=user).select_related("submitted_by").order_by("pk"))


def cases_for_client(user, client) -> QuerySet[Case]:
    """The client's cases, for the client page (the caller has already opened the client)."""
    return Case.objects.filter(client=client).select_related("responsible", "org_unit").order_by("-opened_at")


def timeline_for(case: Case) -> list[CaseEvent]:
    events = list(case.events.select_related("actor"))
    reasons = dict(Case.ClosureReason.choices)
    for event in events:
        if "reason" in event.detail:
            event.reason_label = reasons.get(event.detail["reason"], "")
    return events


def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.select_related("decided_by", "created_by").prefetch_related("scores").first()


def latest_plan(case: Case) -> Plan | None:
    return (case.plans.select_related("responsible", "decided_by", "created_by")
            .prefetch_related("services__service").first())


def assessment_rows(assessment: Assessment | None) -> list[dict]:
    """Every area of life in a fixed order, with its score and notes (or none yet)."""
    scores = {s.domain: s for s in assessment.scores.all()} if assessment else {}
    return [{"label": label, "score": scores.get(domain)} for domain, label in Assessment.Domain.choices]


def _urgent_first(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    urgent = DbCase(When(kind=Referral.Kind.STANDARD, then=Value(1)), default=Value(0), output_field=IntegerField())
    waiting = DbCase(When(status=Referral.Status.SENT, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(waiting=waiting, standard=urgent).order_by("waiting", "standard", "respond_by")


def referral_inbox_for(user) -> QuerySet[Referral]:
    """Referrals to the user's units: waiting ones first, urgent before standard, nearest deadline first."""
    return _urgent_first(referrals_received_by(user))


def referral_outbox_for(user) -> QuerySet[Referral]:
    return referrals_sent_visible_to(user).order_by("-sent_at", "-pk")


def home_counts_for(user) -> dict:
    """What the home page shows about cases: decisions waiting for a head, urgent referrals for the unit."""
    counts = {"cases_awaiting_decision": None, "urgent_referrals_waiting": None}
    if has_capability(user, APPROVE_CASES):
        counts["cases_awaiting_decision"] = cases_awaiting_decision_by(user).count()
    if has_capability(user, WORK_CASES):
        counts["urgent_referrals_waiting"] = (referrals_received_by(user).filter(status=Referral.Status.SENT)
                                              .filter(~Q(kind=Referral.Kind.STANDARD)).count())
    return counts


def review_overdue(next_review_on: datetime.date, today: datetime.date) -> bool:
    """The one rule: a review is overdue once the day the latest review set for the next one has passed
    (`reviews_overdue_for` asks the database the same: `next_review_on__lt=today`)."""
    return next_review_on < today


def next_review_due(case: Case, today: datetime.date | None = None):
    review = case.reviews.first()
    if review is None:
        return None
    return {"on": review.next_review_on, "overdue": review_overdue(review.next_review_on,
                                                                   today or timezone.localdate())}


# --- What waits for whom (the home page): short lists, each one bounded query ---------------------------

Kind = CaseEvent.Kind
SUBMITTED_KINDS = [Kind.ASSESSMENT_SUBMITTED, Kind.PLAN_SUBMITTED, Kind.CLOSURE_PROPOSED]
RETURNED_KINDS = [Kind.ASSESSMENT_RETURNED, Kind.PLAN_RETURNED]
APPROVED_KINDS = [Kind.ASSESSMENT_APPROVED, Kind.PLAN_APPROVED, Kind.CLOSURE_APPROVED]


def _latest_event(kinds: list[str], field: str = "at") -> Subquery:
    return Subquery(CaseEvent.objects.filter(case=OuterRef("pk"), kind__in=kinds).order_by("-at", "-pk")
                    .values(field)[:1])


def _latest_status(model) -> Subquery:
    return Subquery(model.objects.filter(case=OuterRef("pk")).order_by("-pk").values("status")[:1])


def awaiting_decision_oldest_first(user) -> QuerySet[Case]:
    """`cases_awaiting_decision_by` with `submitted_at` (when the step was sent), the longest waiting first."""
    return (cases_awaiting_decision_by(user).annotate(submitted_at=_latest_event(SUBMITTED_KINDS))
            .order_by("submitted_at", "pk"))


def cases_returned_to(user) -> QuerySet[Case]:
    """The user's cases (they are the responsible worker) whose assessment or plan a head returned for changes,
    not yet changed: `returned_at` and `return_detail` (the head's comment), the longest waiting first."""
    return (cases_visible_to(user).filter(responsible=user, awaiting_approval=Case.Awaiting.NOTHING)
            .annotate(assessment_status=_latest_status(Assessment), plan_status=_latest_status(Plan))
            .filter(Q(status=Case.Status.ASSESSMENT, assessment_status=Decision.RETURNED)
                    | Q(status=Case.Status.PLANNING, plan_status=Decision.RETURNED))
            .annotate(returned_at=_latest_event(RETURNED_KINDS), return_detail=_latest_event(RETURNED_KINDS, "detail"))
            .order_by("returned_at", "pk"))


def approvals_for(user, *, since: datetime.datetime) -> QuerySet[CaseEvent]:
    """Approvals since `since` of steps on the user's cases (they are the responsible worker), newest first."""
    cases = cases_visible_to(user).filter(responsible=user).values("pk")
    return (CaseEvent.objects.filter(case__in=cases, kind__in=APPROVED_KINDS, at__gte=since)
            .select_related("case__client", "actor").order_by("-at", "-pk"))


def reviews_overdue_for(user, *, today: datetime.date) -> QuerySet[Case]:
    """The user's active cases whose next review is overdue (`review_overdue`), the most overdue first."""
    next_on = Subquery(Review.objects.filter(case=OuterRef("pk")).order_by("-held_on", "-pk")
                       .values("next_review_on")[:1])
    return (cases_visible_to(user).filter(responsible=user, status=Case.Status.ACTIVE)
            .annotate(next_review_on=next_on).filter(next_review_on__lt=today).order_by("next_review_on", "pk"))
