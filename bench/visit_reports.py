"""The visit reports and the head's live view at national scale (issue 10): full page requests through Django's test
client against the synthetic world (bench/world.py) of BENCH_SCALE clients and one of a tenth of it.

Goals: server p95 ≤ 150 ms with ≤ 12 queries, and ≤ 1.3× the p95 at a tenth of the data, for the report (last
30 days, the form's default) of a department (its head), an institution (its director), a region (its
specialist) and the country (the analyst), and the head's live view. The region's and the country's reports
list their child units (named reports above an institution do), the department's and the institution's their
workers, so no report grows with the number of workers in it. The reports read the visit figures store
(`socmon.visits.tallies`), which the bench fills with a full rebuild (timed) when it is empty.
`BENCH_ONLY=visit_reports python -m bench`.
"""

import os
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import setup_test_environment
from django.urls import reverse
from django.utils import timezone

from bench.lists import bench_database, ensure_world, p95
from bench.world import World, analyze
from socmon.orgs.models import OrgUnit
from socmon.visits import tallies
from socmon.visits.forms_planning import ReportForm
from socmon.visits.models import VisitTally

TARGET_MS = 150
MAX_QUERIES = 12
RATIO = 1.3
WARMUP, RUNS = 3, 25


@dataclass
class Page:
    median: float
    p95: float
    queries: int


def scenarios(world: World) -> list[tuple[str, object, str]]:
    department = world.department
    step = OrgUnit.steplen
    institution, region, country = (OrgUnit.objects.get(path=department.path[:end])
                                    for end in (len(department.path) - step, 2 * step, step))
    period = {name: day.isoformat() for name, day in ReportForm.default_period(timezone.localdate()).items()}

    def report(unit):
        return reverse("visits:report") + "?" + "&".join(f"{k}={v}" for k, v in {**period, "unit": unit.pk}.items())

    return [("head: department report", world.head, report(department)),
            ("director: institution report", world.director, report(institution)),
            ("specialist: region report", world.specialist, report(region)),
            ("analyst: country report", world.analyst, report(country)),
            ("head: live view", world.head, reverse("visits:live", kwargs={"unit_pk": department.pk}))]


def filled() -> float:
    """Fill the store with a full rebuild if it is empty; the seconds it took (0 when it was kept)."""
    if VisitTally.objects.exists():
        return 0.0
    started = time.perf_counter()
    tallies.rebuild()
    seconds = time.perf_counter() - started
    if connection.vendor == "sqlite":
        analyze()  # statistics for the new tables, else SQLite may plan the report by the wrong index
    return seconds


def _counting(queries: list):
    """Counts every statement whatever DEBUG says (its query log is capped and cleared by each request)."""
    def wrapper(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)
    return wrapper


def measure(world: World, *, runs: int = RUNS, warmup: int = WARMUP) -> dict[str, Page]:
    results = {}
    for label, user, url in scenarios(world):
        browser = HttpClient()
        browser.force_login(user)
        for _ in range(warmup):
            response = browser.get(url)
            assert response.status_code == 200, (label, response.status_code)
        queries = []
        with connection.execute_wrapper(_counting(queries)):
            browser.get(url)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            browser.get(url)
            times.append((time.perf_counter() - started) * 1000)
        results[label] = Page(statistics.median(times), p95(times) if len(times) > 1 else times[0], len(queries))
    return results


def report(small: dict[str, Page], large: dict[str, Page], *, scale: int, rebuilt: dict[int, float]) -> int:
    print(f"\nVisit reports and live view on {connection.vendor}: median / p95 of {RUNS} full page requests (ms), "
          f"queries")
    print(f"  store filled by a rebuild in {', '.join(f'{s:.1f} s at {n:,}' for n, s in rebuilt.items())} "
          f"(0: kept from an earlier run)")
    print(f"  {'':<34}{scale // 10:>20,}{scale:>20,}{'p95 ratio':>10}  goal: p95 ≤ {TARGET_MS} ms, ≤ {MAX_QUERIES} "
          f"queries, ≤ {RATIO}× the tenth")
    missed = 0
    for label, page in large.items():
        tenth = small[label]
        ratio = page.p95 / tenth.p95 if tenth.p95 else 0.0
        ok = page.p95 <= TARGET_MS and page.queries <= MAX_QUERIES and ratio <= RATIO
        missed += not ok
        print(f"  {label:<34}{tenth.median:>7.0f} /{tenth.p95:>5.0f} ({tenth.queries:>2} q)"
              f"{page.median:>7.0f} /{page.p95:>5.0f} ({page.queries:>2} q){ratio:>9.2f}×  "
              f"{'met' if ok else 'MISSED'}")
    return 1 if missed else 0


def main() -> int:
    scale = int(os.environ.get("BENCH_SCALE", "70000"))
    seed = int(os.environ.get("BENCH_SEED", "1"))
    setup_test_environment()
    figures, rebuilt = {}, {}
    for size in (scale // 10, scale):
        with bench_database(size, seed):
            world = ensure_world(size, seed)
            rebuilt[size] = filled()
            figures[size] = measure(world)
    return report(figures[scale // 10], figures[scale], scale=scale, rebuilt=rebuilt)
