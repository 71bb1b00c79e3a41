"""Who may see and run survey campaigns, invitations and results.

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
    AggregateScope,
    aggregate_scope,
    has_capability,
    in_reach,
    paths_q,
    reach_paths,
)
from socmon.clients.access import clients_visible_to, overseen_paths
from socmon.orgs.models import OrgUnit

from .models import Campaign, Invitation


def campaign_paths(user) -> list[str]:
    return sorted(set(overseen_paths(user)) | set(reach_paths(user, MANAGE_SURVEYS)))


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(paths_q(campaign_paths(user), "org_unit__path")).select_related(
        "org_unit", "version__questionnaire")


def get_campaign_for_user(user, pk, *, manage: bool = False) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    if manage and not may_manage(user, campaign.org_unit):
        raise PermissionDenied
    return campaign


def may_manage(user, unit: OrgUnit) -> bool:
    return in_reach(unit.path, reach_paths(user, MANAGE_SURVEYS))


def units_for_new_campaigns(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(paths_q(reach_paths(user, MANAGE_SURVEYS)))


def get_unit_for_new_campaign(user, pk) -> OrgUnit:
    unit = OrgUnit.objects.filter(paths_q(campaign_paths(user)), pk=pk).first()
    if unit is None:
        raise Http404
    if not may_manage(user, unit):
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


def may_conduct(user, invitation: Invitation) -> bool:
    if may_manage(user, invitation.campaign.org_unit):
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
