"""Uploading XLSForms: what socmon cannot render is listed, and nothing is stored."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.surveys.models import Questionnaire, QuestionnaireVersion

from .kit import QUESTIONS, xlsform

pytestmark = pytest.mark.django_db
KK = {"en": "Where?", "ru": "Где?", "kk": "Қайда?"}


def post_new(browser, world, data: bytes, name="form.xlsx"):
    return browser.post(reverse("surveys:questionnaire_new"), {
        "title": "", "org_unit": world.north.pk, "purpose": "other",
        "file": SimpleUploadedFile(name, data)})


def test_the_specialist_uploads_an_xlsform_and_gets_version_one(world, login):
    browser = login(world.sam)
    data = xlsform()
    response = post_new(browser, world, data)
    questionnaire = Questionnaire.objects.get()
    assert response.status_code == 302 and response.url == reverse("surveys:questionnaire", args=[questionnaire.pk])
    version = questionnaire.versions.get()
    assert (questionnaire.code, questionnaire.title, questionnaire.org_unit) == (
        "wellbeing", "Well-being survey", world.north)
    assert (version.number, version.languages, version.uploaded_by) == (1, ["en", "ru", "kk"], world.sam)
    assert bytes(version.source) == data
    assert AuditEvent.objects.filter(action=AuditAction.QUESTIONNAIRE_VERSION_UPLOADED, actor=world.sam).count() == 1
    page = browser.get(reverse("surveys:questionnaire", args=[questionnaire.pk])).content.decode()
    assert "Do you feel better than half a year ago?" in page


def wrong(questions=None, **kwargs):
    return xlsform(questions, **kwargs)


@pytest.mark.parametrize(("data", "expected"), [
    (wrong([*QUESTIONS, ("geopoint", "where", KK, {})]), "Row 6: the question type “geopoint” is not supported."),
    (wrong([*QUESTIONS, ("begin_repeat", "kids", KK, {})]), "Row 6: repeats (“begin_repeat”) are not supported."),
    (wrong([*QUESTIONS, ("calculate", "sum", KK, {})]), "Row 6: the question type “calculate” is not supported."),
    (wrong([*QUESTIONS, ("text", "where", KK, {"relevant": "${better} = 'yes' and ("})]),
     "Row 6: the relevant expression “${better} = &#x27;yes&#x27; and (” cannot be read"),
    (wrong([*QUESTIONS, ("text", "where", KK, {"constraint": "${nowhere} > 1"})]),
     "Row 6: the constraint expression names ${nowhere}, which is not a question."),
    (wrong(drop_columns=["constraint_message::kk"]),
     "Column “constraint_message::kk” is missing: the form has constraint_message columns in other languages."),
    (wrong([*QUESTIONS, ("text", "where", {"en": "Where?", "ru": "Где?"}, {})]),
     "Sheet “survey”, row 6: “label::kk” is empty, while the other languages have it."),
    (b"MZ\x90\x00 this is not a workbook", "The file is not an Excel workbook (.xlsx)."),
    (b"type,name,label\ntext,a,A\n", "The file is not an Excel workbook (.xlsx)."),
])
def test_a_form_socmon_cannot_render_is_explained_and_nothing_is_stored(world, login, data, expected):
    browser = login(world.sam)
    response = post_new(browser, world, data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Questionnaire.objects.exists() and not QuestionnaireVersion.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.QUESTIONNAIRE_VERSION_UPLOADED).exists()


def test_a_workbook_without_a_survey_sheet_is_refused(world, login):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    out = io.BytesIO()
    workbook.save(out)
    response = post_new(login(world.sam), world, out.getvalue())
    assert response.status_code == 400 and "no “survey” sheet" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_a_new_upload_is_the_next_version_and_a_broken_one_changes_nothing(world, login):
    browser = login(world.sam)
    post_new(browser, world, xlsform())
    questionnaire = Questionnaire.objects.get()
    url = reverse("surveys:version_upload", args=[questionnaire.pk])
    assert browser.post(url, {"file": SimpleUploadedFile("v2.xlsx", xlsform(QUESTIONS[:3]))}).status_code == 302
    broken = xlsform([*QUESTIONS, ("geopoint", "where", KK, {})])
    assert browser.post(url, {"file": SimpleUploadedFile("v3.xlsx", broken)}).status_code == 400
    assert list(questionnaire.versions.values_list("number", flat=True)) == [2, 1]


def test_only_specialists_upload(world, login):
    for person in (world.heidi, world.dora, world.alice, world.ann):
        response = post_new(login(person), world, xlsform())
        assert response.status_code == 403, person
    assert not Questionnaire.objects.exists()


def test_a_built_in_file_is_imported_once_and_refreshed_only_when_it_changes(world, tmp_path):
    from socmon.surveys.services import import_builtin

    path = tmp_path / "client_survey.xlsx"
    path.write_bytes(xlsform(form_id="client_survey"))
    first = import_builtin(path, purpose=Questionnaire.Purpose.CLIENT_SURVEY)
    again = import_builtin(path, purpose=Questionnaire.Purpose.CLIENT_SURVEY)
    assert first == again and first.number == 1 and first.questionnaire.built_in
    path.write_bytes(xlsform(QUESTIONS[:2], form_id="client_survey"))
    assert import_builtin(path, purpose=Questionnaire.Purpose.CLIENT_SURVEY).number == 2
    assert Questionnaire.objects.get().purpose == Questionnaire.Purpose.CLIENT_SURVEY


def test_translated_form_titles_are_read_not_passed_to_pyxform():
    from ..xlsform import read_xlsform

    workbook = openpyxl.load_workbook(io.BytesIO(xlsform()))
    settings = workbook["settings"]
    settings.cell(row=1, column=4, value="form_title::ru")
    settings.cell(row=2, column=4, value="Опрос о самочувствии")
    settings.cell(row=1, column=5, value="form_title::Kazakh (kk)")
    settings.cell(row=2, column=5, value="Көңіл-күй сауалнамасы")
    data = io.BytesIO()
    workbook.save(data)
    parsed = read_xlsform(data.getvalue())
    assert parsed.titles == {"ru": "Опрос о самочувствии", "kk": "Көңіл-күй сауалнамасы"}
    assert parsed.title == "Well-being survey"
