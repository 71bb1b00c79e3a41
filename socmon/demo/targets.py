"""Demo targets (issue 10), through socmon.indicators.services: the Almaty Region's monitoring specialist plans
this year's clients in group activities (IP2) for Talgar's Home Care Department, split into quarters, and group
activities (IP1) for the Talgar centre, so the indicator pages show planned against actual.
Does nothing without the demo department or specialist, or when targets exist."""

from decimal import Decimal

from django.utils import timezone

from socmon.accounts.models import User
from socmon.indicators import periods, services
from socmon.indicators.models import Indicator, Target
from socmon.orgs.models import OrgUnit

HOME_CARE = "talgar-csc-d1"


def build() -> None:
    department = OrgUnit.objects.filter(code=HOME_CARE).first()
    specialist = User.objects.filter(username="specialist").first()
    if department is None or specialist is None or Target.objects.exists():
        return
    now = timezone.now()
    year = periods.containing(periods.YEAR, timezone.localdate(now))
    current = Indicator.objects.filter(replaced_by__isnull=True)
    services.set_target(by=specialist, indicator=current.get(code="IP2"), org_unit=department, period=year,
                        target=Decimal(40), baseline=Decimal(28), split=True, now=now)
    centre = OrgUnit.objects.get_parent(department)
    services.set_target(by=specialist, indicator=current.get(code="IP1"), org_unit=centre, period=year,
                        target=Decimal(96), baseline=Decimal(80), now=now)
