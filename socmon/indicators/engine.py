"""The indicator engine: facts → leaf table (`Contribution`) → stored values (`IndicatorValue`).

Two ways in, one arithmetic:
- `refresh()` (the worker, every second or so): reads the stale marks saves wrote, recomputes the leaf rows of
  each marked (unit, month) for every indicator reading that source, then the stored values of every ancestor
  of the unit for the month, quarter, half-year and year containing it; deletes the marks it read (a mark
  written meanwhile stays for the next round).
- `rebuild()` (for audit, and nightly): recomputes everything from the facts with one GROUP BY per tree depth
  and period type.
Both aggregate with `_aggregate_sql()` and read the result with `_cells()`, so they agree exactly (a property
test checks it after random sequences of facts, corrections and deletions).

Distinct clients are COUNT(DISTINCT client_id) over the leaf rows of a subtree and period, so a client in two
departments counts once for the institution and a client in January and March once for the quarter.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from socmon.orgs.models import OrgUnit

from . import periods
from .facts import COUNT, DISTINCT_CLIENTS, FACTS, SUM
from .models import Contribution, Indicator, IndicatorValue, StaleMark

AGE_GROUPS = [("0-17", 0, 17), ("18-34", 18, 34), ("35-59", 35, 59), ("60-74", 60, 74), ("75+", 75, 200)]
DIMENSION_FIELDS = {"sex": "sex", "age": "age", "category": "category_id"}
DIMENSION_LABELS = {"sex": gettext_lazy("Sex"), "age": gettext_lazy("Age group"),
                    "category": gettext_lazy("Client category")}
BATCH = 2000

Key = tuple[int, str, datetime.date]  # (org unit id, period type, period start)


def age_group(birth_date: datetime.date | None, on: datetime.date) -> str:
    if birth_date is None:
        return ""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return next((name for name, low, high in AGE_GROUPS if low <= age <= high), "")


def members(indicator: Indicator) -> list[tuple[str, str]]:
    """The disaggregation cells an indicator stores besides its total: (dimension, member)."""
    from socmon.catalogue.models import ClientCategory
    from socmon.clients.models import Client

    found = []
    for dimension in indicator.dimensions:
        if dimension == "sex":
            found += [("sex", value) for value in Client.Sex.values]
        elif dimension == "age":
            found += [("age", name) for name, _low, _high in AGE_GROUPS]
        elif dimension == "category":
            categories = ClientCategory.objects.order_by("pk").values_list("pk", flat=True)
            found += [("category", str(pk)) for pk in categories]
    return found


def sources_of(indicator: Indicator) -> set[str]:
    specs = [*indicator.spec.get("numerator", []), *(indicator.spec.get("denominator") or []),
             indicator.spec.get("reported")]
    return {FACTS[spec["fact"]].source for spec in specs if spec}


# --- facts → leaf rows ------------------------------------------------------------------------------------

def _month_range(fact, first: datetime.date, last: datetime.date) -> dict:
    """A filter for facts dated in months first..last (inclusive), in local time for date-times."""
    following = periods.add_months(last, 1)
    if fact.date_is_datetime:
        zone = timezone.get_current_timezone()
        return {f"{fact.date}__gte": datetime.datetime.combine(first, datetime.time(), zone),
                f"{fact.date}__lt": datetime.datetime.combine(following, datetime.time(), zone)}
    return {f"{fact.date}__gte": first, f"{fact.date}__lt": following}


def _fact_queryset(spec: dict, *, unit_ids=None, months=None):
    fact = FACTS[spec["fact"]]
    queryset = fact.queryset()
    for name, value in (spec.get("filters") or {}).items():
        queryset = fact.filters[name].filter(queryset, value)
    if unit_ids is not None:
        queryset = queryset.filter(**{f"{fact.unit}__in": list(unit_ids)})
    if months is not None:
        queryset = queryset.filter(**_month_range(fact, *months))
    month = TruncMonth(fact.date, output_field=DateField(),
                       **({"tzinfo": timezone.get_current_timezone()} if fact.date_is_datetime else {}))
    return fact, queryset.annotate(_unit=F(fact.unit), _month=month).order_by()


def _newest(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def leaf_rows(spec: dict, *, unit_ids=None, months=None, marker: bool = False) -> Iterable[tuple]:
    """(unit, month, client id, sex, age, category id, amount, newest) for one fact spec. A `marker` spec gives one
    row per unit and month where the fact exists at all (client none, amount 0)."""
    fact, queryset = _fact_queryset(spec, unit_ids=unit_ids, months=months)
    if marker:
        for row in queryset.values("_unit", "_month").annotate(_newest=Max(fact.date)):
            yield row["_unit"], row["_month"], None, "", "", None, 0, _newest(row["_newest"])
        return
    measure = spec.get("measure", COUNT)
    people = []
    if fact.client:
        people = [f"{fact.client}__sex", f"{fact.client}__category_id", f"{fact.client}__birth_date"]
    group = ["_unit", "_month", *people]
    if measure == DISTINCT_CLIENTS:
        if not fact.client:
            raise ValueError(f"{fact.name} has no client to count")
        group.append(f"{fact.client}_id")
        queryset = queryset.filter(**{f"{fact.client}__isnull": False})
        annotations = {"_newest": Max(fact.date)}
    elif measure == SUM:
        annotations = {"_amount": Sum(fact.sums[spec["field"]][0]), "_newest": Max(fact.date)}
    else:
        annotations = {"_amount": Count("pk"), "_newest": Max(fact.date)}
    for row in queryset.values(*group).annotate(**annotations):
        client = row.get(f"{fact.client}_id") if measure == DISTINCT_CLIENTS else None
        sex = row.get(people[0]) or "" if people else ""
        category = row.get(people[1]) if people else None
        age = age_group(row.get(people[2]), row["_month"]) if people else ""
        yield (row["_unit"], row["_month"], client, sex, age, category, row.get("_amount") or 0,
               _newest(row["_newest"]))


def _series_specs(indicator: Indicator) -> list[tuple[int, dict, bool]]:
    specs = [(Contribution.NUMERATOR, spec, False) for spec in indicator.spec.get("numerator", [])]
    specs += [(Contribution.DENOMINATOR, spec, False) for spec in indicator.spec.get("denominator") or []]
    if indicator.spec.get("reported"):
        specs.append((Contribution.NUMERATOR, indicator.spec["reported"], True))
    return specs


def contributions(indicator: Indicator, *, unit_ids=None, months=None) -> list[Contribution]:
    """The indicator's leaf rows for the given units and months (all when None), within its validity."""
    merged: dict[tuple, list] = {}
    for series, spec, marker in _series_specs(indicator):
        for unit, month, client, sex, age, category, amount, newest in leaf_rows(
                spec, unit_ids=unit_ids, months=months, marker=marker):
            if not _valid_month(indicator, month):
                continue
            key = (series, unit, month, client, sex, age, category)
            entry = merged.setdefault(key, [0, None])
            entry[0] += amount
            if newest and (entry[1] is None or newest > entry[1]):
                entry[1] = newest
    return [Contribution(indicator=indicator, series=series, org_unit_id=unit, client_id=client, sex=sex, age=age,
                         category_id=category, amount=amount, newest=newest, **periods.leaf_columns(month))
            for (series, unit, month, client, sex, age, category), (amount, newest) in merged.items()]


def _valid_month(indicator: Indicator, month: datetime.date) -> bool:
    last = periods.add_months(month, 1) - datetime.timedelta(days=1)
    return indicator.valid_from <= last and (indicator.valid_to is None or month <= indicator.valid_to)


# --- leaf rows → stored values ----------------------------------------------------------------------------

def _aggregate_sql(indicator: Indicator, cells: list[tuple[str, str]]) -> tuple[list[str], list]:
    """The aggregate columns of one cell (unit subtree × period): the row count, the newest fact, and per series
    and (dimension, member) the distinct clients and the summed amounts. Written as SQL once per indicator and
    round: Django would build and compile the same 60-odd filtered aggregates for every cell (≈ 25 ms each)."""
    series = [Contribution.NUMERATOR] + ([Contribution.DENOMINATOR] if indicator.is_ratio else [])
    columns, params = ["COUNT(*)", "MAX(c.newest)"], []
    for s in series:
        for dimension, member in [("", ""), *cells]:
            condition, values = "c.series = %s", [s]
            if dimension:
                condition += f" AND c.{DIMENSION_FIELDS[dimension]} = %s"
                values.append(int(member) if dimension == "category" else member)
            columns += [f"COUNT(DISTINCT c.client_id) FILTER (WHERE {condition})",
                        f"SUM(c.amount) FILTER (WHERE {condition})"]
            params += values * 2
    return columns, params


def _date(value) -> datetime.date | None:
    """A date as the database returns it from raw SQL (SQLite gives text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _cells(indicator: Indicator, cells: list[tuple[str, str]], row) -> dict[tuple[str, str], tuple]:
    """(dimension, member) → (numerator, denominator) from the columns of `_aggregate_sql` (after any group
    columns); {} when the unit has no data at all for the period."""
    rows, _newest, *sums = row
    if not rows:
        return {}
    width = 2 * (len(cells) + 1)
    found = {}
    for i, cell in enumerate([("", ""), *cells]):
        numerator = int(sums[2 * i] or 0) + int(sums[2 * i + 1] or 0)
        denominator = None
        if indicator.is_ratio:
            denominator = int(sums[width + 2 * i] or 0) + int(sums[width + 2 * i + 1] or 0)
        if cell == ("", "") or numerator or denominator:  # a member without anything is a zero, not stored
            found[cell] = (numerator, denominator)
    return found


@dataclass
class Computed:
    cells: dict[tuple[str, str], tuple]
    newest_fact: datetime.date | None


def _tables() -> tuple[str, str]:
    return Contribution._meta.db_table, OrgUnit._meta.db_table


def computed_for(indicator: Indicator, unit: OrgUnit, period: periods.Period,
                 cells: list[tuple[str, str]] | None = None) -> Computed:
    """One unit's (subtree's) values for one period, from the leaf table."""
    cells = members(indicator) if cells is None else cells
    columns, params = _aggregate_sql(indicator, cells)
    contribution, org_unit = _tables()
    sql = (f"SELECT {', '.join(columns)} FROM {contribution} c JOIN {org_unit} u ON u.id = c.org_unit_id "
           f"WHERE c.indicator_id = %s AND u.path LIKE %s AND c.{periods.COLUMN[period.type]} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, indicator.pk, f"{unit.path}%", period.start])
        row = cursor.fetchone()
    return Computed(_cells(indicator, cells, row), _date(row[1]))


def computed_all(indicator: Indicator) -> dict[Key, Computed]:
    """Every unit's values for every period, one GROUP BY per tree depth and period type."""
    cells = members(indicator)
    columns, params = _aggregate_sql(indicator, cells)
    contribution, org_unit = _tables()
    ids = dict(OrgUnit.objects.values_list("path", "pk"))
    depth = OrgUnit.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
    found: dict[Key, Computed] = {}
    with connection.cursor() as cursor:
        for level in range(1, depth + 1):
            for period_type in periods.TYPES:
                column = periods.COLUMN[period_type]
                length = int(level * OrgUnit.steplen)  # a number from our own tree, written into the SQL
                cursor.execute(
                    f"SELECT SUBSTR(u.path, 1, {length}), c.{column}, {', '.join(columns)} "
                    f"FROM {contribution} c JOIN {org_unit} u ON u.id = c.org_unit_id "
                    f"WHERE c.indicator_id = %s AND u.depth >= %s GROUP BY 1, 2",
                    [*params, indicator.pk, level])
                for ancestor, start, *aggregates in cursor.fetchall():
                    values = _cells(indicator, cells, aggregates)
                    if values:
                        found[(ids[ancestor], period_type, _date(start))] = Computed(values, _date(aggregates[1]))
    return found


def stored(indicator: Indicator) -> dict[Key, Computed]:
    """What the indicator's stored values say, in the shape `computed_all` returns (to compare the two)."""
    found: dict[Key, Computed] = {}
    for value in IndicatorValue.objects.filter(indicator=indicator):
        entry = found.setdefault((value.org_unit_id, value.period_type, value.period_start), Computed({}, None))
        entry.cells[(value.dimension, value.member)] = (value.numerator, value.denominator)
        if not value.dimension:
            entry.newest_fact = value.newest_fact
    return found


def _value_rows(indicator: Indicator, key: Key, computed: Computed, now: datetime.datetime) -> list[IndicatorValue]:
    unit_id, period_type, start = key
    return [IndicatorValue(indicator=indicator, org_unit_id=unit_id, period_type=period_type, period_start=start,
                           dimension=dimension, member=member, numerator=numerator, denominator=denominator,
                           newest_fact=computed.newest_fact, computed_at=now)
            for (dimension, member), (numerator, denominator) in computed.cells.items()]


# --- the two ways in --------------------------------------------------------------------------------------

def rebuild(indicators: Iterable[Indicator] | None = None, *, now: datetime.datetime | None = None) -> int:
    """Recompute every leaf row and stored value from the facts; returns the number of stored values."""
    now = now or timezone.now()
    written = 0
    for indicator in indicators if indicators is not None else Indicator.objects.all():
        with transaction.atomic():
            Contribution.objects.filter(indicator=indicator).delete()
            Contribution.objects.bulk_create(contributions(indicator), batch_size=BATCH)
            IndicatorValue.objects.filter(indicator=indicator).delete()
            rows = [row for key, computed in computed_all(indicator).items()
                    for row in _value_rows(indicator, key, computed, now)]
            IndicatorValue.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
    return written


def refresh(*, now: datetime.datetime | None = None, limit: int = 5000) -> int:
    """Bring the stored values up to date with the facts marked stale; returns the number of marks consumed."""
    now = now or timezone.now()
    marks = list(StaleMark.objects.order_by("pk").values_list("pk", "source", "org_unit_id", "month")[:limit])
    if not marks:
        return 0
    touched: dict[str, set[tuple[int, datetime.date]]] = defaultdict(set)
    for _pk, source, unit_id, month in marks:
        touched[source].add((unit_id, month))
    paths = dict(OrgUnit.objects.filter(pk__in={u for cells in touched.values() for u, _m in cells})
                 .values_list("pk", "path"))
    for indicator in Indicator.objects.all():
        cells = {(u, m) for source in sources_of(indicator) for u, m in touched.get(source, ())
                 if u in paths and _valid_month(indicator, m)}
        if cells:
            _refresh_indicator(indicator, cells, paths, now)
    StaleMark.objects.filter(pk__in=[pk for pk, *_rest in marks]).delete()
    return len(marks)


def _refresh_indicator(indicator: Indicator, cells: set[tuple[int, datetime.date]], paths: dict[int, str],
                       now: datetime.datetime) -> None:
    by_month: dict[datetime.date, set[int]] = defaultdict(set)
    for unit_id, month in cells:
        by_month[month].add(unit_id)
    keys: set[tuple[str, str, datetime.date]] = set()  # (ancestor path, period type, start)
    steplen = OrgUnit.steplen
    for month, unit_ids in by_month.items():
        for unit_id in unit_ids:
            path = paths[unit_id]
            for end in range(steplen, len(path) + 1, steplen):
                keys.update((path[:end], period.type, period.start) for period in periods.all_containing(month))
    ancestors = dict(OrgUnit.objects.filter(path__in={path for path, _t, _s in keys}).values_list("path", "pk"))
    units = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=ancestors)}
    cell_names = members(indicator)
    with transaction.atomic():
        for month, unit_ids in by_month.items():
            Contribution.objects.filter(indicator=indicator, org_unit_id__in=unit_ids, month=month).delete()
            Contribution.objects.bulk_create(contributions(indicator, unit_ids=unit_ids, months=(month, month)),
                                             batch_size=BATCH)
        rows = []
        for path, period_type, start in keys:
            unit = units[path]
            IndicatorValue.objects.filter(indicator=indicator, org_unit=unit, period_type=period_type,
                                          period_start=start).delete()
            computed = computed_for(indicator, unit, periods.Period(period_type, start), cell_names)
            rows += _value_rows(indicator, (unit.pk, period_type, start), computed, now)
        IndicatorValue.objects.bulk_create(rows, batch_size=BATCH)


class _RolledBack(Exception):
    pass


def _snapshot(indicator: Indicator) -> dict:
    return {key: (computed.cells, computed.newest_fact) for key, computed in stored(indicator).items()}


def differences(indicator: Indicator, *, limit: int = 20) -> list[str]:
    """Where the stored values differ from a full rebuild from the facts (empty when they agree exactly). The
    rebuild runs in a transaction that is rolled back: the stored values are left as they were."""
    before = _snapshot(indicator)
    try:
        with transaction.atomic():
            rebuild([indicator])
            after = _snapshot(indicator)
            raise _RolledBack
    except _RolledBack:
        pass
    found = []
    for key in sorted(set(before) | set(after), key=str):
        if before.get(key) != after.get(key):
            found.append(f"{indicator.code} v{indicator.version} {key}: stored {before.get(key)} "
                         f"≠ rebuilt {after.get(key)}")
            if len(found) >= limit:
                break
    return found
