"""Who may see which clients. Every query that touches clients starts here.

- A social worker sees the clients on their current caseload. They may open another client of their
  own department only by stating a purpose (covering for a colleague); that view is logged with the
  purpose and shown to the head.
- Heads, directors, monitoring specialists and analysts see the clients of their subtree.
- External evaluators see no client at all (aggregates only, elsewhere).
Invisible → 404.
"""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from socmon.accounts.access import VIEW_CLIENTS, paths_q, reach_paths
from socmon.accounts.models import Role

from .models import CaseloadAssignment, Client


class PurposeRequired(Exception):
    """The user may open this client only after stating why (and the view will be logged with it)."""

    def __init__(self, client: Client):
        super().__init__(client.code)
        self.client = client


def current_assignments(today: datetime.date | None = None) -> QuerySet[CaseloadAssignment]:
    today = today or timezone.localdate()
    return CaseloadAssignment.objects.filter(Q(ends_on=None) | Q(ends_on__gt=today), starts_on__lte=today)


def _broad_paths(user) -> list[str]:
    """Subtrees where the user sees all clients: every role with VIEW_CLIENTS except the worker's."""
    roles = {Role.HEAD, Role.DIRECTOR, Role.SPECIALIST, Role.ANALYST, Role.ADMIN}
    return reach_paths(user, VIEW_CLIENTS, roles=roles)


def clients_visible_to(user, today: datetime.date | None = None) -> QuerySet[Client]:
    """Clients the user may list, search and open without stating a purpose."""
    if not user.is_authenticated:
        return Client.objects.none()
    on_caseload = current_assignments(today).filter(worker=user).values("client")
    q = paths_q(_broad_paths(user), "org_unit__path") | Q(pk__in=on_caseload)
    return Client.objects.filter(q).select_related("org_unit", "category")


def clients_openable_with_purpose(user) -> QuerySet[Client]:
    """Clients of the worker's own department(s) that are not on their caseload."""
    paths = reach_paths(user, VIEW_CLIENTS, roles={Role.WORKER})
    return Client.objects.filter(paths_q(paths, "org_unit__path"))


def get_client_for_user(user, pk, *, purpose_given: bool = False) -> Client:
    """The client, if the user may open it. Raises PurposeRequired for a break-glass view without a purpose."""
    client = clients_visible_to(user).filter(pk=pk).first()
    if client is not None:
        return client
    client = clients_openable_with_purpose(user).select_related("org_unit", "category").filter(pk=pk).first()
    if client is None:
        raise Http404
    if not purpose_given:
        raise PurposeRequired(client)
    return client


def needs_purpose(user, client: Client) -> bool:
    return not clients_visible_to(user).filter(pk=client.pk).exists()
