"""Reporting periods: month, quarter, half-year and year, each named by its type and first day.

A period's key is written "2026-11" (month), "2026-Q4", "2026-H2" or "2026"; `parse` refuses anything else
(and years outside a sane range), so a URL or form never reaches the database with a period that does not exist.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTH, QUARTER, HALF, YEAR = "M", "Q", "H", "Y"
TYPES = (MONTH, QUARTER, HALF, YEAR)
TYPE_LABELS = {MONTH: gettext_lazy("Month"), QUARTER: gettext_lazy("Quarter"), HALF: gettext_lazy("Half-year"),
               YEAR: gettext_lazy("Year")}
MONTHS_IN = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
# The column of the leaf table that holds each period type's first day.
COLUMN = {MONTH: "month", QUARTER: "quarter", HALF: "half", YEAR: "year"}
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$")


@dataclass(frozen=True, order=True)
class Period:
    type: str
    start: datetime.date

    @property
    def end(self) -> datetime.date:
        """The last day."""
        return add_months(self.start, MONTHS_IN[self.type]) - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        year = self.start.year
        number = (self.start.month - 1) // MONTHS_IN[self.type] + 1
        return {MONTH: f"{year}-{self.start.month:02d}", QUARTER: f"{year}-Q{number}", HALF: f"{year}-H{number}",
                YEAR: f"{year}"}[self.type]

    @property
    def label(self) -> str:
        number = (self.start.month - 1) // MONTHS_IN[self.type] + 1
        if self.type == MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.type == QUARTER:
            return _("Q%(number)s %(year)s") % {"number": number, "year": self.start.year}
        if self.type == HALF:
            return _("H%(number)s %(year)s") % {"number": number, "year": self.start.year}
        return str(self.start.year)

    def months(self) -> list[datetime.date]:
        return [add_months(self.start, i) for i in range(MONTHS_IN[self.type])]

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> "Period":
        return Period(self.type, add_months(self.start, -MONTHS_IN[self.type]))

    def same_last_year(self) -> "Period":
        return Period(self.type, self.start.replace(year=self.start.year - 1))

    def __str__(self) -> str:
        return self.key


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def start_of(period_type: str, day: datetime.date) -> datetime.date:
    size = MONTHS_IN[period_type]
    return datetime.date(day.year, (day.month - 1) // size * size + 1, 1)


def containing(period_type: str, day: datetime.date) -> Period:
    return Period(period_type, start_of(period_type, day))


def all_containing(day: datetime.date) -> list[Period]:
    """The month, quarter, half-year and year a day belongs to."""
    return [containing(t, day) for t in TYPES]


def parse(key: str) -> Period:
    """A period from its key, or ValueError with a message a person can act on."""
    match = _KEY.match((key or "").strip())
    if not match:
        raise ValueError(_("Give a period as 2026-11 (month), 2026-Q4 (quarter), 2026-H2 (half-year) or 2026 "
                           "(year)."))
    year = int(match["year"])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(_("Give a year between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR,
                                                                              "last": LATEST_YEAR})
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(_("A month is numbered from 01 to 12."))
        return Period(MONTH, datetime.date(year, month, 1))
    if match["quarter"]:
        return Period(QUARTER, datetime.date(year, (int(match["quarter"]) - 1) * 3 + 1, 1))
    if match["half"]:
        return Period(HALF, datetime.date(year, (int(match["half"]) - 1) * 6 + 1, 1))
    return Period(YEAR, datetime.date(year, 1, 1))


def leaf_columns(month: datetime.date) -> dict[str, datetime.date]:
    """The leaf table's period columns for a month."""
    return {COLUMN[t]: start_of(t, month) for t in TYPES}
