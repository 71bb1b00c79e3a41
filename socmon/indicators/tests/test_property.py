"""A property test: after any sequence of facts recorded, corrected and deleted, the values the worker keeps
incrementally equal a full rebuild from the facts, exactly (every unit, period and disaggregation)."""

import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from socmon.activities.models import Activity, Attendance, OtherParticipants
from socmon.clients.models import Client
from socmon.indicators import engine
from socmon.indicators.models import Indicator

from .kit import activity, client, fresh

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2026, 1, 5), datetime.date(2026, 1, 28), datetime.date(2026, 3, 2), datetime.date(2026, 7, 1),
        datetime.date(2025, 12, 30)]
BORN = [datetime.date(1948, 3, 8), datetime.date(2008, 2, 1), datetime.date(1991, 2, 20)]  # ages change in 2026
UNITS = ["home_care", "family", "hill_care"]
KINDS = [Activity.Kind.GROUP, Activity.Kind.INDIVIDUAL, Activity.Kind.OPEN]

step = st.one_of(
    st.tuples(st.just("activity"), st.sampled_from(UNITS), st.sampled_from(DAYS), st.sampled_from(KINDS)),
    st.tuples(st.just("attend"), st.integers(0, 20), st.integers(0, 5)),
    st.tuples(st.just("others"), st.integers(0, 20), st.integers(1, 9)),
    st.tuples(st.just("move"), st.integers(0, 20), st.sampled_from(DAYS), st.sampled_from(UNITS)),
    st.tuples(st.just("unattend"), st.integers(0, 50)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("person"), st.integers(0, 5), st.sampled_from(list(Client.Sex.values)), st.sampled_from(BORN)),
    st.tuples(st.just("refresh"),),
)


@pytest.fixture
def cast(world):
    people = [client(world, world.home_care, first="Amina"),
              client(world, world.home_care, sex=Client.Sex.MALE, born=datetime.date(2010, 2, 1), first="Boris"),
              client(world, world.family, first="Dana"),
              client(world, world.hill_care, sex=Client.Sex.MALE, first="Erik"),
              client(world, world.family, born=datetime.date(1970, 1, 1), first="Fatima"),
              client(world, world.hill_care, first="Galina")]
    return people


def _pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def _apply(world, people, action):
    name = action[0]
    if name == "activity":
        _name, unit, day, kind = action
        activity(world, getattr(world, unit), day, kind)
    elif name == "attend":
        act = _pick(Activity.objects.all(), action[1])
        person = people[action[2]]
        if act and not Attendance.objects.filter(activity=act, client=person).exists() and not (
                act.kind == Activity.Kind.INDIVIDUAL and act.attendances.exists()):
            Attendance.objects.create(activity=act, client=person, method=Attendance.Method.CODE,
                                      recorded_by=world.alice)
    elif name == "others":
        act = _pick(Activity.objects.all(), action[1])
        if act:
            OtherParticipants.objects.create(activity=act, count=action[2], recorded_by=world.alice)
    elif name == "move":
        act = _pick(Activity.objects.all(), action[1])
        if act:
            act.held_on, act.org_unit = action[2], getattr(world, action[3])
            act.save()
    elif name == "unattend":
        attendance = _pick(Attendance.objects.all(), action[1])
        if attendance:
            attendance.delete()
    elif name == "delete":
        act = _pick(Activity.objects.all(), action[1])
        if act:
            act.delete()
    elif name == "person":  # a correction of sex or birth date moves the client between breakdown members
        person = Client.objects.get(pk=people[action[1]].pk)
        person.sex, person.birth_date = action[2], action[3]
        person.save()
    else:
        fresh()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=14))
@example(steps=[("activity", "home_care", DAYS[0], Activity.Kind.GROUP), ("refresh",),
                ("move", 0, DAYS[2], "family")])
def test_incremental_values_equal_a_full_rebuild(world, cast, steps):
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        for action in steps:
            _apply(world, cast, action)
        fresh()
        indicators = Indicator.objects.filter(code__in=["IP1", "IP2", "IP3", "IP4", "IP5"])
        assert [line for indicator in indicators for line in engine.differences(indicator)] == []
    finally:
        transaction.savepoint_rollback(sid)
