"""Who sees questionnaires, who uploads them, and who interviews a client for a campaign.

A questionnaire belongs to a unit (built-ins to none: every unit). People holding VIEW_SURVEYS see the
built-ins, those of units in their reach and those of the units above them (a questionnaire of the area
serves its institutions); MANAGE_SURVEYS over the owning unit uploads its new versions. An interview
is for a client the worker may see without stating a purpose (their caseload, or the head's department).

Campaigns:
Who may see and run survey campaigns, invitations and results.

- A campaign and its invitations (client codes, modes, statuses, slips) are for those who oversee the clients
  of its unit (heads, directors, M&E specialists, analysts: `clients.access.overseen_paths`) and for those who
  run surveys there (MANAGE_SURVEYS). Invisible → 404.
- Starting a campaign, inviting the served clients and drawing the yearly sample: MANAGE_SURVEYS over the
  campaign's unit (the M&E specialist); others who see the campaign → 403.
- One invitation (its mode, a decline): whoever runs surveys there, or a worker, head or director holding
  CONDUCT_SURVEYS who sees the client (a worker: their own caseload).
- Results: `aggregate_scope(user, REPORT_SURVEYS)`; aggregate-only readers (external evaluators) get small
  counts hidden. Exports of responses (client codes) only for those who see the campaign itself.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from socmon.accounts.access import (
    CONDUCT_SURVEYS,
    MANAGE_SURVEYS,
    REPORT_SURVEYS,
    VIEW_SURVEYS,
    WORK_CASES,
    AggregateScope,
    aggregate_scope,
    has_capability,
    in_reach,
    paths_q,
    reach_paths,
)
from socmon.clients.access import clients_visible_to, overseen_paths, units_q
from socmon.orgs.models import OrgUnit

from .models import Campaign, Invitation, Questionnaire


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
    if not may_interview(user, invitation):
        raise PermissionDenied
    return invitation


def may_interview(user, invitation: Invitation) -> bool:
    """Whether the user works with the invited client's cases (their worker or head) and sees the client
    without a purpose: who may interview."""
    return (in_reach(invitation.client.org_unit.path, reach_paths(user, WORK_CASES))
            and clients_visible_to(user).filter(pk=invitation.client_id).exists())


# --- Campaigns ---
def campaign_paths(user) -> list[str]:
    return sorted(set(overseen_paths(user)) | set(reach_paths(user, MANAGE_SURVEYS)))


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(units_q(campaign_paths(user), user=user)).select_related(
        "org_unit", "version__questionnaire")


def listed_campaigns(user) -> QuerySet[Campaign]:
    """The campaigns list: those the user sees or reads the results of, by `org_unit_id IN (ids)` of both
    subtrees at once (`clients.access.units_q`; an OR of two joins on the path reads every campaign)."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    paths = sorted(set(campaign_paths(user)) | set(results_scope(user).paths))
    return Campaign.objects.filter(units_q(paths, user=user))


def get_campaign_for_user(user, pk, *, manage: bool = False) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    if manage and not may_manage_campaigns(user, campaign.org_unit):
        raise PermissionDenied
    return campaign


def may_manage_campaigns(user, unit: OrgUnit) -> bool:
    return in_reach(unit.path, reach_paths(user, MANAGE_SURVEYS))


def units_for_new_campaigns(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(paths_q(reach_paths(user, MANAGE_SURVEYS)))


def get_unit_for_new_campaign(user, pk) -> OrgUnit:
    unit = OrgUnit.objects.filter(paths_q(campaign_paths(user)), pk=pk).first()
    if unit is None:
        raise Http404
    if not may_manage_campaigns(user, unit):
        raise PermissionDenied
    return unit


def invitations_visible_to(user) -> QuerySet[Invitation]:
    """Invitations of visible campaigns, and a worker's own clients' invitations (CONDUCT_SURVEYS)."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    q = Q(campaign__in=campaigns_visible_to(user).values("pk"))
    if has_capability(user, CONDUCT_SURVEYS):
        q |= Q(client__in=clients_visible_to(user).values("pk"))
    return Invitation.objects.filter(q).select_related("campaign__org_unit", "client", "replaces__client")


def own_clients_open_invitations(user) -> QuerySet[Invitation]:
    """A worker's "my clients' surveys": invitations of open campaigns for clients the user sees."""
    if not has_capability(user, CONDUCT_SURVEYS):
        return Invitation.objects.none()
    return Invitation.objects.filter(client__in=clients_visible_to(user).values("pk"),
                                     campaign__status=Campaign.Status.OPEN)


def may_conduct(user, invitation: Invitation) -> bool:
    if may_manage_campaigns(user, invitation.campaign.org_unit):
        return True
    if not has_capability(user, CONDUCT_SURVEYS):
        return False
    return clients_visible_to(user).filter(pk=invitation.client_id).exists()


def get_invitation_for_user(user, pk, *, conduct: bool = False) -> Invitation:
    invitation = invitations_visible_to(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    if conduct and not may_conduct(user, invitation):
        raise PermissionDenied
    return invitation


def results_scope(user) -> AggregateScope:
    return aggregate_scope(user, REPORT_SURVEYS)


def get_campaign_for_results(user, pk) -> tuple[Campaign, AggregateScope]:
    scope = results_scope(user)
    campaign = (Campaign.objects.filter(scope.q("org_unit__path"), pk=pk)
                .select_related("org_unit", "version__questionnaire").first())
    if campaign is None:
        if not scope.paths:
            raise PermissionDenied
        raise Http404
    return campaign, scope


def may_read_results(user) -> bool:
    return bool(results_scope(user).paths)
