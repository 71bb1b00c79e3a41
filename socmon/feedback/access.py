"""Who sees and handles feedback: people who answer it, over the units in their reach (by the unit the
feedback is about; escalation moves who must answer upward, and the levels above reach it anyway). A
worker notes feedback and a client's confirmation for clients they may see; the public sees only their own,
through a code."""

from django.db.models import QuerySet
from django.http import Http404

from socmon.accounts.access import ANSWER_FEEDBACK, RECORD_FEEDBACK, has_capability, paths_q, reach_paths
from socmon.clients.access import units_q
from socmon.orgs.models import OrgLevel, OrgUnit

from .models import Feedback


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """By `org_unit_id IN (ids)` (`clients.access.units_q`): a join on the path made SQLite read every row of
    the country's feedback for a department's list, and leaves PostgreSQL guessing (docs: Lists at national
    scale)."""
    return Feedback.objects.filter(units_q(reach_paths(user, ANSWER_FEEDBACK), user=user))


def get_feedback_for_user(user, pk) -> Feedback:
    """Feedback the user may read and handle; anything else is 404 (invisible)."""
    feedback = (feedback_visible_to(user).select_related("category", "org_unit", "responsible_unit", "client",
                                                         "answered_by").filter(pk=pk).first())
    if feedback is None:
        raise Http404
    return feedback


def may_answer(user) -> bool:
    return has_capability(user, ANSWER_FEEDBACK)


def may_record(user) -> bool:
    return has_capability(user, RECORD_FEEDBACK)


def answering_units(user) -> QuerySet[OrgUnit]:
    """The units whose feedback a person answers: their reach (chosen with socmon.orgs.picker, never listed)."""
    return OrgUnit.objects.filter(paths_q(reach_paths(user, ANSWER_FEEDBACK)))


def recording_units(user) -> QuerySet[OrgUnit]:
    """Departments and institutions a person may note feedback about: in their reach."""
    return (OrgUnit.objects.filter(paths_q(reach_paths(user, RECORD_FEEDBACK)))
            .filter(level__kind__in=[OrgLevel.Kind.DEPARTMENT, OrgLevel.Kind.INSTITUTION]).order_by("path"))


def public_institutions() -> QuerySet[OrgUnit]:
    """The institutions a member of the public may send feedback about: active ones. Never listed whole (a
    country holds thousands): found by name or place (selectors.institution_choices)."""
    return OrgUnit.objects.filter(level__kind=OrgLevel.Kind.INSTITUTION, is_active=True)
