"""Reads for the indicator pages: the catalogue, and the values table of a unit and its children for a period.

Everything here reads the stored values (`IndicatorValue`), never facts: a unit and its children cost one query
for the values of the period and of the same period last year, one for the targets, whatever the number of
children. No row is *no data*; a total row with 0 is a true zero; a member missing beside a total is 0.

Small counts (DESIGN "Who sees what"). A reader whose scope is "aggregate_only" here (external evaluators) gets
the table protected by `socmon.lib.suppression`, as the visit reports are: a count from 1 to threshold − 1 reads
"fewer than 5", and complementary cells are hidden so that none can be worked out from what is published. The
published sums depend on the indicator:

- each unit's breakdown (sex, age group, client category, with "not recorded" for the rest) adds up to its
  total; for a count or a sum (`Indicator.additive`) a hidden member hides the total too, as in the visit
  reports, and the whole tree's values are read (one query) so that a unit's figures are protected against
  its parent's and its children's on every page;
- for a count or a sum, a unit's value is also the sum of its children's (and of what was recorded at the unit
  itself): the hierarchy is part of the table;
- for distinct clients and ratios, a unit's value is *not* the sum of its children's (a client in two
  departments counts once), so no sum relates units: each unit's numbers are protected on their own (primary
  suppression, and complementary suppression within the unit's own breakdown only). What this does not stop:
  where clients rarely appear in two units, a parent's count is close to the sum of its children's, and a
  reader can bound a hidden child from it; and comparing periods that differ by a month (differencing in time).

A ratio's value is shown only when both its numerator and its denominator are; a gap to the target is hidden
with its value; the date of the newest fact too.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from socmon.lib.dates import in_text
from socmon.lib.suppression import Relation, Suppression, small_count_threshold, suppress
from socmon.orgs.models import OrgUnit
from socmon.visits.reports import Hidden, fewer_than, not_shown

from . import periods
from .engine import AGE_GROUPS, DIMENSION_LABELS
from .models import Indicator, IndicatorValue, Target

NOT_RECORDED = "?"  # a breakdown's remainder: the total less its members (people whose sex, age… is not recorded)
SUPPRESSION_SECONDS = 15 * 60
NUMERATOR, DENOMINATOR = "n", "d"

Shown = int | float | None | Hidden


# --- The catalogue ----------------------------------------------------------------------------------------

def current_indicators() -> QuerySet[Indicator]:
    """The current version of every indicator, built-in and custom (a version no other replaces)."""
    return Indicator.objects.filter(replaced_by__isnull=True).order_by("code")


def catalogue(*, today: datetime.date) -> tuple[QuerySet[Indicator], QuerySet[Indicator]]:
    """(in use, retired): current versions still valid or not yet valid, and those whose validity has ended."""
    current = current_indicators()
    return current.exclude(valid_to__lt=today), current.filter(valid_to__lt=today)


def stored_count(indicator: Indicator) -> int:
    """How many values an indicator has stored, for the message after defining it: a count of aggregates over the
    whole country, which the M&E specialist who defines national indicators may know; no unit's value is read."""
    return IndicatorValue.objects.filter(indicator=indicator).count()


def versions_of(indicator: Indicator) -> list[Indicator]:
    return list(Indicator.objects.filter(code=indicator.code).order_by("version"))


def is_retired(indicator: Indicator, *, today: datetime.date, versions: list[Indicator] | None = None) -> bool:
    """Replaced by a newer version, or past its validity (`versions`: the code's versions, when already read)."""
    if versions is None:
        replaced = Indicator.objects.filter(replaces=indicator).exists()
    else:
        replaced = any(v.replaces_id == indicator.pk for v in versions)
    return replaced or (indicator.valid_to is not None and indicator.valid_to < today)


def within_validity(indicator: Indicator, period: periods.Period) -> bool:
    """Every month of the period overlaps the indicator's validity (the engine counts such months only)."""
    months = period.months()
    return _month_end(months[0]) >= indicator.valid_from and (
        indicator.valid_to is None or months[-1] <= indicator.valid_to)


def _month_end(month: datetime.date) -> datetime.date:
    return periods.add_months(month, 1) - datetime.timedelta(days=1)


def validity_text(indicator: Indicator) -> str:
    """"from 1 January 2020", or "1 January 2020 to 31 December 2026"."""
    if indicator.valid_to is None:
        return _("from %(start)s") % {"start": in_text(indicator.valid_from)}
    return _("%(start)s to %(end)s") % {"start": in_text(indicator.valid_from),
                                        "end": in_text(indicator.valid_to)}


def default_period(indicator: Indicator, *, today: datetime.date) -> periods.Period:
    """The last complete period of the indicator's collection type."""
    return periods.containing(indicator.collected, today).previous()


@dataclass(frozen=True)
class PeriodLink:
    label: str
    key: str
    current: bool = False


def period_links(period: periods.Period) -> tuple[list[PeriodLink], PeriodLink, PeriodLink]:
    """The month, quarter, half-year and year containing the period's start; the previous and next period."""
    types = [PeriodLink(str(periods.TYPE_LABELS[t]), periods.containing(t, period.start).key, t == period.type)
             for t in periods.TYPES]
    before, after = period.previous(), periods.Period(period.type, periods.add_months(
        period.start, periods.MONTHS_IN[period.type]))
    return types, PeriodLink(before.label, before.key), PeriodLink(after.label, after.key)


# --- Disaggregation ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Member:
    dimension: str
    member: str
    label: str


def _age_label(low: int, high: int) -> str:
    if high >= 200:
        return _("%(low)s years and older") % {"low": low}
    return _("%(low)s to %(high)s years") % {"low": low, "high": high}


def breakdown_categories() -> list:
    """The client categories an indicator is broken down by, in a fixed order (one query)."""
    from socmon.catalogue.models import ClientCategory

    return list(ClientCategory.objects.order_by("pk"))


def members_of(indicator: Indicator, categories: list | None = None) -> list[Member]:
    """The disaggregation members the indicator stores, labelled in the reader's language (the engine's
    `members`, in its order; one query when client categories are a dimension, none when `categories` gives
    them already)."""
    from socmon.clients.models import Client

    found = []
    for dimension in indicator.dimensions:
        if dimension == "sex":
            found += [Member("sex", value, str(label)) for value, label in Client.Sex.choices]
        elif dimension == "age":
            found += [Member("age", name, _age_label(low, high)) for name, low, high in AGE_GROUPS]
        elif dimension == "category":
            if categories is None:
                categories = breakdown_categories()
            found += [Member("category", str(c.pk), c.label) for c in categories]
    return found


def dimension_choices(indicator: Indicator) -> list[tuple[str, str]]:
    return [(d, str(DIMENSION_LABELS[d])) for d in indicator.dimensions if d in DIMENSION_LABELS]


# --- The values table -------------------------------------------------------------------------------------

@dataclass
class ValueRow:
    """One line of the table: a unit (or a member of the chosen unit's breakdown) in the period."""

    label: str
    unit: OrgUnit | None = None
    href: str = ""
    value: Shown = None  # None: no data
    last_year: Shown = None
    target: int | Decimal | None = None
    baseline: int | Decimal | None = None
    gap: int | Decimal | Hidden | None = None
    better: bool | None = None  # the gap is on the good side of the target (by `higher_is_better`)
    computed_at: datetime.datetime | None = None
    newest_fact: datetime.date | None = None
    current: bool = False


@dataclass
class ValuesTable:
    indicator: Indicator
    unit: OrgUnit
    period: periods.Period
    last_year: periods.Period
    protected: bool
    rows: list[ValueRow]
    dimension: str = ""
    breakdown: list[ValueRow] = field(default_factory=list)

    @property
    def threshold(self) -> int:
        return small_count_threshold()

    @property
    def dimension_label(self) -> str:
        return str(DIMENSION_LABELS.get(self.dimension, ""))


@dataclass
class _Stored:
    """The values read for one period: (unit id, dimension, member) → (numerator, denominator), and freshness."""

    cells: dict[tuple[int, str, str], tuple[int, int | None]] = field(default_factory=dict)
    fresh: dict[int, tuple[datetime.datetime, datetime.date | None]] = field(default_factory=dict)


def values_table(indicator: Indicator, *, unit: OrgUnit, children: list[OrgUnit], period: periods.Period,
                 dimension: str = "", protected: bool, link=None) -> ValuesTable:
    """The unit and its children in `period` (value, target, baseline, gap, same period last year, as of), and
    the unit's breakdown by `dimension`. Two queries (values; targets) whatever the number of children.
    `link(unit)` gives a child's drill-down address."""
    last = period.same_last_year()
    tree = protected and indicator.additive
    stored, paths = _read(indicator, unit, children, (period, last), dimension, protected=protected, tree=tree)
    all_members = members_of(indicator) if dimension or protected else []
    guards = {start: _protection(indicator, stored[start], paths, all_members, tree=tree)
              for start in (period.start, last.start)} if protected else {}
    targets = _targets(indicator, [unit, *children], period, dimension, unit)
    table = ValuesTable(indicator, unit, period, last, protected, [], dimension)
    now, before = stored[period.start], stored[last.start]
    for u in [unit, *children]:
        row = ValueRow(u.label, unit=u, href=link(u) if link and u is not unit else "", current=u is unit)
        _fill(row, indicator, u.pk, "", "", now, before, guards.get(period.start), guards.get(last.start),
              targets.get((u.pk, "", "")))
        table.rows.append(row)
    if dimension:
        own = [m for m in all_members if m.dimension == dimension]
        for m in [*own, Member(dimension, NOT_RECORDED, _("Not recorded"))]:
            row = ValueRow(m.label)
            _fill(row, indicator, unit.pk, dimension, m.member, now, before, guards.get(period.start),
                  guards.get(last.start), targets.get((unit.pk, dimension, m.member)), members=own)
            if m.member != NOT_RECORDED or _worth_showing(row):
                table.breakdown.append(row)
    return table


def _worth_showing(row: ValueRow) -> bool:
    """"Not recorded" is listed when it holds something (or something hidden)."""
    return any(isinstance(v, Hidden) or (v not in (None, 0)) for v in (row.value, row.last_year))


def _read(indicator, unit, children, wanted, dimension, *, protected: bool, tree: bool):
    """One query: the stored values of the periods `wanted` for the unit and its children (the whole tree the
    unit belongs to when `tree`); every breakdown for protected readers (the suppression covers all cells)."""
    rows = IndicatorValue.objects.filter(indicator=indicator, period_type=wanted[0].type,
                                         period_start__in=[p.start for p in wanted])
    if tree:
        rows = rows.filter(org_unit__path__startswith=unit.path[:unit.steplen])
    else:
        rows = rows.filter(org_unit_id__in=[unit.pk, *(c.pk for c in children)])
        if not protected:
            rows = rows.filter(Q(dimension="") | Q(dimension=dimension, org_unit=unit) if dimension
                               else Q(dimension=""))
    stored = {p.start: _Stored() for p in wanted}
    paths: dict[int, str] = {unit.pk: unit.path, **{c.pk: c.path for c in children}}
    for unit_id, path, start, dim, member, numerator, denominator, newest, computed in rows.values_list(
            "org_unit_id", "org_unit__path" if tree else "org_unit_id", "period_start", "dimension", "member",
            "numerator", "denominator", "newest_fact", "computed_at").order_by():
        stored[start].cells[(unit_id, dim, member)] = (numerator, denominator)
        if not dim:
            stored[start].fresh[unit_id] = (computed, newest)
        if tree:
            paths[unit_id] = path
    return stored, paths


def _targets(indicator, units, period, dimension, unit) -> dict[tuple[int, str, str], Target]:
    """One query: the targets of the shown units (and of the chosen unit's breakdown) for exactly this period."""
    found = Target.objects.filter(indicator=indicator, org_unit__in=[u.pk for u in units], period_type=period.type,
                                  period_start=period.start)
    found = found.filter(Q(dimension="") | Q(dimension=dimension, org_unit=unit) if dimension else Q(dimension=""))
    return {(t.org_unit_id, t.dimension, t.member): t for t in found}


def _cell(stored: _Stored, unit_id: int, dimension: str, member: str, members: list[Member]):
    """(numerator, denominator) of a cell, or None for no data. A member is 0 where the total exists; the
    "not recorded" remainder is the total less the members (None when the members overlap: age groups of
    people who changed group within a period longer than a month)."""
    total = stored.cells.get((unit_id, "", ""))
    if total is None or not dimension:
        return total
    if member != NOT_RECORDED:
        return stored.cells.get((unit_id, dimension, member), (0, 0 if total[1] is not None else None))
    parts = [stored.cells.get((unit_id, dimension, m.member), (0, 0)) for m in members]
    numerator = total[0] - sum(p[0] for p in parts)
    denominator = None if total[1] is None else total[1] - sum(p[1] or 0 for p in parts)
    if numerator < 0 or (denominator is not None and denominator < 0):
        return None
    return numerator, denominator


def _shown(indicator, cell, guard: Suppression | None, key) -> Shown:
    if cell is None:
        return None
    numerator, denominator = cell
    if guard is not None:
        hidden_n = guard.is_hidden((*key, NUMERATOR))
        if indicator.is_ratio and (hidden_n or guard.is_hidden((*key, DENOMINATOR))):
            return not_shown()
        if hidden_n:
            return fewer_than() if guard.is_small((*key, NUMERATOR)) else not_shown()
    if indicator.is_ratio and not denominator:
        return Hidden(_("cannot be computed: nothing to divide by"), hidden=False)
    return IndicatorValue(indicator=indicator, numerator=numerator, denominator=denominator).value


def _fill(row: ValueRow, indicator, unit_id, dimension, member, now: _Stored, before: _Stored, guard, guard_before,
          target: Target | None, members: list[Member] = ()) -> None:
    key = (unit_id, dimension, member)
    row.value = _shown(indicator, _cell(now, unit_id, dimension, member, members), guard, key)
    row.last_year = _shown(indicator, _cell(before, unit_id, dimension, member, members), guard_before, key)
    computed, newest = now.fresh.get(unit_id, (None, None))
    withheld = isinstance(row.value, Hidden) and row.value.hidden
    row.computed_at = computed if row.value is not None else None
    row.newest_fact = newest if row.value is not None and not withheld else None
    if target is not None:
        row.target, row.baseline = plain(target.target), plain(target.baseline)
        if withheld:
            row.gap = not_shown()
        elif isinstance(row.value, int | float):
            row.gap = plain(Decimal(str(row.value)) - target.target)
            row.better = row.gap >= 0 if indicator.higher_is_better else row.gap <= 0


def plain(number: Decimal | None) -> int | Decimal | None:
    """A stored decimal as people write it: 12 rather than 12.00, 2.5 rather than 2.50."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else number.normalize()


# --- Protection for aggregate-only readers ----------------------------------------------------------------

def _protection(indicator, stored: _Stored, paths: dict[int, str], members: list[Member], *,
                tree: bool) -> Suppression:
    """What an aggregate-only reader may not see of the period's cells (see the module's docstring). The answer
    is cached under a digest of the cells: drilling down the tree reuses it, a new value misses it."""
    values, relations = _protected_table(indicator, stored, paths, members, tree=tree)
    threshold = small_count_threshold()
    digest = hashlib.sha256(repr((threshold, indicator.pk, tree, sorted(paths.items()),
                                  sorted(values.items(), key=repr))).encode())
    key = f"indicators:suppression:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = suppress(values, relations, threshold=threshold)
        cache.set(key, found, SUPPRESSION_SECONDS)
    return found


def _protected_table(indicator, stored: _Stored, paths, members: list[Member], *, tree: bool):
    """Cells keyed (unit id, dimension, member, series) and the sums relating them."""
    series = [NUMERATOR, DENOMINATOR] if indicator.is_ratio else [NUMERATOR]
    by_dimension: dict[str, list[Member]] = {}
    for m in members:
        by_dimension.setdefault(m.dimension, []).append(m)
    values, relations = {}, []
    units = {unit_id for unit_id, dim, _m in stored.cells if not dim}
    for unit_id in units:
        columns = [("", "")]
        for dimension, own in by_dimension.items():
            columns += [(dimension, m.member) for m in own] + [(dimension, NOT_RECORDED)]
            if _cell(stored, unit_id, dimension, NOT_RECORDED, own) is None:
                continue  # the members overlap (age groups over months): no exact sum to protect
            for s in series:
                total = (unit_id, "", "", s)
                parts = tuple((unit_id, dimension, m, s) for m in [*(x.member for x in own), NOT_RECORDED])
                relations.append(Relation(total, parts, breakdown=indicator.additive))
        for dimension, member in columns:
            cell = _cell(stored, unit_id, dimension, member, by_dimension.get(dimension, []))
            for i, s in enumerate(series):
                if cell is not None and cell[i]:
                    values[(unit_id, dimension, member, s)] = cell[i]
    if tree:
        relations += _hierarchy(values, paths, series)
    return values, relations


def _hierarchy(values: dict, paths: dict[int, str], series) -> list[Relation]:
    """For counts and sums: each unit's every cell is the sum of its children's and of its own records (a
    pseudo-child, not published)."""
    steplen = OrgUnit.steplen
    children: dict[int, list[int]] = {}
    ids = {path: unit_id for unit_id, path in paths.items()}
    for unit_id, path in paths.items():
        parent = ids.get(path[:-steplen]) if len(path) > steplen else None
        if parent is not None:
            children.setdefault(parent, []).append(unit_id)
    relations = []
    columns: dict[int, set] = {}
    for unit_id, dimension, member, s in values:
        columns.setdefault(unit_id, set()).add((dimension, member, s))
    for parent, kids in children.items():
        for column in columns.get(parent, ()):
            total = (parent, *column)
            parts = [(kid, *column) for kid in sorted(kids)]
            own = values[total] - sum(values.get(part, 0) for part in parts)
            if own > 0:
                values[(f"{parent}+", *column)] = own
                parts.append((f"{parent}+", *column))
            relations.append(Relation(total, tuple(parts)))
    return relations


# --- Targets ----------------------------------------------------------------------------------------------

def targets_of(indicator: Indicator, units: QuerySet[OrgUnit]) -> QuerySet[Target]:
    """The indicator's targets in the units given (the manager's reach), newest period first."""
    return (Target.objects.filter(indicator=indicator, org_unit__in=units)
            .select_related("org_unit", "set_by")
            .order_by("-period_start", "-period_type", "org_unit__path", "dimension", "member"))


def describe_targets(targets, members: list[Member]) -> None:
    """Give each target its period and the label of what it is for ("All (total)", "Sex: Female")."""
    labels = {(m.dimension, m.member): m.label for m in members}
    for target in targets:
        target.period = periods.Period(target.period_type, target.period_start)
        target.member_label = (f"{DIMENSION_LABELS.get(target.dimension, target.dimension)}: "
                               f"{labels.get((target.dimension, target.member), target.member)}"
                               if target.dimension else _("All (total)"))
