import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from socmon.audit.services import SYSTEM
from socmon.visits.planning import planned_workers
from socmon.visits.services import plan_day


class Command(BaseCommand):
    help = ("Plan the day's visits of every worker with a caseload and order their routes (R-2.5: lists "
            "update at the start of each day). Idempotent: a second run adds nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None,
                            help="The day to plan (YYYY-MM-DD; default: today).")

    def handle(self, *args, date: datetime.date | None, **options):
        day = date or timezone.localdate()
        created = unfit = 0
        for worker in planned_workers(day):
            result = plan_day(by=SYSTEM, worker=worker, day=day)
            created, unfit = created + len(result.created), unfit + len(result.route.unfit)
        self.stdout.write(f"{day}: visits planned: {created}; visits that did not fit into the working day: {unfit}.")
