"""The four indicator answers of a client survey response (IR2, IR3, IS1, IS2).

Placeholder: helper h13 writes the real rules. `indicator_answers(version, answers)` returns, for each
indicator the version's questionnaire measures, whether the response counts for it.
"""


def indicator_answers(version, answers: dict) -> dict[str, bool]:
    return {}
