"""Indicator pages: the catalogue, an indicator's definition and values (a unit and its children for a period,
against targets and the same period last year, broken down on request; XLSX and CSV), and its targets.

Values are read as `aggregate_scope(user, VIEW_INDICATORS)` allows (`access`): exact where the reader may see
people, protected for aggregate-only readers (`selectors`); the exports show exactly what the page shows.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from socmon.accounts.access import INDIVIDUAL
from socmon.lib.forms import apply_service, once_per_form_key
from socmon.lib.pagination import paginate
from socmon.orgs.models import OrgUnit
from socmon.orgs.picker import unit_picker

from . import access, exports, forms, periods, selectors, services
from .definitions import text_of
from .models import Indicator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_view(request) -> None:
    if not access.may_view(request.user):
        raise PermissionDenied


@login_required
@require_GET
def catalogue(request):
    _require_view(request)
    in_use, retired = selectors.catalogue(today=timezone.localdate())
    pages = paginate(request, in_use), paginate(request, retired, param="retired_page")
    for indicator in [*pages[0], *pages[1]]:
        indicator.source_text = text_of(indicator, "data_source")
        indicator.validity = selectors.validity_text(indicator)
    return render(request, "indicators/indicator_list.html", {"page": pages[0], "retired": pages[1],
                                                              "may_manage": access.may_manage(request.user)})


@dataclass
class ValuesPage:
    indicator: Indicator
    unit: OrgUnit
    form: forms.ValuesForm
    period: periods.Period
    table: selectors.ValuesTable | None
    picker: object


def _with(params: QueryDict, **changes) -> str:
    query = params.copy()
    query.pop("unit_q", None)
    for name, value in changes.items():
        query[name] = str(value)
    return "?" + query.urlencode()


def _values_page(request, code: str) -> ValuesPage:
    """Access → the unit and period asked for (defaults: the reader's top unit, the last complete period) →
    the table. A period that names nothing is a form error and no table."""
    scope = access.indicator_scope(request.user)
    indicator = access.get_indicator(code, request.GET.get("version"))
    units = access.viewable_units(scope)
    unit = access.get_unit_for_user(units, request.GET.get("unit"))
    default = selectors.default_period(indicator, today=timezone.localdate())
    bound = "period" in request.GET or "by" in request.GET
    form = forms.ValuesForm(request.GET if bound else None, initial={"period": default.key},
                            dimensions=selectors.dimension_choices(indicator))
    picker = unit_picker(units, unit, request.GET)
    table, period = None, default
    if not bound or form.is_valid():
        data = form.cleaned_data if bound else {}
        period = data.get("period") or default
        table = selectors.values_table(
            indicator, unit=unit, children=[choice.unit for choice in picker.children], period=period,
            dimension=data.get("by") or "", protected=scope.detail(unit.path) != INDIVIDUAL,
            link=lambda child: _with(request.GET, unit=child.pk))
    return ValuesPage(indicator, unit, form, period, table, picker)


def _definition(indicator: Indicator, user) -> dict:
    versions = selectors.versions_of(indicator)
    return {"indicator": indicator, "help": text_of(indicator, "help"), "definition": text_of(indicator, "definition"),
            "outcome": text_of(indicator, "outcome"), "data_source": text_of(indicator, "data_source"),
            "validity": selectors.validity_text(indicator), "versions": versions,
            "retired": selectors.is_retired(indicator, today=timezone.localdate(), versions=versions),
            "may_manage": access.may_manage(user)}


def _period_navigation(params: QueryDict, period: periods.Period) -> dict:
    types, before, after = selectors.period_links(period)
    return {"period_types": [(link, _with(params, period=link.key)) for link in types],
            "before": (before, _with(params, period=before.key)), "after": (after, _with(params, period=after.key))}


@login_required
@require_GET
def indicator_detail(request, code: str):
    found = _values_page(request, code)
    return render(request, "indicators/indicator_detail.html", {
        **_definition(found.indicator, request.user), **_period_navigation(request.GET, found.period),
        "form": found.form, "table": found.table, "picker": found.picker, "unit": found.unit,
        "query": request.GET.urlencode(), "in_validity": selectors.within_validity(found.indicator, found.period),
    }, status=400 if found.form.errors else 200)


def _export(request, code: str, kind: str) -> HttpResponse:
    found = _values_page(request, code)
    if found.table is None:
        return HttpResponse(" ".join(found.form.errors.get("period", []) + found.form.errors.get("by", [])),
                            status=400, content_type="text/plain; charset=utf-8")
    name = f"{found.indicator.code}-{found.unit.code}-{found.period.key}"
    if kind == "csv":
        response = HttpResponse(exports.values_csv(found.table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.values_xlsx(found.table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@login_required
@require_GET
def export_xlsx(request, code: str):
    return _export(request, code, "xlsx")


@login_required
@require_GET
def export_csv(request, code: str):
    return _export(request, code, "csv")


@login_required
@once_per_form_key
def targets(request, code: str):
    """The indicator's targets in the manager's reach, and the form to set one for the unit picked above."""
    if not access.may_manage(request.user):
        raise PermissionDenied
    indicator = access.get_indicator(code)
    units = access.managed_units(request.user)
    unit = access.get_unit_for_user(units, request.GET.get("unit"))
    members = selectors.members_of(indicator)
    year = periods.containing(periods.YEAR, timezone.localdate())  # targets are mostly planned for a year
    form = forms.TargetForm(request.POST if request.method == "POST" else None, units=units, members=members,
                            initial={"org_unit": unit, "period": year.key})
    if request.method == "POST" and form.is_valid() and (saved := _set_target(request, indicator, form)):
        return saved
    page = paginate(request, selectors.targets_of(indicator, units))
    selectors.describe_targets(page, members)
    return render(request, "indicators/target_list.html", {
        "indicator": indicator, "form": form, "page": page, "unit": unit,
        "picker": unit_picker(units, unit, request.GET),
        "retired": selectors.is_retired(indicator, today=timezone.localdate())},
        status=400 if form.errors else 200)


def _set_target(request, indicator: Indicator, form: forms.TargetForm):
    """Run the service; on success, the indicator's page for the unit and period set (planned against actual)."""
    data = form.cleaned_data
    dimension, member = data["member"]
    written = apply_service(form, services.set_target, by=request.user, indicator=indicator,
                            org_unit=data["org_unit"], period=data["period"], target=data["target"],
                            baseline=data["baseline"], dimension=dimension, member=member, split=data["split"],
                            now=timezone.now())
    if not written:
        return None
    messages.success(request, _("The target was saved.") if len(written) == 1 else
                     _("The target for the year and for each of its quarters was saved."))
    query = {"unit": data["org_unit"].pk, "period": data["period"].key, **({"by": dimension} if dimension else {})}
    return redirect(reverse("indicators:detail", args=[indicator.code]) + _with(QueryDict(), **query))
