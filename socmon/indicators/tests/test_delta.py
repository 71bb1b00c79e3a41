"""The refresh applies differences (a round costs what changed): hand-computed cases for the paths where a
difference is subtle — a client in two departments, a client whose only row moves, deletions that take a value or
its newest fact away, disaggregation changes — each checked against a full rebuild too."""

import datetime

import pytest

from socmon.activities.models import Activity, Attendance
from socmon.catalogue.models import ClientCategory
from socmon.clients.models import Client
from socmon.indicators.models import IndicatorValue

from .kit import activity, agrees_with_rebuild, client, fresh, value

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = datetime.date(2026, 1, 12), datetime.date(2026, 2, 9), datetime.date(2026, 3, 16)
GROUP = Activity.Kind.GROUP


def _stored_row(code, unit, period_type, start):
    return IndicatorValue.objects.get(indicator__code=code, org_unit=unit, period_type=period_type,
                                      period_start=start, dimension="", member="")


def test_a_client_in_two_departments_counts_once_above_them_whatever_is_added_or_removed(world):
    amina = client(world, world.home_care, first="Amina")
    at_home = activity(world, world.home_care, JAN, GROUP, [amina])
    in_family = activity(world, world.family, JAN, GROUP)
    fresh()
    centre = _stored_row("IP2", world.centre, "M", JAN.replace(day=1))
    assert centre.numerator == 1

    Attendance.objects.create(activity=in_family, client=amina, method=Attendance.Method.CODE, recorded_by=world.fiona)
    fresh()
    assert value("IP2", world.family, "2026-01") == 1
    assert value("IP2", world.centre, "2026-01") == 1
    # Her arrival in a second department changes nothing above it: the institution's value is not rewritten.
    assert _stored_row("IP2", world.centre, "M", JAN.replace(day=1)).pk == centre.pk
    assert agrees_with_rebuild() == []

    Attendance.objects.filter(activity=at_home, client=amina).delete()
    fresh()
    assert value("IP2", world.home_care, "2026-01") == 0      # the activity is still there: a true zero
    assert value("IP2", world.centre, "2026-01") == 1         # she is still counted, through Family Support
    assert value("IP2", world.country, "2026") == 1
    assert agrees_with_rebuild() == []

    Attendance.objects.filter(activity=in_family, client=amina).delete()
    fresh()
    assert value("IP2", world.centre, "2026-01") == 0
    assert value("IP2", world.country, "2026", "sex", "female") is None
    assert agrees_with_rebuild() == []


def test_a_client_whose_only_row_moves_leaves_one_branch_and_arrives_in_another(world):
    boris = client(world, world.home_care, sex=Client.Sex.MALE, born=datetime.date(1990, 5, 1), first="Boris")
    act = activity(world, world.home_care, JAN, GROUP, [boris])
    fresh()
    assert value("IP2", world.north, "2026-Q1") == 1
    moved = Activity.objects.get(pk=act.pk)
    moved.org_unit, moved.held_on = world.hill_care, MAR
    moved.save()
    fresh()
    assert value("IP2", world.home_care, "2026-01") is None   # nothing left there: no data, not a zero
    assert value("IP2", world.centre, "2026") is None
    assert value("IP2", world.hill_care, "2026-03") == 1
    assert value("IP2", world.country, "2026-Q1") == 1        # the same client, in the same quarter
    assert value("IP2", world.country, "2026-Q1", "sex", "male") == 1
    assert agrees_with_rebuild() == []


def test_deleting_the_newest_fact_takes_the_newest_date_back(world):
    amina = client(world, world.home_care, first="Amina")
    activity(world, world.home_care, JAN, GROUP, [amina])
    march = activity(world, world.family, MAR, GROUP, [amina])
    fresh()
    assert _stored_row("IP2", world.centre, "Q", JAN.replace(day=1)).newest_fact == MAR
    Activity.objects.get(pk=march.pk).delete()
    fresh()
    row = _stored_row("IP2", world.centre, "Q", JAN.replace(day=1))
    assert row.newest_fact == JAN and row.numerator == 1
    assert value("IP2", world.family, "2026-Q1") is None
    assert agrees_with_rebuild() == []


def test_disaggregation_changes_move_a_client_between_members(world):
    amina = client(world, world.home_care, born=datetime.date(1991, 2, 20), first="Amina")   # 35 in Feb 2026
    activity(world, world.home_care, JAN, GROUP, [amina])
    activity(world, world.family, MAR, GROUP, [amina])
    fresh()
    assert value("IP2", world.centre, "2026-Q1", "age", "18-34") == 1   # January, at 34
    assert value("IP2", world.centre, "2026-Q1", "age", "35-59") == 1   # March, at 35
    assert value("IP2", world.centre, "2026-Q1") == 1                   # the total counts her once

    person = Client.objects.get(pk=amina.pk)
    person.birth_date = datetime.date(1950, 6, 1)
    person.category = ClientCategory.objects.exclude(pk=person.category_id).order_by("pk").first()
    person.save()
    fresh()
    assert value("IP2", world.centre, "2026-Q1", "age", "18-34") is None
    assert value("IP2", world.centre, "2026-Q1", "age", "75+") == 1
    assert value("IP2", world.centre, "2026-Q1", "category", str(amina.category_id)) is None
    assert value("IP2", world.centre, "2026-Q1", "category", str(person.category_id)) == 1
    assert value("IP2", world.centre, "2026-Q1") == 1
    assert agrees_with_rebuild() == []
