"""Two phones send the last page of one invitation at once: one response, the other is told (live server)."""

import pytest
import requests
from django.urls import reverse

from socmon.surveys import flow
from socmon.surveys.models import Response
from socmon.test import race

from .kit import invitation, questionnaire_version

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 10


def test_two_simultaneous_submissions_store_one_response_and_the_second_gets_already_answered(world, live_server):
    version = questionnaire_version(world)
    last = len(flow.items_of(version)) - 1
    for _ in range(TRIES):
        invited = invitation(world, version, language="ru")
        url = live_server.url + reverse("survey:answer", args=[invited.nonce])
        data = {"state": '{"better": "no", "visits": 1}', "at": str(last), "action": "next", "areas": "sleep",
                "lang": "en"}
        answers = race(2, lambda i, url=url, data=data: requests.post(url, data=data, allow_redirects=False,
                                                                      timeout=30))
        assert sorted(a.status_code for a in answers) == [302, 409], answers
        loser = next(a for a in answers if a.status_code == 409)
        assert "You have answered this survey already" in loser.text
        assert Response.objects.filter(client=invited.client).count() == 1
