"""XLSForms built in the tests with openpyxl, and a campaign with an invitation to answer."""

import datetime
import io

import openpyxl

from socmon.visits.tests.fieldkit import make_client

from .. import services
from ..models import Campaign, Invitation

LANGS = ["en", "ru", "kk"]
LANGUAGE_NAMES = {"en": "English (en)", "ru": "Russian (ru)", "kk": "Kazakh (kk)", "az": "Azerbaijani (az)",
                  "ro": "Romanian (ro)"}

# (type, name, {lang: label}, extra columns)
QUESTIONS = [
    ("select_one better", "better", {"en": "Do you feel better than half a year ago?",
                                     "ru": "Вы чувствуете себя лучше, чем полгода назад?",
                                     "kk": "Жарты жыл бұрынғыдан жақсы сезінесіз бе?"}, {"required": "yes"}),
    ("text", "example", {"en": "What is better? Give one example.", "ru": "Что стало лучше? Приведите пример.",
                         "kk": "Не жақсарды? Бір мысал келтіріңіз."},
     {"required": "yes", "relevant": "${better} = 'yes'", "constraint": "string-length(.) >= 3",
      "constraint_message": {"en": "Write at least three letters.", "ru": "Напишите хотя бы три буквы.",
                             "kk": "Кемінде үш әріп жазыңыз."}}),
    ("integer", "visits", {"en": "How many visits did you have last month?", "ru": "Сколько было визитов?",
                           "kk": "Өткен айда неше рет келді?"},
     {"constraint": ". >= 0 and . <= 60",
      "constraint_message": {"en": "Enter 0 to 60.", "ru": "Введите от 0 до 60.", "kk": "0-ден 60-қа дейін жазыңыз."}}),
    ("select_multiple areas", "areas", {"en": "Which areas?", "ru": "Какие сферы?", "kk": "Қандай салалар?"}, {}),
]
CHOICES = [
    ("better", "yes", {"en": "Yes", "ru": "Да", "kk": "Иә"}),
    ("better", "no", {"en": "No", "ru": "Нет", "kk": "Жоқ"}),
    ("areas", "sleep", {"en": "Sleep", "ru": "Сон", "kk": "Ұйқы"}),
    ("areas", "mood", {"en": "Mood", "ru": "Настроение", "kk": "Көңіл-күй"}),
]


def xlsform(questions=None, choices=None, *, languages=LANGS, form_id="wellbeing", title="Well-being survey",
            extra_columns=(), drop_columns=()) -> bytes:
    """An XLSForm workbook's bytes. `drop_columns` removes headers like "constraint_message::kk"."""
    questions = QUESTIONS if questions is None else questions
    choices = CHOICES if choices is None else choices
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    headers = ["type", "name", *[f"label::{LANGUAGE_NAMES[c]}" for c in languages], "required", "relevant",
               "constraint", *[f"constraint_message::{LANGUAGE_NAMES[c]}" for c in languages], *extra_columns]
    headers = [h for h in headers if (h.split("::")[0] + "::" + h[-3:-1] if "::" in h else h) not in drop_columns]
    survey.append(headers)
    for kind, name, labels, extra in questions:
        row = []
        for header in headers:
            base, _sep, lang = header.partition("::")
            code = lang[-3:-1] if lang else None
            if header == "type":
                row.append(kind)
            elif header == "name":
                row.append(name)
            elif base == "label":
                row.append(labels.get(code, ""))
            elif base == "constraint_message":
                row.append(extra.get("constraint_message", {}).get(code, ""))
            else:
                row.append(extra.get(header, ""))
        survey.append(row)
    sheet = workbook.create_sheet("choices")
    sheet.append(["list_name", "name", *[f"label::{LANGUAGE_NAMES[c]}" for c in languages]])
    for list_name, name, labels in choices:
        sheet.append([list_name, name, *[labels.get(c, "") for c in languages]])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title", "default_language"])
    settings.append([form_id, title, "English (en)"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def questionnaire_version(world, data=None, *, by=None, unit=None):
    return services.upload_version(by=by or world.sam, data=data or xlsform(), name="wellbeing.xlsx",
                                   org_unit=unit or world.north)


def invitation(world, version, *, worker=None, language="kk", unit=None, mode=Invitation.Mode.SELF):
    client = make_client(world, worker=worker or world.alice, language=language, unit=unit)
    campaign = Campaign.objects.create(
        version=version, org_unit=client.org_unit, kind=Campaign.Kind.SIX_MONTHLY, title="Spring survey",
        period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30), created_by=world.heidi)
    return Invitation.objects.create(campaign=campaign, client=client, mode=mode)
