"""Defining, replacing and retiring indicators: atomic, by a named M&E specialist, audited, checked here.

Every way in (the builder's pages, an import, the API) goes through these functions, so a definition is checked
the same way whoever sends it: `checked_spec` refuses an unknown fact, measure, field or filter, a measure the
fact does not support, a filter value the fact does not accept (`Filter.check`) and a ratio without a
denominator; `checked_dimensions` refuses more stored values per unit and period than
SOCMON_INDICATOR_MAX_CELLS. Errors are keyed by where they are in the definition ("numerator.measure",
"denominator.filters.status", "dimensions", "code"…), so a form can show each beside its field.

A definition is never changed in place (DESIGN "Indicators"): a new version replaces it (the old one ends the
day before), or it is retired; stored values keep pointing at the version they were computed with. A new
version's values are computed in the same transaction (`engine.rebuild`): fine at demo scale; at national scale
this belongs to the worker.

Writes on indicators: targets and baselines (planned values), each change audited.

A target belongs to one indicator version, unit, period and optionally one disaggregation member (women and
men separately). Setting one where one exists changes it. Refused, with nothing stored: a retired indicator
(replaced by a newer version, or past its validity), a period outside its validity or shorter than the period
it is collected for, a unit outside the manager's reach, a member the indicator does not store, a negative
number. An annual target may be split evenly into its four quarters in the same action (for distinct clients
this is a plan, not arithmetic: a client served in two quarters counts once in the year).
"""

import datetime
import re
from dataclasses import asdict, dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event
from socmon.orgs.models import OrgUnit

from . import access, engine, periods, selectors
from .definitions import BUILT_INS
from .engine import DIMENSION_LABELS
from .facts import COUNT, DISTINCT_CLIENTS, FACTS, MEASURE_LABELS, SUM
from .models import Indicator, Target

SERIES = ("numerator", "denominator")
SPEC_KEYS = {"numerator", "denominator", "reported", "percent", "quality"}
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
CODE_LENGTH = 20
# /indicators/custom/ is the builder and /indicators/dashboard/ the dashboard: no indicator's page may live there.
RESERVED_CODES = {"custom", "dashboard"}
# 000's quality list ("İndikator olmalıdır"): prompts the specialist ticks, stored with the spec, never a block.
QUALITY = {
    "measurable": (gettext_lazy("Measurable"),
                   gettext_lazy("it counts something socmon records, the same way every time")),
    "verifiable": (gettext_lazy("Verifiable"),
                   gettext_lazy("each number can be checked against the records behind it")),
    "practical": (gettext_lazy("Accessible and practical"),
                  gettext_lazy("the data is recorded anyway, nobody collects it twice")),
    "context_fit": (gettext_lazy("Fits the context"),
                    gettext_lazy("it matters for the outcome, these services and these clients")),
    "reliable": (gettext_lazy("Reliable and objective"),
                 gettext_lazy("two people counting the same records get the same number")),
    "sensitive": (gettext_lazy("Sensitive and specific"),
                  gettext_lazy("it moves when the outcome changes, and little else moves it")),
}


# --- Who may --------------------------------------------------------------------------------------------------

def definition_list() -> list[Indicator]:
    """Every version of every indicator, by code; `is_newest` marks the one that may be replaced or retired."""
    indicators = list(Indicator.objects.order_by("code", "version"))
    newest = {i.code: i.version for i in indicators}
    for indicator in indicators:
        indicator.is_newest = newest[indicator.code] == indicator.version
    return indicators


# --- Checking a definition ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Description:
    """What an indicator says about itself (000's template): texts and properties that do not change a value."""

    name: str
    kind: str
    definition: str = ""
    outcome: str = ""
    data_source: str = ""
    direct: bool = True
    quantitative: bool = True
    collected: str = Indicator.Collection.MONTH
    higher_is_better: bool = True


Errors = dict[str, list[str]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _one_of(value, choices) -> bool:
    """`value in choices` for whatever a caller sent (a list or a dict is not hashable, and is no choice)."""
    return isinstance(value, str) and value in choices


def _missing(series: str) -> str:
    if series == "numerator":
        return _("Choose the kind of record to count.")
    return _("A ratio needs a denominator: choose the kind of record the count is divided by.")


def _checked_fact_spec(series: str, spec, errors: Errors) -> dict | None:
    if not isinstance(spec, dict) or not _one_of(spec.get("fact"), FACTS):
        fact = spec.get("fact") if isinstance(spec, dict) else spec
        if fact:
            _add(errors, f"{series}.fact", _("There is no kind of record called “%(fact)s”: choose one from the "
                                             "list.") % {"fact": str(fact)[:60]})
        else:
            _add(errors, f"{series}.fact", _missing(series))
        return None
    fact = FACTS[spec["fact"]]
    checked = {"fact": fact.name, "measure": spec.get("measure", COUNT)}
    measure = checked["measure"]
    if not _one_of(measure, MEASURE_LABELS):
        _add(errors, f"{series}.measure", _("Choose how to count them: the number of records, of distinct clients "
                                            "or the sum of a field."))
    elif measure == DISTINCT_CLIENTS and not fact.client:
        _add(errors, f"{series}.measure", _("%(fact)s are not about one client each, so they cannot be counted as "
                                            "distinct clients.") % {"fact": fact.label})
    elif measure == SUM and not fact.sums:
        _add(errors, f"{series}.measure", _("%(fact)s have no numbers to add up: count them instead.")
             % {"fact": fact.label})
    elif measure == SUM and not _one_of(spec.get("field"), fact.sums):
        _add(errors, f"{series}.field", _("%(fact)s have no field “%(field)s” to add up; they have: %(fields)s.")
             % {"fact": fact.label, "field": str(spec.get("field") or "")[:60],
                "fields": ", ".join(str(label) for _lookup, label in fact.sums.values())})
    elif measure == SUM:
        checked["field"] = spec["field"]
    filters = spec.get("filters") or {}
    if not isinstance(filters, dict):
        _add(errors, f"{series}.fact", _("The filters of %(fact)s are not readable.") % {"fact": fact.label})
        return None
    for name, value in filters.items():
        accepted = fact.filters.get(name)
        if accepted is None:
            _add(errors, f"{series}.filters.{name}", _("%(fact)s cannot be filtered by “%(filter)s”.")
                 % {"fact": fact.label, "filter": str(name)[:60]})
        elif not accepted.check(value):
            _add(errors, f"{series}.filters.{name}", _("“%(value)s” is not a value “%(filter)s” accepts.")
                 % {"value": str(value)[:60], "filter": accepted.label})
    if filters:
        checked["filters"] = dict(filters)
    return checked


def _checked_series(series: str, specs, errors: Errors) -> list[dict]:
    if not isinstance(specs, list) or not specs:
        _add(errors, f"{series}.fact", _missing(series))
        return []
    return [checked for spec in specs if (checked := _checked_fact_spec(series, spec, errors))]


def checked_spec(spec, *, errors: Errors | None = None, replacing: Indicator | None = None) -> dict:
    """The spec as stored, or ValidationError naming every problem (collected into `errors` when given).

    `reported` (the fact whose presence makes a value a true zero, not missing) defaults to the numerator's first
    fact, or to the replaced version's when the numerator still starts with the same fact."""
    own = errors is None
    errors = {} if own else errors
    if not isinstance(spec, dict):
        _add(errors, "numerator.fact", _("The definition is not readable."))
        spec = {}
    for key in sorted(set(spec) - SPEC_KEYS):
        _add(errors, "spec", _("The definition has a part socmon does not know: “%(key)s”.") % {"key": str(key)[:60]})
    checked = {"numerator": _checked_series("numerator", spec.get("numerator"), errors), "denominator": None}
    if spec.get("denominator") is not None:
        checked["denominator"] = _checked_series("denominator", spec["denominator"], errors)
    percent = spec.get("percent", False)
    if not isinstance(percent, bool):
        _add(errors, "percent", _("Say whether the ratio is shown as a percentage."))
    elif percent and spec.get("denominator") is None:
        _add(errors, "percent", _("Only a ratio can be shown as a percentage: choose what to divide by, or untick "
                                  "it."))
    checked["percent"] = percent is True
    checked["reported"] = _reported(spec.get("reported"), checked["numerator"], replacing, errors)
    quality = spec.get("quality", [])
    if not isinstance(quality, list) or not all(_one_of(key, QUALITY) for key in quality):
        _add(errors, "quality", _("Tick only items of the quality list."))
    else:
        checked["quality"] = [key for key in QUALITY if key in quality]
    if own and errors:
        raise ValidationError(errors)
    return checked


def _reported(reported, numerator: list[dict], replacing: Indicator | None, errors: Errors) -> dict | None:
    if reported is not None:
        if not isinstance(reported, dict) or not _one_of(reported.get("fact"), FACTS):
            _add(errors, "reported", _("There is no kind of record called “%(fact)s”: choose one from the list.")
                 % {"fact": str(reported.get("fact") if isinstance(reported, dict) else reported)[:60]})
            return None
        return {"fact": reported["fact"], "measure": COUNT}
    if not numerator:
        return None
    old = replacing.spec.get("reported") if replacing is not None else None
    old_first = (replacing.spec.get("numerator") or [{}])[0].get("fact") if replacing is not None else None
    if old and old_first == numerator[0]["fact"]:
        return old
    return {"fact": numerator[0]["fact"], "measure": COUNT}


def dimension_sizes() -> dict[str, int]:
    """How many values each breakdown adds per unit and period (as `engine.members` stores them)."""
    from socmon.catalogue.models import ClientCategory
    from socmon.clients.models import Client

    return {"sex": len(Client.Sex.values), "age": len(engine.AGE_GROUPS), "category": ClientCategory.objects.count()}


def checked_dimensions(dimensions, *, errors: Errors | None = None) -> list[str]:
    """The breakdowns in their usual order, or ValidationError: unknown ones, or more stored values per unit and
    period than SOCMON_INDICATOR_MAX_CELLS (breakdowns are stored one by one, never crossed)."""
    own = errors is None
    errors = {} if own else errors
    if not isinstance(dimensions, list | tuple) or not all(_one_of(d, DIMENSION_LABELS) for d in dimensions):
        _add(errors, "dimensions", _("Choose breakdowns from the list: sex, age group, client category."))
        dimensions = []
    chosen = [d for d in DIMENSION_LABELS if d in dimensions]
    sizes = dimension_sizes() if chosen else {}
    cells = 1 + sum(sizes[d] for d in chosen)
    limit = settings.SOCMON_INDICATOR_MAX_CELLS
    if cells > limit:
        parts = {"sex": _("%(count)s by sex"), "age": _("%(count)s by age group"),
                 "category": _("%(count)s by client category")}
        _add(errors, "dimensions", _(
            "These breakdowns would store %(cells)s values for every unit and period (the total, %(parts)s), more "
            "than the limit of %(limit)s. Each breakdown is stored on its own, never crossed with another: choose "
            "fewer breakdowns.") % {"cells": cells, "limit": limit,
                                    "parts": ", ".join(parts[d] % {"count": sizes[d]} for d in chosen)})
    if own and errors:
        raise ValidationError(errors)
    return chosen


def _check_description(description: Description, errors: Errors) -> None:
    if not description.name.strip():
        _add(errors, "name", _("Enter the indicator's name."))
    elif len(description.name) > 200:
        _add(errors, "name", _("Keep the name under 200 characters."))
    if len(description.data_source) > 300:
        _add(errors, "data_source", _("Keep the data source under 300 characters."))
    if description.kind not in Indicator.Kind.values:
        _add(errors, "kind", _("Choose the kind: process, result or satisfaction."))
    if description.collected not in Indicator.Collection.values:
        _add(errors, "collected", _("Choose the period it is collected for."))
    for field in ("direct", "quantitative", "higher_is_better"):
        if not isinstance(getattr(description, field), bool):
            _add(errors, field, _("Choose one of the two answers."))


def _check_day(day, field: str, errors: Errors) -> None:
    if day is None:
        _add(errors, field, _("Enter the day."))
    elif not isinstance(day, datetime.date) or not periods.EARLIEST_YEAR <= day.year <= periods.LATEST_YEAR:
        _add(errors, field, _("Give a date between %(first)s and %(last)s.")
             % {"first": periods.EARLIEST_YEAR, "last": periods.LATEST_YEAR})


def _check_code(code: str, errors: Errors) -> None:
    if not code:
        _add(errors, "code", _("Enter a code for the indicator."))
    elif len(code) > CODE_LENGTH or not CODE.match(code):
        _add(errors, "code", _("Use up to 20 letters, numbers, hyphens or underscores, starting with a letter, for "
                               "example VR8."))
    elif code.upper() in BUILT_INS:
        _add(errors, "code", _("%(code)s is a built-in indicator: choose another code, or replace the built-in one "
                               "with a new version.") % {"code": code.upper()})
    elif code.lower() in RESERVED_CODES:
        _add(errors, "code", _("“%(code)s” cannot be an indicator's code: choose another.") % {"code": code})
    elif Indicator.objects.filter(code__iexact=code).exists():
        _add(errors, "code", _taken(code))


def _taken(code: str) -> str:
    return _("Another indicator already uses the code %(code)s: choose another, or replace that indicator with a "
             "new version.") % {"code": code}


def _checked(*, description: Description, spec, dimensions, valid_from, errors: Errors,
             replacing: Indicator | None = None) -> dict:
    """The fields of a new version, every problem collected first: nothing is stored unless all is well."""
    _check_description(description, errors)
    spec = checked_spec(spec, errors=errors, replacing=replacing)
    dimensions = checked_dimensions(dimensions, errors=errors)
    _check_day(valid_from, "valid_from", errors)
    if errors:
        raise ValidationError(errors)
    return {**asdict(description), "spec": spec, "dimensions": dimensions, "valid_from": valid_from}


# --- The three changes ----------------------------------------------------------------------------------------

def _require_manager(by) -> None:
    if not access.may_manage(by):
        raise PermissionDenied


@transaction.atomic
def define_indicator(*, by, code: str, description: Description, spec: dict, dimensions: list[str],
                     valid_from: datetime.date, now: datetime.datetime | None = None) -> Indicator:
    """A new custom indicator (version 1), its values computed at once for its validity."""
    _require_manager(by)
    errors: Errors = {}
    code = (code or "").strip()
    _check_code(code, errors)
    fields = _checked(description=description, spec=spec, dimensions=dimensions, valid_from=valid_from,
                      errors=errors)
    try:
        with transaction.atomic():
            indicator = Indicator.objects.create(code=code, version=1, created_by=by, **fields)
    except IntegrityError:  # the same code, defined at the same moment by someone else
        raise ValidationError({"code": [_taken(code)]}) from None
    record_event(by=by, action=AuditAction.INDICATOR_DEFINED, target=indicator, code=code, version=1,
                 valid_from=valid_from.isoformat(), spec=fields["spec"], dimensions=fields["dimensions"])
    engine.rebuild([indicator], now=now or timezone.now())
    return indicator


def _newer(indicator: Indicator) -> Indicator | None:
    return Indicator.objects.filter(code=indicator.code, version__gt=indicator.version).order_by("-version").first()


def _replaced_meanwhile(indicator: Indicator, newer_version: int | None = None) -> ValidationError:
    return ValidationError(
        _("%(code)s version %(version)s has been replaced by version %(newer)s meanwhile, so nothing was saved. "
          "Open it again to see the newest version.") % {"code": indicator.code, "version": indicator.version,
                                                         "newer": newer_version or indicator.version + 1},
        code="replaced")


@transaction.atomic
def replace_indicator(*, by, indicator: Indicator, description: Description, spec: dict, dimensions: list[str],
                      valid_from: datetime.date, now: datetime.datetime | None = None) -> Indicator:
    """Version N+1 of `indicator` from `valid_from`; version N ends the day before. One winner: the row of version N
    is locked, and the unique (code, version) is the last line."""
    _require_manager(by)
    old = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if newer := _newer(old):
        raise _replaced_meanwhile(old, newer.version)
    errors: Errors = {}
    fields = _checked(description=description, spec=spec, dimensions=dimensions, valid_from=valid_from,
                      errors=errors, replacing=old)
    last_day = valid_from - datetime.timedelta(days=1)
    if last_day < old.valid_from:
        raise ValidationError({"valid_from": [_(
            "The new version must start after %(date)s, the first day of version %(version)s, so that version keeps "
            "at least a day.") % {"date": old.valid_from.isoformat(), "version": old.version}]})
    try:
        with transaction.atomic():
            new = Indicator.objects.create(code=old.code, version=old.version + 1, replaces=old, created_by=by,
                                           **fields)
    except IntegrityError:  # a second replacement that got past the lock (the database has the last word)
        raise _replaced_meanwhile(old) from None
    ended_before = old.valid_to
    old.valid_to = min(old.valid_to or last_day, last_day)
    old.save(update_fields=["valid_to"])
    record_event(by=by, action=AuditAction.INDICATOR_REPLACED, target=new, code=new.code, version=new.version,
                 replaced_version=old.version, valid_from=valid_from.isoformat(),
                 old_valid_to=old.valid_to.isoformat(), old_valid_to_before=ended_before and ended_before.isoformat(),
                 spec=fields["spec"], dimensions=fields["dimensions"])
    # Only the new version is computed: the old one's stored values stay as they were published.
    engine.rebuild([new], now=now or timezone.now())
    return new


@transaction.atomic
def retire_indicator(*, by, indicator: Indicator, valid_to: datetime.date) -> Indicator:
    """End an indicator's validity on `valid_to` (not before its first day); its stored values stay."""
    _require_manager(by)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if newer := _newer(locked):
        raise _replaced_meanwhile(locked, newer.version)
    if locked.valid_to is not None:
        raise ValidationError(_("%(code)s is already retired: its last day is %(date)s.")
                              % {"code": locked.code, "date": locked.valid_to.isoformat()}, code="retired")
    errors: Errors = {}
    _check_day(valid_to, "valid_to", errors)
    if not errors and valid_to < locked.valid_from:
        _add(errors, "valid_to", _("The last day cannot be before the indicator's first day, %(date)s.")
             % {"date": locked.valid_from.isoformat()})
    if errors:
        raise ValidationError(errors)
    locked.valid_to = valid_to
    locked.save(update_fields=["valid_to"])
    record_event(by=by, action=AuditAction.INDICATOR_RETIRED, target=locked, code=locked.code,
                 version=locked.version, valid_to=valid_to.isoformat())
    return locked


# --- targets and baselines ---------------------------------------------------------------------------

CENT = Decimal("0.01")
LARGEST = Decimal("999999999999.99")


def _check(*, by, indicator: Indicator, org_unit: OrgUnit, period: periods.Period, dimension: str, member: str,
           numbers: dict[str, Decimal | None], split: bool, today: datetime.date) -> None:
    if selectors.is_retired(indicator, today=today):
        raise ValidationError(_("%(code)s is retired: targets are set on the indicator that replaces it, or not at "
                                "all.") % {"code": indicator.code})
    if not access.may_manage_unit(by, org_unit):
        raise ValidationError({"org_unit": _("You may set targets only for units in your reach.")})
    if periods.MONTHS_IN[period.type] < periods.MONTHS_IN[indicator.collected]:
        raise ValidationError({"period": _("%(code)s is not collected for periods this short: set a target for a "
                                           "period at least as long as the one it is collected for (%(collected)s).")
                               % {"code": indicator.code, "collected": indicator.get_collected_display()}})
    if not selectors.within_validity(indicator, period):
        raise ValidationError({"period": _("%(period)s is outside the validity of %(code)s (%(validity)s).") % {
            "period": period.label, "code": indicator.code, "validity": selectors.validity_text(indicator)}})
    if split and (period.type != periods.YEAR or periods.MONTHS_IN[indicator.collected] > 3):
        raise ValidationError({"split": _("Only a target for a year of an indicator collected monthly or quarterly "
                                          "can be split into quarters.")})
    if dimension and (dimension, member) not in {(m.dimension, m.member) for m in selectors.members_of(indicator)}:
        raise ValidationError({"member": _("%(code)s is not broken down this way.") % {"code": indicator.code}})
    for name, number in numbers.items():
        if number is not None and not (number.is_finite() and Decimal(0) <= number <= LARGEST):
            raise ValidationError({name: _("Enter a number from 0 to 999,999,999,999.")})


def _quarters(number: Decimal | None) -> list[Decimal | None]:
    """An amount split into four parts to the cent that add up to it exactly (the last takes the remainder)."""
    if number is None:
        return [None] * 4
    part = (number / 4).quantize(CENT, rounding=ROUND_DOWN)
    return [part, part, part, number - 3 * part]


@transaction.atomic
def set_target(*, by, indicator: Indicator, org_unit: OrgUnit, period: periods.Period, target: Decimal,
               baseline: Decimal | None = None, dimension: str = "", member: str = "", split: bool = False,
               now: datetime.datetime) -> list[Target]:
    """Set (or change) the target and baseline of one cell; with `split`, also each quarter of the year to a
    quarter of it. Returns the targets written; one audit event each."""
    member = member if dimension else ""
    numbers = {"target": Decimal(target), "baseline": None if baseline is None else Decimal(baseline)}
    _check(by=by, indicator=indicator, org_unit=org_unit, period=period, dimension=dimension, member=member,
           numbers=numbers, split=split, today=timezone.localdate(now))
    target, baseline = (None if n is None else n.quantize(CENT) for n in numbers.values())
    cells = [(period, target, baseline)]
    if split:
        quarters = [periods.Period(periods.QUARTER, periods.add_months(period.start, 3 * i)) for i in range(4)]
        cells += list(zip(quarters, _quarters(target), _quarters(baseline), strict=True))
    return [_write(by=by, indicator=indicator, org_unit=org_unit, period=p, dimension=dimension, member=member,
                   target=t, baseline=b, now=now) for p, t, b in cells]


def _locked(cell: dict) -> Target | None:
    """The cell's target, locked until the transaction ends; None while none is set."""
    return Target.objects.select_for_update().filter(**cell).first()


def _write(*, by, indicator, org_unit, period, dimension, member, target, baseline, now) -> Target:
    """Change the cell's target under a row lock, or create it; a create that loses a race to another is
    refused with words (the unique constraint decides), never a 500."""
    cell = dict(indicator=indicator, org_unit=org_unit, period_type=period.type, period_start=period.start,
                dimension=dimension, member=member)
    existing = _locked(cell)
    previous = None
    if existing is not None:
        previous = {"target": str(existing.target), "baseline": None if existing.baseline is None
                    else str(existing.baseline)}
        existing.target, existing.baseline, existing.set_by, existing.set_at = target, baseline, by, now
        existing.save(update_fields=["target", "baseline", "set_by", "set_at"])
        written = existing
    else:
        try:
            with transaction.atomic():
                written = Target.objects.create(**cell, target=target, baseline=baseline, set_by=by, set_at=now)
        except IntegrityError:
            raise ValidationError(_("Someone set this target at the same moment. Look at the list of targets and "
                                    "set it again if it should change.")) from None
    record_event(by=by, action=AuditAction.INDICATOR_TARGET_SET, target=written, org_path=org_unit.path,
                 indicator=indicator.code, version=indicator.version, period=period.key, dimension=dimension,
                 member=member, value=str(target), baseline=None if baseline is None else str(baseline),
                 previous=previous)
    return written
