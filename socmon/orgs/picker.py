"""Choosing an org unit by walking the tree or searching by name, server-rendered and without JavaScript.

A page that reports on "a unit in reach" offers the current unit's parent and children and at most
`MATCHES` units found by name, never every unit in reach as one list (a country holds thousands).
Each choice is a link to the same page with `unit=<pk>` and the page's other parameters kept.
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit

MATCHES = 20


class UnitSearchForm(forms.Form):
    unit_q = forms.CharField(label=_("Find a unit by name"), max_length=100, required=False, strip=True)


@dataclass
class Choice:
    unit: OrgUnit
    label: str
    href: str


@dataclass
class UnitPicker:
    current: Choice
    parent: Choice | None
    children: list[Choice]
    search: UnitSearchForm
    kept: list[tuple[str, str]]  # the page's other parameters, carried by the search form as hidden inputs
    matches: list[Choice] = field(default_factory=list)
    more: bool = False  # more units match than are listed: narrow the search


def unit_picker(units: QuerySet[OrgUnit], unit: OrgUnit, params: QueryDict) -> UnitPicker:
    """`units`: those the reader may choose (their scope); `params`: the page's query (kept in every link).
    One query (the parent and the children together); two more when searching (the units found, their parents'
    names)."""
    search = UnitSearchForm(params if "unit_q" in params else None)
    query = search.cleaned_data["unit_q"] if search.is_bound and search.is_valid() else ""
    parent_path = unit.path[:-unit.steplen] if unit.depth > 1 else None
    # The parent names the current unit even where the reader may not choose it (their top unit): read it with
    # the children, each row saying whether it is among `units`.
    around = Q(path__startswith=unit.path, depth=unit.depth + 1) | (Q(path=parent_path) if parent_path else Q())
    near = list(OrgUnit.objects.filter(around).annotate(chosen=Exists(units.filter(pk=OuterRef("pk"))))
                .order_by("name", "path"))
    above = next((u for u in near if u.path == parent_path), None)
    parent = above if above is not None and above.chosen else None
    children = [u for u in near if u is not above and u.chosen]
    found = list(units.filter(name__icontains=query).order_by("name", "path")[:MATCHES + 1]) if query else []
    names = {unit.pk: f"{unit.name} · {above.name}" if above else unit.name,
             **(_names_with_parents(found[:MATCHES]) if found else {})}

    def choice(u: OrgUnit, label: str | None = None) -> Choice:
        link = params.copy()
        link.pop("unit_q", None)
        link.pop("worker", None)  # workers belong to the unit left behind
        link["unit"] = str(u.pk)
        return Choice(u, label or names.get(u.pk, u.name), f"?{link.urlencode()}")

    return UnitPicker(current=choice(unit), parent=choice(parent, parent.name) if parent else None,
                      children=[choice(c, c.name) for c in children], search=search,
                      kept=[(k, v) for k, values in params.lists() if k != "unit_q" for v in values],
                      matches=[choice(u) for u in found[:MATCHES]], more=len(found) > MATCHES)


def unit_labels(units: list[OrgUnit]) -> dict[int, str]:
    """Each unit's name with its parent's, to tell apart units of the same name elsewhere. One query."""
    return _names_with_parents(units)


def _names_with_parents(units: list[OrgUnit]) -> dict[int, str]:
    """"Home Care · Riverside Centre": departments of different institutions share names. One query."""
    parent_paths = {u.path[:-u.steplen] for u in units if u.depth > 1}
    parents = dict(OrgUnit.objects.filter(path__in=parent_paths).values_list("path", "name")) if parent_paths else {}
    return {u.pk: " · ".join(filter(None, [u.name, parents.get(u.path[:-u.steplen])])) for u in units}
