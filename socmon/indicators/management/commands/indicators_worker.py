"""The indicator worker: brings stored values up to date with what saves marked stale, every second or so.

`make run` starts it beside the web server. It needs nothing but the database (SQLite as embedded, or
PostgreSQL): the stale marks are the queue, written in each save's own transaction, so no change is lost if
the worker is down; it catches up when it starts. Run one per database. `--once` drains the queue and exits.
Once a day (`--rebuild-hour`, local time) it also rebuilds everything from the facts, for audit.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from socmon.indicators import engine


class Command(BaseCommand):
    help = "Keep indicator values up to date (the stale marks are the queue)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain the queue once and exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds when idle")
        parser.add_argument("--rebuild-hour", type=int, default=3, help="local hour of the nightly rebuild (-1: never)")
        parser.add_argument("--seconds", type=float, default=0, help="stop after this many seconds (0: never)")

    def handle(self, *args, once=False, interval=1.0, rebuild_hour=3, seconds=0, **options):
        rebuilt_on = None
        stop_at = time.monotonic() + seconds if seconds else None
        while stop_at is None or time.monotonic() < stop_at:
            consumed = engine.refresh(now=timezone.now())
            while consumed:
                consumed = engine.refresh(now=timezone.now())
            if once:
                return
            now = timezone.localtime()
            if now.hour == rebuild_hour and rebuilt_on != now.date():
                self.stdout.write(f"nightly rebuild: {engine.rebuild(now=timezone.now())} values")
                rebuilt_on = now.date()
            time.sleep(interval)
