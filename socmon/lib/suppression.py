"""Small-count suppression for aggregates published to readers who may not see individuals.

DESIGN "Who sees what": external evaluators and the public get aggregates with small counts suppressed.
Staff who may see the people keep the exact numbers; nothing here applies to them.

A *table* is a set of cells (any hashable key → a non-negative integer) and the additive relations a
reader can see between them: `total = sum(parts)`. Three kinds of relation are published by a report:

- the hierarchy: a unit's figure is the sum of its children's (and of its own rows, as a pseudo-child);
- a breakdown: a unit's categories add up to its total (visits by status → all visits);
- a count next to the sum it averages (ratings → sum of scores, deliveries → minutes): the average is
  shown only when both are, so the pair is hidden together (`together`).

Primary suppression hides every count from 1 to threshold − 1 (0 stays 0: "nobody" points at no one).
Secondary (complementary) suppression then hides more cells, iterated until stable, so that no
combination of published cells gives a hidden one back:

1. A relation with exactly one hidden cell would give it back by subtraction: hide the smallest
   published non-zero part besides it, or the total when there is none.
2. In a breakdown, any hidden category also hides the total. With this, for each category the hidden
   cells form paths of the tree that end in hidden leaves or roots, and +1/−1 along such a path (and on
   the totals of its units) is another table with every published value unchanged: no linear
   combination of published cells (any sum or difference, across reports) determines a hidden cell.
3. Bounds: a reader knows that a "fewer than" cell lies in 1..threshold − 1 (any other hidden cell reads
   "not shown" and may be anything). Rule 1 alone can still pin a cell: four departments with one
   visit each under a region that reads "fewer than 5" sum to exactly 4. Interval propagation over
   every relation finds pinned cells; one more cell (the relation's total, or another part) is hidden,
   or, when nothing is left to hide, a "fewer than" cell reads "not shown" instead, and the rules run
   again.

Cells hidden `together` (a count and its sum, a whole distribution) spread to each other.
What this does not stop: comparing reports for periods that differ by a day (differencing in time).
"""

from collections import defaultdict, deque
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings

SMALL_COUNT_THRESHOLD = 5
UNBOUNDED = float("inf")


def small_count_threshold() -> int:
    """Counts from 1 to this minus one are hidden from readers of aggregates (settings may raise it)."""
    return getattr(settings, "SOCMON_SMALL_COUNT_THRESHOLD", SMALL_COUNT_THRESHOLD)


@dataclass(frozen=True)
class Relation:
    """`total = sum(parts)`, published. A `breakdown` hides its total as soon as any part is hidden."""

    total: Hashable
    parts: tuple[Hashable, ...]
    breakdown: bool = False


@dataclass(frozen=True)
class Suppression:
    threshold: int
    primary: frozenset   # every count from 1 to threshold − 1
    labelled: frozenset  # the primary cells that read "fewer than <threshold>" (the others: "not shown")
    hidden: frozenset    # primary and complementary

    def is_small(self, key: Hashable) -> bool:
        """Reads "fewer than <threshold>"."""
        return key in self.labelled

    def is_hidden(self, key: Hashable) -> bool:
        return key in self.hidden


def suppress(values: Mapping[Hashable, int], relations: Iterable[Relation], *, threshold: int | None = None,
             magnitudes: Collection[Hashable] = (), together: Iterable[Collection[Hashable]] = ()) -> Suppression:
    """Which cells of `values` a reader of aggregates may not see (see the module's docstring).

    `magnitudes` are sums of amounts (minutes, scores), never small counts themselves; they are hidden with
    their count through `together`. A key absent from `values` is 0.
    """
    table = _Table(values, list(relations), threshold or small_count_threshold(), frozenset(magnitudes), together)
    return table.solve()


class _Table:
    def __init__(self, values, relations, threshold, magnitudes, together):
        self.values, self.relations, self.threshold, self.magnitudes = values, relations, threshold, magnitudes
        self.of: dict[Hashable, list[int]] = defaultdict(list)  # cell → indices of the relations it is in
        for index, relation in enumerate(relations):
            for key in (relation.total, *relation.parts):
                self.of[key].append(index)
        self.groups: dict[Hashable, list[tuple]] = defaultdict(list)
        for group in together:
            group = tuple(group)
            for key in group:
                self.groups[key].append(group)
        self.primary = frozenset(k for k, v in values.items() if k not in magnitudes and 0 < v < threshold)
        self.labelled = set(self.primary)
        self.hidden: set = set()
        self.queue: deque[int] = deque()

    def value(self, key) -> int:
        return self.values.get(key, 0)

    def hide(self, key) -> None:
        stack = [key]
        while stack:
            cell = stack.pop()
            if cell not in self.hidden:
                self.hidden.add(cell)
                self.queue.extend(self.of.get(cell, ()))
                stack.extend(k for group in self.groups.get(cell, ()) for k in group)

    def solve(self) -> Suppression:
        for key in self.primary:
            self.hide(key)
        while True:
            while self.queue:
                self.complete(self.relations[self.queue.popleft()])
            if not self.unpin_all(self.pinned()):
                break
        return Suppression(self.threshold, self.primary, frozenset(self.labelled), frozenset(self.hidden))

    def complement(self, relation: Relation, *, total_first: bool) -> Hashable | None:
        """Hide one more cell of `relation` (its total, or its smallest published non-zero part); which."""
        parts = [k for k in relation.parts if k not in self.hidden and self.value(k)]
        total = relation.total if relation.total not in self.hidden and self.value(relation.total) else None
        chosen = total if total is not None and (total_first or not parts) else None
        if chosen is None and parts:
            chosen = min(parts, key=lambda k: (self.value(k), repr(k)))
        if chosen is not None:
            self.hide(chosen)
        return chosen

    def complete(self, relation: Relation) -> None:
        hidden_parts = sum(k in self.hidden for k in relation.parts)
        if relation.breakdown and hidden_parts:
            self.hide(relation.total)
        if hidden_parts + (relation.total in self.hidden) == 1:
            self.complement(relation, total_first=False)

    # Bounds: what a reader can narrow each hidden cell down to.

    def domain(self, key) -> tuple[float, float]:
        if key not in self.hidden:
            return self.value(key), self.value(key)
        if key in self.labelled:
            return 1, self.threshold - 1
        return 0, UNBOUNDED

    def pinned(self) -> list:
        """Small hidden counts a reader can pin to one value from the published bounds."""
        bounds = {key: self.domain(key) for key in self.hidden}
        queue = deque(sorted({i for key in self.hidden for i in self.of.get(key, ())}))
        waiting = set(queue)
        budget = 50 * (len(queue) + 1)
        while queue and budget:
            budget -= 1
            index = queue.popleft()
            waiting.discard(index)
            for key in self.tighten(self.relations[index], bounds):
                for other in self.of.get(key, ()):
                    if other not in waiting:
                        waiting.add(other)
                        queue.append(other)
        return [key for key in sorted(self.primary, key=repr) if bounds[key][0] == bounds[key][1]]

    def tighten(self, relation: Relation, bounds) -> list:
        """Narrow each hidden cell of `total = sum(parts)` from the others' bounds; the cells narrowed."""
        def get(key):
            return bounds.get(key) or (self.value(key), self.value(key))

        parts = [get(k) for k in relation.parts]
        low_sum = sum(p[0] for p in parts)
        finite_high, unbounded = sum(p[1] for p in parts if p[1] != UNBOUNDED), sum(p[1] == UNBOUNDED for p in parts)
        total_low, total_high = get(relation.total)
        changed = []
        candidates = [(relation.total, low_sum, UNBOUNDED if unbounded else finite_high)]
        for key, (low, high) in zip(relation.parts, parts, strict=True):
            others_unbounded = unbounded - (high == UNBOUNDED)
            others_high = UNBOUNDED if others_unbounded else finite_high - (0 if high == UNBOUNDED else high)
            candidates.append((key, total_low - others_high, total_high - (low_sum - low)))
        for key, low, high in candidates:
            if key not in self.hidden:
                continue
            old = bounds[key]
            new = max(old[0], low), min(old[1], high)
            if new != old and new[0] <= new[1]:
                bounds[key] = new
                changed.append(key)
        return changed

    def unpin_all(self, pinned: list) -> bool:
        """Unpin each pinned cell whose relations this round has not changed yet (the next round rechecks)."""
        touched: set[int] = set()
        for key in pinned:
            if touched.isdisjoint(self.of.get(key, ())):
                changed = self.unpin(key)
                if changed is not None:
                    touched.update(self.of.get(changed, ()))
        return bool(touched)

    def unpin(self, key) -> Hashable | None:
        """Widen a pinned cell's range: hide the total (else another part) of a relation it is in; when all
        is hidden, let a "fewer than" total (else part, else the cell itself) read "not shown"."""
        relations = [self.relations[index] for index in self.of.get(key, ())]
        for relation in relations:
            hidden = self.complement(relation, total_first=True)
            if hidden is not None:
                return hidden
        candidates = [r.total for r in relations] + [k for r in relations for k in r.parts if k != key] + [key]
        labelled = next((k for k in candidates if k in self.labelled), None)
        self.labelled.discard(labelled)
        return labelled
