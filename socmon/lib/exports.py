"""Spreadsheet exports that a name cannot turn into a formula.

A person or unit named ``=HYPERLINK("http://…","Click")`` must reach the workbook as text: Excel and
LibreOffice run a formula cell when the file is opened, and a text cell that starts with ``= + - @`` (or a
tab or carriage return, which some spreadsheets skip before such a character) turns into a formula as soon
as someone edits it (OWASP, "CSV Injection"). So every text cell is stored as a string with Excel's quote
prefix (the leading apostrophe, which is not part of the value). Rows go in through `append_row`, which drops
characters a workbook cannot hold instead of failing the whole export.
"""

import io

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell) -> None:
    """Make an openpyxl cell's text inert: a string, never a formula, quote-prefixed when it could become one."""
    if not isinstance(cell.value, str):
        return
    cell.data_type = "s"  # openpyxl stored a leading "=" as a formula
    if cell.value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def append_row(sheet, values) -> None:
    """Append a row to `sheet`, dropping characters a workbook cannot hold (openpyxl refuses the whole value)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])


def workbook_bytes(book) -> bytes:
    """The workbook as an .xlsx file, every text cell of every sheet made safe first. Every export saves here."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                safe_cell(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_safe(value) -> str:
    """CSV has no quote prefix: text that a spreadsheet could read as a formula gets a leading apostrophe."""
    if not isinstance(value, str):
        return "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def csv_bytes(rows) -> bytes:
    """Rows as UTF-8 CSV with a byte-order mark (so Excel reads the letters right), every cell made safe."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
