"""The case timeline, written by one tiny function per kind of event (Saleor's order events).

Services call exactly one of these per change; `detail` holds what the timeline shows beside the kind
(a comment, a reason, a service's name) and never personal data beyond what the case already holds.
"""

from socmon.accounts.models import User

from .models import Case, CaseEvent, Referral

Kind = CaseEvent.Kind


def _event(case: Case, by: User, kind: str, **detail) -> CaseEvent:
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


def referral_accepted_event(*, referral: Referral, by: User) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_ACCEPTED, referral=referral.pk, to=referral.destination)


def referral_declined_event(*, referral: Referral, by: User) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_DECLINED, referral=referral.pk, to=referral.destination,
                  comment=referral.decline_reason)


def referral_outcome_event(*, referral: Referral, by: User) -> CaseEvent:
    return _event(referral.case, by, Kind.REFERRAL_OUTCOME, referral=referral.pk, to=referral.destination,
                  joined=referral.joined)
