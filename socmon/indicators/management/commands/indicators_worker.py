"""The indicator worker: brings stored values up to date with what saves marked stale, every second or so.

`make run` starts it beside the web server. It needs nothing but the database (SQLite as embedded, or
PostgreSQL): the stale marks are the queue, written in each save's own transaction, so no change is lost if
the worker is down; it catches up when it starts. Run one per database. `--once` drains the queue and exits.
Once a day (`--rebuild-hour`, local time) it also rebuilds everything from the facts, for audit.
"""

import time
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.utils import timezone

from socmon.indicators import engine


def work(*, stop: Callable[[], bool], interval: float = 1.0, rebuild_hour: int = 3, log=None) -> None:
    """Refresh until `stop()` says so; drain the queue each round, sleep `interval` when it is empty."""
    rebuilt_on = None
    while not stop():
        while engine.refresh(now=timezone.now()):
            pass
        now = timezone.localtime()
        if now.hour == rebuild_hour and rebuilt_on != now.date():
            written = engine.rebuild(now=timezone.now())
            if log:
                log(f"nightly rebuild: {written} values")
            rebuilt_on = now.date()
        time.sleep(interval)


class Command(BaseCommand):
    help = "Keep indicator values up to date (the stale marks are the queue)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain the queue once and exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds when idle")
        parser.add_argument("--rebuild-hour", type=int, default=3, help="local hour of the nightly rebuild (-1: never)")

    def handle(self, *args, once=False, interval=1.0, rebuild_hour=3, **options):
        if once:
            while engine.refresh(now=timezone.now()):
                pass
            return
        work(stop=lambda: False, interval=interval, rebuild_hour=rebuild_hour, log=self.stdout.write)
