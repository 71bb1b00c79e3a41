"""Who may see which case pages, per persona, through the front door."""

import pytest
from django.urls import reverse

from socmon.clients.models import ClientAccessLog

from ..models import Case
from . import factories

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    case = factories.case_in(world, "assessment")
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona, status", [
    ("alice", 200), ("heidi", 200), ("dora", 200), ("sam", 200), ("ann", 200), ("root", 200),
    ("walt", 404), ("fiona", 404), ("eve", 404), ("adam", 404),
])
def test_case_page_is_shown_only_to_people_who_see_the_client(login, world, persona, status):
    case = factories.case_in(world, "assessment")
    assert login(getattr(world, persona)).get(reverse("cases:detail", args=[case.pk])).status_code == status


def test_a_colleague_must_state_a_purpose_before_opening_the_case(login, world):
    case = factories.case_in(world, "assessment")
    url = reverse("cases:detail", args=[case.pk])
    response = login(world.bob).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/clients/{case.client.pk}/purpose/?next=")
    assert not ClientAccessLog.objects.filter(user=world.bob).exists()


def test_a_stated_purpose_lets_the_colleague_in_and_is_logged(login, world, client):
    case = factories.case_in(world, "assessment")
    session = login(world.bob).session
    session["client_purposes"] = {str(case.client.pk): "Covering for Alice on leave"}
    session.save()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    log = ClientAccessLog.objects.get(user=world.bob)
    assert (log.what, log.purpose) == ("case", "Covering for Alice on leave")


def test_every_view_of_a_case_page_is_logged(login, world):
    case = factories.case_in(world, "assessment")
    login(world.heidi).get(reverse("cases:detail", args=[case.pk]))
    assert ClientAccessLog.objects.filter(user=world.heidi, client=case.client, what="case").count() == 1


@pytest.mark.parametrize("name", ["cases:assessment", "cases:plan", "cases:review_new", "cases:closure",
                                  "cases:referral_new", "cases:reopen"])
def test_people_who_may_only_look_are_forbidden_the_work_pages(login, world, name):
    case = factories.case_in(world, "assessment")
    assert login(world.dora).get(reverse(name, args=[case.pk])).status_code == 403
    assert login(world.sam).get(reverse(name, args=[case.pk])).status_code == 403
    assert login(world.walt).get(reverse(name, args=[case.pk])).status_code == 404


@pytest.mark.parametrize("name", ["cases:assessment_decide", "cases:plan_decide", "cases:closure_decide"])
def test_only_a_head_of_the_department_may_open_the_decision_pages(login, world, name):
    case = factories.case_in(world, "assessment_submitted")
    assert login(world.alice).get(reverse(name, args=[case.pk])).status_code == 403
    assert login(world.dora).get(reverse(name, args=[case.pk])).status_code == 403
    assert login(world.heidi).get(reverse(name, args=[case.pk])).status_code == 200


@pytest.mark.parametrize("persona, status", [
    ("alice", 200), ("heidi", 200), ("dora", 200), ("ann", 200), ("walt", 200), ("eve", 403), ("adam", 403),
])
def test_case_list_is_for_people_who_see_clients(login, world, persona, status):
    assert login(getattr(world, persona)).get(reverse("cases:list")).status_code == status


def test_case_list_shows_only_the_persons_cases(login, world):
    mine = factories.case_in(world, "assessment")
    bobs = factories.case_in(world, "assessment", worker=world.bob)
    alice = login(world.alice).get(reverse("cases:list")).content.decode()
    assert mine.client.code in alice and bobs.client.code not in alice
    walt = login(world.walt).get(reverse("cases:list")).content.decode()
    assert mine.client.code not in walt
    heidi = login(world.heidi).get(reverse("cases:list")).content.decode()
    assert mine.client.code in heidi and bobs.client.code in heidi


def test_case_list_runs_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    for _ in range(3):
        factories.case_in(world, "assessment_submitted")
    client = login(world.heidi)
    with django_assert_max_num_queries(12):
        client.get(reverse("cases:list"))
    for _ in range(3):
        factories.case_in(world, "assessment_submitted")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cases:list")).content.decode().count("Decide") >= 6


def test_a_worker_opens_a_case_for_a_client_on_their_caseload(login, world):
    person = factories.client(world, worker=world.alice)
    client = login(world.alice)
    assert client.get(reverse("cases:new", args=[person.pk])).status_code == 200
    response = client.post(reverse("cases:new", args=[person.pk]))
    case = Case.objects.get(client=person)
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.status, case.responsible, case.org_unit) == ("assessment", world.alice, world.home_care)
    assert list(case.events.values_list("kind", flat=True)) == ["opened"]


def test_a_second_open_case_for_the_same_person_is_refused(login, world):
    case = factories.case_in(world, "assessment")
    response = login(world.alice).post(reverse("cases:new", args=[case.client.pk]))
    assert response.status_code == 400
    assert "already has an open case" in response.content.decode()
    assert Case.objects.filter(client=case.client).count() == 1


def test_a_director_may_not_open_a_case(login, world):
    person = factories.client(world, worker=world.alice)
    assert login(world.dora).post(reverse("cases:new", args=[person.pk])).status_code == 403
    assert login(world.walt).post(reverse("cases:new", args=[person.pk])).status_code == 404
    assert not Case.objects.exists()


def test_client_page_fragment_lists_cases_and_offers_a_new_one(login, world, rf):
    from django.template.loader import render_to_string

    case = factories.case_in(world, "closed")
    request = rf.get("/")
    request.user = world.alice
    html = render_to_string("cases/_client_cases.html", {"client": case.client, "user": world.alice},
                            request=request)
    assert reverse("cases:detail", args=[case.pk]) in html
    assert reverse("cases:new", args=[case.client.pk]) in html
    request.user = world.dora
    html = render_to_string("cases/_client_cases.html", {"client": case.client, "user": world.dora}, request=request)
    assert reverse("cases:new", args=[case.client.pk]) not in html


def test_a_director_is_not_shown_the_referrals_inbox_they_cannot_open(login, world):
    client = login(world.dora)
    html = client.get("/cases/").content.decode()
    assert "/cases/referrals/sent/" in html
    assert 'href="/cases/referrals/"' not in html
    assert client.get("/cases/referrals/").status_code == 403


def test_the_refusal_page_says_plainly_that_the_role_does_not_allow_it(login, world):
    response = login(world.eve).get("/cases/referrals/")
    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()
    assert "not change it" not in response.content.decode()


def _with_purpose(login, user, client_pk):
    client = login(user)
    session = client.session
    session["client_purposes"] = {str(client_pk): "Covering for Alice on leave"}
    session.save()
    return client


# Each write page of a case at the stage where its own worker may use it, with a post that would succeed.
WRITE_PAGES = [
    ("cases:assessment", "assessment", lambda case: factories.assessment_post()),
    ("cases:plan", "planning", lambda case: {"goals": "Stay at home", "starts_on": "2026-01-05",
                                             "ends_on": "2026-06-30", "responsible": case.responsible_id}),
    ("cases:plan_service_add", "planned", lambda case: {"service": factories.service("extra", "Extra").pk,
                                                        "times": 1, "period": "week"}),
    ("cases:review_new", "active", lambda case: {"held_on": "2026-01-05", "progress": "some",
                                                 "summary": "Better", "next_review_on": "2026-03-05"}),
    ("cases:closure", "active", lambda case: {"version": case.version, "reason": "goals_achieved",
                                              "outcome": "Lives independently"}),
    ("cases:referral_new", "active", lambda case: {"programme_kind": "psychological", "programme": "Group",
                                                   "kind": "standard", "notes": "Note", "to_external": "Red Cross"}),
]


@pytest.mark.parametrize("name, stage, data", WRITE_PAGES, ids=[page[0] for page in WRITE_PAGES])
def test_a_stated_purpose_opens_no_write_page_of_a_colleagues_case(login, world, name, stage, data):
    case = factories.case_in(world, stage)
    before = (Case.objects.get(pk=case.pk).version, case.referrals.count(), case.reviews.count(),
              case.plans.count(), case.assessments.count())
    bob = _with_purpose(login, world.bob, case.client.pk)
    assert bob.get(reverse("cases:detail", args=[case.pk])).status_code == 200  # reading stays open
    assert bob.get(reverse(name, args=[case.pk])).status_code == 403
    assert bob.post(reverse(name, args=[case.pk]), data(case)).status_code == 403
    after = (Case.objects.get(pk=case.pk).version, case.referrals.count(), case.reviews.count(),
             case.plans.count(), case.assessments.count())
    assert after == before
    alice = login(world.alice)
    assert alice.get(reverse(name, args=[case.pk])).status_code == 200


def test_a_stated_purpose_does_not_let_a_colleague_open_a_case(login, world):
    client = factories.client(world, worker=world.alice)
    bob = _with_purpose(login, world.bob, client.pk)
    assert bob.get(reverse("clients:detail", args=[client.pk])).status_code == 200
    assert bob.get(reverse("cases:new", args=[client.pk])).status_code == 403
    assert bob.post(reverse("cases:new", args=[client.pk])).status_code == 403
    assert not Case.objects.filter(client=client).exists()
    assert login(world.alice).get(reverse("cases:new", args=[client.pk])).status_code == 200


def test_the_case_page_offers_no_write_buttons_to_a_colleague_with_a_purpose(login, world):
    case = factories.case_in(world, "assessment")
    html = _with_purpose(login, world.bob, case.client.pk).get(reverse("cases:detail", args=[case.pk])).content
    assert reverse("cases:assessment", args=[case.pk]).encode() not in html
