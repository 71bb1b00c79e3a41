"""Who may see which visits and print which cards. Every visit or card query starts here.

- A social worker sees their own visits; only they record services and check out (the head watches).
- Heads, directors, monitoring specialists and analysts see the visits of their subtree (by the visit's
  department). External evaluators see no visit (aggregates only, elsewhere).
- Cards: whoever may see the client without stating a purpose may print and reissue the client's card.
- Ratings have no staff side at all: only a rating code (card or one-time) reaches the rating page.
Invisible → 404, visible but not theirs to change → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from socmon.accounts.access import VIEW_CLIENTS, paths_q, reach_paths
from socmon.accounts.models import Role
from socmon.clients.access import clients_visible_to
from socmon.clients.models import Client

from .models import Visit

OVERSEEING_ROLES = {Role.HEAD, Role.DIRECTOR, Role.SPECIALIST, Role.ANALYST}


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


def card_clients_for(user) -> QuerySet[Client]:
    """Clients whose card the user may print or reissue."""
    return clients_visible_to(user)


def get_client_for_card(user, pk) -> Client:
    client = card_clients_for(user).filter(pk=pk).first()
    if client is None:
        raise Http404
    return client
