"""Reports on visits for a unit and period, on screen and as XLSX (the same numbers).

Heads see their department, directors their institution, specialists and analysts their subtree, per
worker. External evaluators may run the report for any unit they reach, as totals without names and
with small counts suppressed ("fewer than 5", see `reports`); the XLSX is suppressed the same way.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from socmon.accounts.access import FOLLOW_VISITS, REPORT_VISITS, has_capability, in_reach, paths_q, reach_paths
from socmon.orgs.models import OrgUnit

from . import reports, selectors
from .forms_planning import ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request) -> ReportForm:
    user = request.user
    if not has_capability(user, REPORT_VISITS):
        raise PermissionDenied
    units = OrgUnit.objects.filter(paths_q(reach_paths(user, REPORT_VISITS))).select_related("level").order_by("path")
    names = selectors.names_with_parents(units)
    workers = selectors.workers_followed_by(user) if has_capability(user, FOLLOW_VISITS) else None
    data = request.GET if request.GET else None
    initial = {**ReportForm.default_period(timezone.localdate()), "unit": units.first()}
    return ReportForm(data, initial=initial, units=units, unit_names=names, workers=workers)


def _report(request, form: ReportForm) -> reports.VisitReport | None:
    if form.data and not form.is_valid():
        return None
    data = form.cleaned_data if form.data else {name: form.get_initial_for_field(f, name)
                                                 for name, f in form.fields.items()}
    if data.get("unit") is None:
        return None
    named = in_reach(data["unit"].path, reach_paths(request.user, FOLLOW_VISITS))
    return reports.visit_report(unit=data["unit"], date_from=data["date_from"], date_to=data["date_to"],
                                worker=data.get("worker") if named else None, named=named, protected=not named,
                                now=timezone.now())


@login_required
def report(request):
    form = _form(request)
    result = _report(request, form)
    context = {"form": form, "report": result, "query": request.GET.urlencode(),
               "unit_name": form.unit_names.get(result.unit.pk, result.unit.name) if result else None}
    return render(request, "visits/report.html", context, status=400 if form.errors else 200)


@login_required
def report_export(request):
    form = _form(request)
    result = _report(request, form)
    if result is None:
        return render(request, "visits/report.html", {"form": form, "report": None}, status=400)
    response = HttpResponse(reports.report_xlsx(result), content_type=XLSX)
    name = f"visits-{result.unit.code}-{result.date_from:%Y%m%d}-{result.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
