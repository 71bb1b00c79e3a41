"""The protected report's own table (statuses, services with their minutes, ratings with their sum and
distribution, over generated trees): no hidden figure follows from the published ones by any linear
combination, the averages' equation (sum of scores = Σ score × ratings) included."""

from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socmon.lib.suppression import suppress
from socmon.lib.tests.test_suppression import determined
from socmon.visits.reports import SCORES, STATUSES, Figures, ServiceRow, cell, protected_table

KINDS = [SimpleNamespace(pk=pk, domain="care", code=f"k{pk}", norm_minutes=30) for pk in (1, 2)]
small = st.one_of(st.integers(0, 3), st.integers(0, 12))


@st.composite
def figures(draw) -> Figures:
    f = Figures()
    for status in STATUSES:
        f.statuses[status] = draw(small)
    for kind in KINDS:
        count = draw(small)
        if count:
            f.services[kind.pk] = ServiceRow(kind, count, count * draw(st.integers(10, 60)))
    for score in draw(st.lists(st.sampled_from(SCORES), max_size=4)):
        f.ratings[score] = draw(small)
    return f


@st.composite
def trees(draw) -> dict[str, Figures]:
    """Each unit's own visits by path: a root, up to three institutions of up to three departments."""
    own = {}
    for i in range(draw(st.integers(1, 3))):
        institution = f"01{i:02}"
        for j in range(draw(st.integers(1, 3))):
            own[f"{institution}{j:02}"] = draw(figures())
        if draw(st.booleans()):
            own[institution] = draw(figures())  # visits of the institution itself
    return own


class Weighted(SimpleNamespace):
    """sum of scores = Σ score × count: a published equation beside the plain sums."""


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(trees())
def test_no_hidden_figure_of_the_report_follows_from_the_published_ones(own):
    rolled, values, relations, magnitudes, together = protected_table(own, steplen=2)
    result = suppress(values, relations, threshold=5, magnitudes=magnitudes, together=together)
    nodes = {key.split(" ", 1)[0] for key in values}
    weighted = [Weighted(total=cell(n, "rating_sum"), parts=tuple(cell(n, f"score:{s}") for s in SCORES),
                         weights=SCORES) for n in nodes]
    found = determined(relations + weighted, values, result.hidden)
    assert {key for key in found if values.get(key)} == set()  # a hidden 0 points at no one
