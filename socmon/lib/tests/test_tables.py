"""Every table on a staff page fits a 390-px phone: it stacks there (`socmon-table--stack`, docs/development.md)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Two narrow columns (a name and a number) fit a phone as they are.
NARROW = {'id="report-statuses"', 'id="report-ratings"'}


def tables():
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        for match in re.finditer(r"<table\b[^>]*>.*?</table>", path.read_text(), re.S):
            yield path.relative_to(ROOT), match.group(0)


def test_every_table_stacks_on_a_phone_and_labels_its_cells():
    found = list(tables())
    assert len(found) > 20
    unstacked, unlabelled = [], []
    for path, table in found:
        opening = table[:table.index(">") + 1]
        if any(name in opening for name in NARROW):
            continue
        if "socmon-table--stack" not in opening:
            unstacked.append(f"{path}: {opening}")
        elif "<td" in table and "data-label=" not in table:
            unlabelled.append(f"{path}: {opening}")
    assert not unstacked, "tables that do not stack on a phone:\n" + "\n".join(unstacked)
    assert not unlabelled, "stacked tables whose cells name no column (data-label):\n" + "\n".join(unlabelled)
