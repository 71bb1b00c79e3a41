from django.db.models import Count, QuerySet

from socmon.accounts.access import MANAGE_ORG, VIEW_PEOPLE, paths_q, reach_paths
from socmon.accounts.models import Membership, User

from .access import org_units_visible_to
from .models import OrgUnit


def org_tree_for(user) -> list[dict]:
    """The visible part of the tree as nested dicts, one query; people counts only where people are visible."""
    units = list(org_units_visible_to(user).annotate(people=Count("memberships__user", distinct=True)))
    show_people = reach_paths(user, VIEW_PEOPLE)
    nodes = {u.path: {"unit": u, "children": [], "people": None} for u in units}
    roots = []
    for u in units:
        node = nodes[u.path]
        if any(u.path.startswith(p) for p in show_people):
            node["people"] = u.people
        parent_path = u.path[: -u.steplen]
        if parent_path in nodes:
            nodes[parent_path]["children"].append(node)
        else:
            roots.append(node)
    for node in nodes.values():
        node["children"].sort(key=_by_name)
    return sorted(roots, key=_by_name)


def _by_name(node: dict) -> tuple[str, str]:
    return node["unit"].name.casefold(), node["unit"].path


def ancestors_visible_to(user, unit: OrgUnit) -> list[OrgUnit]:
    visible = org_units_visible_to(user)
    paths = [unit.path[:i] for i in range(unit.steplen, len(unit.path), unit.steplen)]
    return list(visible.filter(path__in=paths).order_by("depth"))


def memberships_at(unit: OrgUnit) -> QuerySet[Membership]:
    return Membership.objects.filter(org_unit=unit).select_related("user").order_by("role", "user__last_name")


def manageable_parents_for(user, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Units that `unit` could move under: managed by the user, above its level, outside its own subtree."""
    return (
        OrgUnit.objects.filter(paths_q(reach_paths(user, MANAGE_ORG)), level__rank__lt=unit.level.rank)
        .exclude(path__startswith=unit.path)
        .select_related("level")
        .order_by("path")
    )


def people_manageable_by(user) -> QuerySet[User]:
    """Accounts that hold a role somewhere the user manages: the people they may give another role."""
    paths = reach_paths(user, MANAGE_ORG)
    in_reach = Membership.objects.filter(paths_q(paths, "org_unit__path")).values("user")
    return User.objects.filter(pk__in=in_reach).order_by("last_name", "first_name", "username")
