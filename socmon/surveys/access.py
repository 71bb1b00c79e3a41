"""Who sees questionnaires, who uploads them, and who interviews a client for a campaign.

A questionnaire belongs to a unit (built-ins to none: every unit). People holding VIEW_SURVEYS see the
built-ins, those of units in their reach and those of the units above them (a questionnaire of the area
serves its institutions); MANAGE_SURVEYS over the owning unit uploads its new versions. An interview
is for a client the worker may see without stating a purpose (their caseload, or the head's department).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from socmon.accounts.access import (
    MANAGE_SURVEYS,
    VIEW_SURVEYS,
    WORK_CASES,
    has_capability,
    in_reach,
    paths_q,
    reach_paths,
)
from socmon.clients.access import clients_visible_to
from socmon.orgs.models import OrgUnit

from .models import Invitation, Questionnaire


def _ancestor_paths(paths: list[str]) -> list[str]:
    steplen = OrgUnit.steplen
    return sorted({path[:n] for path in paths for n in range(steplen, len(path) + 1, steplen)})


def questionnaires_visible_to(user) -> QuerySet[Questionnaire]:
    paths = reach_paths(user, VIEW_SURVEYS)
    if not paths:
        return Questionnaire.objects.none()
    return Questionnaire.objects.filter(
        Q(org_unit__isnull=True) | paths_q(paths, "org_unit__path")
        | Q(org_unit__path__in=_ancestor_paths(paths))).select_related("org_unit")


def get_questionnaire_for_user(user, pk, *, manage: bool = False) -> Questionnaire:
    questionnaire = questionnaires_visible_to(user).filter(pk=pk).first()
    if questionnaire is None:
        raise Http404
    if manage and not may_manage(user, questionnaire):
        raise PermissionDenied
    return questionnaire


def may_manage(user, questionnaire: Questionnaire) -> bool:
    """Upload a new version: MANAGE_SURVEYS over the owning unit; built-ins change only with a release."""
    if questionnaire.built_in or questionnaire.org_unit is None:
        return False
    return in_reach(questionnaire.org_unit.path, reach_paths(user, MANAGE_SURVEYS))


def upload_units(user) -> QuerySet[OrgUnit]:
    """Units a new questionnaire may belong to: those where the user holds MANAGE_SURVEYS (the roots of reach)."""
    return OrgUnit.objects.filter(path__in=reach_paths(user, MANAGE_SURVEYS)).order_by("path")


def may_upload(user) -> bool:
    return has_capability(user, MANAGE_SURVEYS)


def get_invitation_for_interview(user, pk) -> Invitation:
    """An invitation whose client the user may see without a purpose; interviewing needs WORK_CASES over them."""
    invitation = (Invitation.objects.select_related("campaign__version__questionnaire", "client__org_unit")
                  .filter(pk=pk, client__in=clients_visible_to(user)).first())
    if invitation is None:
        raise Http404
    if not in_reach(invitation.client.org_unit.path, reach_paths(user, WORK_CASES)):
        raise PermissionDenied
    return invitation
