"""Answering a questionnaire one question per page, without script: skip logic is decided on the server.

The answers given so far travel with each page (a hidden field), so the client needs no account and no
cookie; every step re-evaluates `relevant` on them, and the final step checks every answer again (the
hidden field is the client's to change), drops the answers of questions that are no longer relevant,
and requires only what is relevant.
"""

import datetime
import functools
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import expressions
from .xlsform import Item, questions_of

MAX_TEXT = 2000


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> expressions.Expression:
    return expressions.parse(text)


@functools.lru_cache(maxsize=32)
def _items(version_pk: int, fingerprint: str) -> tuple:
    from .models import QuestionnaireVersion

    return tuple(questions_of(QuestionnaireVersion.objects.get(pk=version_pk).form))


def items_of(version) -> list[Item]:
    return list(_items(version.pk, str(version.uploaded_at)))


def text_in(texts: dict, language: str, fallback: list[str]) -> str:
    for code in [language, *fallback]:
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def is_relevant(item: Item, answers: dict) -> bool:
    return all(_parsed(text).evaluate(answers) for text in item.relevant)


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def read_value(item: Item, data) -> tuple[object, str | None]:
    """The value of `item` in a POST (QueryDict), and a translated type error if it is malformed."""
    if item.type == "select_multiple":
        names = {name for name, _label in item.choices}
        values = [v for v in data.getlist(item.name)]
        if any(v not in names for v in values):
            return [], _("Choose from the answers shown.")
        return [name for name, _label in item.choices if name in values], None
    raw = (data.get(item.name) or "").strip()
    return coerce(item, raw)


def coerce(item: Item, raw) -> tuple[object, str | None]:
    if _empty(raw):
        return ("" if item.type != "select_multiple" else []), None
    if item.type == "text":
        return str(raw)[:MAX_TEXT], None
    if item.type == "integer":
        try:
            return int(str(raw)), None
        except ValueError:
            return str(raw), _("Enter a whole number, like 12.")
    if item.type == "decimal":
        try:
            number = Decimal(str(raw).replace(",", "."))
            if not number.is_finite():
                raise InvalidOperation
            return float(number), None
        except InvalidOperation:
            return str(raw), _("Enter a number, like 12.5.")
    if item.type == "date":
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat(), None
        except ValueError:
            return str(raw), _("Enter a real date, like 2026-03-11.")
    if item.type == "select_one":
        if str(raw) not in {name for name, _label in item.choices}:
            return "", _("Choose from the answers shown.")
        return str(raw), None
    if item.type == "select_multiple":
        values = raw if isinstance(raw, list) else str(raw).split()
        names = [name for name, _label in item.choices]
        if any(v not in names for v in values):
            return [], _("Choose from the answers shown.")
        return [n for n in names if n in values], None
    return "", None  # note


def check(item: Item, value, answers: dict, language: str, fallback: list[str]) -> str | None:
    """The translated problem with `value` for a relevant `item`, or None."""
    if item.type == "note":
        return None
    if _empty(value):
        if item.required:
            return text_in(item.required_message, language, fallback) or _("Answer this question.")
        return None
    if item.constraint and not _parsed(item.constraint).evaluate(answers, value):
        return text_in(item.constraint_message, language, fallback) or _("This answer is not possible. Check it.")
    return None


def load_state(text: str, items: list[Item]) -> dict:
    """The answers carried by the page, kept to the form's questions and their types."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    answers = {}
    for item in items:
        if item.name in data and item.type != "note":
            value, error = coerce(item, data[item.name])
            if error is None and not _empty(value):
                answers[item.name] = value
    return answers


def dump_state(answers: dict) -> str:
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"))


def next_index(items: list[Item], after: int, answers: dict) -> int | None:
    for index in range(after + 1, len(items)):
        if is_relevant(items[index], answers):
            return index
    return None


def previous_index(items: list[Item], before: int, answers: dict) -> int | None:
    for index in range(before - 1, -1, -1):
        if is_relevant(items[index], answers):
            return index
    return None


@dataclass
class Final:
    answers: dict | None  # the answers to store, or None when `index` needs another look
    index: int | None = None
    error: str | None = None


def finish(items: list[Item], answers: dict, language: str, fallback: list[str]) -> Final:
    """Every relevant answer checked in order; answers to questions no longer relevant dropped."""
    kept: dict = {}
    for index, item in enumerate(items):
        if item.type == "note" or not is_relevant(item, kept):
            continue
        value = answers.get(item.name, "")
        problem = check(item, value, kept, language, fallback)
        if problem:
            return Final(None, index, problem)
        if not _empty(value):
            kept[item.name] = value
    return Final(kept)


def step_context(items: list[Item], index: int, answers: dict, value, error: str | None, language: str,
                 fallback: list[str]) -> dict:
    item = items[index]
    if item.type == "select_multiple":
        chosen = set(value or [])
    else:
        chosen = {str(value)} if not _empty(value) else set()
    return {
        "item": item,
        "index": index,
        "label": text_in(item.label, language, fallback) or item.name,
        "hint": text_in(item.hint, language, fallback),
        "group": text_in(item.group, language, fallback),
        "choices": [{"name": name, "label": text_in(labels, language, fallback) or name, "checked": name in chosen}
                    for name, labels in item.choices],
        "value": "" if _empty(value) or isinstance(value, list) else
                 (str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)),
        "error": error,
        "state": dump_state(answers),
        "has_previous": previous_index(items, index, answers) is not None,
        "is_last": next_index(items, index, answers) is None,
        "position": sum(1 for i in range(index + 1) if is_relevant(items[i], answers)),
        "total": sum(1 for it in items if is_relevant(it, answers)),
    }
