"""Reports on visits for any period (R-3.3): visits by status, minutes per service against the norm,
ratings (average and 1–10 distribution), per worker and for the unit; the same numbers as XLSX.

The scope is a unit's subtree (checked against the reader's reach by the view) and optionally one
worker. A planned visit whose day has passed counts as missed, as on the live view. Readers without
VIEW_PEOPLE in the unit (external evaluators) get the unit's totals only: no worker is named.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from socmon.accounts.models import User
from socmon.catalogue.models import ServiceKind
from socmon.orgs.models import OrgUnit

from .models import Rating, ServiceDelivery, Visit

STATUSES = [Visit.Status.PLANNED, Visit.Status.IN_PROGRESS, Visit.Status.DONE, Visit.Status.MISSED,
            Visit.Status.CANCELLED]
SCORES = list(range(1, 11))


@dataclass
class ServiceRow:
    service: ServiceKind
    count: int = 0
    minutes: int = 0

    @property
    def average(self) -> float:
        return round(self.minutes / self.count, 1) if self.count else 0.0

    @property
    def percent_of_norm(self) -> int:
        return round(100 * self.minutes / (self.count * self.service.norm_minutes)) if self.count else 0


@dataclass
class Figures:
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    services: dict[int, ServiceRow] = field(default_factory=dict)
    ratings: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def service_rows(self) -> list[ServiceRow]:
        return sorted(self.services.values(), key=lambda r: (r.service.domain, r.service.code))

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.services.values())

    @property
    def rating_count(self) -> int:
        return sum(self.ratings.values())

    @property
    def rating_average(self) -> float | None:
        count = self.rating_count
        return round(sum(s * n for s, n in self.ratings.items()) / count, 2) if count else None

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return [(Visit.Status(s).label, n) for s, n in self.statuses.items()]


@dataclass
class VisitReport:
    unit: OrgUnit
    date_from: datetime.date
    date_to: datetime.date
    worker: User | None
    named: bool
    totals: Figures = field(default_factory=Figures)
    workers: list[tuple[User, Figures]] = field(default_factory=list)


def visits_in_scope(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date,
                    worker: User | None = None) -> QuerySet[Visit]:
    visits = Visit.objects.filter(unit.subtree_q("org_unit__"), planned_for__range=(date_from, date_to))
    return visits.filter(worker=worker) if worker else visits


def _with_effective_status(visits: QuerySet[Visit], today: datetime.date) -> QuerySet[Visit]:
    return visits.annotate(effective=Case(
        When(status=Visit.Status.PLANNED, planned_for__lt=today, then=Value(Visit.Status.MISSED)),
        default=F("status"), output_field=CharField()))


def visit_report(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date, worker: User | None = None,
                 named: bool = True, today: datetime.date | None = None) -> VisitReport:
    """Four grouped queries (statuses, services, ratings, names), whatever the period's size."""
    today = today or timezone.localdate()
    visits = visits_in_scope(unit=unit, date_from=date_from, date_to=date_to, worker=worker)
    report = VisitReport(unit=unit, date_from=date_from, date_to=date_to, worker=worker, named=named)
    per_worker: dict[int, Figures] = {}

    def figures(worker_id: int) -> list[Figures]:
        return [report.totals, per_worker.setdefault(worker_id, Figures())]

    status_rows = _with_effective_status(visits, today).values("worker", "effective").annotate(n=Count("pk"))
    for row in status_rows.order_by():
        for target in figures(row["worker"]):
            target.statuses[row["effective"]] += row["n"]
    service_rows = (ServiceDelivery.objects.filter(visit__in=visits).values("visit__worker", "service")
                    .annotate(n=Count("pk"), minutes=Sum("minutes")).order_by())
    service_rows = list(service_rows)
    kinds = ServiceKind.objects.in_bulk({r["service"] for r in service_rows})
    for row in service_rows:
        for target in figures(row["visit__worker"]):
            entry = target.services.setdefault(row["service"], ServiceRow(kinds[row["service"]]))
            entry.count += row["n"]
            entry.minutes += row["minutes"]
    rating_rows = Rating.objects.filter(visit__in=visits).values("visit__worker", "score").annotate(n=Count("pk"))
    for row in rating_rows.order_by():
        for target in figures(row["visit__worker"]):
            target.ratings[row["score"]] += row["n"]
    if named:
        people = User.objects.in_bulk(list(per_worker))
        report.workers = sorted(((people[pk], f) for pk, f in per_worker.items()),
                                key=lambda pair: (pair[0].last_name, pair[0].first_name, pair[0].pk))
    return report


# --- XLSX ---------------------------------------------------------------------------------------------

def _person(user: User) -> str:
    return user.get_full_name() or user.username


def report_xlsx(report: VisitReport) -> bytes:
    """The report as a workbook: Summary, Services and (when people may be named) Workers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    summary.append([_("Visits report")])
    summary["A1"].font = bold
    summary.append([_("Unit"), report.unit.name])
    summary.append([pgettext("start of a period", "From"), date_format(report.date_from, "Y-m-d")])
    summary.append([pgettext("end of a period", "To"), date_format(report.date_to, "Y-m-d")])
    if report.worker:
        summary.append([_("Social worker"), _person(report.worker)])
    summary.append([])
    summary.append([_("Visits by status"), _("Number")])
    for label, count in report.totals.status_rows:
        summary.append([str(label), count])
    summary.append([_("All visits"), report.totals.total])
    summary.append([])
    summary.append([_("Ratings"), report.totals.rating_count])
    summary.append([_("Average rating"), report.totals.rating_average])
    summary.append([_("Rating"), _("Number")])
    for score in SCORES:
        summary.append([score, report.totals.ratings[score]])

    services = book.create_sheet(_("Services")[:31])
    services.append([_("Service"), _("Times delivered"), _("Minutes"), _("Average minutes"),
                     _("Standard minutes"), _("Average, percentage of standard")])
    for row in report.totals.service_rows:
        services.append([row.service.label, row.count, row.minutes, row.average, row.service.norm_minutes,
                         row.percent_of_norm])

    if report.named:
        workers = book.create_sheet(_("Workers")[:31])
        workers.append([_("Social worker"), *[str(label) for label, _n in report.totals.status_rows],
                        _("All visits"), _("Minutes of services"), _("Ratings"), _("Average rating")])
        for person, figures in report.workers:
            workers.append([_person(person), *[n for _label, n in figures.status_rows], figures.total,
                            figures.minutes, figures.rating_count, figures.rating_average])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = bold
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
