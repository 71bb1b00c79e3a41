"""Finding clients by code or name, by an index on both databases.

- A full client code (`C-7KX2M9`, also typed without the dash or in lower case) is an equality lookup on the
  unique code.
- A word starting with `C-` is a code prefix (the code's index: PostgreSQL's `varchar_pattern_ops` one that
  Django creates beside a unique CharField; a range on SQLite).
- Other words are parts of the name, case-folded in any script (clients.models.name_key):
  PostgreSQL: any substring, through the trigram index on `search_name` (migration 0004);
  SQLite: the start of the first name or of the surname, as ranges on the two indexed keys.
"""

import re

from django.db import connection
from django.db.models import Q, QuerySet

from .models import CODE_ALPHABET, Client

MAX_WORDS = 5
# Above every character: a range [prefix, prefix + TOP) holds exactly the strings starting with prefix
# under SQLite's binary collation.
TOP = "\U0010ffff"
_CODE = re.compile(rf"C-?[{CODE_ALPHABET}]{{6}}")


def full_code(query: str) -> str | None:
    """The client code `query` spells out, normalised (`c-7kx2m9`, `C 7KX2M9` → `C-7KX2M9`), or None."""
    compact = "".join(query.split()).upper()
    if not _CODE.fullmatch(compact):
        return None
    return compact if compact.startswith("C-") else "C-" + compact[1:]


def prefix_q(field: str, prefix: str) -> Q:
    """Rows whose `field` starts with `prefix`, in a form each database answers from a b-tree index."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})  # LIKE 'prefix%' on the *_like (pattern_ops) index
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + TOP})


def _word_q(word: str) -> Q:
    if word.upper().startswith("C-"):
        return prefix_q("code", word.upper())
    folded = word.casefold()
    if connection.vendor == "postgresql":
        return Q(search_name__contains=folded)
    return prefix_q("search_name", folded) | prefix_q("search_name_last_first", folded)


def search(clients: QuerySet[Client], query: str) -> QuerySet[Client]:
    """`clients` narrowed to the query: a full code exactly, otherwise every word (at most five) matches."""
    code = full_code(query)
    if code:
        return clients.filter(code=code)
    for word in query.split()[:MAX_WORDS]:
        clients = clients.filter(_word_q(word))
    return clients


def name_words(query: str) -> list[str]:
    """The words of a name search (none for a code search)."""
    return [] if full_code(query) else [w for w in query.split()[:MAX_WORDS] if not w.upper().startswith("C-")]
