"""Facts for indicator tests, recorded as the apps record them (services where they matter, rows otherwise)."""

import datetime

from socmon.activities import services as activity_services
from socmon.activities.models import Activity, Attendance, OtherParticipants
from socmon.clients.models import Client
from socmon.indicators import engine, periods
from socmon.indicators.models import Indicator, IndicatorValue
from socmon.visits.tests.fieldkit import make_client


def client(world, unit=None, *, sex=Client.Sex.FEMALE, born=datetime.date(1948, 3, 8), first="Gulnara"):
    person = make_client(world, unit=unit, first=first)
    if sex != person.sex or born != person.birth_date:
        Client.objects.filter(pk=person.pk).update(sex=sex, birth_date=born)
        person.refresh_from_db()
    return person


RECORDER = {"home_care": "alice", "family": "fiona", "hill_care": "walt"}


def activity(world, unit, day: datetime.date, kind=Activity.Kind.GROUP, clients=(), others: int = 0) -> Activity:
    by = getattr(world, RECORDER[unit.code.replace("-support", "").replace("family", "family")
                                .replace("home-care", "home_care").replace("hill-care", "hill_care")])
    act = activity_services.record_activity(
        by=by, org_unit=unit, kind=kind, title="Morning exercise", held_on=day,
        starts_at=datetime.time(10, 0), ends_at=datetime.time(11, 30), place="Hall 2", facilitators=[by])
    for person in clients:
        Attendance.objects.create(activity=act, client=person, method=Attendance.Method.CODE, recorded_by=by)
    if others:
        OtherParticipants.objects.create(activity=act, count=others, recorded_by=by)
    return act


def value(code: str, unit, period_key: str, dimension: str = "", member: str = "") -> int | None:
    """The stored numerator, or None when the unit has no data for the period."""
    period = periods.parse(period_key)
    row = IndicatorValue.objects.filter(indicator__code=code, org_unit=unit, period_type=period.type,
                                        period_start=period.start, dimension=dimension, member=member).first()
    return row.numerator if row else None


def fresh():
    """What the worker does: consume every stale mark."""
    while engine.refresh():
        pass


def agrees_with_rebuild() -> list[str]:
    return [line for indicator in Indicator.objects.all() for line in engine.differences(indicator)]
