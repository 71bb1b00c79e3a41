import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from socmon.audit.services import SYSTEM
from socmon.visits.services import mark_missed_visits


class Command(BaseCommand):
    help = ("Mark planned visits of past days that were never checked in as missed. Idempotent: run it "
            "every night (pages already show such visits as missed before it runs).")

    def add_arguments(self, parser):
        parser.add_argument("--before", type=datetime.date.fromisoformat, default=None,
                            help="Mark visits planned before this day (YYYY-MM-DD; default: today).")

    def handle(self, *args, before: datetime.date | None, **options):
        # "Before DAY" is the rule read at the first moment of DAY: every earlier day has passed.
        now = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min)) if before else timezone.now()
        count = mark_missed_visits(by=SYSTEM, now=now)
        self.stdout.write(f"Visits marked as missed: {count}.")
