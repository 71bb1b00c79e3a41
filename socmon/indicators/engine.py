"""The indicator engine: facts → leaf table (`Contribution`) → stored values (`IndicatorValue`).

Two ways in:
- `refresh()` (the worker, every second or so): reads the stale marks saves wrote, recomputes the leaf rows of
  each marked (unit, month) for every indicator reading that source, and applies what changed to the stored
  values of every ancestor of the unit for the month, quarter, half-year and year containing it (`_Change`: sums
  and counts by difference, distinct clients by each changed client's presence before and after); deletes the
  marks it read (a mark written meanwhile stays for the next round).
- `rebuild()` (for audit, and nightly): recomputes everything from the facts: the leaf rows in SQL
  (`contribution_sql`, the same rows `contribution_rows` gives the refresh), the values with `computed_all` (each
  unit's own rows counted once per period type and added up the tree, less the clients counted in several units);
  over stored rows it writes only those that differ, compared in SQL (`_sync`).
The filtered aggregates of one cell are `_aggregate_sql()`, read with `_cells()`; a refresh falls back on them
(`computed_many`) where a difference cannot tell the value. That the three ways agree exactly is tested: a property
test compares the refreshed values with a rebuild after random sequences of facts, corrections, deletions and
changes to clients, and `test_delta` holds hand-computed cases of the subtle differences.

A distinct count is the number of clients with a leaf row in the subtree and period, so a client in two
departments counts once for the institution and a client in January and March once for the quarter.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Sum
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from socmon.orgs.models import OrgUnit
from socmon.visits import tallies as visit_tallies

from . import periods
from .facts import COUNT, DISTINCT_CLIENTS, FACTS, SUM
from .models import Contribution, Indicator, IndicatorValue, StaleMark

AGE_GROUPS = [("0-17", 0, 17), ("18-34", 18, 34), ("35-59", 35, 59), ("60-74", 60, 74), ("75+", 75, 200)]
DIMENSION_FIELDS = {"sex": "sex", "age": "age", "category": "category_id"}
DIMENSION_LABELS = {"sex": gettext_lazy("Sex"), "age": gettext_lazy("Age group"),
                    "category": gettext_lazy("Client category")}
BATCH = 2000
SUBTREE_IDS = 900  # at most this many unit ids in an IN list (SQLite caps query parameters); else all

Key = tuple[int, str, datetime.date]  # (org unit id, period type, period start)


_GROUP_OF_AGE = [next((name for name, low, high in AGE_GROUPS if low <= age <= high), "") for age in range(201)]


def age_group(birth_date: datetime.date | None, on: datetime.date) -> str:
    if birth_date is None:
        return ""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return _GROUP_OF_AGE[age] if 0 <= age < len(_GROUP_OF_AGE) else ""


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
    # A date, not the time stamp DATE_TRUNC gives on PostgreSQL: reading 80,000 time stamps costs a second.
    month = Cast(month, DateField())
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


CONTRIBUTION_COLUMNS = ["indicator_id", "series", "org_unit_id", "month", "quarter", "half", "year", "client_id",
                        "sex", "age", "category_id", "amount", "newest"]


def contribution_rows(indicator: Indicator, *, unit_ids=None, months=None) -> list[tuple]:
    """The indicator's leaf rows for the given units and months (all when None), within its validity, as tuples
    in `CONTRIBUTION_COLUMNS` order."""
    merged: dict[tuple, list] = {}
    valid: dict[datetime.date, bool] = {}  # per month (a few dozen distinct months among many rows)
    for series, spec, marker in _series_specs(indicator):
        for unit, month, client, sex, age, category, amount, newest in leaf_rows(
                spec, unit_ids=unit_ids, months=months, marker=marker):
            if month not in valid:
                valid[month] = _valid_month(indicator, month)
            if not valid[month]:
                continue
            key = (series, unit, month, client, sex, age, category)
            entry = merged.get(key)
            if entry is None:
                merged[key] = [amount, newest]
                continue
            entry[0] += amount
            if newest and (entry[1] is None or newest > entry[1]):
                entry[1] = newest
    starts = {month: (month, periods.start_of(periods.QUARTER, month), periods.start_of(periods.HALF, month),
                      periods.start_of(periods.YEAR, month)) for month in valid}
    rows = [(indicator.pk, series, unit, *starts[month], client, sex, age, category, amount, newest)
            for (series, unit, month, client, sex, age, category), (amount, newest) in merged.items()]
    rows.sort(key=lambda row: (row[2], row[3]))  # in the order of the leaf table's index: a third faster to insert
    return rows


# --- the same leaf rows in SQL (the rebuild) ----------------------------------------------------------------

def _age_number(fact):
    """An ORM expression whose ⌊value / 10000⌋ is the age on the first day of the fact's month, as `age_group`
    computes it: yyyymmdd of that day − yyyymmdd of the birth date (negative: born later; NULL: no birth date)."""
    zone = {"tzinfo": timezone.get_current_timezone()} if fact.date_is_datetime else {}
    on = ExtractYear(fact.date, **zone) * 10000 + ExtractMonth(fact.date, **zone) * 100 + 1
    birth = f"{fact.client}__birth_date"
    return on - (ExtractYear(birth) * 10000 + ExtractMonth(birth) * 100 + ExtractDay(birth))


def _age_case(column: str) -> str:
    """The age group of an `_age_number` in `column`: each group is a range of it. Applied to the grouped rows, so
    that the number is computed once per fact (a CASE over the expression would compute it once per branch)."""
    groups = " ".join(f"WHEN {column} < {(high + 1) * 10000} THEN '{name}'" for name, _low, high in AGE_GROUPS)
    return f"CASE WHEN {column} < 0 THEN '' {groups} ELSE '' END"


def _spec_sql(series: int, spec: dict, marker: bool) -> tuple[str, list]:
    """One fact spec's leaf rows as a SELECT of (series, unit, month, client, sex, age, category, amount, newest):
    the query `leaf_rows` reads, with the age group computed in the database. The spec's filters are applied by
    the ORM, whatever their kind."""
    fact, queryset = _fact_queryset(spec)
    newest = Max(TruncDate(fact.date, tzinfo=timezone.get_current_timezone()) if fact.date_is_datetime
                 else fact.date)
    measure = spec.get("measure", COUNT)
    person = fact.client and not marker
    if person:
        queryset = queryset.annotate(_sex=F(f"{fact.client}__sex"), _category=F(f"{fact.client}__category_id"),
                                     _age=_age_number(fact))
    group = ["_unit", "_month", *(["_sex", "_age", "_category"] if person else [])]
    if marker:
        annotations = {"_newest": newest}
    elif measure == DISTINCT_CLIENTS:
        if not fact.client:
            raise ValueError(f"{fact.name} has no client to count")
        queryset = queryset.annotate(_client=F(f"{fact.client}_id")).filter(**{f"{fact.client}__isnull": False})
        group.append("_client")
        annotations = {"_newest": newest}
    elif measure == SUM:
        annotations = {"_amount": Sum(fact.sums[spec["field"]][0]), "_newest": newest}
    else:
        annotations = {"_amount": Count("pk"), "_newest": newest}
    sql, params = queryset.values(*group).annotate(**annotations).query.sql_with_params()
    client = 's."_client"' if "_client" in group else "CAST(NULL AS bigint)"
    sex, age, category = (('COALESCE(s."_sex", \'\')', _age_case('s."_age"'), 's."_category"') if person
                          else ("''", "''", "CAST(NULL AS integer)"))
    amount = 'COALESCE(s."_amount", 0)' if "_amount" in annotations else "0"
    return (f'SELECT {int(series)} AS series, s."_unit" AS unit, s."_month" AS month, {client} AS client, '
            f'{sex} AS sex, {age} AS age, {category} AS category, {amount} AS amount, s."_newest" AS newest '
            f"FROM ({sql}) s", list(params))


def _period_sql(column: str) -> tuple[str, str, str]:
    """The quarter, half-year and year starting the month in `column` (a date), per database."""
    if connection.vendor == "postgresql":
        month = f"CAST({column} AS timestamp)"
        year = f"DATE_TRUNC('year', {month})"
        return (f"CAST(DATE_TRUNC('quarter', {month}) AS date)",
                f"CAST({year} + CASE WHEN EXTRACT(MONTH FROM {month}) > 6 THEN INTERVAL '6 months' "
                f"ELSE INTERVAL '0 months' END AS date)", f"CAST({year} AS date)")
    # SQLite keeps dates as text, YYYY-MM-DD.
    year, number = f"SUBSTR({column}, 1, 5)", f"SUBSTR({column}, 6, 2)"
    return (f"{year} || CASE WHEN {number} <= '03' THEN '01' WHEN {number} <= '06' THEN '04' "
            f"WHEN {number} <= '09' THEN '07' ELSE '10' END || '-01'",
            f"{year} || CASE WHEN {number} <= '06' THEN '01' ELSE '07' END || '-01'", f"{year} || '01-01'")


def contribution_sql(indicator: Indicator) -> tuple[str, list]:
    """A SELECT of every leaf row of the indicator, in `CONTRIBUTION_COLUMNS` order: what `contribution_rows`
    gives, computed in the database (the rebuild writes it with INSERT … SELECT instead of reading every fact into
    Python and writing it back). The specs' rows are merged as there: amounts added, the newest fact kept."""
    parts, params = [], []
    for series, spec, marker in _series_specs(indicator):
        sql, values = _spec_sql(series, spec, marker)
        parts.append(sql)
        params += values
    quarter, half, year = _period_sql("x.month")
    where, bounds = "x.month >= %s", [indicator.valid_from.replace(day=1)]
    if indicator.valid_to is not None:
        where, bounds = where + " AND x.month <= %s", [*bounds, indicator.valid_to]
    sql = (f"SELECT {int(indicator.pk)} AS indicator_id, x.series, x.unit AS org_unit_id, x.month, {quarter} AS "
           f"quarter, {half} AS half, {year} AS year, x.client AS client_id, x.sex, x.age, x.category AS "
           f"category_id, CAST(SUM(x.amount) AS bigint) AS amount, MAX(x.newest) AS newest "
           f"FROM ({' UNION ALL '.join(parts)}) x WHERE {where} "
           f"GROUP BY x.series, x.unit, x.month, x.client, x.sex, x.age, x.category")
    return sql, [*params, *bounds]


def contributions(indicator: Indicator, *, unit_ids=None, months=None) -> list[Contribution]:
    """The same leaf rows as model instances."""
    return [Contribution(**dict(zip(CONTRIBUTION_COLUMNS, row, strict=True)))
            for row in contribution_rows(indicator, unit_ids=unit_ids, months=months)]


def insert_rows(model, columns: list[str], rows: list[tuple], *, table: str | None = None) -> None:
    """Write rows straight into a model's table: COPY on PostgreSQL, one prepared INSERT for many rows elsewhere.
    A rebuild writes hundreds of thousands of leaf rows and values per indicator at national scale, where model
    instances for `bulk_create` cost several times what the database does. `table`: a temporary table with the
    model's columns instead."""
    if not rows:
        return
    table = table or model._meta.db_table
    names = ", ".join(f'"{name}"' for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        by_column = {f.column: f for f in model._meta.concrete_fields}
        adapt = {"DateField": connection.ops.adapt_datefield_value,
                 "DateTimeField": connection.ops.adapt_datetimefield_value}
        # Dates and date-times as Django stores them; the few distinct ones in a batch are converted once each.
        converters = [adapt.get(by_column[name].get_internal_type()) for name in columns]
        cache: dict = {}

        def converted(row):
            return tuple(value if convert is None or value is None
                         else cache.get(value) or cache.setdefault(value, convert(value))
                         for convert, value in zip(converters, row, strict=True))

        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'
        for start in range(0, len(rows), 10 * BATCH):
            cursor.executemany(sql, [converted(row) for row in rows[start:start + 10 * BATCH]])


def _valid_month(indicator: Indicator, month: datetime.date) -> bool:
    last = periods.add_months(month, 1) - datetime.timedelta(days=1)
    return indicator.valid_from <= last and (indicator.valid_to is None or month <= indicator.valid_to)


# --- leaf rows → stored values ----------------------------------------------------------------------------

def _aggregate_sql(indicator: Indicator, cells: list[tuple[str, str]]) -> tuple[list[str], list]:
    """The aggregate columns of one cell (unit subtree × period): the row count, the newest fact, and per series
    and (dimension, member) the distinct clients and the summed amounts. Written as SQL once per indicator and
    round: Django would build and compile the same 60-odd filtered aggregates for every cell (≈ 25 ms each)."""
    series = [Contribution.NUMERATOR] + ([Contribution.DENOMINATOR] if indicator.is_ratio else [])
    needs = _needs(indicator)
    columns, params = ["COUNT(*)", "MAX(c.newest)"], []
    for s in series:
        clients, amounts = needs[s]
        for dimension, member in [("", ""), *cells]:
            condition, values = "c.series = %s", [s]
            if dimension:
                condition += f" AND c.{DIMENSION_FIELDS[dimension]} = %s"
                values.append(int(member) if dimension == "category" else member)
            # An aggregate the series cannot need is 0 (see `_needs`): written as 0, not computed.
            columns.append(f"COUNT(DISTINCT c.client_id) FILTER (WHERE {condition})" if clients else "0")
            columns.append(f"SUM(c.amount) FILTER (WHERE {condition})" if amounts else "0")
            params += values * (clients + amounts)
    return columns, params


def _needs(indicator: Indicator) -> dict[int, tuple[bool, bool]]:
    """Per series: whether it has distinct clients to count, and amounts to sum. Leaf rows of a distinct-clients
    spec have amount 0 and the others (counts, sums, the reported marker) no client, so the aggregate a series
    does not need is exactly 0."""
    numerator = indicator.spec.get("numerator") or []
    denominator = indicator.spec.get("denominator") or []
    return {series: (any(spec.get("measure") == DISTINCT_CLIENTS for spec in specs),
                     any(spec.get("measure", COUNT) != DISTINCT_CLIENTS for spec in specs))
            for series, specs in ((Contribution.NUMERATOR, numerator), (Contribution.DENOMINATOR, denominator))}


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


def _months_of(period: periods.Period) -> tuple[datetime.date, datetime.date]:
    """The first and the last month of a period (the leaf table's month index serves every period type)."""
    return period.start, periods.add_months(period.start, periods.MONTHS_IN[period.type] - 1)


def computed_for(indicator: Indicator, unit: OrgUnit, period: periods.Period,
                 cells: list[tuple[str, str]] | None = None) -> Computed:
    """One unit's (subtree's) values for one period, from the leaf table."""
    cells = members(indicator) if cells is None else cells
    columns, params = _aggregate_sql(indicator, cells)
    contribution, org_unit = _tables()
    sql = (f"SELECT {', '.join(columns)} FROM {contribution} c JOIN {org_unit} u ON u.id = c.org_unit_id "
           f"WHERE c.indicator_id = %s AND u.path LIKE %s AND c.month BETWEEN %s AND %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, indicator.pk, f"{unit.path}%", *_months_of(period)])
        row = cursor.fetchone()
    return Computed(_cells(indicator, cells, row), _date(row[1]))


def computed_many(indicator: Indicator, period: periods.Period, unit_paths: set[str],
                  cells: list[tuple[str, str]] | None = None, tree: list[tuple[int, str]] | None = None
                  ) -> dict[str, Computed]:
    """Several units' (subtrees') values for one period (path → values; units without data left out): what
    `computed_for` gives for each, with one GROUP BY per tree depth instead of one query per unit (a refresh at
    scale touches hundreds of units). `tree`: every unit's (id, path), when the caller has it."""
    cells = members(indicator) if cells is None else cells
    columns, params = _aggregate_sql(indicator, cells)
    contribution, org_unit = _tables()
    steplen = OrgUnit.steplen
    by_depth: dict[int, set[str]] = defaultdict(set)
    for path in unit_paths:
        by_depth[len(path) // steplen].add(path)
    found: dict[str, Computed] = {}
    with connection.cursor() as cursor:
        for level, wanted in sorted(by_depth.items()):
            length = int(level * steplen)  # a number from our own tree, written into the SQL
            where = "c.indicator_id = %s AND u.depth >= %s AND c.month BETWEEN %s AND %s"
            values = [indicator.pk, level, *_months_of(period)]
            if level > 1:
                # Only the subtrees asked for (every unit under them: their rows count, marked or not).
                if tree is None:
                    tree = list(OrgUnit.objects.values_list("pk", "path"))
                unit_ids = [pk for pk, path in tree if path[:length] in wanted]
                if not unit_ids:
                    continue
                if len(unit_ids) <= SUBTREE_IDS:
                    where += f" AND c.org_unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
                    values += unit_ids
            cursor.execute(f"SELECT SUBSTR(u.path, 1, {length}), {', '.join(columns)} "
                           f"FROM {contribution} c JOIN {org_unit} u ON u.id = c.org_unit_id "
                           f"WHERE {where} GROUP BY 1", [*params, *values])
            for ancestor, *aggregates in cursor.fetchall():
                if ancestor in wanted:
                    computed = _cells(indicator, cells, aggregates)
                    if computed:
                        found[ancestor] = Computed(computed, _date(aggregates[1]))
    return found


def computed_all(indicator: Indicator) -> dict[Key, Computed]:
    """Every unit's values for every period.

    Counting distinct clients per subtree costs a sort of the subtree's rows per cell, for every depth and period
    type (20 passes over the leaf table, each sorting it a dozen times with the breakdowns). Instead each unit's
    *own* rows are counted (one GROUP BY per period type) and added up the tree: exact for counts and sums, and
    for distinct clients except where a client has rows in several units of a subtree within the period, counted
    once per unit. Those clients are few (a client is served by one department, mostly); `_overcounts` reads their
    rows and takes the surplus off."""
    cells = members(indicator)
    columns, params = _aggregate_sql(indicator, cells)
    contribution, _org_unit = _tables()
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    steplen = OrgUnit.steplen
    totals: dict[tuple[str, str, datetime.date], list] = {}
    with connection.cursor() as cursor:
        for period_type in periods.TYPES:
            cursor.execute(f"SELECT c.org_unit_id, c.{periods.COLUMN[period_type]}, {', '.join(columns)} "
                           f"FROM {contribution} c WHERE c.indicator_id = %s GROUP BY 1, 2", [*params, indicator.pk])
            for unit_id, start, rows, newest, *sums in cursor.fetchall():
                path, start, newest, sums = paths[unit_id], _date(start), _date(newest), [int(v or 0) for v in sums]
                for end in range(steplen, len(path) + 1, steplen):
                    total = totals.get((path[:end], period_type, start))
                    if total is None:
                        totals[(path[:end], period_type, start)] = [rows, newest, *sums]
                        continue
                    total[0] += rows
                    if newest is not None and (total[1] is None or newest > total[1]):
                        total[1] = newest
                    total[2:] = [a + b for a, b in zip(total[2:], sums, strict=True)]
    for key, surplus in _overcounts(indicator, cells, paths).items():
        for column, count in surplus.items():
            totals[key][2 + column] -= count
    ids = {path: pk for pk, path in paths.items()}
    found: dict[Key, Computed] = {}
    for (path, period_type, start), total in totals.items():
        values = _cells(indicator, cells, total)
        if values:
            found[(ids[path], period_type, start)] = Computed(values, total[1])
    return found


def _overcounts(indicator: Indicator, cells: list[tuple[str, str]], paths: dict[int, str]
                ) -> dict[tuple[str, str, datetime.date], dict[int, int]]:
    """(subtree path, period type, start) → {aggregate column: surplus}: for every client with rows in several
    units within a year, per subtree, period and cell where k > 1 of its units have a row of theirs, k - 1 (the
    sum of the units' own distinct counts counted them k times). Columns as `_aggregate_sql` lays them out."""
    series = [Contribution.NUMERATOR] + ([Contribution.DENOMINATOR] if indicator.is_ratio else [])
    needs = _needs(indicator)
    width = 2 * (len(cells) + 1)
    column_of = {(s, cell): i * width + 2 * j for i, s in enumerate(series) if needs[s][0]
                 for j, cell in enumerate([("", ""), *cells])}
    contribution, _org_unit = _tables()
    movers: dict[tuple, list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.series, c.client_id, c.org_unit_id, c.month, c.sex, c.age, c.category_id "
            f"FROM {contribution} c JOIN (SELECT series, client_id, year FROM {contribution} "
            f"WHERE indicator_id = %s AND client_id IS NOT NULL GROUP BY 1, 2, 3 "
            f"HAVING MIN(org_unit_id) <> MAX(org_unit_id)) m "
            f"ON m.series = c.series AND m.client_id = c.client_id AND m.year = c.year WHERE c.indicator_id = %s",
            [indicator.pk, indicator.pk])
        for s, client, unit_id, month, sex, age, category in cursor.fetchall():
            movers[(s, client)].append((unit_id, _date(month), sex, age, category))
    steplen = OrgUnit.steplen
    found: dict[tuple[str, str, datetime.date], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (s, _client), rows in movers.items():
        # (period type, start, column) → the units where the client has a row in that period and cell.
        units: dict[tuple, set[int]] = defaultdict(set)
        for unit_id, month, sex, age, category in rows:
            for cell in (("", ""), ("sex", sex), ("age", age), ("category", "" if category is None else str(category))):
                column = column_of.get((s, cell))
                if column is not None:
                    for period in periods.all_containing(month):
                        units[(period.type, period.start, column)].add(unit_id)
        for (period_type, start, column), where in units.items():
            if len(where) < 2:
                continue
            per_subtree: dict[str, int] = defaultdict(int)
            for unit_id in where:
                path = paths[unit_id]
                for end in range(steplen, len(path) + 1, steplen):
                    per_subtree[path[:end]] += 1
            for path, k in per_subtree.items():
                if k > 1:
                    found[(path, period_type, start)][column] += k - 1
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


VALUE_COLUMNS = ["indicator_id", "org_unit_id", "period_type", "period_start", "dimension", "member", "numerator",
                 "denominator", "newest_fact", "computed_at"]


def _value_rows(indicator: Indicator, key: Key, computed: Computed, now: datetime.datetime) -> list[tuple]:
    """Stored value rows for one unit and period, as tuples in `VALUE_COLUMNS` order."""
    unit_id, period_type, start = key
    return [(indicator.pk, unit_id, period_type, start, dimension, member, numerator, denominator,
             computed.newest_fact, now)
            for (dimension, member), (numerator, denominator) in computed.cells.items()]


# --- the two ways in --------------------------------------------------------------------------------------

def rebuild(indicators: Iterable[Indicator] | None = None, *, now: datetime.datetime | None = None) -> int:
    """Recompute every leaf row and stored value from the facts; returns the number of stored values."""
    now = now or timezone.now()
    written = visit_tallies.rebuild() if indicators is None else 0  # everything: the visit figures store too
    for indicator in indicators if indicators is not None else Indicator.objects.all():
        with transaction.atomic():
            _lock(indicator)
            _write_leaf_rows(indicator)
            rows = [row for key, computed in computed_all(indicator).items()
                    for row in _value_rows(indicator, key, computed, now)]
            _write_values(indicator, rows)
            written += len(rows)
    return written


def _lock(indicator: Indicator) -> None:
    """One writer of an indicator's leaf rows and values at a time (the worker's refresh, a rebuild): a refresh
    applies differences to the values that the leaf rows it reads produced. (SQLite: every write transaction is
    serialised already.)"""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk", flat=True).first()


def _write_leaf_rows(indicator: Indicator) -> None:
    """Make the leaf table hold exactly the indicator's leaf rows, computed in the database (`contribution_sql`):
    INSERT … SELECT into an empty table; over stored rows (the nightly audit), through a temporary table
    compared in SQL (`_sync`)."""
    sql, params = contribution_sql(indicator)
    table = Contribution._meta.db_table
    names = ", ".join(f'"{name}"' for name in CONTRIBUTION_COLUMNS)
    with connection.cursor() as cursor:
        if not Contribution.objects.filter(indicator=indicator).exists():
            # In the order of the leaf table's index: a third faster to insert.
            cursor.execute(f'INSERT INTO "{table}" ({names}) {sql} ORDER BY 3, 4', params)
            return
        temp = "socmon_rebuilt_leaf_rows"
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} AS {sql}", params)
        _sync(cursor, Contribution, indicator, temp, CONTRIBUTION_COLUMNS, CONTRIBUTION_COLUMNS[1:])


def _write_values(indicator: Indicator, rows: list[tuple]) -> None:
    """Make the stored values of the indicator exactly `rows`: written straight into an empty table; over stored
    values (the nightly audit), copied into a temporary table and compared in SQL (`_sync`), so that unchanged
    values keep their `computed_at` and nothing stored is read into Python."""
    if not IndicatorValue.objects.filter(indicator=indicator).exists():
        insert_rows(IndicatorValue, VALUE_COLUMNS, rows)
        return
    temp = "socmon_rebuilt_values"
    names = ", ".join(f'"{name}"' for name in VALUE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f'CREATE TEMPORARY TABLE {temp} AS SELECT {names} FROM "{IndicatorValue._meta.db_table}" '
                       f"WHERE 1 = 0")
        insert_rows(IndicatorValue, VALUE_COLUMNS, rows, table=temp)
        _sync(cursor, IndicatorValue, indicator, temp, VALUE_COLUMNS,
              VALUE_COLUMNS[1:VALUE_COLUMNS.index("computed_at")])


# Stand-ins for NULL where rows are compared (an equality a hash join can use, unlike IS NOT DISTINCT FROM).
_NO_VALUE = {"client_id": -1, "category_id": -1, "denominator": -1, "newest": datetime.date(1, 1, 1),
             "newest_fact": datetime.date(1, 1, 1)}


def _sync(cursor, model, indicator: Indicator, temp: str, columns: list[str], compared: list[str]) -> None:
    """Make `model`'s table hold, for the indicator, exactly the rows of the temporary table `temp` (`columns`):
    delete the stored rows no row of `temp` equals in the `compared` columns, insert the rows of `temp` no stored
    row equals; then drop `temp`. A nightly audit changes almost nothing, and nothing is read into Python."""
    table = model._meta.db_table
    names = ", ".join(f'"{name}"' for name in columns)
    picked = ", ".join(f't."{name}"' for name in columns)
    match, params = [], []
    for name in compared:
        if name in _NO_VALUE:
            match.append(f'COALESCE(t."{name}", %s) = COALESCE("{table}"."{name}", %s)')
            params += [_NO_VALUE[name]] * 2
        else:
            match.append(f't."{name}" = "{table}"."{name}"')
    match = " AND ".join(match)
    if connection.vendor == "sqlite":  # its NOT EXISTS is a lookup per row: give it an index
        cursor.execute(f'CREATE INDEX {temp}_unit ON {temp} ("org_unit_id")')
    cursor.execute(f'DELETE FROM "{table}" WHERE "{table}"."indicator_id" = %s AND NOT EXISTS '
                   f"(SELECT 1 FROM {temp} t WHERE {match})", [indicator.pk, *params])
    cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {picked} FROM {temp} t '
                   f'WHERE NOT EXISTS (SELECT 1 FROM "{table}" WHERE "{table}"."indicator_id" = %s AND {match})',
                   [indicator.pk, *params])
    # Stored duplicates of a wanted row would survive the comparison: then the counts differ, and all is rewritten.
    cursor.execute(f'SELECT (SELECT COUNT(*) FROM "{table}" WHERE "indicator_id" = %s), (SELECT COUNT(*) FROM {temp})',
                   [indicator.pk])
    held, wanted = cursor.fetchone()
    if held != wanted:
        cursor.execute(f'DELETE FROM "{table}" WHERE "indicator_id" = %s', [indicator.pk])
        cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {picked} FROM {temp} t')
    cursor.execute(f"DROP TABLE {temp}")


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
    tree = list(OrgUnit.objects.values_list("pk", "path"))
    for indicator in Indicator.objects.all():
        cells = {(u, m) for source in sources_of(indicator) for u, m in touched.get(source, ())
                 if u in paths and _valid_month(indicator, m)}
        if cells:
            _refresh_indicator(indicator, cells, paths, tree, now)
    visit_tallies.refresh(touched.get(visit_tallies.SOURCE, ()))  # the visit reports' store, same marks
    StaleMark.objects.filter(pk__in=[pk for pk, *_rest in marks]).delete()
    return len(marks)


def _refresh_indicator(indicator: Indicator, cells: set[tuple[int, datetime.date]], paths: dict[int, str],
                       tree: list[tuple[int, str]], now: datetime.datetime) -> None:
    """Rewrite the leaf rows of the marked (unit, month) cells and apply what changed to the stored values of the
    units above them, for the month, quarter, half-year and year: a round costs what changed, not what exists.

    Counts and sums change by the difference of the rows. A distinct count changes only for the clients whose rows
    changed, and only where that changes whether they have any row in the subtree and period (a client arriving
    in a second department changes nothing above it): those clients' other rows are read (index on indicator,
    client and month) and their presence compared before and after. A value whose existence or newest fact a
    removed row may have taken with it is recomputed from the leaf table instead."""
    by_month: dict[datetime.date, set[int]] = defaultdict(set)
    for unit_id, month in cells:
        by_month[month].add(unit_id)
    # The facts are read before the write transaction: a fact saved meanwhile has a mark of its own, for the next
    # round. On SQLite the write lock is then held only while leaf rows and values are rewritten.
    wanted = [row for month, unit_ids in by_month.items()
              for row in contribution_rows(indicator, unit_ids=unit_ids, months=(month, month))]
    with transaction.atomic():
        _lock(indicator)
        held = _leaf_rows_of(indicator, by_month)
        removed, added = _difference(held, wanted)
        if not removed and not added:
            return
        change = _Change(indicator, members(indicator), dict(tree))
        change.rows(removed, -1)
        change.rows(added, +1)
        change.clients(removed, added)
        for start in range(0, len(removed), SUBTREE_IDS):  # bounded IN lists (SQLite caps query parameters)
            Contribution.objects.filter(pk__in=[pk for pk, _row in removed[start:start + SUBTREE_IDS]]).delete()
        insert_rows(Contribution, CONTRIBUTION_COLUMNS, added)
        change.write(tree, now)


LEAF_KEY = slice(1, len(CONTRIBUTION_COLUMNS))  # a leaf row without its indicator


def _leaf_rows_of(indicator: Indicator, by_month: dict[datetime.date, set[int]]) -> list[tuple[int, tuple]]:
    """(pk, row) of the stored leaf rows of the marked cells."""
    found = []
    for month, unit_ids in by_month.items():
        ids = sorted(unit_ids)
        for start in range(0, len(ids), SUBTREE_IDS):
            found += [(pk, tuple(row)) for pk, *row in Contribution.objects.filter(
                indicator=indicator, month=month, org_unit_id__in=ids[start:start + SUBTREE_IDS]).values_list(
                "pk", *CONTRIBUTION_COLUMNS)]
    return found


def _difference(held: list[tuple[int, tuple]], wanted: list[tuple]) -> tuple[list[tuple[int, tuple]], list[tuple]]:
    """The stored rows to remove (pk, row) and the rows to add, to go from `held` to `wanted`."""
    by_row: dict[tuple, list[int]] = defaultdict(list)
    for pk, row in held:
        by_row[row].append(pk)
    added = []
    for row in wanted:
        pks = by_row.get(row)
        if pks:
            pks.pop()
        else:
            added.append(row)
    return [(pk, row) for row, pks in by_row.items() for pk in pks], added


class _Change:
    """The differences a round makes to the stored values of one indicator: per (subtree path, period type,
    start), the change of the row count and of each aggregate column (laid out as `_aggregate_sql` does), and the
    newest fact of the rows added and removed."""

    def __init__(self, indicator: Indicator, cells: list[tuple[str, str]], paths: dict[int, str]):
        self.indicator, self.cells, self.paths = indicator, cells, paths  # paths: every unit's
        series = [Contribution.NUMERATOR] + ([Contribution.DENOMINATOR] if indicator.is_ratio else [])
        needs = _needs(indicator)
        width = 2 * (len(cells) + 1)
        self.width = len(series) * width
        # (series, cell) → the column of its distinct clients; its amounts are the next column.
        self.column = {(s, cell): i * width + 2 * j for i, s in enumerate(series)
                       for j, cell in enumerate([("", ""), *cells])}
        self.counts_clients = {s for s in series if needs[s][0]}
        self.deltas: dict[tuple[str, str, datetime.date], list[int]] = {}
        self.newest_added: dict[tuple, datetime.date] = {}
        self.newest_removed: dict[tuple, datetime.date] = {}
        self.rows_removed: set[tuple] = set()
        self.rows_added: set[tuple] = set()
        self._units: dict[int, list[str]] = {}
        self._key_cache: dict[tuple[int, datetime.date], list[tuple]] = {}

    def _subtrees(self, unit_id: int) -> list[str]:
        found = self._units.get(unit_id)
        if found is None:
            path, steplen = self.paths[unit_id], OrgUnit.steplen
            found = self._units[unit_id] = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
        return found

    def _cells_of(self, series: int, sex: str, age: str, category) -> list[int]:
        cells = (("", ""), ("sex", sex), ("age", age), ("category", "" if category is None else str(category)))
        return [column for column in (self.column.get((series, cell)) for cell in cells) if column is not None]

    def _keys(self, unit_id: int, month: datetime.date) -> list[tuple[str, str, datetime.date]]:
        """Every (subtree path, period type, start) a row of this unit and month counts in."""
        found = self._key_cache.get((unit_id, month))
        if found is None:
            found = self._key_cache[(unit_id, month)] = [
                (path, period.type, period.start) for path in self._subtrees(unit_id)
                for period in periods.all_containing(month)]
        return found

    def _delta(self, key) -> list[int]:
        found = self.deltas.get(key)
        if found is None:
            found = self.deltas[key] = [0] * self.width
        return found

    def rows(self, rows, sign: int) -> None:
        """Amounts, row counts and newest facts of rows removed (-1, given as (pk, row)) or added (+1)."""
        for row in rows:
            row = row[1] if sign < 0 else row
            _i, series, unit_id, month, _q, _h, _y, _client, sex, age, category, amount, newest = row
            columns = self._cells_of(series, sex, age, category)
            for key in self._keys(unit_id, month):
                (self.rows_added if sign > 0 else self.rows_removed).add(key)
                newest_of = self.newest_added if sign > 0 else self.newest_removed
                if newest is not None and (key not in newest_of or newest > newest_of[key]):
                    newest_of[key] = newest
                if amount:
                    delta = self._delta(key)
                    for column in columns:
                        delta[column + 1] += sign * amount

    def clients(self, removed, added) -> None:
        """The distinct counts: for each client with a row removed or added, where they are present (any row in
        the subtree, period and cell) before and after."""
        changed: dict[tuple[int, int], tuple[list, list]] = {}
        for _pk, row in removed:
            if row[7] is not None and row[1] in self.counts_clients:
                changed.setdefault((row[1], row[7]), ([], []))[0].append(row)
        for row in added:
            if row[7] is not None and row[1] in self.counts_clients:
                changed.setdefault((row[1], row[7]), ([], []))[1].append(row)
        if not changed:
            return
        before = self._rows_of_clients(changed)
        for (series, client), (gone, new) in changed.items():
            rows = before.get((series, client), [])
            remaining = list(rows)
            for row in gone:
                remaining.remove(_short(row))
            after = remaining + [_short(row) for row in new]
            was, now = self._presence(series, rows), self._presence(series, after)
            for key, column in was - now:
                self._delta(key)[column] -= 1
            for key, column in now - was:
                self._delta(key)[column] += 1

    def _rows_of_clients(self, changed) -> dict[tuple[int, int], list[tuple]]:
        """The stored leaf rows (before this round's writes) of the changed clients in the years changed."""
        years = {row[6] for gone, new in changed.values() for row in [*gone, *new]}
        first, last = min(years), periods.add_months(max(years), 11)
        clients = sorted({client for _series, client in changed})
        found: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        for start in range(0, len(clients), SUBTREE_IDS):
            for series, client, *row in Contribution.objects.filter(
                    indicator=self.indicator, client_id__in=clients[start:start + SUBTREE_IDS],
                    month__gte=first, month__lte=last).values_list(
                    "series", "client_id", "org_unit_id", "month", "sex", "age", "category_id"):
                if (series, client) in changed and row[1].replace(month=1, day=1) in years:
                    found[(series, client)].append(tuple(row))
        return found

    def _presence(self, series: int, rows: list[tuple]) -> set[tuple]:
        return {(key, column) for unit_id, month, sex, age, category in rows
                for column in self._cells_of(series, sex, age, category) for key in self._keys(unit_id, month)}

    def write(self, tree: list[tuple[int, str]], now: datetime.datetime) -> None:
        """Apply the differences to the stored values of every subtree and period a changed row is in."""
        keys = self.rows_added | self.rows_removed
        ids = {path: pk for pk, path in tree}
        stored = self._stored(keys, ids)
        rewrite: dict[tuple, Computed] = {}
        unsure: dict[tuple[str, datetime.date], set[str]] = defaultdict(set)
        for key in keys:
            before = stored.get(key)
            if not self._sure(key, before):
                unsure[key[1:]].add(key[0])
                continue
            after = self._applied(key, before)
            if after != (before and before[:2]):
                rewrite[key] = after and Computed(*after)
        for (period_type, start), subtrees in unsure.items():
            found = computed_many(self.indicator, periods.Period(period_type, start), subtrees, self.cells, tree)
            for path in subtrees:
                rewrite[(path, period_type, start)] = found.get(path)
        gone, rows = [], []
        dated: dict[datetime.date | None, list[int]] = defaultdict(list)  # newest fact → cells only it changes for
        for key, computed in rewrite.items():
            cells, newest, pks = stored.get(key) or ({}, None, {})
            if computed is None:
                gone += pks.values()
                continue
            # Cells whose numbers changed are rewritten; the others only take the new newest fact.
            gone += [pk for cell, pk in pks.items() if computed.cells.get(cell) != cells[cell]]
            if newest != computed.newest_fact:
                dated[computed.newest_fact] += [pk for cell, pk in pks.items()
                                                if computed.cells.get(cell) == cells[cell]]
            changed = {cell: numbers for cell, numbers in computed.cells.items() if cells.get(cell) != numbers}
            if changed:
                path, period_type, start = key
                rows += _value_rows(self.indicator, (ids[path], period_type, start),
                                    Computed(changed, computed.newest_fact), now)
        for start in range(0, len(gone), SUBTREE_IDS):
            IndicatorValue.objects.filter(pk__in=gone[start:start + SUBTREE_IDS]).delete()
        for newest, pks in dated.items():
            for start in range(0, len(pks), SUBTREE_IDS):
                IndicatorValue.objects.filter(pk__in=pks[start:start + SUBTREE_IDS]).update(newest_fact=newest,
                                                                                           computed_at=now)
        insert_rows(IndicatorValue, VALUE_COLUMNS, rows)

    def _sure(self, key, before) -> bool:
        """Whether the differences alone give the value. Not when rows were removed and none added (is any row
        left? the value may be gone), nor when a removed row may have held the newest fact."""
        if key not in self.rows_removed:
            return True
        if key not in self.rows_added:
            return False
        removed = self.newest_removed.get(key)
        if removed is None or (before and before[1] is not None and removed < before[1]):
            return True
        added = self.newest_added.get(key)
        return added is not None and added >= removed

    def _applied(self, key, before) -> tuple[dict, datetime.date | None] | None:
        """(cells, newest fact) after the differences; None when the subtree has no rows for the period."""
        if before is None and key not in self.rows_added:
            return None
        cells, newest = (dict(before[0]), before[1]) if before else ({}, None)
        added = self.newest_added.get(key)
        if added is not None and (newest is None or added > newest):
            newest = added
        delta = self.deltas.get(key) or [0] * self.width
        ratio = self.indicator.is_ratio
        for cell in [("", ""), *self.cells]:
            numerator, denominator = cells.get(cell, (0, 0 if ratio else None))
            column = self.column[(Contribution.NUMERATOR, cell)]
            numerator += delta[column] + delta[column + 1]
            if ratio:
                column = self.column[(Contribution.DENOMINATOR, cell)]
                denominator += delta[column] + delta[column + 1]
            if cell == ("", "") or numerator or denominator:  # as `_cells`: a member with nothing is not stored
                cells[cell] = (numerator, denominator)
            else:
                cells.pop(cell, None)
        return cells, newest

    def _stored(self, keys, ids: dict[str, int]) -> dict[tuple, tuple[dict, datetime.date | None, dict]]:
        """(cells, newest fact, pk of each cell) of the stored values of these (path, period type, start)."""
        paths = {pk: path for path, pk in ids.items()}
        by_period: dict[tuple[str, datetime.date], list[int]] = defaultdict(list)
        for path, period_type, start in keys:
            if path in ids:
                by_period[(period_type, start)].append(ids[path])
        found: dict[tuple, tuple[dict, datetime.date | None, dict]] = {}
        columns = ["pk", "org_unit_id", "dimension", "member", "numerator", "denominator", "newest_fact"]
        for (period_type, start), units in by_period.items():
            units.sort()
            for begin in range(0, len(units), SUBTREE_IDS):
                chunk = IndicatorValue.objects.filter(indicator=self.indicator, period_type=period_type,
                                                      period_start=start,
                                                      org_unit_id__in=units[begin:begin + SUBTREE_IDS])
                for pk, unit_id, dimension, member, numerator, denominator, newest in chunk.values_list(*columns):
                    key = (paths[unit_id], period_type, start)
                    entry = found.setdefault(key, ({}, None, {}))
                    entry[0][(dimension, member)] = (numerator, denominator)
                    entry[2][(dimension, member)] = pk
                    if not dimension:
                        found[key] = (entry[0], newest, entry[2])
        return found


def _short(row: tuple) -> tuple:
    """(unit, month, sex, age, category) of a leaf row in `CONTRIBUTION_COLUMNS` order."""
    return row[2], row[3], row[8], row[9], row[10]


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
