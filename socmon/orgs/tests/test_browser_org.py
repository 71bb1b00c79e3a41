"""The organisation pages in a real browser: axe-core finds nothing at WCAG 2.2 AA, empty or with errors,
and an administrator can manage units, people and roles with a keyboard and on a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from socmon.accounts.tests.browser_helpers import submit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# (url name, the first field the error summary names when the form is sent empty, the page's query)
FORMS = [
    ("orgs:add_child", "Level", ""),
    ("orgs:edit", "Name", ""),
    ("orgs:move", "Move under", ""),
    ("orgs:person_new", "First name", ""),
    ("orgs:membership_add", "Person", "?q=home+care"),  # the people found by a search are the choices
]


@pytest.mark.parametrize("persona", ["alice", "dora", "sam", "ann", "eve", "adam"])
def test_the_tree_is_accessible_for_every_role_that_sees_it(live_world, page, sign_in, live_url, persona, axe):
    sign_in(getattr(live_world, persona))
    page.goto(live_url(reverse("orgs:tree")))
    expect(page.locator("h1")).to_have_text("Organisation")
    axe()


@pytest.mark.parametrize("persona", ["heidi", "eve", "adam"])
def test_a_unit_page_is_accessible_with_and_without_people_and_buttons(
        live_world, page, sign_in, live_url, persona, axe):
    sign_in(getattr(live_world, persona))
    page.goto(live_url(reverse("orgs:unit", args=[live_world.home_care.pk])))
    expect(page.locator("h1")).to_have_text("Home Care")
    assert page.locator("main table").count() == (0 if persona == "eve" else 1)
    axe()


@pytest.mark.parametrize("name, first_field, query", FORMS)
def test_each_org_form_is_accessible_empty_and_with_errors(
        live_world, page, sign_in, live_url, name, first_field, query, axe):
    sign_in(live_world.adam)
    page.goto(live_url(reverse(name, args=[live_world.home_care.pk]) + query))
    axe()
    for field in page.locator("main form input[type=text], main form input[type=password]").all():
        field.fill("")
    if page.locator("main form select").count():
        page.locator("main form select").first.evaluate("s => { s.selectedIndex = -1; }")
    assert submit(page, "main form[method=post] button[type=submit]") == 400
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert page.title().startswith("Error:")
    # Each error in the summary names its field and links to it.
    first = summary.locator("a").first
    expect(first).to_contain_text(f"{first_field}: ")
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(target)).to_be_focused()
    axe()


def test_an_administrator_adds_a_person_with_a_role_and_sees_them_listed(
        live_world, page, sign_in, live_url, axe):
    sign_in(live_world.adam)
    page.goto(live_url(reverse("orgs:unit", args=[live_world.family.pk])))
    page.click(f"main a[href='{reverse('orgs:person_new', args=[live_world.family.pk])}']")
    page.fill("#id_first_name", "Gulnara")
    page.fill("#id_last_name", "Zhaksylykova")
    page.fill("#id_username", "gulnara")
    page.fill("#id_password", "a-long-first-password")
    page.select_option("#id_role", "worker")
    submit(page)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Gulnara Zhaksylykova")
    expect(page.locator("main table")).to_contain_text("Gulnara Zhaksylykova")
    axe()


def test_the_unit_page_fits_a_phone(live_world, page, sign_in, live_url, axe):
    page.set_viewport_size(PHONE)
    sign_in(live_world.adam)
    for path in [reverse("orgs:tree"), reverse("orgs:unit", args=[live_world.home_care.pk]),
                 reverse("orgs:person_new", args=[live_world.home_care.pk])]:
        page.goto(live_url(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    axe()
