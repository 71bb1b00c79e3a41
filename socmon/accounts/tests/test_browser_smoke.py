import pytest

pytestmark = pytest.mark.browser


def test_a_worker_signs_in_switches_to_kazakh_and_sees_the_home_page(live_world, page, sign_in, live_url, axe):
    sign_in(live_world.alice)
    assert page.locator("h1").inner_text().startswith("Welcome")
    with page.expect_navigation():
        page.click(".govuk-language-navigation button[lang=kk]")
    assert page.locator("html").get_attribute("lang") == "kk"
    axe()
    # The choice sticks: a new page in the same browser is still in Kazakh.
    page.goto(live_url("/org/"))
    assert page.locator("html").get_attribute("lang") == "kk"
