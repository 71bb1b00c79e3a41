"""Values read from an address (`?q=`, `?date=`): whatever is typed or sent there gives a page with a
message, never a 500."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import dates

MAX_QUERY_LENGTH = 100


def clean_query(value: str | None, *, limit: int = MAX_QUERY_LENGTH) -> str:
    """A search term as it may reach the database: without control characters (PostgreSQL refuses a NUL
    byte in text), spaces trimmed, at most `limit` characters."""
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in (value or ""))
    return " ".join(text.split())[:limit]


def day_from_query(data, *, today: datetime.date, name: str = "date") -> tuple[datetime.date, str]:
    """The day `?date=YYYY-MM-DD` names, from EARLIEST to the planning horizon; otherwise today and a
    message saying why the address's day was not used (empty when none was given or it was used)."""
    value = (data.get(name) or "").strip()
    if not value:
        return today, ""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return today, _("“%(value)s” is not a date: today is shown instead.") % {"value": value[:20]}
    try:
        dates.check_between(day, field=name, earliest=dates.EARLIEST, latest=dates.horizon(today))
    except ValidationError as error:
        return today, _("%(reason)s Today is shown instead.") % {"reason": error.messages[0]}
    return day, ""
