import datetime

import pytest
from django.utils import timezone

from socmon.visits import flags
from socmon.visits.models import Visit

from .planning_kit import client_at, done, refreshed, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


def kinds(found):
    return sorted(f.kind for f in found)


def test_a_visit_of_a_few_minutes_is_flagged_and_a_normal_one_is_not(world):
    short = done(world, client_at(world, 43.31, 77.25), minutes=3)
    normal = done(world, client_at(world, 43.32, 77.25), minutes=30)
    found = flags.short_visit_flags([short, normal])
    assert [(f.kind, f.visit_id) for f in found] == [("short", short.pk)]


def test_the_short_visit_limit_is_a_setting(world, settings):
    settings.SOCMON_FLAG_SHORT_VISIT_MINUTES = 45
    assert kinds(flags.short_visit_flags([done(world, client_at(world, 43.31, 77.25), minutes=30)])) == ["short"]


def test_a_check_in_far_from_the_address_is_flagged(world):
    far = done(world, client_at(world, 43.31, 77.25), distance=800)
    near = done(world, client_at(world, 43.32, 77.25), distance=120)
    found = flags.far_check_in_flags([far, near])
    assert [f.visit_id for f in found] == [far.pk]
    assert "800 m" in found[0].message


def test_two_visits_in_progress_at_once_are_flagged(world):
    now = timezone.now()
    first = visit(world, client_at(world, 43.31, 77.25), status=Visit.Status.IN_PROGRESS,
                  checked_in=now - datetime.timedelta(minutes=30))
    second = visit(world, client_at(world, 43.32, 77.25), status=Visit.Status.IN_PROGRESS,
                   checked_in=now - datetime.timedelta(minutes=10))
    other_worker = visit(world, client_at(world, 43.33, 77.25), worker=world.bob, status=Visit.Status.IN_PROGRESS,
                         checked_in=now - datetime.timedelta(minutes=20))
    found = flags.overlap_flags([first, second, other_worker], now)
    assert [(f.kind, f.visit_id) for f in found] == [("overlap", second.pk)]


def test_visits_one_after_the_other_do_not_overlap(world):
    now = timezone.now()
    first = done(world, client_at(world, 43.31, 77.25), started=now - datetime.timedelta(hours=3), minutes=40)
    second = done(world, client_at(world, 43.32, 77.25), started=now - datetime.timedelta(hours=2), minutes=40)
    assert flags.overlap_flags([first, second], now) == []


def test_a_worker_whose_last_five_ratings_are_all_ten_is_flagged(world):
    for _i in range(5):
        done(world, client_at(world, 43.31, 77.25), score=10)
    done(world, client_at(world, 43.31, 77.25), worker=world.bob, score=9)
    for _i in range(4):
        done(world, client_at(world, 43.31, 77.25), worker=world.bob, score=10)
    found = flags.top_rating_flags([world.alice.pk, world.bob.pk])
    assert [(f.kind, f.worker_id) for f in found] == [("top_ratings", world.alice.pk)]


def test_an_older_lower_rating_does_not_protect_a_run_of_tens(world):
    done(world, client_at(world, 43.31, 77.25), score=4)
    for _i in range(5):
        done(world, client_at(world, 43.31, 77.25), score=10)
    assert kinds(flags.top_rating_flags([world.alice.pk])) == ["top_ratings"]


def test_fewer_than_five_ratings_never_make_a_run(world, settings):
    settings.SOCMON_FLAG_TOP_RATING_RUN = 2  # the rule never looks at fewer than five
    for _i in range(4):
        done(world, client_at(world, 43.31, 77.25), score=10)
    assert flags.top_rating_flags([world.alice.pk]) == []
