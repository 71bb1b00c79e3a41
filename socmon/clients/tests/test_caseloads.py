"""The head's caseload page and reassignment from tomorrow (R-2.5)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from socmon.accounts.models import Membership, Role
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.clients import selectors, services
from socmon.clients.access import clients_visible_to
from socmon.clients.models import CaseloadAssignment
from socmon.clients.services import log_client_view
from socmon.clients.tests.conftest import make_client

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
TOMORROW = TODAY + datetime.timedelta(days=1)


def caseload_url(world):
    return reverse("clients:caseload", args=[world.home_care.pk])


@pytest.mark.parametrize("persona, status", [("heidi", 200), ("root", 200), ("alice", 404), ("dora", 404),
                                             ("walt", 404), ("eve", 404)])
def test_only_the_head_sees_the_department_caseloads(login, world, clients, persona, status):
    assert login(getattr(world, persona)).get(caseload_url(world)).status_code == status


def test_caseloads_entry_leads_the_head_to_their_department(login, world):
    response = login(world.heidi).get(reverse("clients:caseloads"))
    assert response.status_code == 302 and response["Location"] == caseload_url(world)
    assert login(world.alice).get(reverse("clients:caseloads")).status_code == 403


def test_the_head_sees_each_worker_with_a_count_and_the_average(login, world, clients):
    make_client(world.home_care, "Second", "Client", worker=world.alice, by=world.heidi)
    html = login(world.heidi).get(caseload_url(world)).content.decode()
    assert "Alice Akhmetova: 2 clients" in html and "Bob Bondarenko: 1 client" in html
    assert "1.5" in html  # (2 + 1) / 2 workers
    assert clients.nobodys.code in html and "1 client not assigned to anyone" in html


def test_reassignment_takes_effect_tomorrow(world, clients):
    services.assign_clients(by=world.heidi, department=world.home_care, clients=[clients.alices],
                            worker=world.bob, today=TODAY)
    assert clients_visible_to(world.alice, TODAY).filter(pk=clients.alices.pk).exists()
    assert not clients_visible_to(world.bob, TODAY).filter(pk=clients.alices.pk).exists()
    assert not clients_visible_to(world.alice, TOMORROW).filter(pk=clients.alices.pk).exists()
    assert clients_visible_to(world.bob, TOMORROW).filter(pk=clients.alices.pk).exists()
    old, new = CaseloadAssignment.objects.filter(client=clients.alices).order_by("starts_on")
    assert (old.worker, old.ends_on) == (world.alice, TOMORROW)
    assert (new.worker, new.starts_on, new.ends_on) == (world.bob, TOMORROW, None)
    assert AuditEvent.objects.filter(action=AuditAction.CASELOAD_ASSIGNED, actor=world.heidi).count() == 1


def test_the_workers_lists_show_today_and_tomorrow(world, clients):
    services.assign_clients(by=world.heidi, department=world.home_care, clients=[clients.alices],
                            worker=world.bob, today=TODAY)
    overview = selectors.caseload_overview(world.home_care, today=TODAY)
    loads = {load.worker: load for load in overview.loads}
    assert loads[world.alice].clients == [clients.alices] and loads[world.alice].leaving == [clients.alices]
    assert loads[world.bob].arriving == [clients.alices]
    tomorrow = {load.worker: load for load in selectors.caseload_overview(world.home_care, today=TOMORROW).loads}
    assert tomorrow[world.alice].count == 0 and tomorrow[world.bob].count == 2


def test_an_unassigned_client_joins_the_list_today(world, clients):
    counts = services.assign_clients(by=world.heidi, department=world.home_care, clients=[clients.nobodys],
                                     worker=world.alice, today=TODAY)
    assert counts == {"today": 1, "tomorrow": 0, "unchanged": 0}
    assert clients_visible_to(world.alice, TODAY).filter(pk=clients.nobodys.pk).exists()


def test_changing_a_planned_move_replaces_it_and_moving_back_cancels_it(world, clients):
    args = dict(by=world.heidi, department=world.home_care, clients=[clients.alices], today=TODAY)
    services.assign_clients(worker=world.bob, **args)
    services.assign_clients(worker=world.alice, **args)
    only = CaseloadAssignment.objects.get(client=clients.alices)
    assert (only.worker, only.ends_on) == (world.alice, None)


def test_moving_one_client_twice_in_two_days_keeps_one_open_assignment(world, clients):
    services.assign_clients(by=world.heidi, department=world.home_care, clients=[clients.alices],
                            worker=world.bob, today=TODAY)
    services.assign_clients(by=world.heidi, department=world.home_care, clients=[clients.alices],
                            worker=world.alice, today=TOMORROW)
    rows = list(CaseloadAssignment.objects.filter(client=clients.alices).order_by("starts_on")
                .values_list("worker", "ends_on"))
    assert rows == [(world.alice.pk, TOMORROW), (world.bob.pk, TOMORROW + datetime.timedelta(days=1)),
                    (world.alice.pk, None)]


def test_a_worker_who_leaves_hands_over_all_clients_at_once(login, world, clients):
    extra = make_client(world.home_care, "Third", "Client", worker=world.alice, by=world.heidi)
    response = login(world.heidi).post(reverse("clients:caseload_handover", args=[world.home_care.pk]),
                                       {"from_worker": world.alice.pk, "to_worker": world.bob.pk})
    assert response.status_code == 302
    moved = CaseloadAssignment.objects.filter(worker=world.bob, ends_on=None, client__in=[clients.alices, extra])
    assert moved.count() == 2
    assert {a.starts_on for a in moved} == {timezone.localdate() + datetime.timedelta(days=1)}
    page = login(world.heidi).get(caseload_url(world)).content.decode()
    assert "2 clients move to Bob Bondarenko from tomorrow." in page


def test_the_head_assigns_selected_clients_through_the_page(login, world, clients):
    response = login(world.heidi).post(reverse("clients:caseload_assign", args=[world.home_care.pk]),
                                       {"clients": [clients.nobodys.pk, clients.alices.pk], "worker": world.bob.pk})
    assert response.status_code == 302
    assert CaseloadAssignment.objects.filter(worker=world.bob, ends_on=None).count() == 3


@pytest.mark.parametrize("data_for, message", [
    (lambda w, c: {"worker": w.bob.pk}, "Select at least one client."),
    (lambda w, c: {"clients": [c.alices.pk]}, "Choose the social worker who will take the clients."),
    (lambda w, c: {"clients": [c.walts.pk], "worker": w.bob.pk}, "Select clients of this department only."),
    (lambda w, c: {"clients": [c.fionas.pk], "worker": w.bob.pk}, "Select clients of this department only."),
    (lambda w, c: {"clients": ["x"], "worker": w.bob.pk}, "Select clients of this department only."),
    (lambda w, c: {"clients": [c.alices.pk], "worker": w.fiona.pk}, "Choose a social worker of this department."),
    (lambda w, c: {"clients": [c.alices.pk], "worker": w.heidi.pk}, "Choose a social worker of this department."),
])
def test_bad_assignments_are_refused_and_nothing_changes(login, world, clients, data_for, message):
    before = list(CaseloadAssignment.objects.values_list("pk", "worker", "ends_on"))
    response = login(world.heidi).post(reverse("clients:caseload_assign", args=[world.home_care.pk]),
                                       data_for(world, clients))
    assert response.status_code == 400 and message in response.content.decode()
    assert list(CaseloadAssignment.objects.values_list("pk", "worker", "ends_on")) == before


def test_a_worker_cannot_reassign(login, world, clients):
    response = login(world.alice).post(reverse("clients:caseload_assign", args=[world.home_care.pk]),
                                       {"clients": [clients.bobs.pk], "worker": world.alice.pk})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.assign_clients(by=world.alice, department=world.home_care, clients=[clients.bobs],
                                worker=world.alice)


def test_all_or_nothing_when_one_client_is_outside_the_department(world, clients):
    with pytest.raises(ValidationError):
        services.assign_clients(by=world.root, department=world.home_care, clients=[clients.nobodys, clients.fionas],
                                worker=world.bob, today=TODAY)
    assert not CaseloadAssignment.objects.filter(client=clients.nobodys).exists()


def test_a_worker_who_lost_the_role_is_flagged_while_holding_clients(login, world, clients):
    Membership.objects.filter(user=world.alice, role=Role.WORKER).delete()
    html = login(world.heidi).get(caseload_url(world)).content.decode()
    assert "no longer a worker here" in html


def test_the_head_sees_purpose_stated_views_in_the_department(login, world, clients):
    log_client_view(by=world.bob, client=clients.alices, what="client record", purpose="Covering on Monday")
    log_client_view(by=world.heidi, client=clients.alices, what="client record")
    html = login(world.heidi).get(caseload_url(world)).content.decode()
    assert "Covering on Monday" in html and "Bob Bondarenko" in html
    home = login(world.heidi).get(reverse("home")).content.decode()
    assert "1</span><a class=\"govuk-link\" href=\"" in home and "record opened with a stated purpose" in home


def test_home_page_counts_the_workers_clients(login, world, clients):
    html = login(world.alice).get(reverse("home")).content.decode()
    assert "client on your list today" in html  # one client: the singular


def test_the_menu_marks_only_caseloads_as_the_current_page(login, world, clients):
    html = login(world.heidi).get(caseload_url(world)).content.decode()
    assert html.count('aria-current="page"') == 1
    assert 'aria-current="page"><strong class="govuk-service-navigation__active-fallback">Caseloads' in html


def test_a_worker_prints_the_cards_of_their_list_from_my_clients(login, world, clients):
    alice = login(world.alice)
    html = alice.get(reverse("clients:mine")).content.decode()
    form = html.split(f'action="{reverse("visits:cards_caseload")}"')[1].split("</form>")[0]
    assert f'name="worker" value="{world.alice.pk}"' in form and "Print the cards of your clients (PDF)" in form
    response = alice.post(reverse("visits:cards_caseload"), {"worker": world.alice.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_head_prints_the_cards_of_each_workers_list_from_the_caseload_page(login, world, clients):
    heidi = login(world.heidi)
    html = heidi.get(caseload_url(world)).content.decode()
    for worker in (world.alice, world.bob):
        row = html.split(f"<th scope=\"row\" class=\"govuk-table__header\">{worker}")[1].split("</tr>")[0]
        assert f'action="{reverse("visits:cards_caseload")}"' in row
        assert f'name="worker" value="{worker.pk}"' in row
    response = heidi.post(reverse("visits:cards_caseload"), {"worker": world.bob.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
