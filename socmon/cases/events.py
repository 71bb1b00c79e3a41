"""The case timeline, written by one tiny function per kind of event (Saleor's order events).

Services call exactly one of these per change; `detail` holds what the timeline shows beside the kind
(a comment, a reason, a service's name) and never personal data beyond what the case already holds.
"""

from socmon.accounts.models import User

from .models import Case, CaseEvent, Referral

Kind = CaseEvent.Kind


def _event(case: Case, by: User | None, kind: str, **detail) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=by, kind=kind, detail=detail)


def case_opened_event(*, case: Case, by: User) -> CaseEvent:
    return _event(case, by, Kind.OPENED, responsible=str(case.responsible))


def assessment_saved_event(*, case: Case, by: User) -> CaseEvent:
    return _event(case, by, Kind.ASSESSMENT_SAVED)


def assessment_submitted_event(*, case: Case, by: User) -> CaseEvent:
    return _event(case, by, Kind.ASSESSMENT_SUBMITTED)


def assessment_approved_event(*, case: Case, by: User, comment: str) -> CaseEvent:
    return _event(case, by, Kind.ASSESSMENT_APPROVED, comment=comment)


def assessment_returned_event(*, case: Case, by: User, comment: str) -> CaseEvent:
    return _event(case, by, Kind.ASSESSMENT_RETURNED, comment=comment)


def plan_saved_event(*, case: Case, by: User) -> CaseEvent:
    return _event(case, by, Kind.PLAN_SAVED)


def plan_service_added_event(*, case: Case, by: User, service: str) -> CaseEvent:
    return _event(case, by, Kind.PLAN_SERVICE_ADDED, service=service)


def plan_service_removed_event(*, case: Case, by: User, service: str) -> CaseEvent:
    return _event(case, by, Kind.PLAN_SERVICE_REMOVED, service=service)


def plan_submitted_event(*, case: Case, by: User) -> CaseEvent:
    return _event(case, by, Kind.PLAN_SUBMITTED)


def plan_approved_event(*, case: Case, by: User, comment: str) -> CaseEvent:
    return _event(case, by, Kind.PLAN_APPROVED, comment=comment)


def plan_returned_event(*, case: Case, by: User, comment: str) -> CaseEvent:
    return _event(case, by, Kind.PLAN_RETURNED, comment=comment)


def review_recorded_event(*, case: Case, by: User, progress: str) -> CaseEvent:
    return _event(case, by, Kind.REVIEW_RECORDED, progress=progress)


def closure_proposed_event(*, case: Case, by: User, reason: str) -> CaseEvent:
    return _event(case, by, Kind.CLOSURE_PROPOSED, reason=reason)


def closure_approved_event(*, case: Case, by: User, comment: str) -> CaseEvent:
    return _event(case, by, Kind.CLOSURE_APPROVED, comment=comment)


def closure_returned_event(*, case: Case, by: User, comment: str) -> CaseEvent:
    return _event(case, by, Kind.CLOSURE_RETURNED, comment=comment)


def case_reopened_event(*, case: Case, by: User, reason: str) -> CaseEvent:
    return _event(case, by, Kind.REOPENED, comment=reason)


def referral_sent_event(*, referral: Referral, by: User) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_SENT, referral=referral.pk, to=referral.destination,
                  urgent=referral.is_urgent)


def _answer_detail(referral: Referral, via_link: bool) -> dict:
    # Through its link the outside organisation has no account: the event names no person (actor empty).
    return {"referral": referral.pk, "to": referral.destination, **({"via_link": True} if via_link else {})}


def referral_accepted_event(*, referral: Referral, by: User | None, via_link: bool = False) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_ACCEPTED, **_answer_detail(referral, via_link))


def referral_declined_event(*, referral: Referral, by: User | None, via_link: bool = False) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_DECLINED, **_answer_detail(referral, via_link),
                  comment=referral.decline_reason)


def referral_outcome_event(*, referral: Referral, by: User | None, via_link: bool = False) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_OUTCOME, **_answer_detail(referral, via_link),
                  joined=referral.joined)


def referral_link_issued_event(*, referral: Referral, by: User) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_LINK_ISSUED, referral=referral.pk, to=referral.destination)
