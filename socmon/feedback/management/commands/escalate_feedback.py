import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from socmon.audit.services import SYSTEM
from socmon.feedback.services import escalate_overdue


class Command(BaseCommand):
    help = ("Send unanswered feedback whose time at its level has passed to the level above (department → "
            "institution → the level above), each step with its reason. Idempotent: run it every night.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=datetime.datetime.fromisoformat, default=None,
                            help="Act as at this moment (YYYY-MM-DDTHH:MM; default: now).")

    def handle(self, *args, now: datetime.datetime | None, **options):
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        count = escalate_overdue(by=SYSTEM, now=now or timezone.now())
        self.stdout.write(f"Feedback escalated: {count}.")
