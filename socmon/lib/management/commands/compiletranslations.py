"""Compile the .po catalogues with polib (no system gettext needed) and, with --check,
fail when any entry is untranslated or fuzzy."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po to .mo; --check fails on untranslated or fuzzy entries."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check: bool, **options):
        problems = []
        for po_path in sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po")):
            catalogue = polib.pofile(str(po_path))
            language = po_path.parts[-3]
            if language != "en":
                missing = [e.msgid for e in catalogue.untranslated_entries()]
                fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
                problems += [f"{language}: untranslated: {m!r}" for m in missing]
                problems += [f"{language}: fuzzy: {m!r}" for m in fuzzy]
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        if check and problems:
            raise CommandError("Catalogues are incomplete:\n" + "\n".join(problems[:50])
                               + (f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""))
        self.stdout.write(f"Compiled catalogues; {len(problems)} problem(s).")
