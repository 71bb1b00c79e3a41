"""Two people record the same client at one activity at the same moment: one attendance, the other is told."""

import pytest
from django.urls import reverse

from socmon.activities.models import Activity, Attendance
from socmon.test import race, web_session

from .kit import activity, make_client

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 8


def test_the_same_client_recorded_twice_at_once_is_stored_once_and_the_second_is_told(world, live_server):
    sessions = [web_session(live_server.url, user) for user in (world.alice, world.bob)]
    act = activity(world)
    for n in range(TRIES):
        person = make_client(world, worker=world.alice, first=f"Racer{n}")
        url = reverse("activities:attend", args=[act.pk])
        answers = race(2, lambda i, code=person.code, url=url: sessions[i].post(sessions[i].url(url),
                                                                                data={"code": code}))
        assert sorted(a.status_code for a in answers) == [200, 400], answers  # the winner follows its redirect
        loser = next(a for a in answers if a.status_code == 400)
        assert f"{person.code} is already recorded at this activity." in loser.text
        assert Attendance.objects.filter(activity=act, client=person).count() == 1


def test_two_clients_at_once_on_an_individual_activity_leave_exactly_one(world, live_server):
    sessions = [web_session(live_server.url, world.alice) for _ in range(2)]
    for n in range(TRIES // 2):
        act = activity(world, kind=Activity.Kind.INDIVIDUAL, title=f"Talk {n}")
        people = [make_client(world, worker=world.alice, first=f"One{n}{i}") for i in range(2)]
        url = reverse("activities:attend", args=[act.pk])
        answers = race(2, lambda i, people=people, url=url: sessions[i].post(
            sessions[i].url(url), data={"code": people[i].code}))
        assert sorted(a.status_code for a in answers) == [200, 400], answers
        assert Attendance.objects.filter(activity=act).count() == 1
