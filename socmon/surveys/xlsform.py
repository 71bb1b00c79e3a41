"""Reading an XLSForm: what socmon can render, checked before anything is stored (R-7.1).

`read_xlsform(data)` returns a `ParsedForm` (pyxform's JSON of the form, its languages, title and id) or
raises `XLSFormError` with every problem found, each a translated sentence naming the row where it can.
`questions_of(form)` turns the stored JSON back into the flat list of items the answer pages show.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from . import expressions

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
QUESTION_TYPES = {"text", "integer", "decimal", "date", "select_one", "select_multiple", "note"}
GROUP_TYPES = {"begin_group": "begin", "begin group": "begin", "end_group": "end", "end group": "end"}
METADATA_TYPES = {"start", "end", "today", "deviceid"}  # filled in by data collectors; socmon ignores them
TRANSLATED = ("label", "hint", "constraint_message", "required_message")
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "appearance", *TRANSLATED}
CHOICE_COLUMNS = {"list_name", "list name", "name", "label"}
YES = {"yes", "true", "true()", "1"}
NO = {"", "no", "false", "false()", "0"}
PYXFORM_TYPES = {"text": "text", "integer": "integer", "decimal": "decimal", "date": "date", "note": "note",
                 "select one": "select_one", "select all that apply": "select_multiple"}


class XLSFormError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ParsedForm:
    form: dict
    languages: list[str]
    title: str
    form_id: str
    titles: dict = field(default_factory=dict)


def language_code(tag: str, default: str = "en") -> str | None:
    """'English (en)', 'kk', 'default' → a socmon language code, or None for another language."""
    tag = (tag or "").strip()
    if tag in ("", "default"):
        return default
    match = re.search(r"\(([A-Za-z]{2})\)\s*$", tag)
    code = (match.group(1) if match else tag).lower()
    return code if code in LANGUAGE_CODES else None


def _split(header: str) -> tuple[str, str | None]:
    base, _sep, language = header.partition("::")
    return base.strip().lower(), (language.strip() if _sep else None)


def _sheet_rows(workbook, name: str) -> tuple[list[str], list[tuple[int, dict]]] | None:
    sheet = next((workbook[s] for s in workbook.sheetnames if s.strip().lower() == name), None)
    if sheet is None:
        return None
    rows = sheet.iter_rows(values_only=True)
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        return [], []
    result = []
    for number, values in enumerate(rows, start=2):
        row = {h: ("" if v is None else str(v).strip()) for h, v in zip(headers, values, strict=False) if h}
        if any(row.values()):
            result.append((number, row))
    return headers, result


def EMPTY_CELL() -> str:  # noqa: N802 - a translated message, read in the request's language
    return _("Sheet “%(sheet)s”, row %(row)s: “%(column)s” is empty, while the other languages have it.")


def _without_translated_titles(data: bytes, form_settings: dict) -> bytes:
    """The workbook without the settings' `form_title::<language>` columns, which socmon reads itself
    (ParsedForm.titles) and on which pyxform 4.5 crashes."""
    if not any(str(key).lower().startswith("form_title::") for key in form_settings):
        return data
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = next(ws for ws in workbook.worksheets if ws.title.strip().lower() == "settings")
    for cell in reversed(list(sheet[1])):
        if str(cell.value or "").strip().lower().startswith("form_title::"):
            sheet.delete_cols(cell.column)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_xlsform(data: bytes) -> ParsedForm:
    import openpyxl

    problems: list[str] = []
    not_xlsx = _("The file is not an Excel workbook (.xlsx). Save the XLSForm as .xlsx and try again.")
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise XLSFormError([not_xlsx])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer to the person uploading
        raise XLSFormError([not_xlsx]) from None
    survey = _sheet_rows(workbook, "survey")
    if survey is None or not survey[1]:
        raise XLSFormError([_("The workbook has no “survey” sheet with questions.")])
    headers, rows = survey
    settings_sheet = _sheet_rows(workbook, "settings")
    form_settings = settings_sheet[1][0][1] if settings_sheet and settings_sheet[1] else {}
    default = language_code(form_settings.get("default_language", ""), "en") or "en"

    # Columns: which translated columns exist in which languages.
    columns: dict[str, set[str]] = {kind: set() for kind in TRANSLATED}
    for header in headers:
        if not header:
            continue
        base, tag = _split(header)
        if base in TRANSLATED:
            code = language_code(tag or "", default)
            if code is None:
                problems.append(_("Column “%(column)s”: socmon speaks English, Russian, Azerbaijani, Kazakh and "
                                  "Romanian; write the language as en, ru, az, kk or ro.") % {"column": header})
                continue
            columns[base].add(code)
        elif base not in SURVEY_COLUMNS and any(row.get(header) for _n, row in rows):
            problems.append(_("Column “%(column)s” is not supported.") % {"column": header})
    languages = [code for code in LANGUAGE_CODES if code in columns["label"]]
    if not languages:
        problems.append(_("The “survey” sheet has no label column."))
    for kind in TRANSLATED:
        if columns[kind]:
            for code in languages:
                if code not in columns[kind]:
                    problems.append(_("Column “%(column)s” is missing: the form has %(kind)s columns in other "
                                      "languages.") % {"column": f"{kind}::{code}", "kind": kind})

    def text_of(row: dict, kind: str, code: str) -> str:
        for header, value in row.items():
            base, tag = _split(header)
            if base == kind and language_code(tag or "", default) == code:
                return value
        return ""

    def check_translations(number: int, row: dict, kinds, sheet: str):
        for kind in kinds:
            present = [code for code in languages if code in columns[kind]]
            filled = [code for code in present if text_of(row, kind, code)]
            if filled:
                for code in present:
                    if code not in filled:
                        problems.append(EMPTY_CELL() % {"sheet": sheet, "row": number, "column": f"{kind}::{code}"})

    names: dict[str, int] = {}
    lists_used: dict[str, int] = {}
    depth = 0
    parsed: list[tuple[int, str, str]] = []  # (row, column, expression text)
    for number, row in rows:
        raw_type = " ".join(row.get("type", "").split())
        name = row.get("name", "")
        base_type, _sep, list_name = raw_type.partition(" ")
        base_type = base_type.lower()
        if raw_type.lower() in GROUP_TYPES:
            kind = GROUP_TYPES[raw_type.lower()]
            depth += 1 if kind == "begin" else -1
            if depth < 0:
                problems.append(_("Row %(row)s: “end_group” without a “begin_group”.") % {"row": number})
                depth = 0
        elif base_type in ("begin_repeat", "end_repeat") or raw_type.lower() in ("begin repeat", "end repeat"):
            problems.append(_("Row %(row)s: repeats (“begin_repeat”) are not supported.") % {"row": number})
            continue
        elif base_type in METADATA_TYPES and not list_name:
            continue
        elif base_type in ("select_one", "select_multiple") or raw_type.lower().startswith(("select one ",
                                                                                             "select all that apply ")):
            list_name = raw_type.split()[-1]
            if not list_name or list_name == base_type:
                problems.append(_("Row %(row)s: “%(type)s” needs the name of a choice list.") % {
                    "row": number, "type": raw_type})
            else:
                lists_used.setdefault(list_name, number)
        elif not raw_type:
            problems.append(_("Row %(row)s: the question has no type.") % {"row": number})
            continue
        elif base_type not in QUESTION_TYPES or list_name:
            problems.append(_("Row %(row)s: the question type “%(type)s” is not supported.") % {
                "row": number, "type": raw_type})
            continue
        if raw_type.lower() not in GROUP_TYPES or GROUP_TYPES[raw_type.lower()] == "begin":
            if not name:
                problems.append(_("Row %(row)s: the question has no name.") % {"row": number})
            elif name in names:
                problems.append(_("Row %(row)s: the name “%(name)s” is used twice.") % {"row": number, "name": name})
            else:
                names[name] = number
            check_translations(number, row, TRANSLATED, "survey")
        if row.get("required", "").lower() not in YES | NO:
            problems.append(_("Row %(row)s: “required” must be yes or no.") % {"row": number})
        for column in ("relevant", "constraint"):
            if row.get(column):
                parsed.append((number, column, row[column]))
    if depth > 0:
        problems.append(_("A “begin_group” has no “end_group”."))
    for number, column, text in parsed:
        try:
            expression = expressions.parse(text)
        except expressions.ExpressionError as error:
            problems.append(_("Row %(row)s: the %(column)s expression “%(expression)s” cannot be read (%(error)s).")
                            % {"row": number, "column": column, "expression": text, "error": error})
            continue
        for reference in sorted(expression.references() - set(names)):
            problems.append(_("Row %(row)s: the %(column)s expression names ${%(name)s}, which is not a question.")
                            % {"row": number, "column": column, "name": reference})

    choices = _sheet_rows(workbook, "choices")
    defined: set[str] = set()
    if choices is not None:
        choice_headers, choice_rows = choices
        choice_languages = set()
        for header in choice_headers:
            base, tag = _split(header)
            if base == "label":
                code = language_code(tag or "", default)
                if code:
                    choice_languages.add(code)
            elif header and base not in CHOICE_COLUMNS and any(row.get(header) for _n, row in choice_rows):
                problems.append(_("Sheet “choices”: column “%(column)s” is not supported.") % {"column": header})
        for code in languages:
            if code not in choice_languages:
                problems.append(_("Sheet “choices”: column “%(column)s” is missing.") % {"column": f"label::{code}"})
        for number, row in choice_rows:
            list_name = row.get("list_name") or row.get("list name", "")
            defined.add(list_name)
            for code in languages:
                if code in choice_languages and not text_of(row, "label", code):
                    problems.append(EMPTY_CELL() % {"sheet": "choices", "row": number, "column": f"label::{code}"})
    for list_name, number in lists_used.items():
        if list_name not in defined:
            problems.append(_("Row %(row)s: the choice list “%(list)s” is not on the “choices” sheet.") % {
                "row": number, "list": list_name})
    if problems:
        raise XLSFormError(problems)

    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        result = convert(_without_translated_titles(data, form_settings), file_type=".xlsx", warnings=[])
    except (PyXFormError, ValueError, KeyError) as error:
        raise XLSFormError([_("pyxform cannot read the form: %(error)s") % {"error": error}]) from None
    form = result._pyxform
    titles = {language_code(key.partition("::")[2]): value for key, value in form_settings.items()
              if key.lower().startswith("form_title::")}
    return ParsedForm(form=form, languages=languages, title=form_settings.get("form_title") or form.get("title", ""),
                      form_id=form_settings.get("form_id") or form.get("id_string", ""),
                      titles={k: v for k, v in titles.items() if k and v})


# --- The stored form, as the answer pages use it --------------------------------------------------------------


@dataclass
class Item:
    name: str
    type: str  # one of QUESTION_TYPES
    label: dict
    hint: dict
    required: bool
    relevant: list  # expression texts, the enclosing groups' first; all must hold
    constraint: str
    constraint_message: dict
    required_message: dict
    choices: list  # [(name, {code: label})]
    group: dict  # the enclosing group's label


def _texts(value, default: str) -> dict:
    if isinstance(value, dict):
        return {language_code(k, default): v for k, v in value.items() if language_code(k, default)}
    return {default: value} if value else {}


def questions_of(form: dict) -> list[Item]:
    default = language_code(form.get("default_language", ""), "en") or "en"
    items: list[Item] = []

    def walk(children, relevant: list, group: dict):
        for child in children:
            bind = child.get("bind", {})
            if child.get("type") == "group":
                if child.get("name") == "meta":
                    continue
                walk(child.get("children", []), relevant + ([bind["relevant"]] if bind.get("relevant") else []),
                     _texts(child.get("label"), default) or group)
                continue
            kind = PYXFORM_TYPES.get(child.get("type"))
            if kind is None:
                continue
            items.append(Item(
                name=child["name"], type=kind, label=_texts(child.get("label"), default),
                hint=_texts(child.get("hint"), default),
                required=str(bind.get("required", "")).lower() in YES,
                relevant=relevant + ([bind["relevant"]] if bind.get("relevant") else []),
                constraint=bind.get("constraint", ""),
                constraint_message=_texts(bind.get("jr:constraintMsg"), default),
                required_message=_texts(bind.get("jr:requiredMsg"), default),
                choices=[(c["name"], _texts(c.get("label"), default)) for c in child.get("choices", [])],
                group=group))

    walk(form.get("children", []), [], {})
    return items
