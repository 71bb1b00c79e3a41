import datetime

import pytest
from django.utils import timezone

from socmon.visits import flags
from socmon.visits.models import ServiceDelivery, Visit

from .planning_kit import client_at, done, refreshed, service_kind, visit

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
    assert found[0].message.startswith(f"Alice Akhmetova: the check-in at {far.client.code} was 800 m")


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
    assert found[0].message == (f"Alice Akhmetova: the visits to {first.client.code} and {second.client.code} "
                                "overlap in time.")


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
    found = flags.top_rating_flags([world.alice, world.bob])
    assert [(f.kind, f.worker_id) for f in found] == [("top_ratings", world.alice.pk)]
    assert found[0].message == "Alice Akhmetova: the last 5 ratings of their visits are all 10."


def test_an_older_lower_rating_does_not_protect_a_run_of_tens(world):
    done(world, client_at(world, 43.31, 77.25), score=4)
    for _i in range(5):
        done(world, client_at(world, 43.31, 77.25), score=10)
    assert kinds(flags.top_rating_flags([world.alice])) == ["top_ratings"]


def test_fewer_than_five_ratings_never_make_a_run(world, settings):
    settings.SOCMON_FLAG_TOP_RATING_RUN = 2  # the rule never looks at fewer than five
    for _i in range(4):
        done(world, client_at(world, 43.31, 77.25), score=10)
    assert flags.top_rating_flags([world.alice]) == []


def test_a_short_visit_names_the_worker_and_the_client(world):
    short = done(world, client_at(world, 43.31, 77.25), worker=world.bob, minutes=3)
    [flag] = flags.short_visit_flags([short])
    assert flag.message == f"Bob Bondarenko: the visit to {short.client.code} lasted 3 min (less than 5)."


def test_more_minutes_of_services_than_the_visit_lasted_are_flagged(world):
    cleaning, shopping = service_kind("cleaning", 45), service_kind("shopping", 30)
    over = done(world, client_at(world, 43.31, 77.25), minutes=3, services=[(cleaning, 60), (shopping, 40)])
    within = done(world, client_at(world, 43.32, 77.25), minutes=30, services=[(cleaning, 45)])  # 15 over: tolerated
    found = flags.service_minutes_flags([over, within])
    assert [(f.kind, f.visit_id, f.worker_id) for f in found] == [("service_minutes", over.pk, world.alice.pk)]
    assert found[0].message == (f"Alice Akhmetova: 100 min of services were recorded at {over.client.code}, "
                                "but the visit lasted 3 min from check-in to check-out.")


def test_the_service_minutes_tolerance_is_a_setting(world, settings):
    settings.SOCMON_FLAG_SERVICE_MINUTES_TOLERANCE = 0
    v = done(world, client_at(world, 43.31, 77.25), minutes=30, services=[(service_kind("cleaning", 45), 31)])
    assert kinds(flags.service_minutes_flags([v])) == ["service_minutes"]


def test_a_visit_still_open_is_not_flagged_for_its_service_minutes(world):
    now = timezone.now()
    open_visit = visit(world, client_at(world, 43.31, 77.25), status=Visit.Status.IN_PROGRESS,
                       checked_in=now - datetime.timedelta(minutes=5))
    ServiceDelivery.objects.create(visit=open_visit, service=service_kind("cleaning", 45), minutes=90)
    assert flags.service_minutes_flags([open_visit]) == []
