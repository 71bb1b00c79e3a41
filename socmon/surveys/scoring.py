"""Which client-survey answers count for the indicators IR2, IR3, IS1 and IS2 (000's indicator table).

The built-in client survey names its questions (h14's XLSForm); these rules read them by name:

- **IR2** (psycho-emotional state improved): the client says it improved (`state_improved` is "yes" or
  "improved") **and** names at least one concrete area or example (`improvement_example`). An example counts
  when, after trimming spaces and punctuation, it holds at least one letter or digit and is not a placeholder
  such as "-", "no", "нет", "none", "nothing", "n/a". "Improved" with no example does not count.
- **IR3** (feels their own role and importance has grown): `feels_important` is "yes".
- **IS1** (satisfied with the service overall): `satisfied_service` is "yes", or a score of 4 or 5 on 1–5.
- **IS2** (satisfied with the results achieved): `satisfied_results`, the same way.

An indicator is answered (counts True or False) only when its question is in the version's form; a version
without it gives no answer for that indicator, so it neither counts nor lowers a share. Other questionnaires
give nothing. The answers are stored per response (`store_indicator_answers`) when the response is saved, so
the indicator engine counts rows (`selectors.indicator_counts`) and never re-reads answers.
"""

import re

from django.utils import timezone

from .models import IndicatorAnswer, Questionnaire, QuestionnaireVersion, Response
from .questions import questions

IMPROVED = {"yes", "improved", "better"}
YES = {"yes", "1", "true"}
SATISFIED_SCORES = {"4", "5"}
# What people write when they have nothing to say, in socmon's five languages (compared in lower case).
PLACEHOLDERS = {
    "no", "none", "nothing", "n/a", "na", "nil", "not", "no example", "dont know", "don't know", "idk",
    "нет", "ничего", "не знаю", "нету", "нет примера",
    "жоқ", "ештеңе", "білмеймін",
    "yox", "heç nə", "bilmirəm",
    "nu", "nimic", "nu știu", "nu stiu",
}


def _core(text: str) -> str:
    """Lower case, every run of punctuation and spaces one space: "N/A." and "n a" read the same."""
    return re.sub(r"[\W_]+", " ", text).strip().lower()


PLACEHOLDER_CORES = frozenset(_core(p) for p in PLACEHOLDERS)
INDICATOR_QUESTIONS = {
    IndicatorAnswer.Indicator.IR2: "state_improved",
    IndicatorAnswer.Indicator.IR3: "feels_important",
    IndicatorAnswer.Indicator.IS1: "satisfied_service",
    IndicatorAnswer.Indicator.IS2: "satisfied_results",
}


def _value(answers: dict, name: str) -> str:
    value = answers.get(name)
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    return "" if value is None else str(value).strip().lower()


def is_concrete_example(text) -> bool:
    """A named area or example: some letter or digit left after trimming, and not a placeholder."""
    if not isinstance(text, str):
        return False
    core = _core(text)
    return bool(core) and core not in PLACEHOLDER_CORES


def is_satisfied(value: str) -> bool:
    return value in YES or value in SATISFIED_SCORES


def indicator_answers(version: QuestionnaireVersion, answers: dict) -> dict[str, bool]:
    """{indicator: counts} for a client-survey response; {} for any other questionnaire."""
    if version.questionnaire.purpose != Questionnaire.Purpose.CLIENT_SURVEY:
        return {}
    asked = {q.name for q in questions(version.form)}
    result: dict[str, bool] = {}
    if "state_improved" in asked:
        result["IR2"] = (_value(answers, "state_improved") in IMPROVED
                         and is_concrete_example(answers.get("improvement_example")))
    if "feels_important" in asked:
        result["IR3"] = _value(answers, "feels_important") in YES
    if "satisfied_service" in asked:
        result["IS1"] = is_satisfied(_value(answers, "satisfied_service"))
    if "satisfied_results" in asked:
        result["IS2"] = is_satisfied(_value(answers, "satisfied_results"))
    return result


def store_indicator_answers(response: Response) -> list[IndicatorAnswer]:
    """Write (or rewrite) the response's indicator answers; call it inside the service that saves the response.

    They count for the response's unit and the day it was submitted (local date)."""
    found = indicator_answers(response.version, response.answers or {})
    day = timezone.localdate(response.submitted_at)
    stored = []
    for indicator, counts in found.items():
        row, _created = IndicatorAnswer.objects.update_or_create(
            response=response, indicator=indicator,
            defaults={"counts": counts, "client": response.client, "org_unit": response.org_unit,
                      "answered_on": day})
        stored.append(row)
    IndicatorAnswer.objects.filter(response=response).exclude(indicator__in=list(found)).delete()
    return stored
