"""A worker registers an application through the real form; the head sees the caseload (Chromium)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from socmon.clients.models import CaseloadAssignment, Client
from socmon.clients.tests.conftest import make_client

pytestmark = pytest.mark.browser


def test_a_worker_registers_an_application_and_the_head_sees_it_on_the_caseload(
        live_world, page, sign_in, live_url, axe, screenshot):
    world = live_world
    make_client(world.home_care, "Boris", "Orlov", worker=world.bob, by=world.heidi)
    sign_in(world.alice)
    page.goto(live_url("/clients/register/"))
    axe()
    page.click("main button:has-text('Register the application')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.locator("title").inner_text().startswith("Error:")
    axe()
    screenshot("clients-register-errors")

    today = timezone.localdate().isoformat()
    page.check("input[name=channel][value=relative]")
    page.fill("#id_request_text", "Her son asks for help with shopping and cleaning twice a week.")
    page.fill("#id_first_name", "Zhanna")
    page.fill("#id_last_name", "Tulegenova")
    page.fill("#id_birth_date", "1941-02-03")
    page.check("input[name=sex][value=female]")
    page.select_option("#id_category", label="Older person unable to care for themselves")
    page.select_option("#id_language", "kk")
    page.fill("#id_address", "Talgar, Abai Street 12")
    page.fill("#id_latitude", "43.3012")
    page.fill("#id_longitude", "77.2411")
    page.fill("#id_trusted_person_name", "Aidos Tulegenov (son)")
    page.check("input[name=accessibility_needs][value=large_print]")
    page.fill("#id_consent_given_on", today)
    page.fill("#id_consent_scope", "Processing of personal data to provide social services")
    screenshot("clients-register-filled")
    page.click("main button:has-text('Register the application')")

    person = Client.objects.get(last_name="Tulegenova")
    assert page.locator("h1").inner_text() == "Zhanna Tulegenova"
    assert person.code in page.locator(".govuk-notification-banner").inner_text()
    assert CaseloadAssignment.objects.get(client=person).worker == world.alice
    axe()
    screenshot("clients-detail")

    page.context.clear_cookies()
    sign_in(world.heidi)
    page.goto(live_url("/clients/caseloads/"))
    assert "Alice Akhmetova: 1 client" in page.locator("main").inner_text()
    page.click("summary:has-text('Alice Akhmetova')")
    page.check(f"#client-{person.pk}")
    page.select_option("#id_worker", label="Bob Bondarenko")
    page.click("main button:has-text('Give the selected clients')")
    assert "1 client moves to Bob Bondarenko from tomorrow." in page.locator(".govuk-notification-banner").inner_text()
    axe()
    screenshot("clients-caseload")
