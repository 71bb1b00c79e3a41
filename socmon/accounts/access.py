"""Who may do what, and where: roles, their capabilities, and their reach in the org tree.

A membership (user, org unit, role) grants the role's capabilities over the unit's subtree.
A social worker's reach for client data narrows further to their own caseload (see clients.access).
Every other access module builds on `reach_paths` and `paths_q`.
"""

from dataclasses import dataclass

from django.db.models import Q

from socmon.orgs.models import OrgLevel

from .models import Membership, Role

VIEW_ORG = "org.view"
VIEW_PEOPLE = "org.view_people"
MANAGE_ORG = "org.manage"
VIEW_CLIENTS = "clients.view"          # personal data of clients (a worker: own caseload only)
REGISTER_CLIENTS = "clients.register"  # register applications and clients
MANAGE_CASELOAD = "clients.caseload"   # assign and reassign clients to workers
WORK_CASES = "cases.work"              # assess, plan, monitor, refer, propose closure
APPROVE_CASES = "cases.approve"        # approve or return assessments, plans and closures
DO_VISITS = "visits.do"                # have a day of home visits ("My day")
PLAN_VISITS = "visits.plan"            # plan, move and add visits for the department's workers
FOLLOW_VISITS = "visits.follow"        # follow visits live and see them per worker
REPORT_VISITS = "visits.report"        # reports on visits (without VIEW_PEOPLE: aggregates, no names)
RECORD_ACTIVITIES = "activities.record"  # record group, individual and open activities, attendance, photos
VIEW_ACTIVITIES = "activities.view"      # list, export and summarise activities (attendance by client code)
VIEW_SURVEYS = "surveys.view"          # read questionnaires, their versions and what changed
MANAGE_SURVEYS = "surveys.manage"      # questionnaires (XLSForm versions) and campaigns: create, invite, draw (M&E)
CONDUCT_SURVEYS = "surveys.conduct"    # hand out survey slips, interview, record that a client declined
VIEW_INDICATORS = "indicators.view"    # indicator catalogue and values (without VIEW_PEOPLE: small counts hidden)
MANAGE_INDICATORS = "indicators.manage"  # define custom indicators, replace or retire them, set targets (M&E)
# Approve an M&E plan version of a programme owned in reach (never one's own: socmon.programmes.access)
APPROVE_PLANS = "programmes.approve"
REPORT_SURVEYS = "surveys.report"      # survey results (without VIEW_PEOPLE: aggregates, small counts hidden)
RECORD_FEEDBACK = "feedback.record"    # note feedback said by phone or in person; a client's confirmation
ANSWER_FEEDBACK = "feedback.answer"    # read, answer, extend, escalate and close feedback about units in reach

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.WORKER: frozenset({VIEW_ORG, VIEW_PEOPLE, VIEW_CLIENTS, REGISTER_CLIENTS, WORK_CASES, DO_VISITS,
                            RECORD_ACTIVITIES, VIEW_ACTIVITIES, RECORD_FEEDBACK, CONDUCT_SURVEYS}),
    Role.HEAD: frozenset({VIEW_ORG, VIEW_PEOPLE, VIEW_CLIENTS, REGISTER_CLIENTS, WORK_CASES, MANAGE_CASELOAD,
                          APPROVE_CASES, PLAN_VISITS, FOLLOW_VISITS, REPORT_VISITS, RECORD_ACTIVITIES,
                          VIEW_ACTIVITIES, VIEW_SURVEYS, CONDUCT_SURVEYS, REPORT_SURVEYS, RECORD_FEEDBACK,
                          ANSWER_FEEDBACK, VIEW_INDICATORS}),
    Role.DIRECTOR: frozenset({VIEW_ORG, VIEW_PEOPLE, VIEW_CLIENTS, REGISTER_CLIENTS, FOLLOW_VISITS, REPORT_VISITS,
                              VIEW_ACTIVITIES, VIEW_SURVEYS, CONDUCT_SURVEYS, REPORT_SURVEYS, RECORD_FEEDBACK,
                              ANSWER_FEEDBACK, VIEW_INDICATORS, APPROVE_PLANS}),
    # Escalated feedback reaches the areas above the institution.
    Role.SPECIALIST: frozenset({VIEW_ORG, VIEW_PEOPLE, VIEW_CLIENTS, FOLLOW_VISITS, REPORT_VISITS, VIEW_ACTIVITIES,
                                VIEW_SURVEYS, MANAGE_SURVEYS, REPORT_SURVEYS, ANSWER_FEEDBACK, VIEW_INDICATORS,
                                MANAGE_INDICATORS, APPROVE_PLANS}),
    Role.ANALYST: frozenset({VIEW_ORG, VIEW_PEOPLE, VIEW_CLIENTS, FOLLOW_VISITS, REPORT_VISITS, VIEW_ACTIVITIES,
                             VIEW_SURVEYS, REPORT_SURVEYS, VIEW_INDICATORS}),
    # External evaluators see structure and aggregates, never people.
    Role.EVALUATOR: frozenset({VIEW_ORG, REPORT_VISITS, REPORT_SURVEYS, VIEW_INDICATORS}),
    Role.ADMIN: frozenset({VIEW_ORG, VIEW_PEOPLE, MANAGE_ORG}),
}

# The kind of org unit each role is held at: a worker belongs to a department, a director to an institution.
ROLE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Role.WORKER: frozenset({OrgLevel.Kind.DEPARTMENT}),
    Role.HEAD: frozenset({OrgLevel.Kind.DEPARTMENT}),
    Role.DIRECTOR: frozenset({OrgLevel.Kind.INSTITUTION}),
    Role.SPECIALIST: frozenset({OrgLevel.Kind.AREA}),
    Role.ANALYST: frozenset({OrgLevel.Kind.AREA}),
    Role.EVALUATOR: frozenset({OrgLevel.Kind.AREA}),
    Role.ADMIN: frozenset({OrgLevel.Kind.AREA, OrgLevel.Kind.INSTITUTION}),
}


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their units, loaded once per request (cached on the user)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_socmon_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("org_unit__level"))
        user._socmon_memberships = cached
    return cached


def roles_of(user) -> set[str]:
    return {m.role for m in memberships_of(user)}


def has_capability(user, capability: str) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return any(capability in ROLE_CAPABILITIES[m.role] for m in memberships_of(user))


def reach_paths(user, capability: str, *, roles: set[str] | None = None) -> list[str]:
    """Tree paths of the subtrees where `user` holds `capability` (nested paths pruned).

    A superuser reaches every root. `roles` narrows to memberships of those roles.
    """
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        from socmon.orgs.models import OrgUnit

        return list(OrgUnit.objects.get_root_nodes().values_list("path", flat=True))
    paths = sorted(
        m.org_unit.path
        for m in memberships_of(user)
        if capability in ROLE_CAPABILITIES[m.role] and (roles is None or m.role in roles)
    )
    pruned: list[str] = []
    for path in paths:
        if not any(path.startswith(kept) for kept in pruned):
            pruned.append(path)
    return pruned


def paths_q(paths: list[str], field: str = "path") -> Q:
    """A filter for rows whose `field` lies under any of `paths`; matches nothing when empty."""
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def in_reach(path: str, paths: list[str]) -> bool:
    return any(path.startswith(p) for p in paths)


@dataclass(frozen=True)
class AggregateScope:
    """Whose aggregates a user may see: the subtrees in `paths`; exact per-person figures only under
    `individual_paths` (where they may see people), elsewhere aggregates only, small counts suppressed."""

    paths: tuple[str, ...]
    individual_paths: tuple[str, ...]

    def covers(self, path: str) -> bool:
        return in_reach(path, list(self.paths))

    def detail(self, path: str) -> str:
        """"individual" (exact, people may be named) or "aggregate_only" (no names, small counts suppressed)."""
        return INDIVIDUAL if in_reach(path, list(self.individual_paths)) else AGGREGATE_ONLY

    def q(self, field: str = "path") -> Q:
        return paths_q(list(self.paths), field)


INDIVIDUAL = "individual"
AGGREGATE_ONLY = "aggregate_only"


def aggregate_scope(user, capability: str = REPORT_VISITS, *, individuals: str = VIEW_PEOPLE) -> AggregateScope:
    """The one rule for aggregates (reports now, indicators next): a user sees the aggregates of the subtrees
    where they hold `capability`, and individuals only where they also hold `individuals` (seeing people;
    the visit report asks for following visits). External evaluators hold the first without the second."""
    paths = reach_paths(user, capability)
    people = reach_paths(user, individuals)
    individual = [p for p in paths if in_reach(p, people)] + [p for p in people if in_reach(p, paths)]
    return AggregateScope(paths=tuple(paths), individual_paths=tuple(sorted(set(individual))))
