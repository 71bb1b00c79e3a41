"""Who may see and work on which cases and referrals. Every query that touches cases starts here.

- A case is client data: it is visible exactly when its client is (socmon.clients.access), including a
  worker's break-glass view of a colleague's client after stating a purpose.
- Working on a case (assess, plan, review, refer, propose closure) needs WORK_CASES over the case's
  department; deciding (approve or return) needs APPROVE_CASES there. Visible but not allowed → 403.
  Which step is open to whom and when is `cases.workflow` (the case page's buttons come from it too).
  A stated purpose is for reading only: every write (its form page included) needs the client in sight
  without one (their caseload, or a head's department), else 403.
- A referral is seen by the sending side (whoever sees the case) and by the receiving side: anyone with
  WORK_CASES in the receiving unit's subtree, or in a department under it. Receivers see the referral,
  not the case, unless the client is within their own reach.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from socmon.accounts.access import WORK_CASES, in_reach, reach_paths
from socmon.clients.access import (
    caseload_clients,
    clients_visible_to,
    get_client_for_user,
    needs_purpose,
    overseen_paths,
    units_q,
    visible_scope,
)
from socmon.orgs.models import OrgUnit

from .models import Case, Referral


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases of the clients the user may open without stating a purpose (clients_visible_to's two sides).

    The overseen side is found by the case's own department (its index) and checked against the client's:
    a case follows its client's department (clients do not move between departments), and should they
    ever part, the case is hidden rather than shown out of reach.
    """
    return _cases_in_scope(user, check_client=True).select_related("client", "org_unit", "responsible")


def case_count_scope(user) -> QuerySet[Case]:
    """The same cases for counting a list's total, without the per-row check of the client's department
    (which costs a join per case counted); equal as long as cases follow their clients."""
    return _cases_in_scope(user, check_client=False)


def _cases_in_scope(user, *, check_client: bool) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    paths = overseen_paths(user)
    reach = units_q(paths, user=user)
    if check_client:
        reach &= units_q(paths, "client__org_unit", user=user)
    scope = visible_scope(user, Case, reach=reach, own=Q(client__in=caseload_clients(user)))
    return Case.objects.filter(scope)


def case_client_pk(pk) -> int:
    """The client of case `pk`, to look up a stated purpose before the access check. Unknown case → 404."""
    client_pk = Case.objects.filter(pk=pk).values_list("client_id", flat=True).first()
    if client_pk is None:
        raise Http404
    return client_pk


def get_case_for_user(user, pk, *, purpose_given: bool = False) -> Case:
    """The case if the user may open its client; PurposeRequired for a break-glass view without a purpose."""
    case = Case.objects.select_related("client", "org_unit", "responsible", "submitted_by").filter(pk=pk).first()
    if case is None:
        raise Http404
    case.client = get_client_for_user(user, case.client_id, purpose_given=purpose_given)
    return case


def can_open_case_for(user, client) -> bool:
    """WORK_CASES over the client's department, for a client seen without a stated purpose."""
    return in_reach(client.org_unit.path, reach_paths(user, WORK_CASES)) and not needs_purpose(user, client)


def _receiving_q(user) -> Q:
    """Referrals addressed to a unit in the user's WORK_CASES subtrees or to a unit above their department."""
    paths = reach_paths(user, WORK_CASES)
    if not paths:
        return Q(pk__in=[])
    step = OrgUnit.steplen
    above = {p[:i] for p in paths for i in range(step, len(p) + 1, step)}
    q = Q(to_unit__path__in=above)
    for path in paths:
        q |= Q(to_unit__path__startswith=path)
    return q


def referrals_received_by(user) -> QuerySet[Referral]:
    return Referral.objects.filter(_receiving_q(user)).select_related("client", "to_unit", "from_unit", "sent_by")


def referrals_sent_visible_to(user) -> QuerySet[Referral]:
    """Referrals about clients the user sees, sent from their part of the tree."""
    return Referral.objects.filter(client__in=clients_visible_to(user).values("pk")).select_related(
        "client", "to_unit", "from_unit", "sent_by")


def is_receiver(user, referral: Referral) -> bool:
    return referrals_received_by(user).filter(pk=referral.pk).exists()


def get_referral_for_user(user, pk, *, answer: bool = False) -> Referral:
    """A referral the user sends or receives. `answer`: the user must be able to answer it (accept,
    decline, record the outcome): a receiver, or for an outside organisation the sending side's case worker."""
    referral = (referrals_received_by(user) | referrals_sent_visible_to(user)).filter(pk=pk).first()
    if referral is None:
        raise Http404
    if answer and not can_answer(user, referral):
        raise PermissionDenied
    return referral


def can_answer(user, referral: Referral) -> bool:
    if referral.to_unit_id:
        return is_receiver(user, referral)
    # Nobody in socmon receives a referral to an outside organisation: the sending side records the answer.
    return in_reach(referral.from_unit.path, reach_paths(user, WORK_CASES))
