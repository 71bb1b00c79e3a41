"""Reports on visits for a unit and period, on screen and as XLSX (the same numbers).

Who sees which unit's aggregates, and in how much detail, is `aggregate_scope`: heads their department,
directors their institution, specialists and analysts their subtree, per worker in an institution or a
department and per child unit above (each row a link to that unit's report, same period); external evaluators any
unit they reach, as totals without names and with small counts suppressed ("fewer than 5", see
`reports`); the XLSX is suppressed the same way. Units are chosen from the tree (`socmon.orgs.picker`).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from socmon.accounts.access import FOLLOW_VISITS, INDIVIDUAL, REPORT_VISITS, AggregateScope, aggregate_scope
from socmon.accounts.models import Role
from socmon.orgs.models import OrgUnit
from socmon.orgs.picker import UnitPicker, unit_picker

from . import reports, selectors
from .forms_planning import ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request) -> AggregateScope:
    scope = aggregate_scope(request.user, REPORT_VISITS, individuals=FOLLOW_VISITS)
    if not scope.paths:
        raise PermissionDenied
    return scope


def _form(request, scope: AggregateScope) -> ReportForm:
    """Bound as soon as the query names a unit, a period or a worker (a period left out is the default)."""
    units = selectors.units_for_report(scope)
    workers = selectors.workers_followed_by(request.user) if scope.individual_paths else None
    period = ReportForm.default_period(timezone.localdate())
    initial = {**period, "unit": lambda: units.order_by("path").first()}
    data = None
    if any(name in request.GET for name in ReportForm.base_fields):  # not only a search for a unit
        data = request.GET.copy()
        for name, day in period.items():
            data.setdefault(name, day.isoformat())
        del initial["unit"]  # a bound form shows what was asked: looking up a default unit would be a query lost
    return ReportForm(data, initial=initial, units=units, workers=workers)


def _chosen_unit(form: ReportForm) -> OrgUnit | None:
    if form.is_bound and form.is_valid():
        return form.cleaned_data["unit"]
    unit = form.cleaned_data.get("unit") if form.is_bound else None
    if unit is None and form.is_bound:  # the unit asked is not one the reader may choose: start at the first
        return form.fields["unit"].queryset.order_by("path").first()
    return unit or form.get_initial_for_field(form.fields["unit"], "unit")


def _report(request, form: ReportForm, scope: AggregateScope, picker: UnitPicker | None = None
            ) -> reports.VisitReport | None:
    if form.is_bound and not form.is_valid():
        return None
    data = form.cleaned_data if form.is_bound else {name: form.get_initial_for_field(f, name)
                                                     for name, f in form.fields.items()}
    if data.get("unit") is None:
        return None
    named = scope.detail(data["unit"].path) == INDIVIDUAL
    # The picker has read the unit's children (a unit in reach has all its children in reach): a query saved.
    children = [c.unit for c in picker.children] if picker and picker.current.unit == data["unit"] else None
    return reports.visit_report(unit=data["unit"], date_from=data["date_from"], date_to=data["date_to"],
                                worker=data.get("worker") if named else None, named=named, protected=not named,
                                now=timezone.now(), children=children)


@login_required
def report(request):
    scope = _scope(request)
    form = _form(request, scope)
    unit = _chosen_unit(form)
    picker = unit_picker(form.fields["unit"].queryset, unit, form.data or request.GET) if unit else None
    result = _report(request, form, scope, picker)
    if unit is not None and "worker" in form.fields:
        form.offer_workers(form.fields["worker"].queryset.filter(memberships__org_unit=unit,
                                                                 memberships__role=Role.WORKER))
    context = {"form": form, "report": result, "query": (form.data or request.GET).urlencode(), "picker": picker,
               "unit_name": picker.current.label if result and picker else None}
    return render(request, "visits/report.html", context, status=400 if form.errors else 200)


@login_required
def report_export(request):
    scope = _scope(request)
    form = _form(request, scope)
    result = _report(request, form, scope)
    if result is None:
        return render(request, "visits/report.html", {"form": form, "report": None}, status=400)
    response = HttpResponse(reports.report_xlsx(result), content_type=XLSX)
    name = f"visits-{result.unit.code}-{result.date_from:%Y%m%d}-{result.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
