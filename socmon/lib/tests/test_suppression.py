"""Suppression cannot be undone by subtraction: generated org trees, then every attack a reader can make
from what is published (each sum or difference of published cells, and the bounds "fewer than 5" gives)."""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socmon.lib.suppression import Relation, suppress

THRESHOLD = 5
CATEGORIES = ("done", "missed", "cancelled")
HYPOTHESIS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Mostly small counts, so that most trees need complementary suppression.
count = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def trees(draw, depth=3):
    """{unit: (children, {category: own count})}; unit names are their paths ("0", "0.1", …)."""
    units: dict[str, tuple[list[str], dict[str, int]]] = {}

    def grow(name: str, level: int) -> None:
        children = [f"{name}.{i}" for i in range(draw(st.integers(0 if level else 1, 4)) if level < depth else 0)]
        own = {c: draw(count) for c in CATEGORIES} if not children or draw(st.booleans()) else {}
        units[name] = (children, own)
        for child in children:
            grow(child, level + 1)

    grow("0", 0)
    return units


def table(units):
    """Every unit's figures (own rows as a pseudo-child "unit+"), with the hierarchy and breakdowns."""
    values, relations = {}, []

    def figure(name: str) -> dict[str, int]:
        children, own = units[name]
        parts = [*children, *([f"{name}+"] if own and children else [])]
        if own and children:
            values.update({(f"{name}+", c): n for c, n in own.items()})
            values[(f"{name}+", "all")] = sum(own.values())
            relations.append(Relation((f"{name}+", "all"), tuple((f"{name}+", c) for c in CATEGORIES), True))
        sums = dict.fromkeys(CATEGORIES, 0)
        for child in children:
            for c, n in figure(child).items():
                sums[c] += n
        for c in CATEGORIES:
            sums[c] += own.get(c, 0)
        values.update({(name, c): n for c, n in sums.items()})
        values[(name, "all")] = sum(sums.values())
        if parts:
            relations.extend(Relation((name, c), tuple((p, c) for p in parts)) for c in (*CATEGORIES, "all"))
        relations.append(Relation((name, "all"), tuple((name, c) for c in CATEGORIES), True))
        return sums

    figure("0")
    return values, relations


def bounds_attack(values, relations, result):
    """A reader's best bounds on each hidden cell: solve any relation with a single unknown, narrow the others."""
    known = {k: (v, v) for k, v in values.items() if not result.is_hidden(k)}
    for key in result.hidden:
        known[key] = (1, THRESHOLD - 1) if result.is_small(key) else (0, float("inf"))
    changed = True
    while changed:
        changed = False
        for relation in relations:
            cells = [relation.total, *relation.parts]
            signs = [1] + [-1] * len(relation.parts)  # total − Σ parts = 0
            for i, key in enumerate(cells):
                pairs = enumerate(zip(signs, cells, strict=True))
                others = [(s * -signs[i], known[k]) for j, (s, k) in pairs if j != i]
                low = sum(b[0] if s > 0 else -b[1] for s, b in others)
                high = sum(b[1] if s > 0 else -b[0] for s, b in others)
                old = known[key]
                new = [max(old[0], low), min(old[1], high)]
                if tuple(new) != old and new[0] <= new[1]:
                    known[key], changed = tuple(new), True
    return known


def determined(relations, values, hidden) -> set:
    """Hidden cells that some linear combination of the published relations gives exactly (Gauss–Jordan)."""
    unknowns = sorted(hidden, key=repr)
    column = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for relation in relations:
        row = [Fraction(0)] * len(unknowns)
        weights = getattr(relation, "weights", None) or [1] * len(relation.parts)
        for sign, key in [(1, relation.total), *((-w, p) for w, p in zip(weights, relation.parts, strict=True))]:
            if key in column:
                row[column[key]] += sign
        if any(row):
            rows.append(row)
    pivots, rank = [], 0
    for col in range(len(unknowns)):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        rows[rank] = [x / rows[rank][col] for x in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col]:
                rows[r] = [a - rows[r][col] * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(col)
        rank += 1
    return {unknowns[col] for r, col in enumerate(pivots) if sum(1 for x in rows[r] if x) == 1}


@HYPOTHESIS
@given(trees())
def test_no_hidden_cell_is_given_back_by_any_sum_or_difference_of_published_cells(units):
    values, relations = table(units)
    result = suppress(values, relations, threshold=THRESHOLD)
    assert determined(relations, values, result.hidden) == set()


@HYPOTHESIS
@given(trees())
def test_no_small_count_is_pinned_by_the_bounds_a_reader_knows(units):
    values, relations = table(units)
    result = suppress(values, relations, threshold=THRESHOLD)
    known = bounds_attack(values, relations, result)
    assert {k: values[k] for k in result.primary if known[k][0] == known[k][1]} == {}


@HYPOTHESIS
@given(trees())
def test_every_small_count_is_hidden_and_every_other_figure_is_exact_or_hidden(units):
    values, relations = table(units)
    result = suppress(values, relations, threshold=THRESHOLD)
    assert {k for k, v in values.items() if 0 < v < THRESHOLD} == result.primary <= result.hidden
    assert result.labelled <= result.primary
    assert not [k for k in result.hidden if values[k] == 0 and k not in result.primary]


def test_institution_minus_its_other_department_no_longer_gives_one_departments_count():
    values = {"institution": 9, "home care": 8, "family support": 1}
    relations = [Relation("institution", ("home care", "family support"))]
    result = suppress(values, relations, threshold=THRESHOLD)
    assert result.is_small("family support") and result.is_hidden("home care")
    assert not result.is_hidden("institution")


def test_four_departments_of_one_visit_do_not_pin_each_other_under_a_region_of_fewer_than_5():
    values = {"region": 4, "a": 1, "b": 1, "c": 1, "d": 1}
    result = suppress(values, [Relation("region", ("a", "b", "c", "d"))], threshold=THRESHOLD)
    assert result.hidden == set(values)
    # Four cells of at least 1 under "fewer than 5" would be exactly 1 each: the region reads "not shown".
    assert result.labelled == {"a", "b", "c", "d"}


def test_a_count_and_the_sum_it_averages_are_hidden_together():
    values = {"i": 12, "a": 9, "b": 3, "i_sum": 100, "a_sum": 80, "b_sum": 20}
    relations = [Relation("i", ("a", "b")), Relation("i_sum", ("a_sum", "b_sum"))]
    result = suppress(values, relations, threshold=THRESHOLD, magnitudes={"i_sum", "a_sum", "b_sum"},
                      together=[("i", "i_sum"), ("a", "a_sum"), ("b", "b_sum")])
    assert result.hidden == {"a", "b", "a_sum", "b_sum"}
