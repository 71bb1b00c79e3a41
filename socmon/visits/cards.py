"""The client's printed card (R-3.1, R-3.2): a tagged PDF with the check-in and rating QR codes.

Each card is written in the client's own language; the QR codes are segno's inline SVG. Bulk printing
puts one card per page in one PDF.
"""

import re
from collections.abc import Iterable

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import tokens
from .models import ClientCard, Visit


def qr_svg(data: str, title: str, *, scale: int = 4, fixed_size: bool = False) -> SafeString:
    """An accessible inline SVG QR code (role img, named by its <title>); without `fixed_size` it fills its box."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, border=4, title=title, omitsize=not fixed_size,
                                                   svgclass="socmon-qr")
    svg = re.sub(r"^<svg ", '<svg role="img" ', svg, count=1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the title is escaped by segno


def check_in_url(base: str, card: ClientCard) -> str:
    return f"{base}{reverse('visits:check_in')}?code={tokens.check_in_token(card)}"


def rating_url(base: str, token: str) -> str:
    return base + reverse("rating:rate", args=[token])


def one_time_code(base: str, visit: Visit) -> dict:
    """What the worker's screen shows at check-out so that the client can rate this visit once."""
    url = rating_url(base, tokens.one_time_token(visit))
    return {"url": url, "short": tokens.one_time_short(visit), "enter_url": base + reverse("rating:enter"),
            "svg": qr_svg(url, _("QR code to rate this visit"), scale=6, fixed_size=True)}


def _card_page(base: str, card: ClientCard) -> str:
    client = card.client
    with translation.override(client.language):
        context = {
            "card": card, "client": client, "language": client.language,
            "check_in_svg": qr_svg(check_in_url(base, card), _("Check-in code")),
            "check_in_short": tokens.check_in_short(card),
            "rating_svg": qr_svg(rating_url(base, tokens.rating_token(card)), _("Rating code")),
            "rating_short": tokens.rating_short(card),
            "enter_address": format_html('<span class="web-address">{}</span>', base + reverse("rating:enter")),
            # The department with its institution says who serves, in the client's language where it is given.
            "unit_names": client.org_unit.label_with_parent,
        }
        return render_to_string("visits/card_pdf_page.html", context)


PDF_VARIANT = "pdf/ua-1"


def cards_document(cards: Iterable[ClientCard], *, base: str):
    """The laid-out WeasyPrint document, one card per page (its `.pages` is what prints)."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs a second

    pages = [mark_safe(_card_page(base, card)) for card in cards]  # noqa: S308 - our own rendered templates
    html = render_to_string("visits/card_pdf.html", {"pages": pages, "title": _("Client cards")})
    return HTML(string=html, base_url=base).render(pdf_variant=PDF_VARIANT)


def cards_pdf(cards: Iterable[ClientCard], *, base: str) -> bytes:
    """One PDF (PDF/UA-1, DejaVu Sans) with one card per page. `base` is the site's scheme and host."""
    return cards_document(cards, base=base).write_pdf(pdf_variant=PDF_VARIANT)
