"""Reports on visits for any period (R-3.3): visits by status, minutes per service against the norm,
ratings (average and 1–10 distribution), per worker and for the unit; the same numbers as XLSX.

Per worker in an institution or a department; above one (a district, a region, the country: thousands of
workers) per child unit instead, each row a child's totals plus a row of the visits recorded at the unit itself,
so the reader drills down the tree (`lists_units`, `unit_rows`). Either way the report costs the same few
queries whatever the size of the tree.

The scope is a unit's subtree (checked against the reader's `aggregate_scope` by the view) and optionally
one worker. Visits count by their effective status at the moment of the report
(`Visit.objects.with_effective_status(now)`, as on the live view): a planned visit whose day has passed
is missed, one whose window ended today without a check-in is late. Readers who may not see individuals
in the unit (external evaluators) get the unit's totals only: no worker is named.

Exact reports (staff, and the director's home-page figures) read the visit figures store (`tallies`): the
unit's stored day and month rows, the effective status applied on reading with the same rule, today's planned
visits read fresh; they are as fresh as the indicator worker, and say so ("as of"). `raw=True` computes the
same figures from the visits (`figures_by`), the reference the tests compare the store with.

Small counts (DESIGN "Who sees what"). A report read as totals only is also *protected*: no figure
small enough to point at a person is shown, and none can be worked out from what this or any other
unit's report publishes (`socmon.lib.suppression`: primary and complementary suppression over the
hierarchy, each unit's statuses and their total, ratings and their distribution). So a protected report
is computed for the whole tree the unit belongs to, one GROUP BY per unit, and the requested unit's
cells read from it. Staff who may see the people keep the exact numbers. In a protected report:

- a count from 1 to threshold − 1 reads "fewer than 5" (page and XLSX alike); 0 stays 0, because
  "nobody" points at no one; a figure hidden so that it cannot give a small one away reads "not shown";
- a service's minutes, average and percentage are hidden with its count, the average rating with the
  number of ratings (the sum of scores is hidden with it: average × count would give it back);
- the rating distribution is shown only when none of its scores needs hiding. Next to a shown average
  and number of ratings, even one hidden score could be solved for (the average is a second equation
  over the hidden cells), so a partly hidden distribution would protect nothing.

What this does not stop: comparing two reports whose periods differ by a little (differencing in time).
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from socmon.accounts.models import User
from socmon.catalogue.models import ServiceKind
from socmon.lib.exports import append_row, workbook_bytes
from socmon.lib.suppression import Relation, Suppression, small_count_threshold, suppress
from socmon.orgs.models import OrgLevel, OrgUnit

from . import tallies
from .models import EffectiveStatus, Rating, ServiceDelivery, Visit

STATUSES = [EffectiveStatus.PLANNED, EffectiveStatus.LATE, EffectiveStatus.IN_PROGRESS, EffectiveStatus.DONE,
            EffectiveStatus.MISSED, EffectiveStatus.CANCELLED]
SCORES = list(range(1, 11))
SUPPRESSION_SECONDS = 15 * 60


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
    def rating_sum(self) -> int:
        return sum(s * n for s, n in self.ratings.items())

    @property
    def rating_average(self) -> float | None:
        count = self.rating_count
        return round(self.rating_sum / count, 2) if count else None

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return [(EffectiveStatus(s).label, n) for s, n in self.statuses.items()]

    def add(self, other: "Figures") -> None:
        for status, n in other.statuses.items():
            self.statuses[status] += n
        for pk, row in other.services.items():
            entry = self.services.setdefault(pk, ServiceRow(row.service))
            entry.count += row.count
            entry.minutes += row.minutes
        for score, n in other.ratings.items():
            self.ratings[score] += n

    def fingerprint(self) -> tuple:
        """The figures as plain values, in a fixed order."""
        return (tuple(self.statuses.values()), sorted((pk, r.count, r.minutes) for pk, r in self.services.items()),
                tuple(self.ratings.values()))

    def cells(self) -> dict[str, int]:
        """Every published figure, keyed by column ("status:done", "service:<pk>", "score:7", …)."""
        cells = {f"status:{s}": n for s, n in self.statuses.items()}
        cells["all"] = self.total
        for pk, row in self.services.items():
            cells[f"service:{pk}"], cells[f"minutes:{pk}"] = row.count, row.minutes
        cells.update({f"score:{s}": n for s, n in self.ratings.items()})
        cells["ratings"], cells["rating_sum"] = self.rating_count, self.rating_sum
        return cells


@dataclass
class UnitRow:
    """A row of a report by unit: a child's totals, or (`own`) the visits recorded at the report's unit itself."""

    unit: OrgUnit
    figures: Figures
    own: bool = False

    @property
    def label(self) -> str:
        if self.own:
            return _("Visits recorded at %(unit)s itself") % {"unit": self.unit.label}
        return self.unit.label


@dataclass
class VisitReport:
    unit: OrgUnit
    date_from: datetime.date
    date_to: datetime.date
    worker: User | None
    named: bool
    totals: Figures = field(default_factory=Figures)
    by_unit: bool = False  # named, above an institution: a row per child unit instead of per worker
    workers: list[tuple[User, Figures]] = field(default_factory=list)
    units: list["UnitRow"] = field(default_factory=list)
    suppression: Suppression | None = None  # a protected report: see the module's docstring
    stored: bool = False  # read from the visit figures store (`tallies`)
    # Stored: complete up to this moment (the oldest save the worker has not counted yet, else the report's now).
    as_of: datetime.datetime | None = None
    pending: bool = False  # saves wait for the worker: what was recorded since `as_of` may be missing

    @property
    def protected(self) -> bool:
        return self.suppression is not None

    # What the page and the XLSX show of the unit's totals: exact, or protected.

    @property
    def threshold(self) -> int:
        return small_count_threshold()

    def _hidden(self, column: str) -> bool:
        return self.protected and self.suppression.is_hidden(cell(self.unit.path, column))

    def _small(self, column: str) -> bool:
        """Reads "fewer than <threshold>"."""
        return self.protected and self.suppression.is_small(cell(self.unit.path, column))

    def _shown(self, column: str, n: int) -> int | Hidden:
        if not self._hidden(column):
            return n
        return fewer_than() if self._small(column) else not_shown()

    @property
    def status_rows(self) -> list[tuple[str, int | Hidden]]:
        return [(EffectiveStatus(s).label, self._shown(f"status:{s}", n)) for s, n in self.totals.statuses.items()]

    @property
    def total(self) -> int | Hidden:
        return self._shown("all", self.totals.total)

    @property
    def service_rows(self) -> list[tuple[str, int | Hidden, Shown, Shown, int, Shown]]:
        """(service, times delivered, minutes, average minutes, standard minutes, percentage of standard)."""
        rows = []
        for row in self.totals.service_rows:
            count = self._shown(f"service:{row.service.pk}", row.count)
            if self._hidden(f"service:{row.service.pk}") or self._hidden(f"minutes:{row.service.pk}"):
                rows.append((row.service.label, count, not_shown(), not_shown(), row.service.norm_minutes,
                             not_shown()))
            else:
                rows.append((row.service.label, count, row.minutes, row.average, row.service.norm_minutes,
                             row.percent_of_norm))
        return rows

    @property
    def rating_count(self) -> int | Hidden:
        return self._shown("ratings", self.totals.rating_count)

    @property
    def rating_average(self) -> float | None | Hidden:
        if self._hidden("ratings") or self._hidden("rating_sum"):
            return fewer_ratings() if self._small("ratings") else not_shown()
        return self.totals.rating_average

    @property
    def rating_rows(self) -> list[tuple[int, int]] | None:
        """The 1–10 distribution, or None when a protected report must not show it (see the docstring)."""
        if any(self._hidden(f"score:{s}") for s in SCORES):
            return None
        return list(self.totals.ratings.items())

    @property
    def ratings_withheld(self) -> Hidden | None:
        """Why the distribution is not shown, when it is not."""
        if self.rating_rows is not None:
            return None
        if self._small("ratings"):
            return fewer_ratings()
        threshold = small_count_threshold()
        if any(self._small(f"score:{s}") for s in SCORES):
            return Hidden(ngettext("not shown: some scores were given fewer than %(threshold)s time",
                                   "not shown: some scores were given fewer than %(threshold)s times",
                                   threshold) % {"threshold": threshold})
        return Hidden(_("not shown: with the other published figures it would give small numbers away"))


def visits_in_scope(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date,
                    worker: User | None = None) -> QuerySet[Visit]:
    visits = Visit.objects.filter(unit.subtree_q("org_unit__"), planned_for__range=(date_from, date_to))
    return visits.filter(worker=worker) if worker else visits


def figures_by(visits: QuerySet[Visit], now: datetime.datetime, by: str | None) -> dict:
    """Figures per value of `by` ("worker", "org_unit__path" or None for one group): three GROUP BY
    queries and the service kinds, whatever the number of visits, units or workers."""
    groups: dict = {}
    key = (lambda row, prefix="": row[f"{prefix}{by}"]) if by else (lambda row, prefix="": None)
    by_fields = [by] if by else []
    visit_fields = [f"visit__{by}"] if by else []
    statuses = visits.with_effective_status(now).values(*by_fields, "effective_status").annotate(n=Count("pk"))
    for row in statuses.order_by():
        groups.setdefault(key(row), Figures()).statuses[row["effective_status"]] += row["n"]
    services = list(ServiceDelivery.objects.filter(visit__in=visits).values(*visit_fields, "service")
                    .annotate(n=Count("pk"), minutes=Sum("minutes")).order_by())
    kinds = ServiceKind.objects.in_bulk({r["service"] for r in services})
    for row in services:
        figures = groups.setdefault(key(row, "visit__"), Figures())
        entry = figures.services.setdefault(row["service"], ServiceRow(kinds[row["service"]]))
        entry.count += row["n"]
        entry.minutes += row["minutes"]
    ratings = Rating.objects.filter(visit__in=visits).values(*visit_fields, "score").annotate(n=Count("pk"))
    for row in ratings.order_by():
        groups.setdefault(key(row, "visit__"), Figures()).ratings[row["score"]] += row["n"]
    return groups


def visit_report(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date, worker: User | None = None,
                 named: bool = True, protected: bool | None = None,
                 now: datetime.datetime, raw: bool = False, children: list[OrgUnit] | None = None) -> VisitReport:
    """Exact reports read the visit figures store (`tallies`: a few dozen rows for the unit's totals, the
    subtree's own rows per worker when workers are named in an institution or a department, the children's
    totals when they are named above one: `lists_units`), as fresh as the worker (`as_of`); `raw` computes
    the same figures from the visits themselves (the reference the tests compare with). Protected reports
    read each unit's own figures for the whole tree from the store (its totals less its children's) and
    solve the suppression over them (see the module's docstring).

    `protected` (small counts suppressed) defaults to `not named`: whoever gets totals only. `children`: the
    unit's children when the caller has read them already (the page's unit picker does), else a report by unit
    reads them (one query).
    """
    report = VisitReport(unit=unit, date_from=date_from, date_to=date_to, worker=worker, named=named,
                         by_unit=named and worker is None and lists_units(unit))
    if not (not named if protected is None else protected):
        by = "child" if report.by_unit else "worker" if named else None
        if raw:
            groups = figures_by(visits_in_scope(unit=unit, date_from=date_from, date_to=date_to, worker=worker),
                                now, "worker" if by == "worker" else "org_unit__path")
            if by == "child":
                groups = by_child(groups, unit)
        else:
            groups = stored_groups(unit=unit, date_from=date_from, date_to=date_to, worker=worker, now=now, by=by)
            report.stored = True
            waiting = tallies.as_of(unit=unit, date_from=date_from, date_to=date_to)
            report.as_of, report.pending = waiting or now, waiting is not None
        for figures in groups.values():  # per child, the unit's own figures are its total less its children's
            report.totals.add(figures)
        if by == "child":
            report.units = unit_rows(unit, groups, children)
        elif named:
            people = User.objects.in_bulk(list(groups))
            report.workers = sorted(((people[pk], f) for pk, f in groups.items()),
                                    key=lambda pair: (pair[0].last_name, pair[0].first_name, pair[0].pk))
        return report
    if raw:
        tree = Visit.objects.filter(org_unit__path__startswith=unit.path[:unit.steplen],
                                    planned_for__range=(date_from, date_to))
        own = figures_by(tree, now, "org_unit__path")
    else:  # each unit's own figures, for the whole tree the unit belongs to
        root = OrgUnit.objects.get(path=unit.path[:unit.steplen])
        own = stored_groups(unit=root, date_from=date_from, date_to=date_to, worker=None, now=now, by="unit")
        report.stored = True
        waiting = tallies.as_of(unit=root, date_from=date_from, date_to=date_to)  # the solve reads the whole tree
        report.as_of, report.pending = waiting or now, waiting is not None
    for path, figures in own.items():
        if path.startswith(unit.path):
            report.totals.add(figures)
    report.suppression = unit_suppression(own, unit)
    return report


def lists_units(unit: OrgUnit) -> bool:
    """A named report of a unit above an institution lists its child units, not its workers: a region or the
    country holds thousands of workers, and its children's totals are a few rows each (`unit.level` must be
    loaded with the unit, else this is a query)."""
    return unit.kind not in (OrgLevel.Kind.INSTITUTION, OrgLevel.Kind.DEPARTMENT)


def by_child(own: dict[str, Figures], unit: OrgUnit) -> dict[str, Figures]:
    """Figures by unit path rolled up to the unit's children (a grandchild's under its child); the unit's own
    visits stay under its own path. The raw reference for a report by unit."""
    end = len(unit.path) + unit.steplen
    groups: dict[str, Figures] = {}
    for path, figures in own.items():
        groups.setdefault(path[:end], Figures()).add(figures)
    return groups


def unit_rows(unit: OrgUnit, groups: dict[str, Figures], children: list[OrgUnit] | None = None) -> list[UnitRow]:
    """One row per child unit (sorted by name, zeros included), then the visits recorded at the unit itself
    when it has any. One query (the children) unless they are given."""
    if children is None:
        children = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).only(
            "pk", "path", "depth", "name", "name_i18n")
    rows = [UnitRow(child, groups.get(child.path) or Figures())
            for child in sorted(children, key=lambda c: (c.label.casefold(), c.path))]
    own = groups.get(unit.path)
    if own is not None and (own.total or own.services or own.rating_count):
        rows.append(UnitRow(unit, own, own=True))
    return rows


def stored_groups(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date, worker: User | None,
                  now: datetime.datetime, by: str | None = None) -> dict:
    """The report's figures from the store: per worker id with `by="worker"` (or for one `worker`), per unit path
    of the subtree (each unit's own visits) with `by="unit"`, per child unit path (and the unit's own visits
    under its path) with `by="child"`, else one group."""
    found = tallies.stored_figures(unit=unit, date_from=date_from, date_to=date_to, now=now, by=by, worker=worker)
    kinds = ServiceKind.objects.in_bulk({pk for _s, _r, services in found.values() for pk in services})
    groups = {}
    for key, (statuses, scores, services) in found.items():
        figures = Figures(statuses={s: statuses[s] for s in STATUSES}, ratings=scores,
                          services={pk: ServiceRow(kinds[pk], n, m) for pk, (n, m) in services.items()})
        if figures.total or figures.services or figures.rating_count:  # a group emptied while the worker catches up
            groups[key] = figures
    return groups


def unit_suppression(own: dict[str, Figures], unit: OrgUnit) -> Suppression:
    """What a reader of aggregates may not see of `unit`, from the whole tree's figures (`own`: each unit's
    own visits, by path). Solving a country takes seconds, so the answer for every unit is cached under a
    digest of the figures themselves: drilling down the tree reuses it, a new visit or rating misses it."""
    threshold = small_count_threshold()
    canonical = repr((threshold, [(path, own[path].fingerprint()) for path in sorted(own)]))
    key = f"visits:report:suppression:{hashlib.sha256(canonical.encode()).hexdigest()}"
    parts = cache.get(key)
    if parts is None:
        _rolled, suppression = protected_figures(own, steplen=unit.steplen)
        parts = {}  # path → (primary, labelled, hidden) columns, for units with anything hidden
        for index, cells in enumerate((suppression.primary, suppression.labelled, suppression.hidden)):
            for name in cells:
                path, column = name.split(" ", 1)
                parts.setdefault(path, ([], [], []))[index].append(column)
        cache.set(key, parts, SUPPRESSION_SECONDS)
    return Suppression(threshold, *(frozenset(cell(unit.path, column) for column in cells)
                                    for cells in parts.get(unit.path, ((), (), ()))))


def protected_figures(own: dict[str, Figures], *, steplen: int) -> tuple[dict[str, Figures], Suppression]:
    """Every unit's figures rolled up the tree from each unit's own visits (by tree path), and what a reader
    of aggregates may not see of them (`socmon.lib.suppression`)."""
    rolled, values, relations, magnitudes, together = protected_table(own, steplen=steplen)
    return rolled, suppress(values, relations, magnitudes=magnitudes, together=together)


def protected_table(own: dict[str, Figures], *, steplen: int) -> tuple[dict[str, Figures], dict, list, set, list]:
    """The cells a protected report publishes for every unit, the sums relating them (the hierarchy, each
    unit's statuses → all visits and scores → ratings), the sums of amounts and what is hidden together."""
    rolled: dict[str, Figures] = {}
    for path, figures in own.items():
        for end in range(steplen, len(path) + 1, steplen):
            rolled.setdefault(path[:end], Figures()).add(figures)
    children: dict[str, list[str]] = {}
    for path in rolled:
        if len(path) > steplen:
            children.setdefault(path[:-steplen], []).append(path)
    values, relations, magnitudes, together = {}, [], set(), []
    for path, figures in rolled.items():
        parts = sorted(children.get(path, []))
        if parts and path in own:  # the unit's own visits, as a pseudo-child
            parts.append(f"{path}+")
            _add_cells(f"{path}+", own[path], values, relations, magnitudes, together)
        _add_cells(path, figures, values, relations, magnitudes, together)
        if parts:  # a unit's columns include every child's; a sum of zeros protects and reveals nothing
            relations.extend(Relation(cell(path, column), tuple(cell(part, column) for part in parts))
                             for column, n in figures.cells().items() if n)
    return rolled, values, relations, magnitudes, together


def cell(path: str, column: str) -> str:
    """A cell's key: strings hash once, and a country's table holds some 10⁵ cells."""
    return f"{path} {column}"


def _add_cells(node: str, figures: Figures, values, relations, magnitudes, together) -> None:
    """One node's cells, its breakdowns (statuses → all; scores → ratings) and what is hidden together."""
    values.update({cell(node, column): n for column, n in figures.cells().items()})
    relations.append(Relation(cell(node, "all"), tuple(cell(node, f"status:{s}") for s in STATUSES), breakdown=True))
    relations.append(Relation(cell(node, "ratings"), tuple(cell(node, f"score:{s}") for s in SCORES)))
    magnitudes.update({cell(node, f"minutes:{pk}") for pk in figures.services} | {cell(node, "rating_sum")})
    together.extend((cell(node, f"service:{pk}"), cell(node, f"minutes:{pk}")) for pk in figures.services)
    together.append((cell(node, "ratings"), cell(node, "rating_sum")))
    together.append(tuple(cell(node, f"score:{s}") for s in SCORES))


# --- XLSX ---------------------------------------------------------------------------------------------

def _person(user: User) -> str:
    return user.get_full_name() or user.username


def _cell(value: Shown) -> int | float | str | None:
    return str(value) if isinstance(value, Hidden) else value


def report_xlsx(report: VisitReport) -> bytes:
    """The report as a workbook: Summary, Services and (when people may be named) Workers, or Units above an
    institution."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    append_row(summary, [_("Visits report")])
    summary["A1"].font = bold
    append_row(summary, [_("Unit"), report.unit.name])
    append_row(summary, [pgettext("start of a period", "From"), date_format(report.date_from, "Y-m-d")])
    append_row(summary, [pgettext("end of a period", "To"), date_format(report.date_to, "Y-m-d")])
    if report.worker:
        append_row(summary, [_("Social worker"), _person(report.worker)])
    append_row(summary, [])
    append_row(summary, [_("Visits by status"), _("Number")])
    for label, count in report.status_rows:
        append_row(summary, [str(label), _cell(count)])
    append_row(summary, [_("All visits"), _cell(report.total)])
    append_row(summary, [])
    append_row(summary, [_("Ratings"), _cell(report.rating_count)])
    append_row(summary, [_("Average rating"), _cell(report.rating_average)])
    append_row(summary, [_("Rating"), _("Number")])
    if report.rating_rows is None:
        append_row(summary, [str(report.ratings_withheld)])
    else:
        for score, count in report.rating_rows:
            append_row(summary, [score, count])

    services = book.create_sheet(_("Services")[:31])
    append_row(services, [_("Service"), _("Times delivered"), _("Minutes"), _("Average minutes"),
                          _("Standard minutes"), _("Average, percentage of standard")])
    for row in report.service_rows:
        append_row(services, [str(row[0]), *[_cell(value) for value in row[1:]]])

    if report.named:
        title, heading = (_("Units"), _("Unit")) if report.by_unit else (_("Workers"), _("Social worker"))
        rows = ([(row.label, row.figures) for row in report.units] if report.by_unit
                else [(_person(person), figures) for person, figures in report.workers])
        sheet = book.create_sheet(title[:31])
        append_row(sheet, [heading, *[str(label) for label, _n in report.totals.status_rows],
                           _("All visits"), _("Minutes of services"), _("Ratings"), _("Average rating")])
        for name, figures in rows:
            append_row(sheet, [name, *[n for _label, n in figures.status_rows], figures.total,
                               figures.minutes, figures.rating_count, figures.rating_average])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = bold
        sheet.column_dimensions["A"].width = 40
    return workbook_bytes(book)
