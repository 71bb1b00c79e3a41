"""The questions of a questionnaire version, read from pyxform's JSON of the form (`QuestionnaireVersion.form`).

Groups are flattened (their questions keep the order of the form); notes, calculations and pyxform's `meta`
group hold no answer and are left out. Labels are dictionaries keyed by pyxform's language names
("Russian (ru)", "default") or a plain string; `label()` picks the active language.
"""

from dataclasses import dataclass, field

from django.utils import translation

SELECT_ONE = "select one"
SELECT_MULTIPLE = "select all that apply"
NUMBERS = ("integer", "decimal")
NO_ANSWER = ("note", "calculate", "group", "repeat", "start", "end", "today", "deviceid")


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    label: object  # str or {language name: text}
    choices: tuple[tuple[str, object], ...] = field(default=())  # (name, label) for select questions

    @property
    def is_select(self) -> bool:
        return self.type in (SELECT_ONE, SELECT_MULTIPLE)

    @property
    def is_number(self) -> bool:
        return self.type in NUMBERS

    def text(self) -> str:
        return label(self.label) or self.name

    def choice_text(self, name: str) -> str:
        for choice, text in self.choices:
            if choice == name:
                return label(text) or name
        return name


def label(value) -> str:
    """The label in the active language: a key ending in "(xx)" for its code, else "default", else the first."""
    if not isinstance(value, dict):
        return str(value or "")
    code = (translation.get_language() or "en").split("-")[0]
    for key, text in value.items():
        if key == code or key.endswith(f"({code})"):
            return text
    return value.get("default") or next(iter(value.values()), "")


def questions(form: dict) -> list[Question]:
    """Every question of the form that takes an answer, groups flattened, in the form's order."""
    found: list[Question] = []
    top_choices = form.get("choices") or {}

    def walk(children):
        for child in children or []:
            kind = child.get("type", "")
            if kind in ("group", "repeat"):
                if child.get("name") != "meta":
                    walk(child.get("children"))
                continue
            if kind in NO_ANSWER or not child.get("name"):
                continue
            choices = child.get("choices") or top_choices.get(child.get("itemset") or child.get("list_name"), [])
            found.append(Question(name=child["name"], type=kind, label=child.get("label", ""),
                                  choices=tuple((c["name"], c.get("label", "")) for c in choices)))

    walk(form.get("children"))
    return found


def chosen(value) -> list[str]:
    """The choices of a select answer: a list, or ODK's space-separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value).split()
