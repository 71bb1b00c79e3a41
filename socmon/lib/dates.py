"""The date rules, written once: the sane range of every date a person enters and the order of a date
with its neighbours. Services call these with the name of the form field the date comes from, so the
error they raise is shown on that field (socmon.lib.forms.apply_service); nothing else checks dates.

Every rule takes `today` explicitly: the clock is the caller's.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Nothing in a person's record or a case happened before this (the oldest living people included).
EARLIEST = datetime.date(1900, 1, 1)
# How far ahead anything may be planned (plans, reviews, visits), and how far back something may be
# recorded after the fact (an application received, a review held, a plan's start, joining a programme).
HORIZON_YEARS = 5
PAST_YEARS = 5
MAX_AGE_YEARS = 120


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def horizon(today: datetime.date) -> datetime.date:
    """The last day anything may be planned for."""
    return years_before(today, -HORIZON_YEARS)


def recent(today: datetime.date) -> datetime.date:
    """The first day something may be recorded for after the fact."""
    return max(EARLIEST, years_before(today, PAST_YEARS))


def field_error(field: str, message: str, code: str) -> ValidationError:
    """An error about one input, shown on that field by forms (and as a message elsewhere)."""
    return ValidationError({field: ValidationError(message, code=code)})


# Languages whose month and weekday names are written in lower case inside a sentence; Django's catalogues
# give some of them capitalised (kk, az: "5 Желтоқсан"; ru: "Суббота"). Azerbaijani lowers İ to i, not i̇.
LOWER_CASE_NAMES = {"ru": {}, "kk": {}, "az": str.maketrans({"İ": "i", "I": "ı"}), "ro": {}}


def in_text(day: datetime.date | datetime.datetime, format: str = "DATE_FORMAT") -> str:
    """A date as written inside a sentence: month and weekday names in the case the language wants there.
    A moment (an aware datetime) is written in local time, as Django's `date` filter does."""
    if isinstance(day, datetime.datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    shown = date_format(day, format)
    language = (get_language() or "").split("-")[0]
    if language not in LOWER_CASE_NAMES:
        return shown
    return shown.translate(LOWER_CASE_NAMES[language]).lower()


def one_full_stop(text: str) -> str:
    """A sentence ending in a date that ends in an abbreviation ("2026 г.") keeps one full stop, not "г.."."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)


def _shown(day: datetime.date) -> str:
    return in_text(day)


def check_between(day: datetime.date, *, field: str, earliest: datetime.date, latest: datetime.date) -> None:
    if not earliest <= day <= latest:
        raise field_error(field, one_full_stop(_("Enter a date from %(earliest)s to %(latest)s.")
                                               % {"earliest": _shown(earliest), "latest": _shown(latest)}),
                          "date_range")


def check_past(day: datetime.date, *, field: str, today: datetime.date, future: str,
               earliest: datetime.date | None = None) -> None:
    """Something that has happened: from `earliest` (default: the last PAST_YEARS years) to today.
    `future` is the message for a later day."""
    earliest = recent(today) if earliest is None else earliest
    if day > today:
        raise field_error(field, future, "date_future")
    check_between(day, field=field, earliest=earliest, latest=today)


def check_planned(day: datetime.date, *, field: str, today: datetime.date, earliest: datetime.date | None = None,
                  ) -> None:
    """Something planned: from `earliest` (default: the last PAST_YEARS years) to the planning horizon."""
    earliest = recent(today) if earliest is None else earliest
    check_between(day, field=field, earliest=earliest, latest=horizon(today))


def check_birth_date(day: datetime.date, *, field: str = "birth_date", today: datetime.date) -> None:
    if day > today:
        raise field_error(field, _("The date of birth must be today or in the past."), "birth_future")
    if day < years_before(today, MAX_AGE_YEARS):
        raise field_error(field, _("The date of birth must be within the last %(years)s years.")
                          % {"years": MAX_AGE_YEARS}, "birth_too_old")


def check_order(first: datetime.date, later: datetime.date, *, field: str, message: str,
                strict: bool = False) -> None:
    """`later` comes on or after `first` (strictly after with `strict`); the error is on `field`."""
    if later < first or (strict and later == first):
        raise field_error(field, message, "date_order")


def collect(*checks) -> None:
    """Run every check (a callable that may raise ValidationError) and raise all their errors together,
    so that a form shows every wrong field at once rather than one per try."""
    errors = []
    for check in checks:
        try:
            check()
        except ValidationError as error:
            errors.append(error)
    if errors:
        merged: dict = {}
        for error in errors:
            for field, messages in error.update_error_dict({}).items():
                merged.setdefault(field, []).extend(messages)
        raise ValidationError(merged)


def holidays_between(start: datetime.date, end: datetime.date, unit_path: str | None = None) -> set[datetime.date]:
    """Public holidays in [start, end]: the country's, and those of the units above `unit_path` (itself
    included). One query."""
    from django.db.models import Q

    from socmon.orgs.models import OrgUnit

    from .models import Holiday

    applies = Q(org_unit=None)
    if unit_path:  # the unit's own path and each ancestor's
        step = OrgUnit.steplen
        applies |= Q(org_unit__path__in=[unit_path[:i] for i in range(step, len(unit_path) + 1, step)])
    return set(Holiday.objects.filter(applies, date__gte=start, date__lte=end).values_list("date", flat=True))


def add_working_days(day: datetime.date, n: int, *, unit_path: str | None = None) -> datetime.date:
    """The working day `n` working days after `day`: Monday to Friday, not a public holiday of the country or
    of the units above `unit_path` (socmon.lib.models.Holiday); a day off counts from the next working day.
    One query for the holidays of the weeks it spans (another per further stretch in a year of holidays)."""
    holidays: set[datetime.date] = set()
    fetched_to = day
    while n > 0:
        day += datetime.timedelta(days=1)
        if day > fetched_to:
            start, fetched_to = day, day + datetime.timedelta(days=2 * n + 14)
            holidays |= holidays_between(start, fetched_to, unit_path)
        if day.weekday() < 5 and day not in holidays:
            n -= 1
    return day
