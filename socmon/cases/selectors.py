"""Reads for the case pages, each starting from socmon.cases.access."""

import calendar
import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as DbCase
from django.utils import timezone

from socmon.accounts.access import APPROVE_CASES, WORK_CASES, has_capability, paths_q, reach_paths
from socmon.visits.models import ServiceDelivery, Visit

from .access import cases_visible_to, referrals_received_by, referrals_sent_visible_to
from .models import Assessment, Case, CaseEvent, Decision, Plan, PlanService, Referral, Review, closed_last


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


def with_overdue(queryset: QuerySet[Referral], now: datetime.datetime) -> QuerySet[Referral]:
    """Each referral with `overdue` (Referral.overdue_q at `now`), for the tag and the order."""
    return queryset.annotate(overdue=ExpressionWrapper(Referral.overdue_q(now), output_field=BooleanField()))


def _urgent_first(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    urgent = DbCase(When(kind=Referral.Kind.STANDARD, then=Value(1)), default=Value(0), output_field=IntegerField())
    waiting = DbCase(When(status=Referral.Status.SENT, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(waiting=waiting, standard=urgent).order_by("-overdue", "waiting", "standard",
                                                                        "respond_by")


def _only_overdue(queryset: QuerySet[Referral], now: datetime.datetime, only_overdue: bool) -> QuerySet[Referral]:
    return queryset.filter(Referral.overdue_q(now)) if only_overdue else queryset


def referral_inbox_for(user, *, now: datetime.datetime, only_overdue: bool = False) -> QuerySet[Referral]:
    """Referrals to the user's units: overdue ones first, then waiting ones, urgent before standard, nearest
    deadline first."""
    return _urgent_first(with_overdue(_only_overdue(referrals_received_by(user), now, only_overdue), now))


def referral_outbox_for(user, *, now: datetime.datetime, only_overdue: bool = False) -> QuerySet[Referral]:
    """Referrals of the user's clients: overdue ones first (the sender and their head follow them up)."""
    return (with_overdue(_only_overdue(referrals_sent_visible_to(user), now, only_overdue), now)
            .order_by("-overdue", "-sent_at", "-pk"))


def overdue_count(queryset: QuerySet[Referral], now: datetime.datetime) -> int:
    return queryset.filter(Referral.overdue_q(now)).count()


def case_referrals(case: Case, *, now: datetime.datetime) -> QuerySet[Referral]:
    """The case's referrals for its page: overdue ones first, then the latest."""
    return with_overdue(case.referrals.select_related("to_unit"), now).order_by("-overdue", "-sent_at", "-pk")


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




# --- The plan against what was delivered ----------------------------------------------------------------


def _months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later, or that month's last day (31 January + 1 → 28 February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def _periods(start: datetime.date, last: datetime.date, period: str) -> Fraction:
    """How many weeks or months the days `start`…`last` (both included) make, parts of one included."""
    stop = last + datetime.timedelta(days=1)
    if period == PlanService.Period.WEEK:
        return Fraction((stop - start).days, 7)
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    while whole > 0 and _months_later(start, whole) > stop:
        whole -= 1
    begins, ends = _months_later(start, whole), _months_later(start, whole + 1)
    return whole + Fraction((stop - begins).days, (ends - begins).days)


def times_due(item: PlanService, start: datetime.date, last: datetime.date) -> int:
    """How many times the plan asks for `item` from `start` to `last` (both included), in whole times:
    2 times a week over 10 days is 2 (2 × 10/7 = 2.86). Nothing is due before the period starts."""
    if last < start:
        return 0
    return int(item.times * _periods(start, last, item.period))


@dataclass
class PlannedAgainstDone:
    """One planned service: as often as the plan says, and how many times it was delivered so far."""

    item: PlanService
    done: int  # since the plan started, up to today
    due: int  # what the plan asks for up to today
    done_this_month: int
    due_this_month: int

    @property
    def behind(self) -> bool:
        return self.done < self.due


def plan_against_delivered(plan: Plan | None, *, today: datetime.date) -> list[PlannedAgainstDone] | None:
    """For each service of an approved plan: planned up to `today` against delivered in the client's visits
    (any worker's: the plan is the person's), since the plan started and this calendar month. One grouped
    query. None when there is no approved plan in force yet (or the plan's period has not started)."""
    if plan is None or plan.status != Decision.APPROVED or today < plan.starts_on:
        return None
    last, month_start = min(today, plan.ends_on), today.replace(day=1)
    items = list(plan.services.all())
    counts = {row["service_id"]: row for row in (
        ServiceDelivery.objects.filter(visit__client_id=plan.case.client_id, service__in=[i.service_id for i in items],
                                       visit__planned_for__gte=plan.starts_on, visit__planned_for__lte=last)
        .exclude(visit__status=Visit.Status.CANCELLED).order_by().values("service_id")
        .annotate(done=Count("pk"), this_month=Count("pk", filter=Q(visit__planned_for__gte=month_start))))}
    month_from = max(plan.starts_on, month_start)
    rows = []
    for item in items:
        done = counts.get(item.service_id, {})
        rows.append(PlannedAgainstDone(item, done.get("done", 0), times_due(item, plan.starts_on, last),
                                       done.get("this_month", 0), times_due(item, month_from, last)))
    return rows


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
