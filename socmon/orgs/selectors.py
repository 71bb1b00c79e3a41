from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from socmon.accounts.access import MANAGE_ORG, VIEW_PEOPLE, paths_q, reach_paths
from socmon.accounts.models import Membership, User

from .access import org_units_visible_to, people_whose_password_user_may_reset
from .models import OrgUnit
from .picker import unit_labels


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


# At most this many words of a search count (each must match): a bound on the query's size.
SEARCH_WORDS = 4


def people_matching(user, query: str) -> QuerySet[User]:
    """People holding a role where the user manages, found by name, username or unit: every word of `query`
    is part of the first name, last name or username, or of the name of a unit in reach where they hold a
    role. Only memberships in reach are searched (the reach's path prefix bounds the scan), so nobody outside
    it is ever found, whatever the words."""
    memberships = Membership.objects.filter(paths_q(reach_paths(user, MANAGE_ORG), "org_unit__path"))
    for word in query.split()[:SEARCH_WORDS]:
        memberships = memberships.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
                                         | Q(user__username__icontains=word) | Q(org_unit__name__icontains=word))
    return User.objects.filter(pk__in=memberships.values("user")).order_by("last_name", "first_name", "username",
                                                                            "pk")


def roles_in_reach_of(user, people: list[User]) -> dict[int, list[tuple[Membership, str]]]:
    """Each person's roles in the subtrees the user manages, with their unit's label ("Home Care · Riverside
    Centre": names repeat across institutions), in tree order. Two queries."""
    roles = list(Membership.objects.filter(paths_q(reach_paths(user, MANAGE_ORG), "org_unit__path"),
                                           user__in=[p.pk for p in people])
                 .select_related("org_unit").order_by("org_unit__path", "role"))
    units = unit_labels([m.org_unit for m in roles])
    held: dict[int, list[tuple[Membership, str]]] = {}
    for m in roles:
        held.setdefault(m.user_id, []).append((m, units[m.org_unit_id]))
    return held


def person_choices(user, people: list[User]) -> list[tuple[int, str]]:
    """(pk, "Alice Akhmetova (alice) — Social worker, Home Care · Riverside Centre") for each person: their
    roles in the user's reach tell apart two people of the same name."""
    held = roles_in_reach_of(user, people)
    return [(p.pk, " — ".join([
        _("%(name)s (%(username)s)") % {"name": p, "username": p.username},
        "; ".join(_("%(role)s, %(unit)s") % {"role": m.get_role_display(), "unit": label}
                  for m, label in held.get(p.pk, []))])) for p in people]


def people_found(user, people: list[User]) -> list[dict]:
    """The people page's rows: each person, their roles in reach, and whether the user may reset their
    password. Three queries."""
    held = roles_in_reach_of(user, people)
    resettable = set(people_whose_password_user_may_reset(user).filter(pk__in=[p.pk for p in people])
                     .values_list("pk", flat=True))
    return [{"person": p, "roles": held.get(p.pk, []), "resettable": p.pk in resettable} for p in people]


def roles_in_reach(user, person: User) -> list[Membership]:
    """The person's roles in the subtrees the user manages, in tree order (their units link back)."""
    return list(Membership.objects.filter(paths_q(reach_paths(user, MANAGE_ORG), "org_unit__path"), user=person)
                .select_related("org_unit").order_by("org_unit__path", "role"))
