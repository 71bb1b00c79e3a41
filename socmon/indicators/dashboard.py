"""Reads for indicator dashboards: a unit and a period, a few indicators at a time.

Per indicator (a `Panel`): the unit's value against its target (the gap), the same period last year and the change
as an exact percentage, the trend over the last periods of the same type with their targets, the breakdown by every
dimension the indicator stores, and, for the one indicator being compared, the unit's children side by side.

Everything is a stored value read through the same rules as the indicator page (`selectors`): a row's value, gap
and "as of" come from `selectors._fill`, small counts from `selectors._protection` (the suppression the indicator
page applies, period by period, so a dashboard never shows what the indicator page hides). The cost is fixed: one
query for the values of every indicator shown, one for their targets, whatever the number of children or indicators.
"""

import datetime
import operator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from socmon.orgs.models import OrgUnit
from socmon.visits.reports import Hidden

from . import periods
from .engine import DIMENSION_LABELS
from .models import Indicator, IndicatorValue, Target
from .selectors import (
    NOT_RECORDED,
    Member,
    Shown,
    ValueRow,
    _fill,
    _protection,
    _Stored,
    _worth_showing,
    members_of,
    plain,
)

# How many periods a trend shows, ending at the period chosen: always reaching the same period last year.
TREND_LENGTH = {periods.MONTH: 13, periods.QUARTER: 8, periods.HALF: 6, periods.YEAR: 5}
MAX_INDICATORS = 3  # a dashboard shows a few indicators at a time: people drown in long lists
CENT = Decimal("0.01")
SORTS = ("name", "high", "low")


# --- Year on year -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """The change from the same period last year: an exact percentage to two decimals, or why there is none."""

    percent: Decimal | None
    reason: str = ""

    def __str__(self) -> str:
        if self.percent is None:
            return self.reason
        sign = "+" if self.percent > 0 else "−" if self.percent < 0 else ""
        return f"{sign}{number_format(abs(self.percent), 2)} %"


def change(current: Shown, previous: Shown) -> Change:
    """(current − previous) / previous × 100, in Decimal, rounded half up to the cent: 1,200 → 1,236 is +3.00 %,
    8,000 → 7,999 is −0.01 %. No percentage from no data, from a hidden figure or from 0 (said in words)."""
    if isinstance(current, Hidden) or isinstance(previous, Hidden):
        return Change(None, _("not shown, to protect small numbers"))
    if current is None:
        return Change(None, _("no data for this period"))
    if previous is None:
        return Change(None, _("no data for the same period last year"))
    if previous == 0:
        return Change(None, _("last year's value was 0: a change from 0 has no percentage"))
    now, before = Decimal(str(current)), Decimal(str(previous))
    return Change(((now - before) * 100 / before).quantize(CENT, rounding=ROUND_HALF_UP))


# --- Panels -----------------------------------------------------------------------------------------------

@dataclass
class Breakdown:
    dimension: str
    label: str
    rows: list[ValueRow]
    chart: object = None  # `charts.Chart`


@dataclass
class Panel:
    indicator: Indicator
    period: periods.Period
    last_year: periods.Period
    headline: ValueRow
    change: Change
    trend: list[tuple[periods.Period, ValueRow]]
    breakdowns: list[Breakdown]
    comparison: list[ValueRow] | None = None  # the children, for the indicator being compared
    trend_chart: object = None  # `charts.Chart`s, filled by `charts.panel_charts`
    comparison_chart: object = None
    compare_href: str = ""  # the same dashboard comparing the units on this indicator

    @property
    def percent(self) -> bool:
        return bool(self.indicator.spec.get("percent"))

    @property
    def as_of(self) -> datetime.datetime | None:
        return self.headline.computed_at


def trend_periods(period: periods.Period) -> list[periods.Period]:
    """The last periods of the same type, oldest first, ending at `period`."""
    found = [period]
    for _i in range(TREND_LENGTH[period.type] - 1):
        found.append(found[-1].previous())
    return found[::-1]


def panels(indicators: list[Indicator], *, unit: OrgUnit, children: list[OrgUnit], period: periods.Period,
           protected: bool, compare: Indicator | None = None, link=None, categories: list | None = None,
           baselines: dict[int, Decimal] | None = None) -> list[Panel]:
    """A panel per indicator for `unit` in `period`; `compare`'s panel also lists `children` (its comparison),
    each linked by `link(child)`. `baselines`: a plan's baseline per indicator id, shown where no target gives
    one. Two queries (values, targets) whatever the number of indicators and children; none without indicators."""
    if not indicators:
        return []
    trend = trend_periods(period)
    stored, paths = _read(indicators, unit, children, period, trend, protected=protected, compare=compare)
    targets = _targets(indicators, unit, children, period, trend, compare)
    found = []
    for indicator in indicators:
        members = members_of(indicator, categories)
        guards = _guards(indicator, stored[indicator.pk], paths[indicator.pk], members, protected=protected)
        panel = _panel(indicator, unit, period, trend, stored[indicator.pk], guards, targets, members)
        if indicator == compare and children:  # a department has no units to compare
            panel.comparison = _comparison(indicator, children, period, stored[indicator.pk], guards, targets, link)
        if baselines and panel.headline.baseline is None and baselines.get(indicator.pk) is not None:
            panel.headline.baseline = baselines[indicator.pk]
        found.append(panel)
    return found


def _panel(indicator, unit, period, trend, stored, guards, targets, members) -> Panel:
    last = period.same_last_year()
    headline = _row(indicator, unit.label, unit.pk, "", "", period, last, stored, guards, targets, unit=unit)
    points = [(p, _row(indicator, p.label, unit.pk, "", "", p, None, stored, guards, targets)) for p in trend]
    breakdowns = []
    for dimension in indicator.dimensions:
        own = [m for m in members if m.dimension == dimension]
        rows = [_row(indicator, m.label, unit.pk, dimension, m.member, period, last, stored, guards, targets,
                     members=own) for m in [*own, Member(dimension, NOT_RECORDED, _("Not recorded"))]]
        rows = rows[:-1] + [r for r in rows[-1:] if _worth_showing(r)]  # "not recorded" when it holds something
        breakdowns.append(Breakdown(dimension, str(DIMENSION_LABELS.get(dimension, dimension)), rows))
    return Panel(indicator, period, last, headline, change(headline.value, headline.last_year), points, breakdowns)


def _comparison(indicator, children, period, stored, guards, targets, link) -> list[ValueRow]:
    last = period.same_last_year()
    return [_row(indicator, child.label, child.pk, "", "", period, last, stored, guards, targets, unit=child,
                 href=link(child) if link else "") for child in children]


def _row(indicator, label, unit_id, dimension, member, period, last, stored, guards, targets, *, unit=None,
         href="", members=()) -> ValueRow:
    """One row by the indicator page's own rule (`selectors._fill`): value, last year, target, gap, as of."""
    row = ValueRow(label, unit=unit, href=href)
    empty = _Stored()
    _fill(row, indicator, unit_id, dimension, member, stored.get(period.start, empty),
          stored.get(last.start, empty) if last else empty, guards.get(period.start),
          guards.get(last.start) if last else None, targets.get((indicator.pk, unit_id, period.start, dimension,
                                                                 member)), members=list(members))
    return row


def _guards(indicator, stored: dict, paths, members, *, protected: bool) -> dict:
    """Per period read, what an aggregate-only reader may not see (the indicator page's suppression)."""
    if not protected:
        return {}
    tree = indicator.additive
    return {start: _protection(indicator, cells, paths, members, tree=tree) for start, cells in stored.items()}


def _read(indicators, unit, children, period, trend, *, protected: bool, compare):
    """One query: per indicator, the unit's every cell over the trend and the same period last year, and the
    children's for the period and last year (the compared indicator only). Protected readers of a count or sum
    read the whole tree instead, as the indicator page does: its suppression protects a unit against its parent
    and children."""
    last = period.same_last_year()
    starts = sorted({p.start for p in trend} | {last.start})
    child_ids = [c.pk for c in children]
    parts = []
    for indicator in indicators:
        if protected and indicator.additive:
            parts.append(Q(indicator=indicator, org_unit__path__startswith=unit.path[:unit.steplen]))
            continue
        parts.append(Q(indicator=indicator, org_unit=unit))
        if indicator == compare and child_ids:
            kids = Q(indicator=indicator, org_unit_id__in=child_ids, period_start__in=[period.start, last.start])
            parts.append(kids if protected else kids & Q(dimension=""))
    rows = IndicatorValue.objects.filter(reduce(operator.or_, parts), period_type=period.type,
                                         period_start__in=starts).order_by()
    stored = {i.pk: {} for i in indicators}
    paths = {i.pk: {unit.pk: unit.path, **{c.pk: c.path for c in children}} for i in indicators}
    with_path = protected and any(i.additive for i in indicators)
    for indicator_id, unit_id, path, start, dim, member, numerator, denominator, newest, computed in rows.values_list(
            "indicator_id", "org_unit_id", "org_unit__path" if with_path else "org_unit_id", "period_start",
            "dimension", "member", "numerator", "denominator", "newest_fact", "computed_at"):
        cells = stored[indicator_id].setdefault(start, _Stored())
        cells.cells[(unit_id, dim, member)] = (numerator, denominator)
        if not dim:
            cells.fresh[unit_id] = (computed, newest)
        if with_path:
            paths[indicator_id][unit_id] = path
    return stored, paths


def _targets(indicators, unit, children, period, trend, compare) -> dict:
    """One query: the unit's targets over the trend (every member for the period), the compared children's."""
    wanted = Q(org_unit=unit, period_start__in=[p.start for p in trend], dimension="") | Q(
        org_unit=unit, period_start=period.start)
    if compare is not None and children:
        wanted |= Q(indicator=compare, org_unit__in=[c.pk for c in children], period_start=period.start,
                    dimension="")
    found = Target.objects.filter(wanted, indicator__in=indicators, period_type=period.type)
    return {(t.indicator_id, t.org_unit_id, t.period_start, t.dimension, t.member): t for t in found}


# --- Ordering and the tile map ----------------------------------------------------------------------------

def _number(row: ValueRow) -> float | None:
    return float(row.value) if isinstance(row.value, int | float) and not isinstance(row.value, bool) else None


def sorted_rows(rows: list[ValueRow], sort: str) -> list[ValueRow]:
    """By name (the tree's order), highest or lowest value first; no data and hidden figures last either way."""
    if sort not in ("high", "low"):
        return rows
    known = [r for r in rows if _number(r) is not None]
    rest = [r for r in rows if _number(r) is None]
    return sorted(known, key=_number, reverse=sort == "high") + rest


@dataclass(frozen=True)
class Band:
    number: int  # 1 (lowest) to BANDS (highest); 0: no figure to colour
    low: Decimal | None = None
    high: Decimal | None = None


BANDS = 5


def bands(rows: list[ValueRow]) -> tuple[dict[int, int], list[Band]]:
    """The tile map's colour classes: equal ranges between the lowest and highest figure shown (index of a row →
    band number), and the legend. Hidden figures and no data get band 0 (grey, said in words)."""
    numbers = [Decimal(str(v)) for r in rows if (v := _number(r)) is not None]
    if not numbers:
        return {}, []
    low, high = min(numbers), max(numbers)
    step = (high - low) / BANDS
    legend = [Band(i + 1, low + step * i, low + step * (i + 1)) for i in range(BANDS)] if step else [Band(1, low, high)]
    assigned = {}
    for index, row in enumerate(rows):
        value = _number(row)
        if value is None:
            continue
        number = 1 if not step else min(BANDS, int((Decimal(str(value)) - low) / step) + 1)
        assigned[index] = number
    return assigned, [Band(b.number, _round(b.low), _round(b.high)) for b in legend]


def _round(number: Decimal) -> int | Decimal:
    return plain(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
