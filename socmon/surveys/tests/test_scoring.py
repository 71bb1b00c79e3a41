"""Hand-checked cases of what counts for IR2, IR3, IS1 and IS2 (000's indicator table)."""


import pytest

from socmon.surveys.models import Questionnaire
from socmon.surveys.scoring import indicator_answers, is_concrete_example

from .conftest import client_survey, form_from_md

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return client_survey()


def test_improved_without_an_example_does_not_count_for_ir2(version):
    assert indicator_answers(version, {"state_improved": "yes", "improvement_example": ""})["IR2"] is False


def test_improved_with_i_sleep_better_counts_for_ir2(version):
    assert indicator_answers(version, {"state_improved": "yes", "improvement_example": "I sleep better"})["IR2"]


@pytest.mark.parametrize("text", ["", "   ", "-", "—", "no", "No.", "нет", "Нет!", "n/a", "...", None, "жоқ"])
def test_placeholders_are_not_an_example(text):
    assert not is_concrete_example(text)


@pytest.mark.parametrize("text", ["I sleep better", "Сплю лучше", "walks", "Көңіл-күйім жақсы"])
def test_a_named_area_is_an_example(text):
    assert is_concrete_example(text)


def test_an_example_without_improvement_does_not_count(version):
    assert not indicator_answers(version, {"state_improved": "same", "improvement_example": "I sleep better"})["IR2"]


def test_ir3_is1_is2(version):
    answers = {"feels_important": "yes", "satisfied_service": "4", "satisfied_results": "3"}
    found = indicator_answers(version, answers)
    assert (found["IR3"], found["IS1"], found["IS2"]) == (True, True, False)
    assert indicator_answers(version, {"satisfied_service": 5, "satisfied_results": "yes"})["IS1"]
    assert indicator_answers(version, {"satisfied_service": "no"})["IS1"] is False


def test_other_questionnaires_give_nothing(version):
    version.questionnaire.purpose = Questionnaire.Purpose.EXPERT_SURVEY
    version.questionnaire.save()
    assert indicator_answers(version, {"state_improved": "yes", "improvement_example": "I sleep better"}) == {}


def test_a_version_without_the_question_gives_no_answer_for_that_indicator(version):
    version.form = form_from_md("""
| survey |
| | type | name | label |
| | select_one yn | feels_important | Role grown? |
| choices |
| | list_name | name | label |
| | yn | yes | Yes |
| | yn | no | No |
""")
    assert indicator_answers(version, {"feels_important": "yes"}) == {"IR3": True}
