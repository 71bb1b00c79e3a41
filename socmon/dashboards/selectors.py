import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from socmon.accounts.access import (
    APPROVE_CASES,
    MANAGE_ORG,
    VIEW_ORG,
    VIEW_PEOPLE,
    WORK_CASES,
    has_capability,
    memberships_of,
    paths_q,
    reach_paths,
)
from socmon.accounts.models import Membership, Role
from socmon.cases import selectors as cases
from socmon.cases.selectors import home_counts_for as case_home_counts_for
from socmon.clients.selectors import home_counts_for as client_home_counts_for
from socmon.feedback.access import may_record as may_record_feedback
from socmon.feedback.selectors import overdue_for_home as feedback_overdue_for_home
from socmon.orgs.models import OrgLevel, OrgUnit
from socmon.visits.selectors import home_counts_for as visit_home_counts_for
from socmon.visits.selectors import institution_figures_for

HOME_LIST = 5  # each list on the home page: the first few, and a link to all of them
RECENT_APPROVALS = datetime.timedelta(days=14)


def home_summary_for(user, *, now: datetime.datetime | None = None) -> dict:
    """What the home page shows: the person's roles, counts within their reach and what waits for them."""
    now = now or timezone.now()
    org_paths = reach_paths(user, VIEW_ORG)
    units = OrgUnit.objects.filter(paths_q(org_paths))
    counts = units.aggregate(
        institutions=Count("pk", filter=Q(level__kind=OrgLevel.Kind.INSTITUTION)),
        departments=Count("pk", filter=Q(level__kind=OrgLevel.Kind.DEPARTMENT)),
    )
    summary = {
        "memberships": memberships_of(user),
        "can_view_org": has_capability(user, VIEW_ORG),
        "can_manage_org": has_capability(user, MANAGE_ORG),
        "can_view_people": has_capability(user, VIEW_PEOPLE),
        "institution_count": counts["institutions"],
        "department_count": counts["departments"],
        "worker_count": None,
    }
    if summary["can_view_people"]:
        people_paths = reach_paths(user, VIEW_PEOPLE)
        summary["worker_count"] = (
            Membership.objects.filter(paths_q(people_paths, "org_unit__path"), role=Role.WORKER)
            .values("user").distinct().count()
        )
    summary.update(case_home_counts_for(user))
    summary.update(client_home_counts_for(user))
    summary.update(visit_home_counts_for(user, timezone.localdate(now)))
    summary.update(what_waits_for(user, now=now))
    summary["feedback_overdue"] = feedback_overdue_for_home(user, today=timezone.localdate(now))
    summary["can_note_feedback"] = may_record_feedback(user)  # a worker's only way to the page: no menu item
    return summary


def short_list(queryset: QuerySet) -> dict:
    """The first HOME_LIST rows and how many there are in all (counted only when there are more)."""
    items = list(queryset[:HOME_LIST + 1])
    total = len(items) if len(items) <= HOME_LIST else queryset.count()
    return {"items": items[:HOME_LIST], "total": total, "more": total > HOME_LIST}


def what_waits_for(user, *, now: datetime.datetime) -> dict:
    """The home page's lists of what to do, each for those who can act on it: a worker's cases returned for
    changes, recently approved and with a review overdue; a head's approvals waiting, the longest first; a
    director's figures of their institution."""
    today = timezone.localdate(now)
    waits = {"returned": None, "approved": None, "reviews_overdue": None, "approvals_waiting": None,
             "institution_figures": institution_figures_for(user, now=now)}
    if has_capability(user, WORK_CASES):
        waits["returned"] = short_list(cases.cases_returned_to(user))
        waits["approved"] = short_list(cases.approvals_for(user, since=now - RECENT_APPROVALS))
        waits["reviews_overdue"] = short_list(cases.reviews_overdue_for(user, today=today))
    if has_capability(user, APPROVE_CASES):
        waiting = short_list(cases.awaiting_decision_oldest_first(user))
        for case in waiting["items"]:
            case.waiting_days = (today - timezone.localdate(case.submitted_at)).days if case.submitted_at else None
        waits["approvals_waiting"] = waiting
    return waits
