"""The engine's arithmetic, by hand-computed cases at department, institution and region, for month, quarter and
year; freshness through the worker's refresh; zero versus no data; agreement with a full rebuild."""

import datetime

import pytest

from socmon.activities.models import Activity, Attendance
from socmon.clients.models import Client
from socmon.indicators import engine
from socmon.indicators.models import Contribution, IndicatorValue, StaleMark

from .kit import activity, agrees_with_rebuild, client, fresh, value

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = datetime.date(2026, 1, 12), datetime.date(2026, 2, 9), datetime.date(2026, 3, 16)
GROUP, INDIVIDUAL, OPEN = Activity.Kind.GROUP, Activity.Kind.INDIVIDUAL, Activity.Kind.OPEN


@pytest.fixture
def people(world):
    return {
        "amina": client(world, world.home_care, first="Amina"),
        "boris": client(world, world.home_care, sex=Client.Sex.MALE, born=datetime.date(1990, 5, 1), first="Boris"),
        "dana": client(world, world.family, first="Dana"),
        "erik": client(world, world.hill_care, sex=Client.Sex.MALE, first="Erik"),
    }


def test_activity_indicators_by_hand_at_every_level_and_period(world, people):
    p = people
    activity(world, world.home_care, JAN, GROUP, [p["amina"], p["boris"]])
    activity(world, world.home_care, JAN, GROUP, [p["amina"]])
    activity(world, world.family, JAN, GROUP, [p["dana"], p["amina"]])       # Amina in a second department
    activity(world, world.home_care, MAR, GROUP, [p["amina"]])              # Amina again in March
    activity(world, world.home_care, FEB, INDIVIDUAL, [p["boris"]])
    activity(world, world.home_care, FEB, INDIVIDUAL, [])                   # no client yet: not counted
    activity(world, world.family, MAR, OPEN, [p["dana"], p["amina"]], others=7)
    activity(world, world.hill_care, JAN, GROUP, [p["erik"]])
    fresh()

    # IP1: group activities (a count, adds up)
    assert value("IP1", world.home_care, "2026-01") == 2
    assert value("IP1", world.centre, "2026-01") == 3
    assert value("IP1", world.centre, "2026-Q1") == 4
    assert value("IP1", world.north, "2026") == 4
    assert value("IP1", world.country, "2026") == 5
    # IP2: distinct clients in group activities
    assert value("IP2", world.home_care, "2026-01") == 2
    assert value("IP2", world.family, "2026-01") == 2
    assert value("IP2", world.centre, "2026-01") == 3            # Amina once, though in two departments
    assert value("IP2", world.home_care, "2026-Q1") == 2          # Amina in January and March: once
    assert value("IP2", world.centre, "2026-Q1") == 3
    assert value("IP2", world.north, "2026") == 3
    assert value("IP2", world.country, "2026-H1") == 4
    # IP3 and IP4: the individual activity without its client is left out
    assert value("IP3", world.home_care, "2026-02") == 1
    assert value("IP4", world.centre, "2026-Q1") == 1
    # IP5: distinct clients at open activities plus the others counted
    assert value("IP5", world.family, "2026-03") == 9
    assert value("IP5", world.country, "2026") == 9
    # Disaggregation: by sex and age group, exact and distinct
    assert value("IP2", world.centre, "2026-Q1", "sex", "male") == 1
    assert value("IP2", world.centre, "2026-Q1", "sex", "female") == 2
    assert value("IP2", world.centre, "2026-Q1", "age", "35-59") == 1
    assert value("IP2", world.centre, "2026-Q1", "age", "75+") == 2
    assert agrees_with_rebuild() == []


def test_a_true_zero_is_not_missing(world, people):
    activity(world, world.home_care, JAN, INDIVIDUAL, [people["amina"]])
    fresh()
    assert value("IP1", world.home_care, "2026-01") == 0     # activities were recorded, none of them a group
    assert value("IP1", world.family, "2026-01") is None     # nothing recorded: no data
    assert value("IP1", world.home_care, "2026-02") is None
    assert value("IP2", world.home_care, "2026-01", "sex", "male") is None  # a zero member is not stored
    assert value("IP2", world.home_care, "2026-01") == 0


def test_a_save_marks_stale_and_the_worker_catches_up(world, people):
    act = activity(world, world.home_care, JAN, GROUP, [people["amina"]])
    assert StaleMark.objects.exists()   # marked in the save's own transaction
    fresh()
    assert not StaleMark.objects.exists()
    assert value("IP2", world.centre, "2026-01") == 1
    Attendance.objects.create(activity=act, client=people["boris"], method=Attendance.Method.CODE,
                              recorded_by=world.alice)
    assert value("IP2", world.centre, "2026-01") == 1   # stored values change only when refreshed
    fresh()
    assert value("IP2", world.centre, "2026-01") == 2
    # moving the activity to February moves both months
    Activity.objects.get(pk=act.pk).__class__.objects.filter(pk=act.pk)  # (a plain read)
    moved = Activity.objects.get(pk=act.pk)
    moved.held_on = FEB
    moved.save()
    fresh()
    assert value("IP2", world.centre, "2026-01") is None
    assert value("IP2", world.centre, "2026-02") == 2
    assert value("IP2", world.centre, "2026-Q1") == 2
    Activity.objects.get(pk=act.pk).delete()
    fresh()
    assert value("IP2", world.centre, "2026-Q1") is None
    assert agrees_with_rebuild() == []


def test_values_know_when_they_were_computed_and_their_newest_fact(world, people):
    activity(world, world.home_care, JAN, GROUP, [people["amina"]])
    activity(world, world.home_care, MAR, GROUP, [people["amina"]])
    fresh()
    row = IndicatorValue.objects.get(indicator__code="IP2", org_unit=world.centre, period_type="Q", dimension="")
    assert row.newest_fact == MAR
    assert row.computed_at is not None


def test_the_rebuild_gives_what_the_worker_gave(world, people):
    activity(world, world.home_care, JAN, GROUP, [people["amina"], people["boris"]])
    activity(world, world.family, FEB, OPEN, [people["dana"]], others=3)
    fresh()
    before = {(v.indicator_id, v.org_unit_id, v.period_type, v.period_start, v.dimension, v.member, v.numerator)
              for v in IndicatorValue.objects.all()}
    engine.rebuild()
    after = {(v.indicator_id, v.org_unit_id, v.period_type, v.period_start, v.dimension, v.member, v.numerator)
             for v in IndicatorValue.objects.all()}
    assert before == after and before
    assert Contribution.objects.exists()


def test_a_client_whose_sex_is_corrected_moves_between_cells_in_every_period(world, people):
    activity(world, world.home_care, JAN, GROUP, [people["amina"]])
    activity(world, world.home_care, MAR, GROUP, [people["amina"]])
    fresh()
    assert value("IP2", world.centre, "2026-Q1", "sex", "female") == 1
    amina = Client.objects.get(pk=people["amina"].pk)
    amina.sex = Client.Sex.MALE
    amina.save()
    fresh()
    assert value("IP2", world.centre, "2026-Q1", "sex", "female") is None
    assert value("IP2", world.centre, "2026-Q1", "sex", "male") == 1
    assert value("IP2", world.home_care, "2026-03", "sex", "male") == 1
