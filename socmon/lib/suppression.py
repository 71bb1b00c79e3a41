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

from collections import deque
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
    """Cells numbered 0..n−1 (lists, not dicts of keys: a country's table holds some 10⁵ cells)."""

    def __init__(self, values, relations, threshold, magnitudes, together):
        self.threshold = threshold
        self.keys: list = list(values)
        self.index: dict = {key: i for i, key in enumerate(self.keys)}
        self.values: list[int] = [values[key] for key in self.keys]
        self.counts: list[bool] = [key not in magnitudes for key in self.keys]
        self.relations: list[tuple[int, tuple[int, ...], bool]] = [
            (self.cell(r.total), tuple(self.cell(p) for p in r.parts), r.breakdown) for r in relations]
        self.of: list[list[int]] = [[] for _ in self.keys]  # cell → the relations it is in
        for number, (total, parts, _breakdown) in enumerate(self.relations):
            for cell in (total, *parts):
                self.of[cell].append(number)
        self.groups: list[list[tuple[int, ...]]] = [[] for _ in self.keys]
        for group in together:
            group = tuple(self.cell(key) for key in group)
            for cell in group:
                self.groups[cell].append(group)
        self.primary = [i for i, v in enumerate(self.values) if self.counts[i] and 0 < v < threshold]
        self.labelled = set(self.primary)
        self.hidden = [False] * len(self.keys)
        self.queue: deque[int] = deque()

    def cell(self, key) -> int:
        """The number of `key`, a new zero cell for a key without a value."""
        if key not in self.index:
            self.index[key] = len(self.keys)
            self.keys.append(key)
            self.values.append(0)
            self.counts.append(True)
        return self.index[key]

    def hide(self, cell: int) -> None:
        stack = [cell]
        while stack:
            cell = stack.pop()
            if not self.hidden[cell]:
                self.hidden[cell] = True
                self.queue.extend(self.of[cell])
                stack.extend(c for group in self.groups[cell] for c in group)

    def solve(self) -> Suppression:
        for cell in self.primary:
            self.hide(cell)
        while True:
            while self.queue:
                self.complete(*self.relations[self.queue.popleft()])
            if not self.unpin_all(self.pinned()):
                break
        keys = self.keys
        return Suppression(self.threshold, frozenset(keys[i] for i in self.primary),
                           frozenset(keys[i] for i in self.labelled),
                           frozenset(keys[i] for i, hidden in enumerate(self.hidden) if hidden))

    def complement(self, total: int, parts: tuple[int, ...], *, total_first: bool) -> int | None:
        """Hide one more cell of a relation (its total, or its smallest published non-zero part); which."""
        hidden, values = self.hidden, self.values
        shown = [c for c in parts if not hidden[c] and values[c]]
        chosen = total if not hidden[total] and values[total] and (total_first or not shown) else None
        if chosen is None and shown:
            chosen = min(shown, key=lambda c: (values[c], repr(self.keys[c])))
        if chosen is not None:
            self.hide(chosen)
        return chosen

    def complete(self, total: int, parts: tuple[int, ...], breakdown: bool) -> None:
        hidden_parts = sum(self.hidden[c] for c in parts)
        if breakdown and hidden_parts:
            self.hide(total)
        if hidden_parts + self.hidden[total] == 1:
            self.complement(total, parts, total_first=False)

    # Bounds: what a reader can narrow each hidden cell down to.

    def pinned(self) -> list[int]:
        """Small hidden counts a reader can pin to one value from the published bounds.

        Relations of sums of amounts never bound a count, so only relations of counts are propagated."""
        hidden, counts = self.hidden, self.counts
        low = [float(v) for v in self.values]
        high = list(low)
        for cell, is_hidden in enumerate(hidden):
            if is_hidden:
                low[cell], high[cell] = (1, self.threshold - 1) if cell in self.labelled else (0, UNBOUNDED)
        queue = deque(sorted({r for cell, is_hidden in enumerate(hidden) if is_hidden and counts[cell]
                              for r in self.of[cell]}))
        waiting = set(queue)
        budget = 50 * (len(queue) + 1)
        while queue and budget:
            budget -= 1
            number = queue.popleft()
            waiting.discard(number)
            for cell in self.tighten(*self.relations[number], low, high):
                for other in self.of[cell]:
                    if other not in waiting:
                        waiting.add(other)
                        queue.append(other)
        return [cell for cell in self.primary if low[cell] == high[cell]]

    def tighten(self, total: int, parts: tuple[int, ...], breakdown: bool, low: list, high: list) -> list[int]:
        """Narrow each hidden cell of `total = sum(parts)` from the others' bounds; the cells narrowed."""
        low_sum = finite_high = 0.0
        unbounded = 0
        for c in parts:
            low_sum += low[c]
            if high[c] == UNBOUNDED:
                unbounded += 1
            else:
                finite_high += high[c]
        changed = []
        hidden = self.hidden
        if hidden[total]:
            changed += self.narrow(total, low_sum, UNBOUNDED if unbounded else finite_high, low, high)
        for c in parts:
            if hidden[c]:
                others_unbounded = unbounded - (high[c] == UNBOUNDED)
                others_high = UNBOUNDED if others_unbounded else finite_high - (0 if high[c] == UNBOUNDED else high[c])
                changed += self.narrow(c, low[total] - others_high, high[total] - (low_sum - low[c]), low, high)
        return changed

    @staticmethod
    def narrow(cell: int, new_low: float, new_high: float, low: list, high: list) -> list[int]:
        new_low, new_high = max(low[cell], new_low), min(high[cell], new_high)
        if (new_low, new_high) == (low[cell], high[cell]) or new_low > new_high:
            return []
        low[cell], high[cell] = new_low, new_high
        return [cell]

    def unpin_all(self, pinned: list[int]) -> bool:
        """Unpin each pinned cell whose relations this round has not changed yet (the next round rechecks)."""
        touched: set[int] = set()
        for cell in pinned:
            if touched.isdisjoint(self.of[cell]):
                changed = self.unpin(cell)
                if changed is not None:
                    touched.update(self.of[changed])
        return bool(touched)

    def unpin(self, cell: int) -> int | None:
        """Widen a pinned cell's range: hide the total (else another part) of a relation it is in; when all
        is hidden, let a "fewer than" total (else part, else the cell itself) read "not shown"."""
        relations = [self.relations[number] for number in self.of[cell]]
        for total, parts, _breakdown in relations:
            hidden = self.complement(total, parts, total_first=True)
            if hidden is not None:
                return hidden
        candidates = [r[0] for r in relations] + [c for r in relations for c in r[1] if c != cell] + [cell]
        labelled = next((c for c in candidates if c in self.labelled), None)
        self.labelled.discard(labelled)
        return labelled
