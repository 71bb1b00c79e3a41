"""Named people for tests, in one small org tree (the healthchecks habit of Alice, Bob and Charlie).

Testland › North › Riverside › Riverside Centre › Home Care (alice, bob: workers; heidi: head)
                                              › Family Support (fiona: worker)
         › South › Hilltown › Hilltown Centre › Hill Home Care (walt: worker of another institution)
dora directs Riverside Centre; sam is the monitoring specialist of North; ann the country's analyst;
eve the external evaluator; adam administers North; root is a superuser.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

from socmon.accounts.models import Membership, Role, User
from socmon.orgs.models import OrgLevel, OrgUnit

PASSWORD = "correct-horse-battery-staple"
# The moment every non-browser test starts at (the root conftest pins the clock there, ticking on): a
# working Wednesday morning in the deployment's zone, so no test depends on when the suite runs. A test
# about another moment sets it itself (time_machine.travel(..., tick=False) or `now=`).
TEST_NOW = datetime.datetime(2026, 11, 18, 9, 30, tzinfo=ZoneInfo("Asia/Almaty"))
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@dataclass
class World:
    country: OrgUnit
    north: OrgUnit
    south: OrgUnit
    riverside: OrgUnit
    centre: OrgUnit
    home_care: OrgUnit
    family: OrgUnit
    hill_centre: OrgUnit
    hill_care: OrgUnit
    alice: User
    bob: User
    fiona: User
    heidi: User
    dora: User
    walt: User
    sam: User
    ann: User
    eve: User
    adam: User
    root: User


def _unit(parent: OrgUnit | None, name: str, code: str, level: str) -> OrgUnit:
    fields = {"name": name, "code": code, "level": OrgLevel.objects.get(code=level)}
    return OrgUnit.objects.add_root(fields) if parent is None else OrgUnit.objects.add_child(parent, fields)


def _person(username: str, first: str, last: str, unit: OrgUnit | None, role: str | None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=first, last_name=last)
    if unit is not None:
        Membership.objects.create(user=user, org_unit=unit, role=role)
    return user


def reseed() -> None:
    """Run the forward data functions of socmon's migrations again (org levels, the catalogue).

    A transactional test's database is flushed afterwards, which also wipes what data migrations seeded.
    Serialized rollback cannot restore it under Playwright: starting it switches this thread's contextvars
    context, and Django's connection handler there no longer holds the serialized copy.
    """
    if OrgLevel.objects.exists():
        return
    loader = MigrationLoader(connection)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan += [node for node in loader.graph.forwards_plan(leaf) if node not in plan]
    for key in plan:
        if not apps.get_app_config(key[0]).name.startswith("socmon."):
            continue
        seeds = [op for op in loader.graph.nodes[key].operations
                 if isinstance(op, RunPython) and not op.hints.get("schema_only")]
        if seeds:
            state = loader.project_state(key, at_end=False)
            for op in seeds:
                op.code(state.apps, None)


def build_world() -> World:
    reseed()
    country = _unit(None, "Testland", "testland", "country")
    north = _unit(country, "North", "north", "region")
    south = _unit(country, "South", "south", "region")
    riverside = _unit(north, "Riverside", "riverside", "district")
    centre = _unit(riverside, "Riverside Centre", "riverside-centre", "institution")
    home_care = _unit(centre, "Home Care", "home-care", "department")
    family = _unit(centre, "Family Support", "family-support", "department")
    hilltown = _unit(south, "Hilltown", "hilltown", "district")
    hill_centre = _unit(hilltown, "Hilltown Centre", "hill-centre", "institution")
    hill_care = _unit(hill_centre, "Hill Home Care", "hill-care", "department")
    # Units are appended, so their paths never change; reloaded for the child counts treebeard keeps.
    for unit in (country, north, south, riverside, centre, home_care, family, hilltown, hill_centre, hill_care):
        unit.refresh_from_db()
    root = _person("root", "Rosa", "Root", None, None)
    root.is_superuser = root.is_staff = True
    root.save()
    return World(
        country=country, north=north, south=south, riverside=riverside, centre=centre,
        home_care=home_care, family=family, hill_centre=hill_centre, hill_care=hill_care,
        alice=_person("alice", "Alice", "Akhmetova", home_care, Role.WORKER),
        bob=_person("bob", "Bob", "Bondarenko", home_care, Role.WORKER),
        fiona=_person("fiona", "Fiona", "Florea", family, Role.WORKER),
        heidi=_person("heidi", "Heidi", "Hasanova", home_care, Role.HEAD),
        dora=_person("dora", "Dora", "Dumitru", centre, Role.DIRECTOR),
        walt=_person("walt", "Walt", "Volkov", hill_care, Role.WORKER),
        sam=_person("sam", "Sam", "Seitkali", north, Role.SPECIALIST),
        ann=_person("ann", "Ann", "Aliyeva", country, Role.ANALYST),
        eve=_person("eve", "Eve", "Ermekova", country, Role.EVALUATOR),
        adam=_person("adam", "Adam", "Abenov", north, Role.ADMIN),
        root=root,
    )


# --- Races through the front door -------------------------------------------------------------------

def web_session(base_url: str, user: User):
    """A `requests` session signed in as `user` on the live server at `base_url`, CSRF token included.

    Signs in with the test client's force_login and carries its session cookie over; each call is a
    separate session, like two browsers. `session.url(path)` builds an address on the live server."""
    import requests
    from django.conf import settings
    from django.test import Client as TestClient
    from django.utils.crypto import get_random_string

    test_client = TestClient()
    test_client.force_login(user, backend=ALLAUTH_BACKEND)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, test_client.cookies[settings.SESSION_COOKIE_NAME].value)
    token = get_random_string(32)
    session.cookies.set(settings.CSRF_COOKIE_NAME, token)
    session.headers["X-CSRFToken"] = token
    session.url = lambda path: base_url + path
    return session


def race(n: int, fn) -> list:
    """Call fn(0) … fn(n-1) in n threads released together by a barrier; their results (or the exception
    one raised) in order. The threads close their own database connections."""
    import threading

    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = fn(i)
        except Exception as error:  # noqa: BLE001 - the caller judges every outcome
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
