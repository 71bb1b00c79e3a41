"""Shared set-up for the day, live, report and flag tests: clients around Talgar, visits in any state."""

import datetime
from decimal import Decimal

from django.utils import timezone

from socmon.orgs.models import OrgUnit
from socmon.visits.models import Office, Rating, ServiceDelivery, Visit

from .fieldkit import make_client, service_kind

OFFICE = (Decimal("43.303000"), Decimal("77.240000"))


def refreshed(world):
    """The persona world with its units' tree paths re-read (treebeard renumbers siblings on insert)."""
    for name, value in vars(world).items():
        if isinstance(value, OrgUnit):
            setattr(world, name, OrgUnit.objects.select_related("level").get(pk=value.pk))
    return world


def office(world, unit=None) -> Office:
    return Office.objects.create(org_unit=unit or world.home_care, latitude=OFFICE[0], longitude=OFFICE[1])


def client_at(world, lat: float, lon: float, *, worker=None, unit=None, address: str = "") -> object:
    client = make_client(world, worker=worker, unit=unit)
    client.latitude, client.longitude = Decimal(str(lat)), Decimal(str(lon))
    client.address = address or f"{lat:.3f}, {lon:.3f}"
    client.save(update_fields=["latitude", "longitude", "address"])
    return client


def next_weekday(weekday: int, after: datetime.date | None = None) -> datetime.date:
    """The next date (after `after`, default today) falling on `weekday` (Monday = 0)."""
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def visit(world, client, *, worker=None, day=None, status=Visit.Status.PLANNED, minutes=45, window=None,
          checked_in=None, checked_out=None, distance=None, order=None) -> Visit:
    return Visit.objects.create(
        client=client, worker=worker or world.alice, org_unit=client.org_unit,
        planned_for=day or timezone.localdate(), status=status, planned_minutes=minutes,
        window_start=window[0] if window else None, window_end=window[1] if window else None,
        checked_in_at=checked_in, checked_out_at=checked_out, check_in_distance_m=distance, route_order=order,
        created_by=world.heidi)


def done(world, client, *, worker=None, day=None, started=None, minutes=40, services=(), score=None,
         distance=None) -> Visit:
    """A finished visit with services [(kind, minutes)] and an optional rating."""
    day = day or timezone.localdate()
    started = started or timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    v = visit(world, client, worker=worker, day=day, status=Visit.Status.DONE, checked_in=started,
              checked_out=started + datetime.timedelta(minutes=minutes), distance=distance)
    for kind, spent in services:
        ServiceDelivery.objects.create(visit=v, service=kind, minutes=spent)
    if score is not None:
        Rating.objects.create(visit=v, score=score, channel=Rating.Channel.CARD)
    return v


__all__ = ["make_client", "service_kind"]


def counted():
    """What the indicator worker does each round: consume every stale mark (the visit reports read the figures
    it keeps, `socmon.visits.tallies`)."""
    from socmon.indicators import engine

    while engine.refresh():
        pass
