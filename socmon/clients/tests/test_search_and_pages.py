"""The client list at scale: searching outside one's caseload needs a full code or a name with a date of
birth and is logged; every search is an indexed one; lists come in pages with their total."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socmon.clients.models import CaseloadAssignment, Client, ClientAccessLog
from socmon.clients.search import full_code
from socmon.lib.pagination import paginate

from .conftest import make_client

LIST = reverse("clients:list")


def not_on_list(html: str) -> str:
    return html.split('id="not-on-your-list"')[1] if 'id="not-on-your-list"' in html else ""


def test_a_worker_cannot_list_the_department_a_letter_at_a_time(login, world, clients):
    bob = login(world.bob)
    for letter in "aeinosuz":
        html = bob.get(LIST, {"q": letter}).content.decode()
        assert clients.alices.code not in html and clients.nobodys.code not in html
    assert not ClientAccessLog.objects.filter(what="search").exists()


def test_a_name_without_the_right_date_of_birth_finds_nobody_outside_the_list(login, world, clients):
    bob = login(world.bob)
    assert clients.alices.code not in bob.get(LIST, {"q": "Sarsenova Aigul"}).content.decode()
    assert clients.alices.code not in bob.get(LIST, {"q": "Sarsenova", "born": "1950-05-18"}).content.decode()


def test_a_full_code_or_a_name_with_the_date_of_birth_finds_a_colleagues_client_and_is_logged(login, world,
                                                                                              clients):
    bob = login(world.bob)
    html = bob.get(LIST, {"q": clients.alices.code.lower().replace("-", " ")}).content.decode()
    assert clients.alices.code in not_on_list(html)
    html = bob.get(LIST, {"q": "aigul", "born": "1950-05-17"}).content.decode()
    assert clients.alices.code in not_on_list(html) and clients.nobodys.code not in html
    logged = ClientAccessLog.objects.filter(user=world.bob, client=clients.alices, what="search")
    assert logged.count() == 2
    # The head sees it in the client's access report, with what was searched.
    report = login(world.heidi).get(reverse("clients:access_report", args=[clients.alices.pk])).content.decode()
    assert "Found in a search outside the caseload" in report and "Searched for “aigul”" in report


def test_an_impossible_date_of_birth_is_refused_with_a_message(login, world, clients):
    response = login(world.bob).get(LIST, {"q": "Sarsenova", "born": "1950-02-31"})
    assert response.status_code == 200
    assert "Enter the date of birth as a real date" in response.content.decode()


@pytest.mark.parametrize("query", ["\x00", "Sar\x00senova", "%00"])
def test_nul_bytes_in_a_search_are_ignored(login, world, clients, query):
    assert login(world.heidi).get(LIST, {"q": query}).status_code == 200


@pytest.mark.parametrize("query, found", [
    ("НУРЛАНОВА", True), ("нурланова айгерим", True), ("айгерим", True), ("Нурлан", True), ("урлан", None),
])
def test_names_are_found_case_folded_in_any_script(login, world, clients, query, found):
    make_client(world.home_care, "Айгерим", "Нурланова", by=world.heidi)
    html = login(world.heidi).get(LIST, {"q": query}).content.decode()
    if found is None:  # a part inside a word: found by the trigram index on PostgreSQL only
        found = connection.vendor == "postgresql"
    assert ("Нурланова" in html) is found


def test_a_full_code_is_one_indexed_equality(login, world, clients):
    assert full_code("c-" + clients.bobs.code[2:].lower()) == clients.bobs.code
    assert full_code(" C " + clients.bobs.code[2:]) == clients.bobs.code
    assert full_code("Sarsenova") is None and full_code("C-7KX2") is None
    heidi = login(world.heidi)
    with CaptureQueriesContext(connection) as queries:
        html = heidi.get(LIST, {"q": clients.bobs.code.lower()}).content.decode()
    assert "Orlov" in html and "Sarsenova" not in html
    searches = [q["sql"] for q in queries.captured_queries if clients.bobs.code in q["sql"]]
    assert searches and all(f'"clients_client"."code" = \'{clients.bobs.code}\'' in sql for sql in searches)
    assert not any('"code" LIKE' in sql or '"search_name"' in sql.split("WHERE", 1)[-1] for sql in searches)


def test_a_code_prefix_finds_the_client(login, world, clients):
    html = login(world.heidi).get(LIST, {"q": clients.bobs.code[:5]}).content.decode()
    assert "Orlov" in html


def test_a_head_who_also_holds_a_caseload_sees_both(login, world, clients):
    # Heidi oversees Home Care; a client of Family Support is on her own list as well.
    CaseloadAssignment.objects.filter(client=clients.fionas).update(worker=world.heidi)
    html = login(world.heidi).get(LIST).content.decode()
    for client in (clients.alices, clients.bobs, clients.nobodys, clients.fionas):
        assert client.code in html
    assert clients.walts.code not in html


def test_the_client_list_comes_in_pages_with_its_total(login, world, clients):
    for n in range(55):
        make_client(world.home_care, f"Person{n:02d}", "Paged", by=world.heidi)
    heidi = login(world.heidi)
    first = heidi.get(LIST, {"q": "paged"}).content.decode()
    assert first.count("Paged, Person") == 50 and "Showing 1–50 of 55" in first
    assert 'class="govuk-pagination"' in first and "q=paged&amp;page=2" in first
    second = heidi.get(LIST, {"q": "paged", "page": "2"}).content.decode()
    assert second.count("Paged, Person") == 5 and "Showing 51–55 of 55" in second
    # A page past the end or not a number shows a real page, never an error.
    assert heidi.get(LIST, {"page": "99999999999999999999"}).status_code == 200
    assert heidi.get(LIST, {"page": "x"}).status_code == 200


def test_a_total_above_the_cap_is_said_as_more_than(world, clients):
    request = RequestFactory().get("/clients/", {"page": "3"})
    page = paginate(request, Client.objects.order_by("pk"), per_page=2, cap=3)
    assert page.capped and page.total == 3 and page.number == 2 and len(page) == 1


def test_my_clients_and_the_case_and_referral_lists_show_their_totals(login, world, clients):
    assert "Showing 1–1 of 1" in login(world.alice).get(reverse("clients:mine")).content.decode()
    html = login(world.heidi).get(reverse("cases:list")).content.decode()
    assert "There are no cases" in html  # no case yet: no page summary
    for name in ("cases:referrals_inbox", "cases:referrals_outbox"):
        assert login(world.heidi).get(reverse(name)).status_code == 200


def test_the_birth_date_field_is_offered_to_workers_only(login, world, clients):
    assert 'name="born"' in login(world.bob).get(LIST).content.decode()
    assert 'name="born"' not in login(world.heidi).get(LIST).content.decode()


def test_the_one_letter_search_stays_inside_ones_own_list(login, world, clients):
    html = login(world.bob).get(LIST, {"q": "o"}).content.decode()
    assert clients.bobs.code in html  # Orlov, on Bob's list


def test_cases_follow_both_sides_of_the_scope(login, world, clients):
    from socmon.cases.services import open_case

    own, family, foreign = (open_case(by=worker, client=client) for worker, client in (
        (world.alice, clients.alices), (world.fiona, clients.fionas), (world.walt, clients.walts)))
    CaseloadAssignment.objects.filter(client=family.client).update(worker=world.heidi)
    html = login(world.heidi).get(reverse("cases:list")).content.decode()
    assert own.client.code in html and family.client.code in html and foreign.client.code not in html
    html = login(world.alice).get(reverse("cases:list")).content.decode()
    assert own.client.code in html and family.client.code not in html and "Showing 1–1 of 1" in html


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: show that the index *can* serve
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("query", ["sarsen", "нурлан", "C-7K"])
def test_name_and_code_searches_are_answered_from_an_index(world, clients, query):
    from socmon.clients.search import search

    plan = _plan(search(Client.objects.order_by(), query).values("pk"))
    if connection.vendor == "postgresql":
        index = "trgm" if not query.startswith("C-") else "code"
        assert "Index" in plan and index in plan and "Seq Scan on clients_client" not in plan, plan
    else:
        assert "SCAN clients_client" not in plan and "USING" in plan and "INDEX" in plan, plan
