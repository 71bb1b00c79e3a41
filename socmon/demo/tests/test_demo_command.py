"""The whole demo (`manage.py demo`) shows on each home page what waits there, and the head's live view shows a
flag already checked: the guides' screenshots are taken from it."""

import pytest
from django.core.management import call_command

from socmon.accounts.models import User
from socmon.indicators.models import Target
from socmon.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 (the command writes its logins)
    return {user.username: user for user in User.objects.filter(username__in=["worker", "head", "director", "admin2"])}


def test_the_demo_shows_what_waits_on_each_home_page(demo, login):
    worker_home = login(demo["worker"]).get("/").content.decode()
    assert 'id="check-in-button"' in worker_home
    assert 'id="cases-returned"' in worker_home and "Say who helps with shopping" in worker_home
    head_home = login(demo["head"]).get("/").content.decode()
    assert 'id="approvals-waiting"' in head_home
    director_home = login(demo["director"]).get("/").content.decode()
    assert 'id="institution-figures"' in director_home


def test_the_demo_has_an_overdue_referral_for_the_worker(demo, login):
    page = login(demo["worker"]).get("/cases/referrals/sent/").content.decode()
    assert "Talgar Volunteers" in page and "Overdue" in page


def test_the_heads_live_view_shows_open_and_checked_flags(demo, login):
    department = OrgUnit.objects.get(code="talgar-csc-d1")
    page = login(demo["head"]).get(f"/visits/live/{department.pk}/").content.decode()
    assert "Mark as checked" in page
    assert 'id="live-checked-flags"' in page and "left the car at the market" in page


def test_the_demo_has_an_administrator_without_my_day(demo, login):
    """`admin2` holds the administrator role alone (the guide's pictures): no check-in, no My day."""
    home = login(demo["admin2"]).get("/").content.decode()
    assert "Administrator at Almaty Region" in home
    assert 'id="check-in-button"' not in home and 'href="/visits/day/"' not in home


def test_the_demo_plans_targets_the_specialist_can_read_against_actual(demo, login):
    specialist = User.objects.get(username="specialist")
    assert Target.objects.filter(indicator__code="IP2", period_type="Q").count() == 4
    target = Target.objects.get(indicator__code="IP2", period_type="Y")
    response = login(specialist).get(f"/indicators/IP2/?unit={target.org_unit_id}&period={target.period_start.year}")
    assert response.status_code == 200
    assert response.context["table"].rows[0].target == 40


def test_the_demo_has_a_programme_with_an_approved_plan(demo, login):
    from socmon.programmes.models import Programme

    programme = Programme.objects.get()
    page = login(demo["director"]).get(f"/programmes/{programme.pk}/").content.decode()
    assert 'aria-current="step">Implementation' in page and "Interim evaluation" in page
    assert programme.versions.get().status == "approved"
