"""Reads for the case pages, each starting from socmon.cases.access."""

import datetime

from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from socmon.accounts.access import APPROVE_CASES, WORK_CASES, has_capability, paths_q, reach_paths

from .access import cases_visible_to, referrals_received_by, referrals_sent_visible_to
from .models import Assessment, Case, CaseEvent, Decision, Plan, PlanService, Referral, closed_last


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


def approved_plan_services(client_ids) -> dict[int, list[PlanService]]:
    """The services of each client's current approved plan (the latest approved plan with services of a case
    not closed), by client id; a client without one is missing. One query for a whole day of visits; the
    caller has already opened the clients (the worker's own visits, a visit page)."""
    rows = (PlanService.objects.filter(plan__case__client__in=client_ids, plan__status=Decision.APPROVED)
            .exclude(plan__case__status=Case.Status.CLOSED).select_related("service", "plan__case")
            .order_by("-plan_id", "pk"))
    latest: dict[int, int] = {}
    result: dict[int, list[PlanService]] = {}
    for item in rows:
        client_id = item.plan.case.client_id
        if latest.setdefault(client_id, item.plan_id) == item.plan_id:
            result.setdefault(client_id, []).append(item)
    return result


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


def next_review_due(case: Case, today: datetime.date | None = None):
    review = case.reviews.first()
    if review is None:
        return None
    return {"on": review.next_review_on, "overdue": review.next_review_on < (today or timezone.localdate())}
