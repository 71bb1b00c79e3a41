"""Clients of the persona world (socmon.test): one per worker, one nobody holds, one in each other unit."""

import datetime
from dataclasses import dataclass

import pytest

from socmon.catalogue.models import ClientCategory
from socmon.clients.models import CaseloadAssignment, Client, name_key, name_key_last_first

LONG_AGO = datetime.date(2025, 1, 6)


def make_client(unit, first: str, last: str, *, worker=None, by=None, birth_date=datetime.date(1950, 5, 17),
                **extra) -> Client:
    category = ClientCategory.objects.get(code=extra.pop("category", "older-person"))
    client = Client.objects.create(
        org_unit=unit, first_name=first, last_name=last, search_name=name_key(first, last),
        search_name_last_first=name_key_last_first(first, last), birth_date=birth_date,
        sex=extra.pop("sex", Client.Sex.FEMALE), category=category, address=extra.pop("address", "Talgar"),
        consent_given_on=LONG_AGO, consent_scope="Social services", created_by=by or worker, **extra)
    if worker is not None:
        CaseloadAssignment.objects.create(client=client, worker=worker, starts_on=LONG_AGO, assigned_by=by or worker)
    return client


@dataclass
class Clients:
    alices: Client    # on alice's list (Home Care)
    bobs: Client      # on bob's list (Home Care)
    nobodys: Client   # Home Care, on nobody's list
    fionas: Client    # Family Support, same institution
    walts: Client     # Hill Home Care, another institution


@pytest.fixture
def clients(world):
    return Clients(
        alices=make_client(world.home_care, "Aigul", "Sarsenova", worker=world.alice, by=world.heidi,
                           document_number="N123456"),
        bobs=make_client(world.home_care, "Boris", "Orlov", worker=world.bob, by=world.heidi, sex=Client.Sex.MALE),
        nobodys=make_client(world.home_care, "Nurgul", "Zhanova", by=world.heidi),
        fionas=make_client(world.family, "Fatima", "Aliyeva", worker=world.fiona, by=world.fiona,
                           category="family-with-children"),
        walts=make_client(world.hill_care, "Vasile", "Rusu", worker=world.walt, by=world.walt, sex=Client.Sex.MALE),
    )
