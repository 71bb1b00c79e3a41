"""Campaigns through the front door: the 6-monthly survey invites exactly the clients served, the yearly random
sample is reproducible and replaces who declines, the results hide small counts from the evaluator, the export
names nobody and escapes formulas, and Hilltown's worker sees nothing of Riverside."""

import csv
import datetime
import io
import random

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socmon.audit.models import AuditEvent
from socmon.clients.tests.conftest import make_client
from socmon.surveys import selectors
from socmon.surveys.models import Campaign, Invitation
from socmon.surveys.services import drawn_order
from socmon.visits.models import Visit

from .conftest import client_survey, respond, served, with_case

pytestmark = pytest.mark.django_db
START, END = datetime.date(2026, 5, 1), datetime.date(2026, 10, 31)


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def new_campaign(browser, unit, version, kind=Campaign.Kind.SIX_MONTHLY, **extra) -> Campaign:
    page = browser.get(reverse("surveys:campaign_new", args=[unit.pk]))
    assert page.status_code == 200
    key = page.context["form"]["form_key"].value()
    data = {"title": "Client survey 2026", "version": version.pk, "kind": kind, "period_start": START.isoformat(),
            "period_end": END.isoformat(), "sample_size": "10", "form_key": key, **extra}
    answer = browser.post(reverse("surveys:campaign_new", args=[unit.pk]), data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Campaign.objects.latest("pk")


def test_six_monthly_invites_exactly_the_clients_served_in_the_period(world, login):
    version = client_survey()
    visited = served(world.home_care, "Aigul", "Visited", worker=world.alice, day=datetime.date(2026, 6, 3))
    other_department = served(world.family, "Dina", "Family", worker=world.fiona, day=datetime.date(2026, 9, 1))
    open_case = with_case(world.home_care, "Berik", "Cased", worker=world.alice,
                          opened=aware(datetime.date(2026, 1, 5)))
    served(world.home_care, "Cora", "Planned", worker=world.alice, day=datetime.date(2026, 6, 3),
           status=Visit.Status.PLANNED)
    served(world.home_care, "Erlan", "Before", worker=world.alice, day=datetime.date(2026, 4, 30))
    with_case(world.home_care, "Farida", "Closed", worker=world.alice, opened=aware(datetime.date(2025, 1, 5)),
              closed=aware(datetime.date(2026, 4, 1)))
    served(world.hill_care, "Gulnar", "Hill", worker=world.walt, day=datetime.date(2026, 6, 3))
    sam = login(world.sam)
    campaign = new_campaign(sam, world.centre, version)
    sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]), follow=True)
    invited = set(campaign.invitations.values_list("client_id", flat=True))
    assert invited == {visited.pk, other_department.pk, open_case.pk}
    assert AuditEvent.objects.filter(action="surveys.clients_invited", target_id=str(campaign.pk)).exists()
    # Inviting again writes nothing and says so.
    again = sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]), follow=True)
    assert "already been invited" in again.content.decode()
    assert campaign.invitations.count() == 3


def test_only_the_me_specialist_starts_campaigns(world, login):
    version = client_survey()
    assert login(world.heidi).get(reverse("surveys:campaign_new", args=[world.home_care.pk])).status_code == 403
    campaign = new_campaign(login(world.sam), world.home_care, version)
    assert login(world.heidi).post(reverse("surveys:campaign_invite", args=[campaign.pk])).status_code == 403
    assert not campaign.invitations.exists()


def _sample_world(world, n=15):
    return [served(world.home_care, "Client", f"Number{i}", worker=world.alice, day=datetime.date(2026, 7, 1))
            for i in range(n)]


def test_the_yearly_sample_is_reproducible_from_the_stored_seed_and_frame(world, login):
    version = client_survey()
    clients = _sample_world(world)
    sam = login(world.sam)
    campaign = new_campaign(sam, world.centre, version, kind=Campaign.Kind.YEARLY_SAMPLE)
    page = sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]), follow=True).content.decode()
    campaign.refresh_from_db()
    assert campaign.sample_frame == sorted(c.pk for c in clients)  # the frame in a fixed order: by id
    assert campaign.sample_seed and campaign.sample_seed in page  # the seed is shown
    invited = list(campaign.invitations.order_by("position").values_list("client_id", flat=True))
    assert len(invited) == 10
    # Anyone can repeat the draw from the seed and the frame alone, and gets the same ten in the same order.
    assert invited == random.Random(campaign.sample_seed).sample(campaign.sample_frame, 15)[:10]
    assert invited == drawn_order(campaign.sample_seed, list(campaign.sample_frame))[:10]
    assert drawn_order("another seed", campaign.sample_frame)[:10] != invited


def test_a_decline_is_recorded_and_the_next_client_drawn_replaces_it(world, login):
    version = client_survey()
    _sample_world(world)
    sam = login(world.sam)
    campaign = new_campaign(sam, world.centre, version, kind=Campaign.Kind.YEARLY_SAMPLE)
    sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]))
    campaign.refresh_from_db()
    first = campaign.invitations.order_by("position").first()
    alice = login(world.alice)  # the client's own worker records it
    url = reverse("surveys:invitation_decline", args=[first.pk])
    key = alice.get(url).context["form"]["form_key"].value()
    page = alice.post(url, {"reason": "Does not want to be asked", "form_key": key}, follow=True).content.decode()
    first.refresh_from_db()
    assert first.status == Invitation.Status.DECLINED and first.decline_reason == "Does not want to be asked"
    replacement = first.replaced_by
    assert replacement.client_id == drawn_order(campaign.sample_seed, campaign.sample_frame)[10]
    assert replacement.client.code in page
    assert campaign.invitations.filter(status=Invitation.Status.INVITED).count() == 10
    assert AuditEvent.objects.filter(action="surveys.invitation_declined", target_id=str(first.pk)).exists()


def test_a_decline_needs_a_reason_and_another_worker_may_not_record_it(world, login):
    version = client_survey()
    client = served(world.home_care, "Aigul", "Visited", worker=world.alice, day=datetime.date(2026, 6, 3))
    sam = login(world.sam)
    campaign = new_campaign(sam, world.home_care, version)
    sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]))
    invitation = campaign.invitations.get(client=client)
    url = reverse("surveys:invitation_decline", args=[invitation.pk])
    assert login(world.fiona).get(url).status_code == 404
    alice = login(world.alice)
    key = alice.get(url).context["form"]["form_key"].value()
    assert alice.post(url, {"reason": " ", "form_key": key}).status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED


def _answered_campaign(world, login, n=3):
    version = client_survey()
    clients = [served(world.home_care, "Zaure", f"Quell{i}", worker=world.alice, day=datetime.date(2026, 6, 1))
               for i in range(n)]
    sam = login(world.sam)
    campaign = new_campaign(sam, world.home_care, version)
    sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]))
    for i, invitation in enumerate(campaign.invitations.order_by("position")):
        respond(invitation, {"state_improved": "yes", "improvement_example": "=HYPERLINK(\"http://x\",\"Click\")"
                             if i == 0 else "I sleep better", "feels_important": "yes", "satisfied_service": "5",
                             "satisfied_results": "2", "visits_per_month": str(4 + i)})
    return campaign, clients


def test_results_hide_small_counts_from_the_external_evaluator(world, login):
    campaign, _clients = _answered_campaign(world, login)
    url = reverse("surveys:results", args=[campaign.pk])
    exact = login(world.sam).get(url)
    assert exact.status_code == 200
    assert exact.context["results"].answered == 3 and exact.context["results"].rate == 100
    counted = {row.indicator: row.counts for row in exact.context["results"].indicators}
    assert counted == {"IR2": 3, "IR3": 3, "IS1": 3, "IS2": 0}
    eve = login(world.eve).get(url)
    assert eve.status_code == 200
    results = eve.context["results"]
    assert results.protected and str(results.answered) == "fewer than 5"
    assert all(str(row.counts) in ("0", "fewer than 5", "not shown") for row in results.indicators)
    assert "not shown" in str(results.rate or "not shown")
    page = eve.content.decode()
    assert "fewer than 5" in page and "Download" not in page
    for client in _clients:
        assert client.code not in page


def test_export_names_nobody_and_escapes_formulas(world, login):
    campaign, clients = _answered_campaign(world, login)
    sam = login(world.sam)
    xlsx = sam.get(reverse("surveys:export_xlsx", args=[campaign.pk]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Client code", "Version") and "improvement_example" in rows[0]
    text = repr(rows)
    assert all(c.code in text for c in clients)
    assert not any(name in text for c in clients for name in (c.first_name, c.last_name))
    formula = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=HYPERLINK")]
    assert formula and all(cell.data_type == "s" and cell.quotePrefix for cell in formula)
    body = sam.get(reverse("surveys:export_csv", args=[campaign.pk])).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert any(value.startswith("'=HYPERLINK") for row in table for value in row)
    assert not any(value.startswith("=") for row in table for value in row)
    assert "Quell0" not in body and "Zaure" not in body
    # The evaluator reads aggregates only: no export.
    assert login(world.eve).get(reverse("surveys:export_csv", args=[campaign.pk])).status_code == 404


def test_a_question_removed_in_a_later_version_stays_in_the_export(world, login):
    campaign, _clients = _answered_campaign(world, login)
    from .conftest import client_survey as survey

    survey(number=2, md="""
| survey |
| | type | name | label |
| | select_one yn | feels_important | Role grown? |
| choices |
| | list_name | name | label |
| | yn | yes | Yes |
| | yn | no | No |
""")
    header = next(csv.reader(io.StringIO(
        login(world.sam).get(reverse("surveys:export_csv", args=[campaign.pk])).content.decode("utf-8-sig"))))
    assert "visits_per_month" in header and "improvement_example" in header


def test_walt_sees_nothing_of_riverside(world, login):
    campaign, clients = _answered_campaign(world, login)
    invitation = campaign.invitations.first()
    walt = login(world.walt)
    for url in (reverse("surveys:campaign", args=[campaign.pk]), reverse("surveys:slips", args=[campaign.pk]),
                reverse("surveys:invitation", args=[invitation.pk]),
                reverse("surveys:invitation_decline", args=[invitation.pk]),
                reverse("surveys:export_xlsx", args=[campaign.pk])):
        assert walt.get(url).status_code == 404, url
    assert walt.get(reverse("surveys:results", args=[campaign.pk])).status_code == 403
    for url in (reverse("surveys:campaigns"), reverse("surveys:mine")):
        page = walt.get(url).content.decode()
        assert campaign.title not in page and not any(c.code in page for c in clients)


def test_slips_link_each_self_completing_client_to_their_own_answer_page(world, login):
    campaign, _clients = _answered_campaign(world, login)
    late = make_client(world.home_care, "Late", "Comer", worker=world.alice)
    invitation = Invitation.objects.create(campaign=campaign, client=late, position=99)
    page = login(world.heidi).get(reverse("surveys:slips", args=[campaign.pk])).content.decode()
    assert reverse("survey:answer", args=[invitation.nonce]) in page and "<svg" in page
    assert page.count('class="socmon-survey-slip ') == 1  # the answered ones need no slip


def test_indicator_counts_are_distinct_clients_over_the_subtree_and_period(world, login):
    campaign, clients = _answered_campaign(world, login)
    # The same client answers a second campaign (the yearly one): still one client.
    second = Campaign.objects.create(version=campaign.version, org_unit=world.centre, kind=Campaign.Kind.OTHER,
                                     title="Again", period_start=START, period_end=END, created_by=world.sam)
    respond(Invitation.objects.create(campaign=second, client=clients[1]),
            {"state_improved": "yes", "improvement_example": "I go out more"})
    today = timezone.localdate()
    assert selectors.indicator_counts("IR2", world.centre.path, today, today) == 3
    assert selectors.indicator_counts("IR2", world.hill_centre.path, today, today) == 0
    assert selectors.indicator_counts("IS2", world.centre.path, today, today) == 0
    assert selectors.indicator_counts("IR2", world.centre.path, START, END) == 0  # answered in November


def test_a_worker_sets_how_their_client_answers_and_sees_the_answer_link(world, login):
    version = client_survey()
    client = served(world.home_care, "Aigul", "Visited", worker=world.alice, day=datetime.date(2026, 6, 3))
    sam = login(world.sam)
    campaign = new_campaign(sam, world.home_care, version)
    sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]))
    invitation = campaign.invitations.get(client=client)
    alice = login(world.alice)
    mine = alice.get(reverse("surveys:mine")).content.decode()
    assert client.code in mine
    page = alice.get(reverse("surveys:invitation", args=[invitation.pk])).content.decode()
    assert reverse("survey:answer", args=[invitation.nonce]) in page
    alice.post(reverse("surveys:invitation_mode", args=[invitation.pk]), {"mode": "phone"})
    invitation.refresh_from_db()
    assert invitation.mode == Invitation.Mode.PHONE
    assert AuditEvent.objects.filter(action="surveys.invitation_mode_changed", target_id=str(invitation.pk)).exists()


def test_the_invitation_page_leads_the_clients_worker_to_the_interview(world, login):
    version = client_survey()
    client = served(world.home_care, "Aigul", "Visited", worker=world.alice, day=datetime.date(2026, 6, 3))
    sam = login(world.sam)
    campaign = new_campaign(sam, world.home_care, version)
    sam.post(reverse("surveys:campaign_invite", args=[campaign.pk]))
    invitation = campaign.invitations.get(client=client)
    interview = reverse("surveys:interview", args=[invitation.pk])
    assert interview not in sam.get(reverse("surveys:invitation", args=[invitation.pk])).content.decode()
    assert interview in login(world.alice).get(reverse("surveys:invitation", args=[invitation.pk])).content.decode()
