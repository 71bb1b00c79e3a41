"""The indicator engine: facts → leaf table (`Contribution`) → stored values (`IndicatorValue`).

Two ways in, one arithmetic:
- `refresh()` (the worker, every second or so): reads the stale marks saves wrote, recomputes the leaf rows of
  each marked (unit, month) for every indicator reading that source, then the stored values of every ancestor
  of the unit for the month, quarter, half-year and year containing it; deletes the marks it read (a mark
  written meanwhile stays for the next round).
- `rebuild()` (for audit, and nightly): recomputes everything from the facts with one GROUP BY per tree depth
  and period type.
Both aggregate leaf rows with `_grouped()` (a GROUP BY for the totals and one per dimension), so they agree
exactly (a property test checks it after random sequences of facts, corrections and deletions).

Distinct clients are COUNT(DISTINCT client_id) over the leaf rows of a subtree and period, so a client in two
departments counts once for the institution and a client in January and March once for the quarter.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Sum
from django.db.models.functions import Substr, TruncMonth
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
SUBTREE_IDS = 900  # at most this many unit ids in an IN list (SQLite caps query parameters); else all

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


CONTRIBUTION_COLUMNS = ["indicator_id", "series", "org_unit_id", "month", "quarter", "half", "year", "client_id",
                        "sex", "age", "category_id", "amount", "newest"]


def contribution_rows(indicator: Indicator, *, unit_ids=None, months=None) -> list[tuple]:
    """The indicator's leaf rows for the given units and months (all when None), within its validity, as tuples
    in `CONTRIBUTION_COLUMNS` order."""
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
    rows = []
    for (series, unit, month, client, sex, age, category), (amount, newest) in merged.items():
        starts = periods.leaf_columns(month)
        rows.append((indicator.pk, series, unit, starts["month"], starts["quarter"], starts["half"], starts["year"],
                     client, sex, age, category, amount, newest))
    return rows


def contributions(indicator: Indicator, *, unit_ids=None, months=None) -> list[Contribution]:
    """The same leaf rows as model instances."""
    return [Contribution(**dict(zip(CONTRIBUTION_COLUMNS, row, strict=True)))
            for row in contribution_rows(indicator, unit_ids=unit_ids, months=months)]


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Write rows straight into a model's table: COPY on PostgreSQL, one prepared INSERT for many rows elsewhere.
    The leaf and value tables take hundreds of thousands of rows in a rebuild, where building model instances
    for `bulk_create` costs several times what the database does."""
    if not rows:
        return
    table = model._meta.db_table
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

def _needs(indicator: Indicator) -> dict[int, tuple[bool, bool]]:
    """Per series, whether its leaf rows need COUNT(DISTINCT client_id) and whether they need SUM(amount). Rows of
    a distinct-clients spec have amount 0 and the others no client, so the aggregate a series does not need is 0."""
    found = {}
    for series, name in ((Contribution.NUMERATOR, "numerator"), (Contribution.DENOMINATOR, "denominator")):
        specs = indicator.spec.get(name) or []
        if series == Contribution.DENOMINATOR and not indicator.is_ratio:
            continue
        found[series] = (any(spec.get("measure") == DISTINCT_CLIENTS for spec in specs),
                         any(spec.get("measure", COUNT) != DISTINCT_CLIENTS for spec in specs))
    return found


@dataclass
class Computed:
    cells: dict[tuple[str, str], tuple]   # (dimension, member) → (numerator, denominator); ("", "") the total
    newest_fact: datetime.date | None


def _grouped(indicator: Indicator, rows, group: dict, cells: list[tuple[str, str]]) -> dict[tuple, Computed]:
    """The values of each group of leaf rows (`group`: name → expression); groups without any row are left out.

    One GROUP BY for the totals and one per disaggregation dimension, each with a single COUNT(DISTINCT client_id)
    and SUM(amount) per series and member: the database sorts each group's rows once per dimension. (A filtered
    COUNT(DISTINCT) per member and series in one query sorted them once per cell, some 20 to 60 times.)"""
    keys = list(group)
    needs = _needs(indicator).values()
    measures = {}
    if any(clients for clients, _amount in needs):
        measures["_clients"] = Count("client_id", distinct=True)
    if any(amount for _clients, amount in needs):
        measures["_amount"] = Sum("amount")

    def value(row) -> int:
        return int(row.get("_clients") or 0) + int(row.get("_amount") or 0)

    found: dict[tuple, dict] = {}
    totals = rows.values(**group, _series=F("series")).annotate(_rows=Count("pk"), _newest=Max("newest"), **measures)
    for row in totals.order_by():
        entry = found.setdefault(tuple(row[k] for k in keys), {"rows": 0, "newest": None, "cells": {}})
        entry["rows"] += row["_rows"]
        if row["_newest"] and (entry["newest"] is None or row["_newest"] > entry["newest"]):
            entry["newest"] = row["_newest"]
        entry["cells"].setdefault(("", ""), [0, 0])[row["_series"]] += value(row)
    wanted = set(cells)
    for dimension in sorted({dimension for dimension, _member in cells}):
        by_member = rows.values(**group, _series=F("series"), _member=F(DIMENSION_FIELDS[dimension]))
        for row in by_member.annotate(**measures).order_by():
            cell = (dimension, "" if row["_member"] is None else str(row["_member"]))
            entry = found.get(tuple(row[k] for k in keys))
            if entry is not None and cell in wanted:  # facts without a client have no sex, age or category
                entry["cells"].setdefault(cell, [0, 0])[row["_series"]] += value(row)
    computed = {}
    for key, entry in found.items():
        if not entry["rows"]:
            continue
        values = {}
        for cell, (numerator, denominator) in entry["cells"].items():
            denominator = denominator if indicator.is_ratio else None
            if cell == ("", "") or numerator or denominator:  # a member without anything is a zero, not stored
                values[cell] = (numerator, denominator)
        computed[key] = Computed(values, entry["newest"])
    return computed


def computed_for(indicator: Indicator, unit: OrgUnit, period: periods.Period,
                 cells: list[tuple[str, str]] | None = None) -> Computed:
    """One unit's (subtree's) values for one period, from the leaf table (no cells when it has no data at all)."""
    return computed_many(indicator, period, {unit.path}, cells).get(unit.path, Computed({}, None))


def computed_many(indicator: Indicator, period: periods.Period, unit_paths: set[str],
                  cells: list[tuple[str, str]] | None = None, tree: list[tuple[int, str]] | None = None
                  ) -> dict[str, Computed]:
    """Several units' (subtrees') values for one period (path → values; units without data left out), grouped by
    tree depth rather than one query per unit. `tree`: every unit's (id, path), when the caller has it."""
    cells = members(indicator) if cells is None else cells
    steplen = OrgUnit.steplen
    by_depth: dict[int, set[str]] = defaultdict(set)
    for path in unit_paths:
        by_depth[len(path) // steplen].add(path)
    found: dict[str, Computed] = {}
    for level, wanted in by_depth.items():
        rows = Contribution.objects.filter(indicator=indicator, org_unit__depth__gte=level,
                                           **{periods.COLUMN[period.type]: period.start})
        if level > 1:
            # Only the subtrees asked for (every unit under them: their rows count, marked or not).
            if tree is None:
                tree = list(OrgUnit.objects.values_list("pk", "path"))
            unit_ids = [pk for pk, path in tree if path[:level * steplen] in wanted]
            if len(unit_ids) <= SUBTREE_IDS:
                rows = rows.filter(org_unit_id__in=unit_ids)
        group = {"_ancestor": Substr("org_unit__path", 1, level * steplen)}
        for (ancestor,), computed in _grouped(indicator, rows, group, cells).items():
            if ancestor in wanted:
                found[ancestor] = computed
    return found


def computed_all(indicator: Indicator) -> dict[Key, Computed]:
    """Every unit's values for every period, grouped by tree depth and period type."""
    cells = members(indicator)
    steplen = OrgUnit.steplen
    ids = dict(OrgUnit.objects.values_list("path", "pk"))
    depth = OrgUnit.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
    found: dict[Key, Computed] = {}
    for level in range(1, depth + 1):
        rows = Contribution.objects.filter(indicator=indicator, org_unit__depth__gte=level)
        for period_type in periods.TYPES:
            group = {"_ancestor": Substr("org_unit__path", 1, level * steplen),
                     "_start": F(periods.COLUMN[period_type])}
            for (ancestor, start), computed in _grouped(indicator, rows, group, cells).items():
                found[(ids[ancestor], period_type, start)] = computed
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
    written = 0
    for indicator in indicators if indicators is not None else Indicator.objects.all():
        with transaction.atomic():
            Contribution.objects.filter(indicator=indicator).delete()
            insert_rows(Contribution, CONTRIBUTION_COLUMNS, contribution_rows(indicator))
            IndicatorValue.objects.filter(indicator=indicator).delete()
            rows = [row for key, computed in computed_all(indicator).items()
                    for row in _value_rows(indicator, key, computed, now)]
            insert_rows(IndicatorValue, VALUE_COLUMNS, rows)
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
    tree = list(OrgUnit.objects.values_list("pk", "path"))
    for indicator in Indicator.objects.all():
        cells = {(u, m) for source in sources_of(indicator) for u, m in touched.get(source, ())
                 if u in paths and _valid_month(indicator, m)}
        if cells:
            _refresh_indicator(indicator, cells, paths, tree, now)
    StaleMark.objects.filter(pk__in=[pk for pk, *_rest in marks]).delete()
    return len(marks)


def _refresh_indicator(indicator: Indicator, cells: set[tuple[int, datetime.date]], paths: dict[int, str],
                       tree: list[tuple[int, str]], now: datetime.datetime) -> None:
    by_month: dict[datetime.date, set[int]] = defaultdict(set)
    for unit_id, month in cells:
        by_month[month].add(unit_id)
    # (period type, start) → the paths of every unit whose value for that period changes: each marked unit and
    # its ancestors, for the month, quarter, half-year and year containing the month.
    touched: dict[tuple[str, datetime.date], set[str]] = defaultdict(set)
    steplen = OrgUnit.steplen
    for month, unit_ids in by_month.items():
        for unit_id in unit_ids:
            path = paths[unit_id]
            for period in periods.all_containing(month):
                touched[(period.type, period.start)].update(path[:end] for end in range(steplen, len(path) + 1,
                                                                                        steplen))
    ancestors = dict(OrgUnit.objects.filter(path__in=set().union(*touched.values())).values_list("path", "pk"))
    cell_names = members(indicator)
    # The facts are read before the write transaction: a fact saved meanwhile has a mark of its own, for the next
    # round. On SQLite the write lock is then held only while the leaf rows and the values are rewritten.
    leaves = {month: contribution_rows(indicator, unit_ids=unit_ids, months=(month, month))
              for month, unit_ids in by_month.items()}
    with transaction.atomic():
        for month, unit_ids in by_month.items():
            Contribution.objects.filter(indicator=indicator, org_unit_id__in=unit_ids, month=month).delete()
            insert_rows(Contribution, CONTRIBUTION_COLUMNS, leaves[month])
        rows = []
        for (period_type, start), unit_paths in touched.items():
            wanted = {path: ancestors[path] for path in unit_paths if path in ancestors}
            IndicatorValue.objects.filter(indicator=indicator, org_unit_id__in=list(wanted.values()),
                                          period_type=period_type, period_start=start).delete()
            period = periods.Period(period_type, start)
            for path, computed in computed_many(indicator, period, set(wanted), cell_names, tree).items():
                rows += _value_rows(indicator, (wanted[path], period_type, start), computed, now)
        insert_rows(IndicatorValue, VALUE_COLUMNS, rows)


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
