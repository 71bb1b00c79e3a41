"""The indicator benchmark (bench/indicators.py) on a tiny world, as a smoke test for CI: every figure is produced
and printed beside its goal, and what the freshness run adds is removed. The values are not checked: `make bench`
measures them at scale."""

import pytest

from bench import indicators as bench
from bench.world import build_world
from socmon.activities.models import Activity
from socmon.indicators.models import StaleMark
from socmon.surveys.models import IndicatorAnswer
from socmon.test import reseed

# The freshness run saves in other threads while the worker's loop refreshes in this one: committed data.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_indicator_bench_produces_every_figure(capsys):
    reseed()  # a transactional test before this one may have flushed what the migrations seeded
    world = build_world(300, 1, log=lambda line: None)
    assert IndicatorAnswer.objects.exists() and Activity.objects.filter(kind="open").exists()

    # The savers run as threads here (the bench forks processes): in one full PostgreSQL run a saver forked from the
    # test runner (which carries the live server's thread and its connection) failed with a protocol error
    # ("the last operation didn't produce records"), cause unproven; threads fork nothing.
    figures = bench.measure(world, full=True, fresh_seconds=0.5, rate=20, mark_runs=4, interval=0.05,
                            fresh_in_threads=True)

    assert figures.rebuilt.values > 0 and figures.rebuilt.contributions > 0 and figures.rebuilt.seconds > 0
    assert "IP2" in figures.rebuilt.indicators and "IS1" in figures.rebuilt.indicators
    assert figures.reference.seconds > 0 and figures.reference.rows > 0
    assert figures.marks.activity_with > 0 and figures.marks.attendance_without > 0
    assert figures.fresh.saved == 10 and figures.fresh.reflected == 10 and figures.fresh.p95 >= 0
    assert figures.duck is not None  # DuckDB's figures, or why they were skipped
    assert not Activity.objects.filter(title=bench.BENCH_TITLE).exists() and not StaleMark.objects.exists()

    bench.report(figures, figures, vendor="test")
    printed = capsys.readouterr().out
    for words in ("full rebuild", "reference", "rebuild ÷ reference", "DuckDB", "scale", "stale mark",
                  "freshness", "goal"):
        assert words in printed
