"""Rebuild every indicator value from the facts (`--check`: only report where the stored values differ)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from socmon.indicators import engine
from socmon.indicators.models import Indicator
from socmon.visits import tallies as visit_tallies


class Command(BaseCommand):
    help = "Rebuild indicator values from the facts, or check that the stored values agree with a rebuild."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare with a rebuild; change nothing")
        parser.add_argument("codes", nargs="*", help="indicator codes (default: all)")

    def handle(self, *args, check=False, codes=(), **options):
        indicators = Indicator.objects.all()
        if codes:
            indicators = indicators.filter(code__in=codes)
        if not check:
            self.stdout.write(f"{engine.rebuild(None if not codes else indicators, now=timezone.now())} values stored")
            return
        found = [line for indicator in indicators for line in engine.differences(indicator)]
        found += [] if codes else visit_tallies.differences()  # the visit reports' store (socmon.visits.tallies)
        for line in found:
            self.stdout.write(line)
        if found:
            raise CommandError(f"{len(found)} stored values differ from a rebuild")
        self.stdout.write("the stored values agree with a rebuild")
