from django.db.models import Count, Q

from socmon.accounts.access import (
    MANAGE_ORG,
    VIEW_ORG,
    VIEW_PEOPLE,
    has_capability,
    memberships_of,
    paths_q,
    reach_paths,
)
from socmon.accounts.models import Membership, Role
from socmon.cases.selectors import home_counts_for as case_home_counts_for
from socmon.clients.selectors import home_counts_for as client_home_counts_for
from socmon.orgs.models import OrgLevel, OrgUnit
from socmon.visits.selectors import home_counts_for as visit_home_counts_for


def home_summary_for(user) -> dict:
    """What the home page shows: the person's roles and counts within their reach."""
    org_paths = reach_paths(user, VIEW_ORG)
    units = OrgUnit.objects.filter(paths_q(org_paths))
    counts = units.aggregate(
        institutions=Count("pk", filter=Q(level__kind=OrgLevel.Kind.INSTITUTION)),
        departments=Count("pk", filter=Q(level__kind=OrgLevel.Kind.DEPARTMENT)),
    )
    summary = {
        "memberships": memberships_of(user),
        "can_view_org": has_capability(user, VIEW_ORG),
        "can_manage_org": has_capability(user, MANAGE_ORG),
        "can_view_people": has_capability(user, VIEW_PEOPLE),
        "institution_count": counts["institutions"],
        "department_count": counts["departments"],
        "worker_count": None,
    }
    if summary["can_view_people"]:
        people_paths = reach_paths(user, VIEW_PEOPLE)
        summary["worker_count"] = (
            Membership.objects.filter(paths_q(people_paths, "org_unit__path"), role=Role.WORKER)
            .values("user").distinct().count()
        )
    summary.update(case_home_counts_for(user))
    summary.update(client_home_counts_for(user))
    summary.update(visit_home_counts_for(user))
    return summary
