"""Indicator dashboards: a unit and a period, a few indicators at a time, with charts beside their tables.

`/indicators/dashboard/` offers the catalogue; a programme's dashboard (`programmes:dashboard`) opens on its plan's
key indicators for the programme's unit and is built by `dashboard_page` too. Values are read as the indicator page
reads them (`access.indicator_scope`, `dashboard.panels`): exact where the reader may see people, protected for
aggregate-only readers. A malformed request gets the form back with its errors (400) and no figures.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from socmon.accounts.access import INDIVIDUAL
from socmon.lib.pagination import paginate
from socmon.lib.suppression import small_count_threshold
from socmon.orgs.models import OrgUnit
from socmon.orgs.picker import unit_picker

from . import access, charts, dashboard, forms, periods, selectors
from .models import Indicator
from .views import _period_navigation

COMPARE_PER_PAGE = 200  # units compared on one page (a region's institutions); more go to further pages
ASKED = ("period", "indicator", "compare", "sort")


@dataclass
class DashboardPage:
    unit: OrgUnit
    form: forms.DashboardForm
    picker: object
    period: periods.Period | None = None
    panels: list[dashboard.Panel] = field(default_factory=list)
    protected: bool = False
    compared: dashboard.Panel | None = None
    page: object = None
    tiles: list = field(default_factory=list)
    legend: list = field(default_factory=list)


def link_with(params: QueryDict, **changes) -> str:
    """The same dashboard with some parameters changed (a new unit or order starts at the first page)."""
    query = params.copy()
    for name in ("unit_q", "page"):
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = str(value)
    return "?" + query.urlencode()


def default_period(indicators: list[Indicator], *, today) -> periods.Period:
    """The last complete period of the longest collection among the indicators shown (a half-yearly survey
    indicator has no monthly values worth comparing)."""
    longest = max((i.collected for i in indicators), key=periods.TYPES.index, default=periods.QUARTER)
    return periods.containing(longest, today).previous()


def dashboard_page(request, *, units, unit: OrgUnit, offered: list[Indicator], opening: list[Indicator],
                   baselines=None) -> DashboardPage:
    """Access is done (`units`: the reader's, `unit` among them); `offered`: indicators to choose from, `opening`:
    those shown when none is chosen."""
    scope = access.indicator_scope(request.user)
    bound = any(name in request.GET for name in ASKED)
    today = timezone.localdate()
    opening = opening[:dashboard.MAX_INDICATORS]
    form = forms.DashboardForm(request.GET if bound else None,
                               choices=[(i.code, f"{i.code} {i.label}") for i in offered],
                               initial={"indicator": [i.code for i in opening],
                                        "period": default_period(opening, today=today).key})
    found = DashboardPage(unit, form, unit_picker(units, unit, request.GET))
    if bound and not form.is_valid():
        return found
    data = form.cleaned_data if bound else {}
    by_code = {i.code: i for i in offered}
    chosen = [by_code[code] for code in data.get("indicator") or []] or opening
    compare = next((i for i in chosen if i.code == data.get("compare")), chosen[0] if chosen else None)
    if data.get("compare") and (compare is None or compare.code != data["compare"]):
        form.add_error("compare", _("Compare the units on one of the indicators shown."))
        return found
    found.period = data.get("period") or default_period(chosen, today=today)
    found.protected = scope.detail(unit.path) != INDIVIDUAL
    children = [choice.unit for choice in found.picker.children]
    found.panels = dashboard.panels(
        chosen, unit=unit, children=children, period=found.period, protected=found.protected, compare=compare,
        link=lambda child: link_with(request.GET, unit=child.pk), categories=_categories(chosen), baselines=baselines)
    for panel in found.panels:
        panel.compare_href = link_with(request.GET, compare=panel.indicator.code) + "#compare"
        if panel.comparison is not None:
            _compare(request, found, panel, data.get("sort") or "name")
        charts.panel_charts(panel, unit_label=unit.label)
    return found


def _compare(request, found: DashboardPage, panel: dashboard.Panel, sort: str) -> None:
    """The compared units, ordered and paged; the tile map's colour bands for the page shown."""
    found.compared = panel
    found.page = paginate(request, dashboard.sorted_rows(panel.comparison, sort), per_page=COMPARE_PER_PAGE)
    panel.comparison = list(found.page)
    assigned, found.legend = dashboard.bands(panel.comparison)
    found.tiles = [(row, assigned.get(index, 0)) for index, row in enumerate(panel.comparison)]


def _categories(indicators: list[Indicator]) -> list | None:
    """Client categories once for every indicator broken down by them (one query, none when no one is)."""
    if not any("category" in i.dimensions for i in indicators):
        return None
    return selectors.breakdown_categories()


def context(request, found: DashboardPage) -> dict:
    navigation = _period_navigation(request.GET, found.period) if found.period else {}
    sorts = [(value, label, link_with(request.GET, sort=value)) for value, label in
             found.form.fields["sort"].choices]
    return {"found": found, "form": found.form, "picker": found.picker, "unit": found.unit,
            "threshold": small_count_threshold(), "sorts": sorts,
            "current_sort": request.GET.get("sort") or "name", **navigation}


@login_required
@require_GET
def indicator_dashboard(request):
    scope = access.indicator_scope(request.user)
    units = access.viewable_units(scope)
    unit = access.get_unit_for_user(units, request.GET.get("unit"))
    offered = list(selectors.catalogue(today=timezone.localdate())[0][:100])
    found = dashboard_page(request, units=units, unit=unit, offered=offered, opening=offered)
    return render(request, "indicators/dashboard.html", context(request, found),
                  status=400 if found.form.errors else 200)
