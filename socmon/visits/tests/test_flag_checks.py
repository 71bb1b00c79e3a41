"""The head's live view opens each visit and each flag; a head marks a flag as checked with a comment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.visits.models import FlagCheck

from .planning_kit import client_at, done, refreshed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


def live_url(world):
    return reverse("visits:live", args=[world.home_care.pk])


def short_visit(world, worker=None):
    now = timezone.now()
    return done(world, client_at(world, 43.31, 77.25), worker=worker,
                started=now - datetime.timedelta(minutes=30), minutes=2)


def check_url(visit, kind="short"):
    return reverse("visits:check_visit_flag", args=[visit.pk, kind])


def test_the_head_opens_a_visit_and_a_flag_from_the_live_view(world, login):
    short = short_visit(world)
    client = login(world.heidi)
    html = client.get(live_url(world)).content.decode()
    visit_url = reverse("visits:visit", args=[short.pk])
    assert f'href="{visit_url}"' in html.split('id="live-flags"')[1].split("</ul>")[0]  # the flag opens its visit
    assert f'href="{visit_url}">{short.client.code}</a>' in html  # the visit's row opens it
    assert client.get(visit_url).status_code == 200
    assert f'href="{check_url(short)}"' in html
    page = client.get(check_url(short))
    assert page.status_code == 200
    assert f"the visit to {short.client.code} lasted 2 min" in page.content.decode()


def test_an_overlap_flag_opens_both_visits(world, login):
    now = timezone.now()
    first = done(world, client_at(world, 43.31, 77.25), started=now - datetime.timedelta(minutes=50), minutes=40)
    second = done(world, client_at(world, 43.32, 77.25), started=now - datetime.timedelta(minutes=30), minutes=20)
    flags = login(world.heidi).get(live_url(world)).content.decode().split('id="live-flags"')[1].split("</ul>")[0]
    assert "overlap in time" in flags
    assert reverse("visits:visit", args=[first.pk]) in flags and reverse("visits:visit", args=[second.pk]) in flags


def test_a_head_marks_a_flag_checked_with_a_comment_and_it_leaves_the_open_list(world, login):
    short = short_visit(world)
    client = login(world.heidi)
    response = client.post(check_url(short), {"comment": "Called her: she was in hospital."})
    assert response.status_code == 302 and response.url == live_url(world)
    check = FlagCheck.objects.get()
    assert (check.visit, check.kind, check.checked_by, check.comment) == (
        short, "short", world.heidi, "Called her: she was in hospital.")
    event = AuditEvent.objects.get(action=AuditAction.VISIT_FLAG_CHECKED)
    assert event.actor == world.heidi and event.target_id == str(check.pk)
    assert event.detail["comment"] == "Called her: she was in hospital." and event.org_path == world.home_care.path
    html = client.get(live_url(world)).content.decode()
    assert "lasted 2 min" not in html.split('id="live-flags"')[1].split("</p>")[0]
    checked = html.split('id="live-checked-flags"')[1].split("</ul>")[0]
    assert f"the visit to {short.client.code} lasted 2 min" in checked
    assert "Checked by Heidi Hasanova at" in checked and "Called her: she was in hospital." in checked
    assert "Every flag so far today has been checked." in html


def test_a_comment_is_needed(world, login):
    short = short_visit(world)
    response = login(world.heidi).post(check_url(short), {"comment": "  "})
    assert response.status_code == 400
    assert "Say what you found when you looked at it." in response.content.decode()
    assert not FlagCheck.objects.exists()


def test_a_flag_checked_once_tells_the_next_head_who_checked_it(world, login):
    short = short_visit(world)
    login(world.heidi).post(check_url(short), {"comment": "Looked into it."})
    hana = User.objects.create_user("hana", first_name="Hana", last_name="Hamidova")
    Membership.objects.create(user=hana, org_unit=world.home_care, role=Role.HEAD)
    response = login(hana).post(check_url(short), {"comment": "Me too."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Heidi Hasanova marked this flag as checked first" in html and "Looked into it." in html
    assert FlagCheck.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.VISIT_FLAG_CHECKED).count() == 1


def test_a_flag_that_is_not_raised_cannot_be_checked(world, login):
    normal = done(world, client_at(world, 43.31, 77.25), minutes=40)
    client = login(world.heidi)
    assert "This flag is not raised now" in client.get(check_url(normal)).content.decode()
    response = client.post(check_url(normal), {"comment": "Pre-emptive."})
    assert response.status_code == 400 and not FlagCheck.objects.exists()
    assert "no longer raised" in response.content.decode()


@pytest.mark.parametrize("persona, status", [("alice", 403), ("bob", 404), ("dora", 403), ("sam", 403),
                                             ("fiona", 404), ("walt", 404), ("eve", 404)])
def test_only_the_departments_heads_mark_its_flags_checked(world, login, persona, status):
    short = short_visit(world)
    client = login(getattr(world, persona))
    assert client.get(check_url(short)).status_code == status
    assert client.post(check_url(short), {"comment": "Not mine to check."}).status_code == status
    assert not FlagCheck.objects.exists()
    assert "Mark as checked" not in login(world.dora).get(live_url(world)).content.decode()


def test_a_head_of_another_department_cannot_mark_it(world, login):
    short = short_visit(world)
    other = User.objects.create_user("hugo", first_name="Hugo", last_name="Hill")
    Membership.objects.create(user=other, org_unit=world.hill_care, role=Role.HEAD)
    assert login(other).post(check_url(short), {"comment": "Not mine."}).status_code == 404
    assert not FlagCheck.objects.exists()


def test_a_run_of_top_ratings_is_checked_for_that_run_and_a_longer_run_is_a_new_flag(world, login):
    for _i in range(5):
        done(world, client_at(world, 43.31, 77.25), worker=world.bob, score=10)
    client = login(world.heidi)
    html = client.get(live_url(world)).content.decode()
    url = reverse("visits:check_worker_flag", args=[world.bob.pk, "top_ratings"])
    assert f'href="{url}"' in html and reverse("visits:worker_day", args=[world.bob.pk]) in html
    form = client.get(url).content.decode()
    from socmon.visits.models import Rating

    newest = Rating.objects.order_by("-created_at", "-pk").first()
    assert f'value="{newest.pk}"' in form
    assert client.post(url, {"comment": "Asked two clients: they are happy.", "rating": newest.pk}).status_code == 302
    assert "Bob Bondarenko: the last 5 ratings" in client.get(live_url(world)).content.decode().split(
        'id="live-checked-flags"')[1]
    later = done(world, client_at(world, 43.32, 77.25), worker=world.bob, score=10)
    html = client.get(live_url(world)).content.decode()
    assert "Bob Bondarenko: the last 5 ratings" in html.split('id="live-flags"')[1].split("</ul>")[0]
    stale = client.post(url, {"comment": "Old page.", "rating": newest.pk})
    assert stale.status_code == 400 and "no longer raised" in stale.content.decode()
    assert client.post(url, {"comment": "Again fine.", "rating": later.rating.pk}).status_code == 302
    assert FlagCheck.objects.count() == 2


def test_a_worker_cannot_check_the_flag_about_themselves(world, login):
    for _i in range(5):
        done(world, client_at(world, 43.31, 77.25), worker=world.bob, score=10)
    url = reverse("visits:check_worker_flag", args=[world.bob.pk, "top_ratings"])
    assert login(world.bob).post(url, {"comment": "All good."}).status_code == 403
    assert login(world.walt).post(url, {"comment": "All good."}).status_code == 404
    assert not FlagCheck.objects.exists()
