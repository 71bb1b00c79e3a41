"""Who sees which client, through the front door (R-1.2, R-1.3)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

import socmon
from socmon.clients.models import ClientAccessLog
from socmon.clients.services import log_client_view
from socmon.clients.tests.conftest import make_client
from socmon.clients.views import VIEWED

pytestmark = pytest.mark.django_db


def detail(client):
    return reverse("clients:detail", args=[client.pk])


def test_anonymous_visitor_is_sent_to_sign_in(client, world, clients):
    for url in (reverse("clients:list"), detail(clients.alices), reverse("clients:register")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona, visible, hidden", [
    ("alice", ["Sarsenova"], ["Orlov", "Zhanova", "Aliyeva", "Rusu"]),
    ("bob", ["Orlov"], ["Sarsenova", "Zhanova", "Aliyeva", "Rusu"]),
    ("heidi", ["Sarsenova", "Orlov", "Zhanova"], ["Aliyeva", "Rusu"]),
    ("dora", ["Sarsenova", "Orlov", "Zhanova", "Aliyeva"], ["Rusu"]),
    ("sam", ["Sarsenova", "Aliyeva"], ["Rusu"]),
    ("ann", ["Sarsenova", "Aliyeva", "Rusu"], []),
    ("walt", ["Rusu"], ["Sarsenova", "Orlov", "Aliyeva"]),
])
def test_client_list_shows_only_the_persons_clients(login, world, clients, persona, visible, hidden):
    response = login(getattr(world, persona)).get(reverse("clients:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in visible:
        assert name in html
    for name in hidden:
        assert name not in html


def test_evaluator_and_administrator_see_no_client_list(login, world, clients):
    assert login(world.eve).get(reverse("clients:list")).status_code == 403
    assert login(world.adam).get(reverse("clients:list")).status_code == 403


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora", "sam", "ann", "root"])
def test_people_who_may_open_the_record_see_it(login, world, clients, persona):
    response = login(getattr(world, persona)).get(detail(clients.alices))
    assert response.status_code == 200
    assert "Aigul Sarsenova" in response.content.decode()


@pytest.mark.parametrize("persona", ["walt", "eve", "adam", "fiona"])
def test_people_outside_the_department_get_not_found(login, world, clients, persona):
    # fiona works in the same institution but another department: no break-glass for her either.
    assert login(getattr(world, persona)).get(detail(clients.alices)).status_code == 404


def test_changing_the_id_never_reveals_another_institutions_client(login, world, clients):
    client = login(world.alice)
    for other in (clients.walts, clients.fionas):
        for name in ("clients:detail", "clients:edit", "clients:purpose", "clients:access_report",
                     "clients:application_new"):
            response = client.get(reverse(name, args=[other.pk]))
            assert response.status_code == 404, name
            assert other.last_name not in response.content.decode()
    assert client.get(reverse("clients:detail", args=[999999])).status_code == 404


def test_a_colleague_must_state_a_purpose_before_opening_a_client_of_the_department(login, world, clients):
    client = login(world.bob)
    response = client.get(detail(clients.alices))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("clients:purpose", args=[clients.alices.pk]))
    assert not ClientAccessLog.objects.filter(client=clients.alices).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Sarsenova" not in page.content.decode()  # the purpose page shows the code only


def test_a_stated_purpose_opens_the_record_for_the_session_and_is_logged(login, world, clients):
    client = login(world.bob)
    url = reverse("clients:purpose", args=[clients.alices.pk]) + "?next=" + detail(clients.alices)
    response = client.post(url, {"purpose": "Covering Alice's visit while she is on leave"})
    assert response.status_code == 302 and response["Location"] == detail(clients.alices)
    page = client.get(detail(clients.alices))
    assert page.status_code == 200
    assert "Covering Alice" in page.content.decode()
    client.get(detail(clients.alices))
    rows = ClientAccessLog.objects.filter(client=clients.alices, user=world.bob)
    assert rows.count() == 2
    assert set(rows.values_list("purpose", flat=True)) == {"Covering Alice's visit while she is on leave"}


@pytest.mark.parametrize("purpose, error", [("", "Enter why you need"), ("x" * 301, "300 characters")])
def test_a_purpose_is_required_and_short(login, world, clients, purpose, error):
    client = login(world.bob)
    response = client.post(reverse("clients:purpose", args=[clients.alices.pk]), {"purpose": purpose})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert client.get(detail(clients.alices)).status_code == 302


def test_the_purpose_page_does_not_redirect_elsewhere(login, world, clients):
    client = login(world.bob)
    url = reverse("clients:purpose", args=[clients.alices.pk]) + "?next=https://evil.example/"
    response = client.post(url, {"purpose": "Covering a visit"})
    assert response["Location"] == detail(clients.alices)


def test_own_clients_need_no_purpose(login, world, clients):
    response = login(world.alice).get(reverse("clients:purpose", args=[clients.alices.pk]))
    assert response.status_code == 302 and response["Location"] == detail(clients.alices)


def test_every_view_of_a_client_page_is_logged(login, world, clients):
    login(world.heidi).get(detail(clients.alices))
    login(world.heidi).get(reverse("clients:edit", args=[clients.alices.pk]))
    rows = list(ClientAccessLog.objects.filter(client=clients.alices).values_list("user", "what", "purpose"))
    assert sorted(rows) == [(world.heidi.pk, "client record", ""), (world.heidi.pk, "client record: edit", "")]


def test_a_break_glass_view_is_read_only(login, world, clients):
    client = login(world.bob)
    client.post(reverse("clients:purpose", args=[clients.alices.pk]), {"purpose": "Covering a visit"})
    assert client.get(reverse("clients:edit", args=[clients.alices.pk])).status_code == 403


@pytest.mark.parametrize("persona, status", [("heidi", 200), ("dora", 200), ("root", 200), ("alice", 403),
                                             ("sam", 403), ("ann", 403), ("walt", 404)])
def test_access_report_is_for_the_head_and_the_director(login, world, clients, persona, status):
    assert login(getattr(world, persona)).get(reverse("clients:access_report", args=[clients.alices.pk])
                                               ).status_code == status


def test_access_report_shows_who_looked_and_why(login, world, clients):
    bob = login(world.bob)
    bob.post(reverse("clients:purpose", args=[clients.alices.pk]), {"purpose": "Covering a visit on Tuesday"})
    bob.get(detail(clients.alices))
    html = login(world.heidi).get(reverse("clients:access_report", args=[clients.alices.pk])).content.decode()
    assert "Bob Bondarenko" in html and "Covering a visit on Tuesday" in html and "Purpose stated" in html


def test_search_finds_by_name_in_any_script_and_by_code(login, world, clients):
    make_client(world.home_care, "Айгерим", "Нурланова", by=world.heidi)
    client = login(world.heidi)
    assert "Нурланова" in client.get(reverse("clients:list"), {"q": "нурлан"}).content.decode()
    html = client.get(reverse("clients:list"), {"q": clients.bobs.code.lower()}).content.decode()
    assert "Orlov" in html and "Sarsenova" not in html


def test_search_does_not_reach_beyond_what_the_person_sees(login, world, clients):
    # A colleague's client of the same department is found "not on your list" (below); another
    # department's or another institution's never.
    for name, other in (("Aliyeva", clients.fionas), ("Rusu", clients.walts)):
        html = login(world.alice).get(reverse("clients:list"), {"q": name}).content.decode()
        assert other.code not in html and other.first_name not in html
        assert "No client you can see matches" in html and "Not on your list" not in html


def test_a_worker_finds_a_colleagues_client_to_open_with_a_stated_purpose(login, world, clients):
    bob = login(world.bob)
    response = bob.get(reverse("clients:list"), {"q": "sarsenova", "born": "1950-05-17"})
    html = response.content.decode()
    assert "None of the clients on your list matches" in html
    section = html.split('id="not-on-your-list"')[1]
    assert clients.alices.code in section and "Sarsenova, Aigul" in section
    assert "Home Care · Riverside Centre" in section
    assert "you will be asked why you open it" in section
    purpose = f'{reverse("clients:purpose", args=[clients.alices.pk])}?next={detail(clients.alices)}'
    assert f'href="{purpose}"' in section
    assert clients.alices.address not in section and "N123456" not in section  # code, name, department only
    # The link leads to the purpose page, then to the record.
    assert bob.get(purpose).status_code == 200
    opened = bob.post(purpose, {"purpose": "Covering for Alice on Monday"})
    assert opened.status_code == 302 and opened["Location"] == detail(clients.alices)
    # The code finds the client too; the worker's own clients stay in the main list only.
    html = bob.get(reverse("clients:list"), {"q": clients.nobodys.code}).content.decode()
    assert "Zhanova" in html.split('id="not-on-your-list"')[1]
    html = bob.get(reverse("clients:list"), {"q": "Orlov"}).content.decode()
    assert "Orlov" in html and "Not on your list" not in html


def test_the_department_is_never_listed_without_a_search(login, world, clients):
    html = login(world.bob).get(reverse("clients:list")).content.decode()
    assert "Not on your list" not in html and "Sarsenova" not in html and "Zhanova" not in html


@pytest.mark.parametrize("persona, status", [("walt", 200), ("heidi", 200), ("eve", 403)])
def test_only_a_worker_of_the_department_finds_clients_not_on_their_list(login, world, clients, persona, status):
    response = login(getattr(world, persona)).get(reverse("clients:list"), {"q": "Sarsenova"})
    assert response.status_code == status
    assert "Not on your list" not in response.content.decode()


def test_client_list_queries_do_not_grow_with_the_number_of_clients(login, world, clients,
                                                                    django_assert_max_num_queries):
    for n in range(30):
        make_client(world.home_care, f"Person{n}", "Test", worker=world.alice, by=world.heidi)
    client = login(world.heidi)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("clients:list"))
    assert response.content.decode().count("Person") == 30


def test_worker_sees_todays_list_on_my_clients(login, world, clients):
    html = login(world.alice).get(reverse("clients:mine")).content.decode()
    assert "Sarsenova" in html and "Orlov" not in html


def test_client_page_shows_history_and_applications(login, world, clients):
    html = login(world.heidi).get(detail(clients.alices)).content.decode()
    assert "Caseload history" in html and "Alice Akhmetova" in html
    assert "Applications" in html


def test_the_record_links_to_the_clients_card(login, world, clients):
    html = login(world.alice).get(f"/clients/{clients.alices.pk}/").content.decode()
    assert f'href="/visits/cards/{clients.alices.pk}/"' in html


def _logged_what_keys() -> set[str]:
    """Every `what` a page of socmon logs: `log_client_view(…, what="…")` and `@client_page("…")`."""
    root = Path(socmon.__file__).parent
    keys = set()
    for source in root.rglob("*.py"):
        if "tests" in source.parts:
            continue
        text = source.read_text()
        keys |= set(re.findall(r'log_client_view\([^)]*?what="([^"]+)"', text, re.S))
        keys |= set(re.findall(r'client_page\(\s*"([^"]+)"', text))
    return keys


def test_every_logged_page_has_a_label_in_the_access_report():
    keys = _logged_what_keys()
    assert {"client record", "case", "referral", "visit", "client card"} <= keys  # the scan finds them
    assert keys <= set(VIEWED), sorted(keys - set(VIEWED))


def test_access_report_names_what_was_opened_in_the_readers_language(login, world, clients):
    for what in VIEWED:
        log_client_view(by=world.alice, client=clients.alices, what=what)
    log_client_view(by=world.alice, client=clients.alices, what="some new page")
    heidi = login(world.heidi)
    html = heidi.get(reverse("clients:access_report", args=[clients.alices.pk])).content.decode()
    for label in ("Home visit", "Referral", "Client card", "Case", "Client record"):
        assert f' class="govuk-table__cell">{label}</td>' in html
    assert ' class="govuk-table__cell">Some new page</td>' in html  # unknown: shown as stored, capitalised
    heidi.cookies["django_language"] = "ru"
    html = heidi.get(reverse("clients:access_report", args=[clients.alices.pk])).content.decode()
    with translation.override("ru"):
        for what, label in VIEWED.items():
            assert str(label) not in (what, capfirst(what)), what
            assert f' class="govuk-table__cell">{label}</td>' in html, what


def test_departments_with_the_same_name_are_told_apart_by_their_institution(login, world, clients,
                                                                           django_assert_max_num_queries):
    world.hill_care.name = "Home Care"
    world.hill_care.save()
    for n in range(10):
        make_client(world.hill_care, f"Person{n}", "Test", worker=world.walt, by=world.walt)
    ann = login(world.ann)
    with django_assert_max_num_queries(12):
        html = ann.get(reverse("clients:list")).content.decode()
    assert "Home Care · Riverside Centre" in html and "Home Care · Hilltown Centre" in html
    html = login(world.root).get(reverse("clients:caseloads")).content.decode()
    assert "Home Care · Riverside Centre" in html and "Home Care · Hilltown Centre" in html
    assert "Family Support · Riverside Centre" in html



def test_a_record_opened_with_a_stated_purpose_offers_nothing_to_change(login, world, clients):
    colleague = login(world.bob)
    colleague.post(reverse("clients:purpose", args=[clients.alices.pk]) + "?next=" + detail(clients.alices),
                   {"purpose": "Covering Alice's visit while she is on leave"})
    html = colleague.get(detail(clients.alices)).content.decode()
    assert reverse("clients:edit", args=[clients.alices.pk]) not in html
    assert reverse("clients:application_new", args=[clients.alices.pk]) not in html
    own = login(world.alice).get(detail(clients.alices)).content.decode()  # her own worker still may
    assert reverse("clients:edit", args=[clients.alices.pk]) in own
