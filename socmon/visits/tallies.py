"""The visit figures store: additive day and month figures the visit reports read (issue 10).

Per (unit, worker, day | month) an *own* row (`VisitTally`, `ServiceTally`): the unit's visits of that worker by
stored status, their ratings by score and their services (times, minutes), each by the visit's planned day and
unit. Per (unit, day | month) a *total* row (no worker): the unit's own rows plus its children's totals, so a
report of any unit reads a few dozen rows whatever the size of its subtree. Every figure is a count or a sum,
never a distinct count, so totals are sums and a month is the sum of its days.

Kept current from the indicator engine's stale marks (a save of a visit, service or rating marks
("visits", unit, month) in its own transaction, old and new place): `refresh(cells)` recomputes the marked
units' own rows for the month from their visits, then the totals of each unit and ancestor for that month,
deepest first; `rebuild()` recomputes everything; `differences()` compares the two. Both write through the same
two functions (`_write_own`, `_write_totals`), so they agree by construction and a test proves it.

Reading (`stored_figures`) turns stored statuses into what each visit is at `now` with the one rule
(`effective_status_rules`): on days before today a stored "planned" counts as missed; after today as stored;
today's stored "planned" visits are left out of the stored row and read fresh (one indexed query), split into
planned and late. A range is cut at today and each side into whole months (month rows) and the days of partial
months (day rows).
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Min, Q, Sum, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from socmon.orgs.models import OrgUnit

from .models import EffectiveStatus, Grain, Rating, ServiceDelivery, ServiceTally, Visit, VisitTally

STORED = [Visit.Status.PLANNED, Visit.Status.IN_PROGRESS, Visit.Status.DONE, Visit.Status.MISSED,
          Visit.Status.CANCELLED]
SCORE_COLUMNS = [f"score_{s}" for s in range(1, 11)]
COLUMNS = [str(s) for s in STORED] + SCORE_COLUMNS
SOURCE = "visits"  # the stale marks' source (socmon.indicators.facts)
BEFORE, TODAY, AFTER = 0, 1, 2
Key = tuple  # (unit id, worker id | None, grain, start)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# --- own rows: from the visits ------------------------------------------------------------------------------

def _own(month: datetime.date, unit_ids) -> tuple[dict[Key, dict], dict[tuple, list[int]]]:
    """The own rows of `unit_ids` (None: every unit) for `month`: day rows and the month row, three GROUP BYs."""
    span = (month, month_end(month))
    visits = Visit.objects.filter(planned_for__range=span)
    services = ServiceDelivery.objects.filter(visit__planned_for__range=span)
    ratings = Rating.objects.filter(visit__planned_for__range=span)
    if unit_ids is not None:
        visits = visits.filter(org_unit_id__in=unit_ids)
        services = services.filter(visit__org_unit_id__in=unit_ids)
        ratings = ratings.filter(visit__org_unit_id__in=unit_ids)
    figures: dict[Key, dict] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for unit, worker, day, status, n in visits.values("org_unit_id", "worker_id", "planned_for", "status").annotate(
            n=Count("pk")).values_list("org_unit_id", "worker_id", "planned_for", "status", "n").order_by():
        for key in ((unit, worker, Grain.DAY, day), (unit, worker, Grain.MONTH, month)):
            figures[key][status] += n
    for unit, worker, day, score, n in ratings.values("visit__org_unit_id", "visit__worker_id", "visit__planned_for",
                                                      "score").annotate(n=Count("pk")).values_list(
            "visit__org_unit_id", "visit__worker_id", "visit__planned_for", "score", "n").order_by():
        for key in ((unit, worker, Grain.DAY, day), (unit, worker, Grain.MONTH, month)):
            figures[key][f"score_{score}"] += n
    kinds: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for unit, worker, day, service, n, minutes in services.values(
            "visit__org_unit_id", "visit__worker_id", "visit__planned_for", "service_id").annotate(
            n=Count("pk"), minutes=Sum("minutes")).values_list(
            "visit__org_unit_id", "visit__worker_id", "visit__planned_for", "service_id", "n", "minutes").order_by():
        for key in ((unit, worker, Grain.DAY, day, service), (unit, worker, Grain.MONTH, month, service)):
            kinds[key][0] += n
            kinds[key][1] += minutes
    return figures, kinds


def _write_own(month: datetime.date, unit_ids) -> None:
    figures, kinds = _own(month, unit_ids)
    span = (month, month_end(month))
    old = VisitTally.objects.filter(worker__isnull=False, start__range=span)
    old_kinds = ServiceTally.objects.filter(worker__isnull=False, start__range=span)
    if unit_ids is not None:
        old, old_kinds = old.filter(org_unit_id__in=unit_ids), old_kinds.filter(org_unit_id__in=unit_ids)
    old.delete()
    old_kinds.delete()
    _insert(figures, kinds)


def _insert(figures: dict[Key, dict], kinds: dict[tuple, list[int]]) -> None:
    """Plain INSERTs: a rebuild writes some 10⁵ rows, and model instances cost more than the writing."""
    _execute(VisitTally, ["org_unit_id", "worker_id", "grain", "start", *COLUMNS],
             [(*key, *(row[c] for c in COLUMNS)) for key, row in figures.items() if any(row.values())])
    _execute(ServiceTally, ["org_unit_id", "worker_id", "grain", "start", "service_id", "count", "minutes"],
             [(*key, n, m) for key, (n, m) in kinds.items() if n])


def _execute(model, columns: list[str], rows: list[tuple]) -> None:
    """One statement for every row (`executemany`: psycopg pipelines it, SQLite steps it): no model instances."""
    if not rows:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
                           f"VALUES ({', '.join(['%s'] * len(columns))})", rows)


# --- total rows: own rows of a depth plus the totals of the next ---------------------------------------------

def _write_totals(month: datetime.date, depth: int, units: dict[str, int], children: Iterable[int] | None) -> None:
    """The total rows for `month` of the units `units` (path → id) at `depth`: their own rows plus the totals of
    their children (`children`: those children's ids; None with every unit of the depth), one GROUP BY per table
    by the ancestor's path."""
    span = (month, month_end(month))
    length = depth * OrgUnit.steplen
    rows = Q(worker__isnull=False, org_unit__depth=depth) | Q(worker=None, org_unit__depth=depth + 1)
    visits = VisitTally.objects.filter(rows, start__range=span)
    kinds = ServiceTally.objects.filter(rows, start__range=span)
    if children is not None:
        ids = [*units.values(), *children]
        visits, kinds = visits.filter(org_unit_id__in=ids), kinds.filter(org_unit_id__in=ids)
    old = Q(worker=None, start__range=span) & (Q(org_unit_id__in=list(units.values())) if children is not None
                                               else Q(org_unit__depth=depth))
    VisitTally.objects.filter(old).delete()
    ServiceTally.objects.filter(old).delete()
    grouped = visits.annotate(at=Substr("org_unit__path", 1, length)).values("at", "grain", "start")
    _insert_totals(VisitTally, grouped.annotate(**{c: Sum(c) for c in COLUMNS}).order_by(),
                   {"grain": "grain", "start": "start", **{c: c for c in COLUMNS}})
    grouped = kinds.annotate(at=Substr("org_unit__path", 1, length)).values("at", "grain", "start", "service_id")
    _insert_totals(ServiceTally, grouped.annotate(n=Sum("count"), m=Sum("minutes")).order_by(),
                   {"grain": "grain", "start": "start", "service_id": "service_id", "count": "n", "minutes": "m"})


def _insert_totals(model, grouped, columns: dict[str, str]) -> None:
    """INSERT … SELECT: the grouped rows (by the ancestor's path, `at`) become the ancestors' total rows in the
    database, without travelling through Python (column ← the grouped query's column)."""
    quote = connection.ops.quote_name
    sql, params = grouped.query.sql_with_params()
    target = ", ".join(quote(c) for c in ["org_unit_id", "worker_id", *columns])
    source = ", ".join(f"g.{quote(c)}" for c in columns.values())
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({target}) SELECT o.{quote('id')}, NULL, {source} "
                       f"FROM ({sql}) g JOIN {quote(OrgUnit._meta.db_table)} o ON o.{quote('path')} = g.{quote('at')}",
                       params)


# --- the two ways in -----------------------------------------------------------------------------------------

def refresh(cells: Iterable[tuple[int, datetime.date]]) -> None:
    """Bring the store up to date for the (unit id, month) cells marked with the source "visits" (the indicator
    worker calls this with the cells of its round; it deletes the marks afterwards)."""
    by_month: dict[datetime.date, set[int]] = defaultdict(set)
    for unit_id, month in cells:
        by_month[month].add(unit_id)
    if not by_month:
        return
    tree = list(OrgUnit.objects.values_list("pk", "path", "depth"))
    paths = {pk: path for pk, path, _d in tree}
    ids = {path: pk for pk, path, _d in tree}
    with transaction.atomic():
        for month, unit_ids in by_month.items():
            known = [u for u in unit_ids if u in paths]  # a mark may outlive its unit
            _write_own(month, known)
            touched = {paths[u][:end] for u in known for end in range(OrgUnit.steplen, len(paths[u]) + 1,
                                                                      OrgUnit.steplen)}
            for depth in sorted({len(p) // OrgUnit.steplen for p in touched}, reverse=True):
                units = {p: ids[p] for p in touched if len(p) == depth * OrgUnit.steplen}
                children = [pk for pk, path, d in tree if d == depth + 1 and path[:-OrgUnit.steplen] in units]
                _write_totals(month, depth, units, children)


def rebuild() -> int:
    """Recompute the whole store from the visits, month by month; returns the number of rows written."""
    depths = sorted(set(OrgUnit.objects.values_list("depth", flat=True)), reverse=True)
    ids = dict(OrgUnit.objects.values_list("path", "pk"))
    with transaction.atomic():
        VisitTally.objects.all().delete()
        ServiceTally.objects.all().delete()
        for month in Visit.objects.dates("planned_for", "month"):
            _write_own(month, None)
            for depth in depths:
                _write_totals(month, depth, {p: pk for p, pk in ids.items()
                                             if len(p) == depth * OrgUnit.steplen}, None)
    return VisitTally.objects.count() + ServiceTally.objects.count()


def _snapshot() -> dict:
    visits = {(r.pop("org_unit_id"), r.pop("worker_id"), r.pop("grain"), r.pop("start")): r
              for r in VisitTally.objects.values("org_unit_id", "worker_id", "grain", "start", *COLUMNS)}
    services = {("service", *r[:5]): r[5:] for r in ServiceTally.objects.values_list(
        "org_unit_id", "worker_id", "grain", "start", "service_id", "count", "minutes")}
    return {**visits, **services}


class _RolledBack(Exception):
    pass


def differences(*, limit: int = 20) -> list[str]:
    """Where the store differs from a full rebuild (empty when they agree exactly); the rebuild is rolled back."""
    before = _snapshot()
    try:
        with transaction.atomic():
            rebuild()
            after = _snapshot()
            raise _RolledBack
    except _RolledBack:
        pass
    found = [f"visit figures {key}: stored {before.get(key)} ≠ rebuilt {after.get(key)}"
             for key in sorted(set(before) | set(after), key=str) if before.get(key) != after.get(key)]
    return found[:limit]


# --- reading ---------------------------------------------------------------------------------------------------

def pieces(date_from: datetime.date, date_to: datetime.date, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """(grain, start) of the rows that make up the range: cut at today, each side into whole months and days."""
    found = []
    one = datetime.timedelta(days=1)
    for start, end in ((date_from, min(date_to, today - one)), (max(date_from, today), min(date_to, today)),
                       (max(date_from, today + one), date_to)):
        day = start
        while day <= end:
            last = month_end(day)
            if day.day == 1 and last <= end:
                found.append((Grain.MONTH, day))
                day = last + one
            else:
                found.append((Grain.DAY, day))
                day += one
    return found


def _pieces_q(date_from, date_to, today) -> Q:
    wanted = pieces(date_from, date_to, today)
    months = [s for g, s in wanted if g == Grain.MONTH]
    days = [s for g, s in wanted if g == Grain.DAY]
    return Q(grain=Grain.MONTH, start__in=months) | Q(grain=Grain.DAY, start__in=days)


def _phase(today: datetime.date) -> Case:
    return Case(When(start__lt=today, then=Value(BEFORE)), When(start=today, then=Value(TODAY)),
                default=Value(AFTER), output_field=IntegerField())


def _empty() -> tuple[dict, dict, dict]:
    return {s: 0 for s in EffectiveStatus.values}, dict.fromkeys(range(1, 11), 0), {}


def stored_figures(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date, now: datetime.datetime,
                   by: str | None, worker=None) -> dict:
    """The report's figures from the store: {key: (statuses by effective status, {score: n}, {service id:
    [count, minutes]})}, per worker id (`by="worker"`, or one `worker`), per unit path of the subtree, each unit's
    own visits (`by="unit"`, for protected reports), per child unit path (`by="child"`: each child's totals, and
    under the unit's own path the visits recorded at the unit itself), or as one group (None). Three queries at
    most (tallies, services, today's planned visits); for one group they read a few dozen rows whatever the
    subtree's size, per child a few dozen per child."""
    today = timezone.localdate(now)
    by = "worker" if worker is not None else by
    # The subtree as a list of ids (a subquery): the rows are then read off their unique index, unit by unit.
    subtree = OrgUnit.objects.filter(unit.subtree_q()).values("pk")
    near = OrgUnit.objects.filter(Q(pk=unit.pk) | Q(path__startswith=unit.path, depth=unit.depth + 1)).values("pk")
    scope = {"worker": Q(org_unit_id__in=subtree, worker__isnull=False),
             "unit": Q(org_unit_id__in=subtree, worker=None),
             "child": Q(org_unit_id__in=near, worker=None)}.get(by, Q(org_unit=unit, worker=None))
    if worker is not None:
        scope &= Q(worker=worker)
    field = {"worker": "worker_id", "unit": "org_unit__path", "child": "org_unit__path"}.get(by)
    key = [field] if field else []
    wanted = _pieces_q(date_from, date_to, today)
    groups: dict = {}
    rows = VisitTally.objects.filter(scope, wanted).annotate(phase=_phase(today)).values(*key, "phase")
    for row in rows.annotate(**{c: Sum(c) for c in COLUMNS}).order_by():
        statuses, scores, _kinds = groups.setdefault(row.get(field), _empty())
        for status in STORED:
            statuses[status] += row[status]
        if row["phase"] == BEFORE:  # a day that has passed: still planned means missed
            statuses[EffectiveStatus.MISSED] += row[Visit.Status.PLANNED]
            statuses[EffectiveStatus.PLANNED] -= row[Visit.Status.PLANNED]
        elif row["phase"] == TODAY:  # read fresh below
            statuses[EffectiveStatus.PLANNED] -= row[Visit.Status.PLANNED]
        for score in range(1, 11):
            scores[score] += row[f"score_{score}"]
    services = ServiceTally.objects.filter(scope, wanted).values(*key, "service_id")
    for row in services.annotate(n=Sum("count"), m=Sum("minutes")).order_by():
        entry = groups.setdefault(row.get(field), _empty())[2].setdefault(row["service_id"], [0, 0])
        entry[0] += row["n"]
        entry[1] += row["m"]
    if by in ("unit", "child"):
        groups = _own_of(groups)
    if date_from <= today <= date_to:
        planned = Visit.objects.filter(unit.subtree_q("org_unit__"), planned_for=today, status=Visit.Status.PLANNED)
        if worker is not None:
            planned = planned.filter(worker=worker)
        planned = planned.with_effective_status(now)
        if by == "child":  # a visit of a grandchild falls under its child; one of the unit itself under the unit
            planned = planned.annotate(child=Substr("org_unit__path", 1, len(unit.path) + OrgUnit.steplen))
            field, key = "child", ["child"]
        for row in planned.values(*key, "effective_status").annotate(n=Count("pk")).order_by():
            groups.setdefault(row.get(field), _empty())[0][row["effective_status"]] += row["n"]
    return groups


def _own_of(totals: dict[str, tuple]) -> dict[str, tuple]:
    """Each unit's own figures from the totals of the units (by path): its total less its children's, among those
    read. Over a whole tree that is every unit's own figures; over a unit and its children, the unit's own and
    each child's total (no grandchild is read). Reading totals (one row per unit and piece) rather than own rows
    (one per unit, worker and piece) reads ~10× less."""
    own = {}
    for path, (statuses, scores, kinds) in totals.items():
        statuses, scores = dict(statuses), dict(scores)
        kinds = {pk: list(entry) for pk, entry in kinds.items()}
        own[path] = (statuses, scores, kinds)
    for path, (statuses, scores, kinds) in totals.items():
        if len(path) > OrgUnit.steplen and (parent := own.get(path[:-OrgUnit.steplen])) is not None:
            for status, n in statuses.items():
                parent[0][status] -= n
            for score, n in scores.items():
                parent[1][score] -= n
            for pk, (n, m) in kinds.items():
                parent[2][pk][0] -= n
                parent[2][pk][1] -= m
    return {path: (statuses, scores, {pk: e for pk, e in kinds.items() if e[0]})
            for path, (statuses, scores, kinds) in own.items()}


def as_of(*, unit: OrgUnit, date_from: datetime.date, date_to: datetime.date) -> datetime.datetime | None:
    """When the stored figures of this report were last known complete: the moment of the oldest save of the
    unit's subtree and period still waiting for the worker (None: nothing is waiting, the figures are current)."""
    from socmon.indicators.models import StaleMark

    return StaleMark.objects.filter(
        source=SOURCE, month__range=(date_from.replace(day=1), date_to),
        org_unit_id__in=OrgUnit.objects.filter(unit.subtree_q()).values("pk")).aggregate(at=Min("marked_at"))["at"]
