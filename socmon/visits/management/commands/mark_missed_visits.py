import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from socmon.visits.models import Visit


class Command(BaseCommand):
    help = ("Mark planned visits of past days that were never checked in as missed. Idempotent: run it "
            "every night (pages already show such visits as missed before it runs).")

    def add_arguments(self, parser):
        parser.add_argument("--before", type=datetime.date.fromisoformat, default=None,
                            help="Mark visits planned before this day (YYYY-MM-DD; default: today).")

    @transaction.atomic
    def handle(self, *args, before: datetime.date | None, **options):
        before = before or timezone.localdate()
        count = Visit.objects.filter(status=Visit.Status.PLANNED, checked_in_at=None,
                                     planned_for__lt=before).update(status=Visit.Status.MISSED)
        self.stdout.write(f"{count} visits marked as missed.")
