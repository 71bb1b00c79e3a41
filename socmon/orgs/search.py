"""Finding units by part of a name (in any of the five languages), of the address, or of the area they lie in.

Each word (at most five, of two characters or more) must match the unit's own `search_text` or the name of an
administrative area above it (a town, a district, a region). Names are case-folded in any script:
PostgreSQL answers substrings from the trigram index on `search_text` (migration 0004); SQLite scans the
units, which it holds far fewer of. A word naming more than `AREAS_PER_WORD` areas ("district") is too general
to stand for a place and matches the unit's own text only. One query per word for the areas; callers bound
the result (`[:n]`).
"""

from django.db.models import Q, QuerySet

from .models import OrgLevel, OrgUnit

MAX_WORDS = 5
MIN_LENGTH = 2
AREAS_PER_WORD = 20


def search_words(query: str) -> list[str]:
    return [w.casefold() for w in (query or "").split()[:MAX_WORDS] if len(w) >= MIN_LENGTH]


def find_units(units: QuerySet[OrgUnit], query: str) -> QuerySet[OrgUnit]:
    """`units` narrowed to those matching every word of `query` (none when no word is long enough)."""
    words = search_words(query)
    if not words:
        return units.none()
    for word in words:
        areas = list(OrgUnit.objects.filter(level__kind=OrgLevel.Kind.AREA, search_text__contains=word)
                     .order_by().values_list("path", flat=True)[:AREAS_PER_WORD + 1])
        match = Q(search_text__contains=word)
        if len(areas) <= AREAS_PER_WORD:
            for path in areas:
                match |= Q(path__startswith=path)
        units = units.filter(match)
    return units
