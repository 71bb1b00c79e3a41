"""The client's printed card: who may print and reissue it, what the PDF holds, bulk printing."""

import datetime
import shutil
import subprocess

import pytest
import segno
from django.template.loader import render_to_string
from django.urls import reverse

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.browser import ARTIFACTS
from socmon.clients.models import ClientAccessLog
from socmon.visits import tokens
from socmon.visits.models import ClientCard

from .fieldkit import client_with_card, make_client

pytestmark = pytest.mark.django_db


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    if not shutil.which(tool):
        pytest.skip("poppler-utils is not installed")
    return subprocess.run([tool, *args, "-", *(["-"] if tool == "pdftotext" else [])], input=pdf,
                          capture_output=True, check=True).stdout.decode()


def pdf_text(pdf: bytes) -> str:
    return " ".join(_poppler("pdftotext", pdf).split())


def pdf_info(pdf: bytes) -> dict[str, str]:
    lines = _poppler("pdfinfo", pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


@pytest.fixture
def card(world):
    return client_with_card(world, worker=world.alice, language="en")[1]


@pytest.mark.parametrize("persona, page, pdf", [
    ("alice", 200, 200), ("heidi", 200, 200), ("dora", 200, 200), ("root", 200, 200),
    ("sam", 200, 403), ("ann", 200, 403),  # read-only: the printed card holds the person's rating code
    ("bob", 404, 404), ("fiona", 404, 404), ("walt", 404, 404), ("eve", 404, 404), ("adam", 404, 404),
])
def test_card_printing_per_persona(login, world, card, persona, page, pdf):
    client = login(getattr(world, persona))
    assert client.get(reverse("visits:card", args=[card.client.pk])).status_code == page
    assert client.get(reverse("visits:card_pdf", args=[card.client.pk])).status_code == pdf


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora"])
def test_those_who_serve_the_person_are_offered_to_reissue(login, world, card, persona):
    html = login(getattr(world, persona)).get(reverse("visits:card", args=[card.client.pk])).content.decode()
    assert "Issue a new card" in html and "Print the card (PDF)" in html


@pytest.mark.parametrize("persona", ["sam", "ann"])
def test_specialists_and_analysts_see_the_card_page_read_only(login, world, card, persona):
    client = login(getattr(world, persona))
    html = client.get(reverse("visits:card", args=[card.client.pk])).content.decode()
    assert "Card 1, issued" in html
    assert "Issue a new card" not in html and reverse("visits:card_issue", args=[card.client.pk]) not in html
    assert "Only the person's social worker" in html
    assert client.post(reverse("visits:card_issue", args=[card.client.pk])).status_code == 403
    card.refresh_from_db()
    assert card.revoked_at is None and ClientCard.objects.filter(client=card.client).count() == 1


@pytest.mark.parametrize("persona", ["sam", "ann"])
def test_specialists_and_analysts_cannot_issue_a_first_card(login, world, persona):
    person = make_client(world, worker=world.alice)
    client = login(getattr(world, persona))
    html = client.get(reverse("visits:card", args=[person.pk])).content.decode()
    assert "has no card yet" in html and "Issue a card" not in html
    assert client.post(reverse("visits:card_issue", args=[person.pk])).status_code == 403
    assert not ClientCard.objects.filter(client=person).exists()


def test_a_worker_who_covers_the_department_is_not_the_persons_worker(login, world, card):
    assignment = card.client.assignments.get()
    assignment.ends_on = assignment.starts_on + datetime.timedelta(days=1)
    assignment.save()  # Alice's caseload ended today: she no longer serves the person
    assert login(world.alice).post(reverse("visits:card_issue", args=[card.client.pk])).status_code == 404
    assert login(world.heidi).post(reverse("visits:card_issue", args=[card.client.pk])).status_code == 302


@pytest.mark.parametrize("persona", ["sam", "ann"])
def test_specialists_and_analysts_cannot_bulk_print(login, world, card, persona):
    make_client(world, worker=world.alice, first="Ion", last="Rusu")
    client = login(getattr(world, persona))
    assert client.get(reverse("visits:cards_caseload")).status_code == 403
    assert client.post(reverse("visits:cards_caseload"), {"worker": world.alice.pk}).status_code == 403
    assert ClientCard.objects.count() == 1


def test_the_pdf_is_a_tagged_card_in_the_clients_language(login, world, card):
    response = login(world.alice).get(reverse("visits:card_pdf", args=[card.client.pk]))
    pdf = response.content
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    info = pdf_info(pdf)
    assert info["Tagged"] == "yes" and info["Title"] == "Client cards"
    assert "DejaVu-Sans" in _poppler("pdffonts", pdf)
    text = pdf_text(pdf)
    assert "Show this code to your social worker when they arrive." in text
    assert "Keep this code. Scan it after each visit to tell us how it went." in text
    assert tokens.check_in_short(card) in text and tokens.rating_short(card) in text
    assert ClientAccessLog.objects.filter(user=world.alice, client=card.client, what="client card").exists()


def test_the_qr_codes_hold_the_signed_codes(card):
    from socmon.visits import cards

    check_in = cards.check_in_url("https://socmon.example", card)
    assert tokens.read_check_in(check_in) == card
    svg = cards.qr_svg(check_in, "Check-in code")
    assert svg.startswith('<svg role="img"') and "<title>Check-in code</title>" in svg
    assert segno.make(check_in, error="m").designator in {"4-M", "5-M", "6-M", "7-M"}


def test_the_typed_codes_on_the_card_never_break_at_their_hyphens(card):
    from socmon.visits import cards

    page = cards._card_page("https://socmon.example", card)
    assert f'<span class="code socmon-nowrap">{tokens.check_in_short(card)}</span>' in page
    assert f'<span class="code socmon-nowrap">{tokens.rating_short(card)}</span>' in page
    stylesheet = render_to_string("visits/card_pdf.html", {"pages": [], "title": "Client cards"})
    assert ".socmon-nowrap { white-space: nowrap; }" in stylesheet


def test_reissue_revokes_the_old_card(login, world, card):
    client = login(world.heidi)
    response = client.post(reverse("visits:card_issue", args=[card.client.pk]))
    assert response.status_code == 302
    card.refresh_from_db()
    new = ClientCard.objects.get(client=card.client, revoked_at=None)
    assert card.revoked_at is not None and new.version == card.version + 1
    with pytest.raises(tokens.TokenRejected):
        tokens.read_check_in(tokens.check_in_token(card))
    assert AuditEvent.objects.filter(action=AuditAction.CARD_REISSUED, actor=world.heidi).exists()
    html = client.get(reverse("visits:card", args=[card.client.pk])).content.decode()
    assert "Earlier cards" in html


def test_first_card_is_issued_from_the_card_page(login, world):
    person = make_client(world, worker=world.alice)
    client = login(world.alice)
    assert "has no card yet" in client.get(reverse("visits:card", args=[person.pk])).content.decode()
    assert client.get(reverse("visits:card_pdf", args=[person.pk])).status_code == 404
    client.post(reverse("visits:card_issue", args=[person.pk]))
    assert ClientCard.objects.get(client=person).version == 1


@pytest.mark.parametrize("persona", ["bob", "walt", "eve"])
def test_others_cannot_reissue(login, world, card, persona):
    assert login(getattr(world, persona)).post(reverse("visits:card_issue", args=[card.client.pk])).status_code == 404
    assert ClientCard.objects.filter(client=card.client).count() == 1


def test_issuing_needs_a_post(login, world, card):
    assert login(world.alice).get(reverse("visits:card_issue", args=[card.client.pk])).status_code == 405


def test_bulk_print_of_a_caseload_gives_one_card_per_page(login, world, card):
    second = make_client(world, worker=world.alice, first="Ion", last="Rusu", language="ro")
    make_client(world, worker=world.bob, first="Bolat", last="Nurlanov")
    response = login(world.alice).post(reverse("visits:cards_caseload"), {"worker": world.alice.pk})
    assert response.status_code == 200
    assert pdf_info(response.content)["Pages"] == "2"
    text = pdf_text(response.content)
    assert "Gulnara Sadykova" in text and "Ion Rusu" in text and "Bolat" not in text
    assert "Păstrați" in text or "Arătați" in text or "Show this code" in text  # Romanian once translated
    assert ClientCard.objects.filter(client=second, revoked_at=None).exists()  # issued on the way


def test_head_prints_a_workers_caseload_but_a_worker_cannot_print_a_colleagues(login, world, card):
    make_client(world, worker=world.bob, first="Bolat", last="Nurlanov")
    head = login(world.heidi)
    html = head.get(reverse("visits:cards_caseload")).content.decode()
    assert "Alice" in html and "Bob" in html
    assert "Bolat" in pdf_text(head.post(reverse("visits:cards_caseload"), {"worker": world.bob.pk}).content)
    assert login(world.alice).post(reverse("visits:cards_caseload"), {"worker": world.bob.pk}).status_code == 404
    assert login(world.walt).post(reverse("visits:cards_caseload"), {"worker": world.alice.pk}).status_code == 404


def test_pdf_renders_to_an_image_to_look_at(login, world, card):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed")
    make_client(world, worker=world.alice, first="Айгүл", last="Серікова", language="kk")
    pdf = login(world.alice).post(reverse("visits:cards_caseload")).content
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "visits-cards.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(ARTIFACTS / "visits-cards.pdf"),
                    str(ARTIFACTS / "visits-card")], check=True)
    assert len(list(ARTIFACTS.glob("visits-card-*.png"))) >= 2
    assert len(pdf) < 200_000


# Long but real-looking values: the longest names, unit names and web address a card is likely to carry.
LONG = {
    "en": ("Margaret-Elizabeth", "Worthington-Fairbanks",
           "Department of Home Care for Older People and People with Disabilities"),
    "ru": ("Александра-Виктория", "Константинопольская-Преображенская",
           "Отделение социального обслуживания на дому пожилых граждан и лиц с инвалидностью"),
    "az": ("Gülnarə-Sevinc", "Məmmədəliyeva-Hüseynquliyeva",
           "Yaşlı vətəndaşlara və əlilliyi olan şəxslərə evdə sosial xidmət göstərilməsi şöbəsi"),
    "kk": ("Гүлнара-Айгерім", "Жақсылықова-Нұрсұлтанқызы",
           "Қарт азаматтар мен мүгедектігі бар адамдарға үйде әлеуметтік қызмет көрсету бөлімшесі"),
    "ro": ("Ecaterina-Alexandra", "Constantinescu-Dumitrescu",
           "Secția de îngrijire la domiciliu a persoanelor în vârstă și a persoanelor cu dizabilități"),
}
LONG_BASE = "https://socmon.social-protection.example.gov.kz"


@pytest.mark.parametrize("language", sorted(LONG))
def test_a_card_with_long_names_prints_on_one_page_in_every_language(world, language):
    from socmon.visits import cards

    first, last, unit = LONG[language]
    world.home_care.name = unit
    world.home_care.save()
    card = client_with_card(world, language=language, first=first, last=last)[1]
    assert len(cards.cards_document([card], base=LONG_BASE).pages) == 1
    pdf = cards.cards_pdf([card], base=LONG_BASE)
    assert pdf_info(pdf)["Pages"] == "1"
    lines = _poppler("pdftotext", pdf, "-layout").splitlines()
    assert any(LONG_BASE + reverse("rating:enter") in line for line in lines)  # the web address never broken
    assert f"{unit} · Riverside Centre" in pdf_text(pdf)  # the department with its institution


def test_the_web_address_on_the_card_has_a_line_of_its_own(card):
    from socmon.visits import cards

    page = cards._card_page("https://socmon.example", card)
    assert '<span class="web-address">https://socmon.example/r/</span>' in page
    stylesheet = render_to_string("visits/card_pdf.html", {"pages": [], "title": "Client cards"})
    assert ".web-address { display: block; white-space: nowrap;" in stylesheet


def test_a_kazakh_clients_card_names_the_department_and_institution_in_kazakh(world):
    from socmon.visits import cards

    world.home_care.name_i18n = {"kk": "Үйде күтім бөлімі", "ru": "Отделение ухода на дому"}
    world.home_care.save()
    world.centre.name_i18n = {"kk": "Өзен жағасы орталығы"}
    world.centre.save()
    card = client_with_card(world, language="kk")[1]
    text = pdf_text(cards.cards_pdf([card], base="https://socmon.example"))
    assert "Үйде күтім бөлімі · Өзен жағасы орталығы" in text
    assert "Home Care" not in text and "Отделение" not in text


def test_a_card_falls_back_to_the_units_name_where_no_name_is_given_in_the_clients_language(world):
    from socmon.visits import cards

    world.home_care.name_i18n = {"kk": "Үйде күтім бөлімі"}
    world.home_care.save()
    card = client_with_card(world, language="ro")[1]
    page = cards._card_page("https://socmon.example", card)
    assert f"{world.home_care.name} · {world.centre.name}" in page
    assert "Үйде" not in page
