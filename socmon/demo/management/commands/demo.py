from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from socmon.demo.world import DEMO_PASSWORD, build_world
from socmon.orgs.models import OrgUnit

# Each capability adds its demo data after the org world exists; a module listed here exposes build().
LATER_BUILDERS = [
    "socmon.demo.clients",
    "socmon.demo.cases",
    "socmon.demo.visits",
    "socmon.demo.activities",
    "socmon.demo.feedback",
    "socmon.demo.surveys",
    "socmon.demo.targets",
    "socmon.demo.programmes",
]


class Command(BaseCommand):
    help = "Load the demo world. With --if-empty, do nothing when the database already has data."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true")

    def handle(self, *args, if_empty: bool, **options):
        if OrgUnit.objects.exists():
            if not if_empty:
                self.stderr.write("The database already has data; the demo loads only into an empty one.")
            self._print_logins(DEFAULT_LOGINS)
            return
        with transaction.atomic():
            logins = build_world()
            for name in LATER_BUILDERS:
                try:
                    module = import_module(name)
                except ModuleNotFoundError:
                    continue
                module.build()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins(logins)

    def _print_logins(self, logins):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, what in logins:
            self.stdout.write(f"  {username:<12} {what}")
        self.stdout.write("Open http://127.0.0.1:8000/\n")


DEFAULT_LOGINS = [
    ("worker", "Social worker"), ("worker2", "Social worker, same team"), ("head", "Department head"),
    ("director", "Institution director"), ("specialist", "Monitoring specialist"), ("analyst", "Analyst"),
    ("evaluator", "External evaluator"), ("admin", "Administrator"), ("admin2", "Administrator, Almaty Region"),
]
