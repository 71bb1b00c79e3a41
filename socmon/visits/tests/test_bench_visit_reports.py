"""The visit report benchmark (bench/visit_reports.py) on a tiny world, as a smoke test for CI: every page answers
and its figures are printed beside the goals. The values are not checked: `make bench` measures them at scale."""

import pytest

from bench import visit_reports as bench
from bench.world import build_world
from socmon.test import reseed
from socmon.visits.models import VisitTally

pytestmark = pytest.mark.django_db


def test_the_visit_report_bench_produces_every_figure(capsys):
    reseed()
    world = build_world(300, 1, log=lambda line: None)
    rebuilt = bench.filled()
    assert rebuilt > 0 and VisitTally.objects.filter(worker=None).exists()
    figures = bench.measure(world, runs=2, warmup=1)
    assert len(figures) == 5 and all(page.queries > 0 and page.p95 > 0 for page in figures.values())
    bench.report(figures, figures, scale=300, rebuilt={300: rebuilt})
    printed = capsys.readouterr().out
    for words in ("department report", "country report", "live view", "goal", "queries"):
        assert words in printed
