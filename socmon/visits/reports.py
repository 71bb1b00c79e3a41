"""Reports on visits for any period (R-3.3): visits by status, minutes per service against the norm,
ratings (average and 1–10 distribution), per worker and for the unit; the same numbers as XLSX.

The scope is a unit's subtree (checked against the reader's reach by the view) and optionally one
worker. Visits count by their effective status at the moment of the report
(`Visit.objects.with_effective_status(now)`, as on the live view): a planned visit whose day has passed
is missed, one whose window ended today without a check-in is late. Readers without
VIEW_PEOPLE in the unit (external evaluators) get the unit's totals only: no worker is named.

Small counts (DESIGN "Who sees what"). A report read as totals only is also *protected*: no figure
small enough to point at a person is shown. Staff who may see the people (heads, directors,
specialists, analysts) keep the exact numbers. The threshold is `SMALL_COUNT_THRESHOLD` (5), overridable
with the setting `SOCMON_SMALL_COUNT_THRESHOLD`. In a protected report:

- a count from 1 to threshold − 1 reads "fewer than 5" (page and XLSX alike); 0 stays 0, because
  "nobody" points at no one;
- an average, a sum of minutes or a percentage computed from fewer than threshold visits, deliveries or
  ratings is not shown ("not shown: fewer than 5 ratings" for the average rating);
- complementary suppression: in a breakdown shown with its total (visits by status → all visits), a
  hidden cell could be recovered by subtracting the shown cells from the total. We suppress the *total*
  whenever any cell of its breakdown is hidden, rather than the next smallest cell: a "next smallest"
  cell is known to be at least the threshold (else it would read "fewer than 5"), so a hidden 1 next to
  a hidden 5 under a total of 6 would still be recovered; with the total hidden, every hidden cell keeps
  its whole range 1–4. Service rows have no total, so nothing is recovered from them;
- the rating distribution is shown only when none of its scores needs hiding. Next to a shown average
  and number of ratings, even one hidden score could be solved for (the average is a second equation
  over the hidden cells), so a partly hidden distribution would protect nothing.

What this does not stop: comparing two reports whose periods or units differ by a little (differencing).
"""

import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from socmon.accounts.models import User
from socmon.catalogue.models import ServiceKind
from socmon.orgs.models import OrgUnit

from .models import EffectiveStatus, Rating, ServiceDelivery, Visit

STATUSES = [EffectiveStatus.PLANNED, EffectiveStatus.LATE, EffectiveStatus.IN_PROGRESS, EffectiveStatus.DONE,
            EffectiveStatus.MISSED, EffectiveStatus.CANCELLED]
SCORES = list(range(1, 11))
SMALL_COUNT_THRESHOLD = 5


def small_count_threshold() -> int:
    """Counts from 1 to this minus one are hidden from readers of totals only (settings may raise it)."""
    return getattr(settings, "SOCMON_SMALL_COUNT_THRESHOLD", SMALL_COUNT_THRESHOLD)


@dataclass(frozen=True)
class Hidden:
    """A figure withheld from a protected report: renders as its (translated) reason."""

    text: str
    hidden: bool = True

    def __str__(self) -> str:
        return self.text


def fewer_than() -> Hidden:
    return Hidden(_("fewer than %(threshold)s") % {"threshold": small_count_threshold()})


def not_shown() -> Hidden:
    return Hidden(_("not shown"))


def fewer_ratings() -> Hidden:
    threshold = small_count_threshold()
    return Hidden(ngettext("not shown: fewer than %(threshold)s rating", "not shown: fewer than %(threshold)s ratings",
                           threshold) % {"threshold": threshold})


Shown = int | float | None | Hidden


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
        return [(EffectiveStatus(s).label, n) for s, n in self.statuses.items()]


@dataclass
class VisitReport:
    unit: OrgUnit
    date_from: datetime.date
    date_to: datetime.date
    worker: User | None
    named: bool
    totals: Figures = field(default_factory=Figures)
    workers: list[tuple[User, Figures]] = field(default_factory=list)
    protected: bool = False  # small counts suppressed (see the module's docstring)

    # What the page and the XLSX show of the unit's totals: exact, or protected.

    @property
    def threshold(self) -> int:
        return small_count_threshold()

    def _count(self, n: int) -> int | Hidden:
        return fewer_than() if self.protected and 0 < n < small_count_threshold() else n

    def _small(self, n: int) -> bool:
        return self.protected and 0 < n < small_count_threshold()

    @property
    def status_rows(self) -> list[tuple[str, int | Hidden]]:
        return [(label, self._count(n)) for label, n in self.totals.status_rows]

    @property
    def total(self) -> int | Hidden:
        total = self.totals.total
        if not self._small(total) and any(self._small(n) for n in self.totals.statuses.values()):
            return not_shown()  # it would give the hidden cells away by subtraction
        return self._count(total)

    @property
    def service_rows(self) -> list[tuple[str, int | Hidden, Shown, Shown, int, Shown]]:
        """(service, times delivered, minutes, average minutes, standard minutes, percentage of standard)."""
        rows = []
        for row in self.totals.service_rows:
            if self._small(row.count):
                rows.append((row.service.label, fewer_than(), not_shown(), not_shown(), row.service.norm_minutes,
                             not_shown()))
            else:
                rows.append((row.service.label, row.count, row.minutes, row.average, row.service.norm_minutes,
                             row.percent_of_norm))
        return rows

    @property
    def rating_count(self) -> int | Hidden:
        return self._count(self.totals.rating_count)

    @property
    def rating_average(self) -> float | None | Hidden:
        return fewer_ratings() if self._small(self.totals.rating_count) else self.totals.rating_average

    @property
    def rating_rows(self) -> list[tuple[int, int]] | None:
        """The 1–10 distribution, or None when a protected report must not show it (see the docstring)."""
        if self.protected and any(self._small(n) for n in self.totals.ratings.values()):
            return None
        return list(self.totals.ratings.items())

    @property
    def ratings_withheld(self) -> Hidden | None:
        """Why the distribution is not shown, when it is not."""
        if self.rating_rows is not None:
            return None
        if self._small(self.totals.rating_count):
            return fewer_ratings()
        threshold = small_count_threshold()
        return Hidden(ngettext("not shown: some scores were given fewer than %(threshold)s time",
                               "not shown: some scores were given fewer than %(threshold)s times",
                               threshold) % {"threshold": threshold})


def visits_in_scope(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date,
                    worker: User | None = None) -> QuerySet[Visit]:
    visits = Visit.objects.filter(unit.subtree_q("org_unit__"), planned_for__range=(date_from, date_to))
    return visits.filter(worker=worker) if worker else visits


def visit_report(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date, worker: User | None = None,
                 named: bool = True, protected: bool | None = None,
                 now: datetime.datetime) -> VisitReport:
    """Four grouped queries (statuses, services, ratings, names), whatever the period's size.

    `protected` (small counts suppressed) defaults to `not named`: whoever gets totals only.
    """
    visits = visits_in_scope(unit=unit, date_from=date_from, date_to=date_to, worker=worker)
    report = VisitReport(unit=unit, date_from=date_from, date_to=date_to, worker=worker, named=named,
                         protected=not named if protected is None else protected)
    per_worker: dict[int, Figures] = {}

    def figures(worker_id: int) -> list[Figures]:
        return [report.totals, per_worker.setdefault(worker_id, Figures())]

    status_rows = visits.with_effective_status(now).values("worker", "effective_status").annotate(n=Count("pk"))
    for row in status_rows.order_by():
        for target in figures(row["worker"]):
            target.statuses[row["effective_status"]] += row["n"]
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


def _cell(value: Shown) -> int | float | str | None:
    return str(value) if isinstance(value, Hidden) else value


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
    for label, count in report.status_rows:
        summary.append([str(label), _cell(count)])
    summary.append([_("All visits"), _cell(report.total)])
    summary.append([])
    summary.append([_("Ratings"), _cell(report.rating_count)])
    summary.append([_("Average rating"), _cell(report.rating_average)])
    summary.append([_("Rating"), _("Number")])
    if report.rating_rows is None:
        summary.append([str(report.ratings_withheld)])
    else:
        for score, count in report.rating_rows:
            summary.append([score, count])

    services = book.create_sheet(_("Services")[:31])
    services.append([_("Service"), _("Times delivered"), _("Minutes"), _("Average minutes"),
                     _("Standard minutes"), _("Average, percentage of standard")])
    for row in report.service_rows:
        services.append([str(row[0]), *[_cell(value) for value in row[1:]]])

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
