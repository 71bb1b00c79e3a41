"""Values follow new facts within seconds: a worker records attendance through the real page while the indicator
worker runs beside the server, and the institution's stored value changes without anyone rebuilding."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from socmon.clients.models import CaseloadAssignment
from socmon.indicators.management.commands.indicators_worker import work
from socmon.indicators.models import StaleMark
from socmon.test import web_session

from .kit import activity, client, value

pytestmark = pytest.mark.django_db(transaction=True)
PATIENCE = 30  # seconds: far above the goal, so a loaded machine never fails it


def test_attendance_recorded_on_the_page_reaches_the_institution_within_seconds(world, live_server):
    today = timezone.localdate()
    act = activity(world, world.home_care, today)
    person = client(world, world.home_care, first="Amina")
    CaseloadAssignment.objects.get_or_create(client=person, worker=world.alice,
                                             defaults={"assigned_by": world.heidi, "starts_on": today})
    stop = threading.Event()
    worker = threading.Thread(target=_run_worker, args=(stop,), daemon=True)
    worker.start()
    session = web_session(live_server.url, world.alice)
    answer = session.post(session.url(reverse("activities:attend", args=[act.pk])), data={"code": person.code})
    assert answer.status_code == 200
    saved = time.monotonic()
    month = today.strftime("%Y-%m")
    while value("IP2", world.centre, month) != 1 and time.monotonic() - saved < PATIENCE:
        time.sleep(0.1)
    assert value("IP2", world.centre, month) == 1  # how fast is `make bench`'s to say, not a timed test's
    stop.set()
    worker.join()
    assert not StaleMark.objects.exists()


def _run_worker(stop: threading.Event):
    """What `manage.py indicators_worker` runs, until the test says stop."""
    try:
        work(stop=stop.is_set, interval=0.1, rebuild_hour=-1)
    finally:
        connection.close()
