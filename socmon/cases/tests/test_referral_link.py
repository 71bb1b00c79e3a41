"""The outside organisation's link (R-2.4): accept or decline without an account, later say whether the person
joined; each step once, audited as the public, refused clearly when the link cannot be used."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.visits import tokens

from .. import links, services
from ..models import Referral
from . import factories

pytestmark = pytest.mark.django_db


def send_outside(world, case=None, **kwargs) -> Referral:
    case = case or factories.case_in(world, "active")
    return services.send_referral(by=world.alice, case=case, programme="Day care with meals", kind="standard",
                                  notes="Likes company; call her daughter first", to_external="Lakeside Day Centre",
                                  **kwargs)


def link_on_referral_page(browser, referral) -> str:
    """The link as the sender's referral page shows it (the path part)."""
    html = browser.get(reverse("cases:referral", args=[referral.pk])).content.decode()
    url = re.search(r'id="referral-link" type="text" readonly value="([^"]+)"', html).group(1)
    return url.removeprefix("http://testserver")


def public_events(referral) -> list[str]:
    return list(AuditEvent.objects.filter(target_type="cases.referral", target_id=str(referral.pk),
                                          actor_kind="public").order_by("pk").values_list("action", flat=True))


def test_the_organisation_accepts_through_its_link_and_later_says_the_person_joined(client, login, world):
    case = factories.case_in(world, "active")
    sent = login(world.alice).post(reverse("cases:referral_new", args=[case.pk]), {
        "to_unit": "", "to_external": "Lakeside Day Centre", "programme_kind": "care",
        "programme": "Day care with meals", "kind": "standard", "notes": "Likes company"})
    assert sent.status_code == 302
    referral = Referral.objects.get()
    url = link_on_referral_page(login(world.alice), referral)

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert case.client.code in html and "Day care with meals" in html and "Likes company" in html
    assert "Care and rehabilitation" in html
    for private in (case.client.first_name, case.client.last_name, case.client.address):
        assert private not in html
    accepted = client.post(url, {"step": "answer", "answer": "accept", "reason": ""})
    assert accepted.status_code == 302
    page = client.get(accepted["Location"])
    assert "you accepted the referral" in page.content.decode() and 'name="joined"' in page.content.decode()

    today = timezone.localdate()
    done = client.post(url, {"step": "outcome", "joined": "yes", "joined_on": today.isoformat(),
                             "notes": "Comes Mondays"})
    assert done.status_code == 302 and done["Location"].startswith(reverse("referral_link:thanks"))
    referral.refresh_from_db()
    assert (referral.status, referral.joined, referral.joined_on, referral.outcome_notes) == (
        "completed", True, today, "Comes Mondays")
    assert referral.answered_by is None and referral.answered_at and referral.outcome_by is None and referral.outcome_at
    assert public_events(referral) == [AuditAction.REFERRAL_ANSWERED, AuditAction.REFERRAL_OUTCOME_RECORDED]
    timeline = case.events.filter(kind__in=["referral_accepted", "referral_outcome"])
    assert [(e.actor, e.detail.get("via_link")) for e in timeline] == [(None, True), (None, True)]
    # The sender sees who answered; the case page names the organisation, never "None".
    detail = login(world.alice).get(reverse("cases:referral", args=[referral.pk])).content.decode()
    assert "Lakeside Day Centre through its link" in detail and "Yes, on" in detail
    case_page = login(world.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Lakeside Day Centre through its link" in case_page and "None," not in case_page
    # Everything is recorded: the link has done its work.
    used = client.get(url)
    assert used.status_code == 410 and "already been recorded" in used.content.decode()


def test_declining_through_the_link_needs_a_reason(client, world):
    referral = send_outside(world)
    url = reverse("referral_link:answer", args=[links.link_token(referral)])
    refused = client.post(url, {"step": "answer", "answer": "decline", "reason": "  "})
    assert refused.status_code == 400
    assert "Give the reason for declining the referral." in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent" and not public_events(referral)

    declined = client.post(url, {"step": "answer", "answer": "decline", "reason": "No places until spring"})
    assert declined.status_code == 302 and declined["Location"].startswith(reverse("referral_link:thanks"))
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "No places until spring")
    event = referral.case.events.get(kind="referral_declined")
    assert event.actor is None and event.detail["comment"] == "No places until spring"
    assert client.get(url).status_code == 410


def test_an_answered_step_cannot_be_answered_again(client, world):
    referral = send_outside(world)
    url = reverse("referral_link:answer", args=[links.link_token(referral)])
    assert client.post(url, {"step": "answer", "answer": "accept"}).status_code == 302
    again = client.post(url, {"step": "answer", "answer": "decline", "reason": "Changed our mind"})
    assert again.status_code == 409
    assert "already been answered, so nothing was recorded" in again.content.decode()
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.decline_reason == ""
    assert public_events(referral) == [AuditAction.REFERRAL_ANSWERED]


def test_the_sender_answering_first_leaves_the_link_only_the_outcome(client, login, world):
    referral = send_outside(world)
    url = reverse("referral_link:answer", args=[links.link_token(referral)])
    login(world.alice).post(reverse("cases:referral_answer", args=[referral.pk]), {"answer": "accept", "reason": ""})
    stale = client.post(url, {"step": "answer", "answer": "accept"})
    assert stale.status_code == 409
    assert 'value="outcome"' in client.get(url).content.decode()


@pytest.mark.parametrize("tamper", ["signature", "payload", "garbage", "cut", "unknown_referral", "card_code"])
def test_a_tampered_or_unknown_link_gets_a_refusal_page(client, world, tamper):
    referral = send_outside(world)
    token = links.link_token(referral)
    value, _sep, signature = token.rpartition(":")
    bad = {
        "signature": f"{value}:{signature[:-2]}{'AB' if signature[-2:] != 'AB' else 'CD'}",
        "payload": f"{value[:-1]}{'x' if value[-1] != 'x' else 'y'}:{signature}",
        "garbage": "not-a-link-at-all",
        "cut": token[:20],
        "unknown_referral": tokens.sign_pair(links.KIND, referral.pk + 1000, referral.link_nonce),
        "card_code": None,
    }[tamper]
    if bad is None:
        from socmon.visits.models import ClientCard
        card = ClientCard.objects.create(client=referral.client, version=1, issued_by=world.alice)
        bad = tokens.rating_token(card)
    response = client.post(reverse("referral_link:answer", args=[bad]), {"step": "answer", "answer": "accept"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "This link cannot be used now" in html and "Nothing was recorded" in html
    assert referral.client.code not in html
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_new_link_replaces_the_old_one(client, login, world):
    referral = send_outside(world)
    old = reverse("referral_link:answer", args=[links.link_token(referral)])
    alice = login(world.alice)
    response = alice.post(reverse("cases:referral_link_issue", args=[referral.pk]))
    assert response.status_code == 302
    new = link_on_referral_page(alice, referral)
    assert new != old
    refused = client.post(old, {"step": "answer", "answer": "accept"})
    assert refused.status_code == 410 and "replaced by a newer one" in refused.content.decode()
    assert client.get(new).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_LINK_ISSUED, actor=world.alice,
                                     target_id=str(referral.pk)).count() == 1
    assert referral.case.events.filter(kind="referral_link_issued", actor=world.alice).exists()


def test_a_link_expires(client, world, settings):
    settings.SOCMON_REFERRAL_LINK_DAYS = 30
    referral = send_outside(world)
    url = reverse("referral_link:answer", args=[links.link_token(referral)])
    with time_machine.travel(referral.link_issued_at + datetime.timedelta(days=31), tick=False):
        response = client.get(url)
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_the_link_page_speaks_the_language_chosen_on_it(client, world):
    referral = send_outside(world)
    url = reverse("referral_link:answer", args=[links.link_token(referral)])
    html = client.get(url + "?lang=ru").content.decode()
    assert '<html lang="ru">' in html and "Программа или услуга" in html
    for code in ("en", "az", "kk", "ro"):
        assert f'?lang={code}"' in html
    refused = client.get(reverse("referral_link:answer", args=["broken"]) + "?lang=kk").content.decode()
    assert '<html lang="kk">' in refused
    response = client.post(url, {"step": "answer", "answer": "decline", "reason": "Full", "lang": "ro"})
    assert response["Location"].endswith("lang=ro")


def test_only_the_sending_side_sees_and_renews_the_link(login, world):
    referral = send_outside(world)
    page = login(world.heidi).get(reverse("cases:referral", args=[referral.pk]))
    assert 'id="referral-link"' in page.content.decode()
    assert login(world.walt).get(reverse("cases:referral", args=[referral.pk])).status_code == 404
    assert login(world.walt).post(reverse("cases:referral_link_issue", args=[referral.pk])).status_code == 404
    inside = services.send_referral(by=world.alice, case=referral.case, programme="Family mediation",
                                    kind="standard", notes="Needs support", to_unit=world.family)
    assert not inside.link_nonce
    assert 'id="referral-link"' not in login(world.alice).get(
        reverse("cases:referral", args=[inside.pk])).content.decode()


def test_many_wrong_links_from_one_address_wait_but_a_genuine_link_never_does(client, world):
    referral = send_outside(world)
    for attempt in range(30):
        assert client.get(reverse("referral_link:answer", args=[f"wrong-{attempt}"])).status_code == 404
    assert client.get(reverse("referral_link:answer", args=["wrong-again"])).status_code == 429
    assert client.get(reverse("referral_link:answer", args=[links.link_token(referral)])).status_code == 200
