"""Correcting an activity, removing one recorded by mistake, and an individual activity still waiting for its client,
in a real browser: axe-clean and no sideways scrolling on a 390-px phone."""

import pytest
from django.urls import reverse

from socmon.activities.models import Activity
from socmon.visits.tests.test_browser_phone import PHONE, assert_fits_the_phone

from .kit import activity

pytestmark = pytest.mark.browser


def test_a_worker_corrects_an_activity_and_removes_one_recorded_by_mistake(live_world, page, sign_in, live_url, axe,
                                                                          screenshot):
    world = live_world
    talk = activity(world, kind=Activity.Kind.INDIVIDUAL, title="Talk with a neighbour")
    page.set_viewport_size(PHONE)
    sign_in(world.alice)
    page.goto(live_url(reverse("activities:detail", args=[talk.pk])))
    page.get_by_text("Add the person who took part.").wait_for()
    axe()
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Correct the activity").click()
    axe()
    assert_fits_the_phone(page)
    screenshot("activities-edit")
    page.fill("#id_title", "Talk about the garden")
    page.get_by_role("button", name="Save the corrections").click()
    page.get_by_text("The activity was corrected.").wait_for()
    talk.refresh_from_db()
    assert talk.title == "Talk about the garden"

    page.goto(live_url(reverse("activities:summary")))
    page.get_by_text("1 individual activity has no client recorded").wait_for()
    axe()
    assert_fits_the_phone(page)

    page.goto(live_url(reverse("activities:edit", args=[talk.pk])))
    page.get_by_role("button", name="Remove the activity").click()
    page.get_by_text("was removed").wait_for()
    assert not Activity.objects.filter(pk=talk.pk).exists()
