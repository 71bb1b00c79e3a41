"""Writes on indicators: targets and baselines (planned values), each change audited.

A target belongs to one indicator version, unit, period and optionally one disaggregation member (women and
men separately). Setting one where one exists changes it. Refused, with nothing stored: a retired indicator
(replaced by a newer version, or past its validity), a period outside its validity or shorter than the period
it is collected for, a unit outside the manager's reach, a member the indicator does not store, a negative
number. An annual target may be split evenly into its four quarters in the same action (for distinct clients
this is a plan, not arithmetic: a client served in two quarters counts once in the year).
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event
from socmon.orgs.models import OrgUnit

from . import access, periods, selectors
from .models import Indicator, Target

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
