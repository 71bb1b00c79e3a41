"""The five catalogues are complete: every string in the code is translated, none is fuzzy, and
placeholders survive translation (a test fails on any missing or fuzzy entry)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ["ru", "az", "kk", "ro"]
PLURALS = {"ru": 4, "ro": 3, "az": 2, "kk": 2}


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_and_placeholders_are_right(language):
    if not shutil.which("msgfmt"):
        pytest.fail("msgfmt (gettext) is needed to check the catalogues: apt-get install -y gettext")
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"nplurals={PLURALS[language]};" in catalogue(language).metadata["Plural-Forms"].replace(" ", "")


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Extract the strings afresh (as `make messages` does) and compare with what the catalogues hold."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext (gettext) is needed to extract strings: apt-get install -y gettext")
    for name in ["socmon", "templates", "manage.py"]:
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "--symlinks"],
                   cwd=tmp_path, check=True, capture_output=True)
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))}
    for language in LANGUAGES:
        held = {(e.msgctxt, e.msgid) for e in catalogue(language) if not e.obsolete}
        missing = sorted(m for _, m in extracted - held)
        assert not missing, f"{language}: run `make messages`; {len(missing)} strings missing, e.g. {missing[:5]}"


def test_no_module_hides_translatable_strings_behind_an_alias():
    """makemessages only sees _(), gettext*(), pgettext*() and ngettext*(): `gettext_lazy as _lazy` hides
    every string marked with it from the catalogues, and the page stays English in every language."""
    import re

    alias = re.compile(r"import .*\b(?:n|p|np)?gettext(?:_lazy)? as (?!_\b)\w+")
    offenders = [f"{path.relative_to(ROOT)}: {line.strip()}"
                 for path in (ROOT / "socmon").rglob("*.py")
                 for line in path.read_text().splitlines() if alias.search(line)]
    assert not offenders, "\n".join(offenders)
