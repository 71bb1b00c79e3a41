"""Helpers for the foundation's browser tests.

`seeded_world()` is the persona world with what the data migrations seed put back first. Each browser
test runs against a live server, so its database is flushed afterwards, and the flush also wipes the
rows data migrations create (org levels, the catalogue). pytest-django's serialized rollback would
restore them, but starting Playwright switches this thread's contextvars context, and Django's
connection handler in the new context no longer holds the serialized copy. So we re-run the seeds.

Use in a browser test module (overrides socmon.browser's fixture of the same name):

    @pytest.fixture
    def live_world(transactional_db):
        return seeded_world()
"""

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.utils import translation

from socmon.orgs.models import OrgLevel
from socmon.test import World, build_world


def reseed() -> None:
    """Run the forward data functions of socmon's migrations again, in migration order."""
    if OrgLevel.objects.exists():
        return
    loader = MigrationLoader(connection)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan += [node for node in loader.graph.forwards_plan(leaf) if node not in plan]
    for key in plan:
        if not apps.get_app_config(key[0]).name.startswith("socmon."):
            continue
        seeds = [op for op in loader.graph.nodes[key].operations if isinstance(op, RunPython)]
        if seeds:
            state = loader.project_state(key, at_end=False)
            for op in seeds:
                op.code(state.apps, None)


def seeded_world() -> World:
    cache.clear()  # allauth counts failed sign-ins and used codes in the cache, which outlives the database
    reseed()
    return build_world()


def submit(page, selector: str = "main button[type=submit]") -> int:
    """Click a button that sends a form and wait for the next page; returns its HTTP status."""
    with page.expect_navigation() as navigation:
        page.click(selector)
    return navigation.value.status


def sign_out(page) -> None:
    submit(page, "nav form button[type=submit]")  # the menu's Sign out, in whatever language


def in_language(code: str, text: str) -> str:
    """Our catalogue's translation of `text`; fails if there is none (the page would show English)."""
    with translation.override(code):
        translated = translation.gettext(text)
    assert translated != text, f"{text!r} has no {code} translation"
    return translated


def sign_in_as(page, live_url, user, password: str) -> int:
    """socmon.browser's sign_in, waiting for the page after the redirect (a goto straight after its
    click could cancel the sign-in)."""
    page.goto(live_url("/accounts/login/"))
    page.fill("#id_login", user.username)
    page.fill("#id_password", password)
    return submit(page)
