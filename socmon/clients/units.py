"""Units named in lists: departments of different institutions often share a name ("Home Care"), so a
list shows each with its parent, fetched in bulk (OrgUnit.name_with_parent costs a query per unit)."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr

from socmon.orgs.models import OrgUnit


def parent_name(path_field: str = "path") -> Subquery:
    """For `.annotate()`: the name of the parent of the unit whose tree path is `path_field` (None at the
    top). The parent's path is the unit's path without its last step; SQLite and PostgreSQL alike."""
    path = OuterRef(path_field)
    parent = OrgUnit.objects.filter(path=Substr(path, 1, Length(path) - OrgUnit.steplen))
    return Subquery(parent.values("name")[:1])


def with_parent(name: str, parent: str | None) -> str:
    """The same words as OrgUnit.name_with_parent, from a name already fetched."""
    return f"{name} · {parent}" if parent else name
