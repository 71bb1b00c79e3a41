"""The values table as XLSX or CSV: exactly what the page shows (protected cells read as on the page), every
text cell formula-escaped (`socmon.lib.exports`)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.lib.exports import append_row, csv_bytes, workbook_bytes
from socmon.visits.reports import Hidden

from .definitions import text_of
from .selectors import ValueRow, ValuesTable


def _number(value):
    if value is None:
        return _("no data")
    return str(value) if isinstance(value, Hidden) else value


def _header(table: ValuesTable) -> list[str]:
    return [_("Organisation unit"), _("Breakdown"), _("Value"), _("Target"), _("Baseline"),
            _("Gap to the target"),
            _("Same period last year (%(period)s)") % {"period": table.last_year.label},
            _("Computed at"), _("Newest fact")]


def _line(unit_label: str, breakdown: str, row: ValueRow) -> list:
    computed = timezone.localtime(row.computed_at).strftime("%Y-%m-%d %H:%M") if row.computed_at else ""
    return [unit_label, breakdown, _number(row.value), row.target, row.baseline,
            str(row.gap) if isinstance(row.gap, Hidden) else row.gap, _number(row.last_year), computed,
            row.newest_fact.isoformat() if row.newest_fact else ""]


def values_rows(table: ValuesTable) -> list[list]:
    """The header, the unit and its children (totals), then the unit's breakdown when one was chosen."""
    rows = [_header(table)]
    rows += [_line(row.label, _("All (total)"), row) for row in table.rows]
    rows += [_line(table.unit.label, f"{table.dimension_label}: {row.label}", row)
             for row in table.breakdown]
    return rows


def values_csv(table: ValuesTable) -> bytes:
    return csv_bytes(values_rows(table))


def values_xlsx(table: ValuesTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = table.indicator.code[:31]
    append_row(sheet, [f"{table.indicator.code} {text_of(table.indicator, 'name')}"])
    append_row(sheet, [_("Organisation unit"), table.unit.label])
    append_row(sheet, [_("Period"), table.period.label])
    if table.protected:
        append_row(sheet, [_("Numbers from 1 to %(last)s read “fewer than %(threshold)s”; figures that would give "
                             "them away are not shown.") % {"last": table.threshold - 1,
                                                            "threshold": table.threshold}])
    append_row(sheet, [])
    first = sheet.max_row + 1
    for row in values_rows(table):
        append_row(sheet, row)
    for cell in [sheet["A1"], *sheet[first]]:
        cell.font = bold
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 30
    return workbook_bytes(book)
