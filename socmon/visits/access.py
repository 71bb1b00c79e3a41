"""Who may see which visits and print which cards. Every visit or card query starts here.

- A social worker sees their own visits; only they record services and check out (the head watches).
- Heads, directors, monitoring specialists and analysts see the visits of their subtree (by the visit's
  department). External evaluators see no visit (aggregates only, elsewhere).
- Cards: whoever may see the client without stating a purpose may open the client's card page. Issuing,
  reissuing and printing it (one card or a whole caseload) is for the people who serve the client: the
  client's current caseload worker, and the heads and directors over the client's department
  (REGISTER_CLIENTS or MANAGE_CASELOAD there). Monitoring specialists and analysts see the page read-only:
  a reissue revokes the card in the person's hands, and the printed card holds the rating code, with which
  anyone could rate the person's visits.
- Checking in without the card (none yet, lost, damaged) is for the client's current caseload worker only, as
  check-in by the card is; the worker's list of their own clients without a card is theirs alone.
- Flags (visits.flags) are marked as checked by the heads of the visit's department (or of the worker's, for a
  worker-level flag); directors, specialists and analysts see the checks but do not make them.
- Ratings have no staff side at all: only a rating code (card or one-time) reaches the rating page.
Invisible → 404, visible but not theirs to change → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from socmon.accounts.access import (
    DO_VISITS,
    FOLLOW_VISITS,
    MANAGE_CASELOAD,
    REGISTER_CLIENTS,
    VIEW_CLIENTS,
    has_capability,
    in_reach,
    paths_q,
    reach_paths,
    roles_of,
)
from socmon.accounts.models import Membership, Role
from socmon.clients.access import clients_visible_to, current_assignments
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit

from .models import ClientCard, Visit

OVERSEEING_ROLES = {Role.HEAD, Role.DIRECTOR, Role.SPECIALIST, Role.ANALYST}
# Roles that serve clients and so may hand out cards: the caseload worker (own clients only), the head and
# the director (their department's or institution's clients).
CARD_ISSUING_ROLES = {Role.WORKER, Role.HEAD, Role.DIRECTOR}


def visits_visible_to(user) -> QuerySet[Visit]:
    """The worker's own visits, and every visit in the subtrees the user oversees."""
    if not user.is_authenticated:
        return Visit.objects.none()
    paths = reach_paths(user, VIEW_CLIENTS, roles=OVERSEEING_ROLES)
    return Visit.objects.filter(paths_q(paths, "org_unit__path") | Q(worker=user)).select_related(
        "client", "worker", "org_unit")


def get_visit_for_user(user, pk, *, work: bool = False) -> Visit:
    """The visit if the user may see it; with `work=True` only the visit's own worker may proceed."""
    visit = visits_visible_to(user).filter(pk=pk).first()
    if visit is None:
        raise Http404
    if work and not can_work_on(user, visit):
        raise PermissionDenied
    return visit


def can_work_on(user, visit: Visit) -> bool:
    return visit.worker_id == user.pk


def may_see_contacts(user, visit: Visit) -> bool:
    """The client's phone, directions, how to get in and card on the day list: for the visit's own worker only.
    Whoever follows the day (a head) opens the client's record for them, and that view is logged."""
    return can_work_on(user, visit)


def _card_issuing_paths(user) -> list[str]:
    """Subtrees where the user issues cards for every client: heads and directors (never a worker's department)."""
    roles = {Role.HEAD, Role.DIRECTOR}
    return reach_paths(user, REGISTER_CLIENTS, roles=roles) + reach_paths(user, MANAGE_CASELOAD, roles=roles)


def card_clients_for(user) -> QuerySet[Client]:
    """Clients whose card the user may view (read-only for those who do not serve the client)."""
    return clients_visible_to(user)


def card_issuable_clients_for(user) -> QuerySet[Client]:
    """Clients whose card the user may issue, reissue and print: their own caseload, or their department's or
    institution's clients for a head or director. Every client for a superuser."""
    if not user.is_authenticated:
        return Client.objects.none()
    on_caseload = current_assignments().filter(worker=user).values("client")
    q = paths_q(_card_issuing_paths(user), "org_unit__path") | Q(pk__in=on_caseload)
    return clients_visible_to(user).filter(q)


def may_issue_cards(user) -> bool:
    """Whether the user serves clients at all (and so may be offered bulk printing)."""
    return user.is_authenticated and (user.is_superuser or bool(roles_of(user) & CARD_ISSUING_ROLES))


def may_issue_card(user, client: Client) -> bool:
    """Issue, reissue or print this client's card: their current worker, or a head or director over them."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or in_reach(client.org_unit.path, _card_issuing_paths(user)):
        return True
    return current_assignments().filter(worker=user, client=client).exists()


def get_client_for_card(user, pk, *, issue: bool = False) -> Client:
    """The client whose card the user may see (else 404); with `issue=True` only for a card issuer (else 403)."""
    client = card_clients_for(user).filter(pk=pk).first()
    if client is None:
        raise Http404
    if issue and not may_issue_card(user, client):
        raise PermissionDenied
    return client


def own_clients_without_card(user) -> QuerySet[Client]:
    """The user's own clients today (current caseload, still served) who have no card that works."""
    if not user.is_authenticated:
        return Client.objects.none()
    working_card = ClientCard.objects.filter(client=OuterRef("pk"), revoked_at=None)
    return (clients_visible_to(user).filter(pk__in=current_assignments().filter(worker=user).values("client"),
                                            is_active=True)
            .filter(~Exists(working_card)).order_by("last_name", "first_name", "pk"))


def get_client_to_check_in(user, pk) -> Client:
    """The client whose visit the user opens without the card: only their own caseload's (as with the card).

    Invisible → 404; visible but not on the user's caseload today (the head, the director) → 403."""
    client = clients_visible_to(user).filter(pk=pk).first()
    if client is None:
        raise Http404
    if not has_capability(user, DO_VISITS) or not current_assignments().filter(worker=user, client=client).exists():
        raise PermissionDenied
    return client
def may_check_flags(user, unit_path: str) -> bool:
    """Mark a flag in this department as checked: the department's heads (who follow its visits)."""
    return user.is_authenticated and in_reach(unit_path, reach_paths(user, FOLLOW_VISITS, roles={Role.HEAD}))


def flag_unit_for(user, *, visit: Visit | None = None, worker=None) -> OrgUnit | None:
    """The department a flag belongs to where `user` may check it: the visit's; for a worker-level flag the
    worker's department in the user's reach. None: not theirs to check."""
    if visit is not None:
        units = [visit.org_unit]
    else:
        units = [m.org_unit for m in Membership.objects.filter(user=worker, role=Role.WORKER)
                 .select_related("org_unit").order_by("org_unit__path")]
    return next((u for u in units if may_check_flags(user, u.path)), None)
