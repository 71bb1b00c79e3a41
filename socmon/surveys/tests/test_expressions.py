import pytest

from socmon.surveys.expressions import ExpressionError, parse


@pytest.mark.parametrize(("text", "answers", "current", "expected"), [
    ("${better} = 'yes'", {"better": "yes"}, None, True),
    ("${better} = 'yes'", {}, None, False),
    ("${better} != 'yes'", {}, None, True),
    (". >= 0 and . <= 60", {}, 12, True),
    (". >= 0 and . <= 60", {}, 61, False),
    ("${age} > 10", {}, None, False),  # unanswered is not a number: never greater
    ("selected(${areas}, 'sleep')", {"areas": ["mood", "sleep"]}, None, True),
    ("not(selected(${areas}, 'sleep'))", {"areas": ["mood"]}, None, True),
    ("count-selected(${areas}) >= 2 or ${x} = 1", {"areas": ["mood"], "x": 1}, None, True),
    ("string-length(.) >= 3", {}, "ab", False),
    ("string-length(.) >= 3", {}, "abc", True),
    ("regex(., '^[0-9]{6}$')", {}, "123456", True),
    ("(${a} + 2) * 3 = 12 and ${a} div 2 = 1 and ${a} mod 2 = 0", {"a": 2}, None, True),
    (". > '2026-01-01'", {}, "2026-03-11", True),
    ("-${a} < 0", {"a": 4}, None, True),
])
def test_the_xlsform_expression_subset_evaluates_like_xpath(text, answers, current, expected):
    assert parse(text).evaluate(answers, current) is expected


@pytest.mark.parametrize("text", ["${a} =", "(${a} = 1", "${a} == 1", "today() > .", "${a} = 'open", "", "1 2"])
def test_a_broken_or_unsupported_expression_is_refused_when_read(text):
    with pytest.raises(ExpressionError):
        parse(text)


def test_references_name_the_questions_an_expression_reads():
    assert parse("selected(${areas}, 'a') and ${b} > .").references() == {"areas", "b"}
