"""Public holidays are not working days for deadlines (socmon.lib.dates.add_working_days): the country's
everywhere, a region's only in that region."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from socmon.audit.services import PUBLIC
from socmon.feedback import services
from socmon.feedback.models import Feedback, FeedbackCategory
from socmon.lib.dates import add_working_days
from socmon.lib.models import Holiday

pytestmark = pytest.mark.django_db
FRIDAY = datetime.date(2026, 11, 27)
MONDAY, TUESDAY, WEDNESDAY = (FRIDAY + datetime.timedelta(days=d) for d in (3, 4, 5))


def test_one_working_day_after_the_friday_before_a_monday_holiday_is_tuesday():
    assert add_working_days(FRIDAY, 1) == MONDAY
    Holiday.objects.create(date=MONDAY, name="Holiday")
    assert add_working_days(FRIDAY, 1) == TUESDAY
    assert add_working_days(datetime.date(2026, 11, 28), 1) == TUESDAY  # from the Saturday too


def test_a_regional_holiday_holds_only_under_its_unit(world):
    Holiday.objects.create(date=MONDAY, name="North's day", org_unit=world.north)
    assert add_working_days(FRIDAY, 1, unit_path=world.centre.path) == TUESDAY
    assert add_working_days(FRIDAY, 1, unit_path=world.hill_centre.path) == MONDAY
    assert add_working_days(FRIDAY, 1) == MONDAY


def test_a_long_deadline_skips_holidays_beyond_the_first_weeks_fetched():
    start = datetime.date(2026, 12, 1)  # a Tuesday; ten working days later is Tuesday 15 December
    assert add_working_days(start, 10) == datetime.date(2026, 12, 15)
    Holiday.objects.create(date=datetime.date(2026, 12, 2), name="Early holiday")
    day = datetime.date(2026, 12, 16)
    while day <= datetime.date(2027, 1, 15):  # a month of holidays, past the stretch fetched at first
        Holiday.objects.create(date=day, name="Long holiday")
        day += datetime.timedelta(days=1)
    # 3, 4, 7–11, 14, 15 December are nine working days; the tenth is the first after the long holiday.
    assert add_working_days(start, 10) == datetime.date(2027, 1, 18)


def test_the_feedback_deadline_skips_a_national_holiday(client, world):
    Holiday.objects.create(date=datetime.date(2026, 11, 30), name="Holiday")
    friday = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    feedback, _code = services.submit_feedback(
        by=PUBLIC, source=Feedback.Source.PUBLIC, kind="complaint", category=FeedbackCategory.objects.get(
            code="waiting"), text="Too slow", org_unit=world.centre, now=friday)
    assert feedback.due_on == datetime.date(2026, 12, 7)  # 4 December without the holiday


def test_holidays_are_kept_in_the_admin(world, login):
    browser = login(world.root)
    assert browser.get(reverse("admin:lib_holiday_changelist")).status_code == 200
    response = browser.post(reverse("admin:lib_holiday_add"), {"date": "2026-12-16", "name": "Independence Day"})
    assert response.status_code == 302 and Holiday.objects.get().org_unit is None
