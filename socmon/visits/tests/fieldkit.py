"""Shared set-up for the field-visit tests: a client on a worker's caseload with an issued card."""

import datetime
from decimal import Decimal

from django.utils import timezone

from socmon.catalogue.models import ClientCategory, ServiceKind
from socmon.clients.models import CaseloadAssignment, Client

from .. import services


def category() -> ClientCategory:
    return ClientCategory.objects.get_or_create(code="older-person", defaults={"name": "Older person"})[0]


def service_kind(code: str = "shopping", norm: int = 30) -> ServiceKind:
    return ServiceKind.objects.get_or_create(
        code=code, defaults={"name": code.title(), "domain": ServiceKind.Domain.HOUSEHOLD, "norm_minutes": norm})[0]


def make_client(world, *, worker=None, unit=None, language: str = "ru", first: str = "Gulnara",
                last: str = "Sadykova") -> Client:
    """A client of `unit` (Home Care by default) on `worker`'s caseload since yesterday."""
    unit = unit or world.home_care
    client = Client.objects.create(
        org_unit=unit, first_name=first, last_name=last, birth_date=datetime.date(1948, 3, 8),
        sex=Client.Sex.FEMALE, category=category(), language=language, address="12 River Street",
        latitude=Decimal("43.238949"), longitude=Decimal("76.889709"),
        consent_given_on=datetime.date(2026, 1, 10), consent_scope="home care", created_by=world.heidi)
    if worker is not None:
        CaseloadAssignment.objects.create(client=client, worker=worker, assigned_by=world.heidi,
                                          starts_on=timezone.localdate() - datetime.timedelta(days=1))
    return client


def client_with_card(world, worker=None, **kwargs):
    client = make_client(world, worker=worker or world.alice, **kwargs)
    return client, services.issue_card(by=world.heidi, client=client)


def done_visit(world, client, worker=None, *, minutes_ago: int = 5):
    """A visit checked in 40 minutes before it was checked out `minutes_ago` minutes ago."""
    worker = worker or world.alice
    now = timezone.now()
    out = now - datetime.timedelta(minutes=minutes_ago)
    visit = services.check_in(by=worker, client=client, now=out - datetime.timedelta(minutes=40), confirmed=True)
    return services.check_out(by=worker, visit=visit, now=out, no_service_reason="The person was not at home.")
