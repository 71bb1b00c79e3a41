"""The codes on a client's card and on the worker's screen at check-out (R-3.1, R-3.2).

Three kinds, each signed with its own salt so that one kind can never pass for another:

- the card's **check-in** code: the worker scans it on arrival; payload ``[card id, version]``;
- the card's **rating** code: the client keeps it and scans it after each visit; same payload. It is
  long-lived: it rates the client's most recent checked-out visit, within the rating window, once;
- the **one-time** rating code shown at check-out; payload ``[visit id, nonce]``. The nonce is derived
  from the visit's check-out time, so the code belongs to that check-out only.

Payloads hold opaque ids only, never personal data. Each kind also has a short typed form
(``K7PQ-4MZX-9A``) for people who cannot scan: the record id in an unambiguous alphabet followed by six
characters of a keyed HMAC, so it is derivable and needs no storage. Reissuing a card makes a new card
row and revokes the old one, so both of the old card's codes are refused from then on.

Reading a code either returns what it names or raises `TokenRejected` with a `Reason`.
"""

import datetime
import enum
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from socmon.clients.models import CODE_ALPHABET

from .models import ClientCard, Rating, Visit


class Kind(enum.StrEnum):
    CHECK_IN = "check_in"
    RATING = "rating"
    ONE_TIME = "one_time"
    REFERRAL_LINK = "referral_link"  # an outside organisation's link to answer a referral (socmon.cases.links)


SALTS = {
    Kind.CHECK_IN: "socmon.visits.card.check-in",
    Kind.RATING: "socmon.visits.card.rating",
    Kind.ONE_TIME: "socmon.visits.visit.one-time-rating",
    Kind.REFERRAL_LINK: "socmon.cases.referral.link",
}
MAC_LENGTH = 6
ID_MIN_LENGTH = 3
# A signature is base64 of an HMAC-SHA256: 43 characters.
SIGNATURE_LENGTH = 43


class Reason(enum.StrEnum):
    MALFORMED = "malformed"      # not a code at all, or cut short
    FORGED = "forged"            # well-formed, but the signature or check characters do not match
    WRONG_KIND = "wrong_kind"    # a genuine code of another kind (the check-in code on the rating page)
    UNKNOWN = "unknown"          # genuine, but its card or visit no longer exists
    REVOKED = "revoked"          # the card was reissued
    NOT_CHECKED_OUT = "not_checked_out"
    NO_VISIT = "no_visit"        # the card's client has no checked-out visit to rate
    EXPIRED = "expired"          # the rating window after check-out has passed
    USED = "used"                # the visit is already rated


MESSAGES = {
    Reason.MALFORMED: _("This code is incomplete. Scan the code again, or type all of its characters."),
    Reason.FORGED: _("This code is not valid. Check the characters and try again."),
    Reason.WRONG_KIND: _("This is a different code on the card. Use the other code."),
    Reason.UNKNOWN: _("This code is not valid any more."),
    Reason.REVOKED: _("This card has been replaced by a new card. Please use the new card."),
    Reason.NOT_CHECKED_OUT: _("The visit has not finished yet. You can give your rating when it ends."),
    Reason.NO_VISIT: _("There is no finished visit to rate yet."),
    Reason.EXPIRED: _("The time for rating this visit has passed."),
    Reason.USED: _("This visit has already been rated. Thank you."),
}


class TokenRejected(Exception):
    """`language`: the language of the client a real code belongs to (None when the code names nobody), so
    that the refusal speaks to the card's holder in their language."""

    def __init__(self, reason: Reason, *, language: str | None = None):
        super().__init__(reason.value)
        self.reason = reason
        self.language = language

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])

    @property
    def lazy_message(self):
        """The message translated when it is shown (under the language the page chooses)."""
        return MESSAGES[self.reason]


@dataclass(frozen=True)
class RatingTarget:
    """The visit a rating code lets its holder rate, and through which channel."""

    visit: Visit
    channel: str


# --- Making codes -----------------------------------------------------------------------------------

def _signer(kind: Kind) -> signing.Signer:
    return signing.Signer(salt=SALTS[kind])


def _nonce(visit: Visit) -> str:
    """Eight hex characters bound to this visit's check-out time."""
    stamp = visit.checked_out_at.isoformat() if visit.checked_out_at else ""
    return salted_hmac(SALTS[Kind.ONE_TIME] + ".nonce", f"{visit.pk}|{stamp}").hexdigest()[:8]


def check_in_token(card: ClientCard) -> str:
    return _signer(Kind.CHECK_IN).sign_object([card.pk, card.version])


def rating_token(card: ClientCard) -> str:
    return _signer(Kind.RATING).sign_object([card.pk, card.version])


def one_time_token(visit: Visit) -> str:
    return _signer(Kind.ONE_TIME).sign_object([visit.pk, _nonce(visit)])


def sign_pair(kind: Kind, first: int | str, second: int | str) -> str:
    """A signed code of `kind` for another app's record (an opaque id and a nonce, never personal data)."""
    return _signer(kind).sign_object([first, second])


def read_pair(kind: Kind, token: str) -> list:
    """The two values a signed code of `kind` carries; raises TokenRejected (malformed, forged, wrong kind)."""
    return _unsign(kind, token)


def _encode(number: int) -> str:
    base = len(CODE_ALPHABET)
    digits = ""
    while number:
        number, rest = divmod(number, base)
        digits = CODE_ALPHABET[rest] + digits
    return digits.rjust(ID_MIN_LENGTH, CODE_ALPHABET[0])


def _decode(text: str) -> int:
    """The number a typed code's id part names; a non-canonical spelling (extra leading "2"s) names none."""
    number = 0
    for char in text:
        number = number * len(CODE_ALPHABET) + CODE_ALPHABET.index(char)
    if _encode(number) != text:
        raise TokenRejected(Reason.FORGED)
    return number


def _mac(kind: Kind, number: int, bound: str) -> str:
    digest = salted_hmac(SALTS[kind] + ".short", f"{number}|{bound}", algorithm="sha256").digest()
    value = int.from_bytes(digest[:8], "big")
    return "".join(CODE_ALPHABET[(value >> (5 * i)) % len(CODE_ALPHABET)] for i in range(MAC_LENGTH))


def _short(kind: Kind, number: int, bound: str) -> str:
    return _encode(number) + _mac(kind, number, bound)


def format_short(code: str) -> str:
    """Groups of four for reading aloud and typing: K7PQ-4MZX-9A."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def check_in_short(card: ClientCard) -> str:
    return format_short(_short(Kind.CHECK_IN, card.pk, str(card.version)))


def rating_short(card: ClientCard) -> str:
    return format_short(_short(Kind.RATING, card.pk, str(card.version)))


def one_time_short(visit: Visit) -> str:
    return format_short(_short(Kind.ONE_TIME, visit.pk, _nonce(visit)))


# --- Reading codes ----------------------------------------------------------------------------------

def _extract(text: str) -> str:
    """The code inside a scanned URL (``…/r/<code>/`` or ``…?code=<code>``), or the text itself."""
    text = (text or "").strip()
    if "://" in text:  # a scanned code is always a full address
        parts = urlsplit(text)
        query = parse_qs(parts.query).get("code")
        if query:
            return query[0].strip()
        segments = [s for s in parts.path.split("/") if s]
        return segments[-1] if segments else ""
    return text


def _normalise_short(text: str) -> str | None:
    """Upper-cased typed code without spaces and hyphens, or None if it cannot be one."""
    if not text.isascii():  # no Unicode case folding: "ſ".upper() is "S"
        return None
    code = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(code) < ID_MIN_LENGTH + MAC_LENGTH or len(code) > 16 or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def as_read(text: str) -> str | None:
    """What the readers make of `text` before checking it: the signed token inside a scanned address, or
    the typed code normalised (upper case, no spaces or hyphens); None if it cannot be a code at all."""
    raw = _extract(text)
    return raw if ":" in raw else _normalise_short(raw)


def _unsign(kind: Kind, token: str) -> list:
    """The payload of a signed code of `kind`; raises TokenRejected naming why not."""
    try:
        payload = _signer(kind).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        payload = None
    if isinstance(payload, list) and len(payload) == 2 and all(isinstance(p, int | str) for p in payload):
        return payload
    if payload is not None:  # pragma: no cover - only a holder of the secret key can sign another shape
        raise TokenRejected(Reason.FORGED)
    for other in Kind:
        if other != kind:
            try:
                _signer(other).unsign_object(token)
            except Exception:  # noqa: BLE001 - any failure just means "not this kind either"
                continue
            raise TokenRejected(Reason.WRONG_KIND)
    value, sep, signature = token.rpartition(":")
    if not sep or not value or len(signature) < SIGNATURE_LENGTH:
        raise TokenRejected(Reason.MALFORMED)
    raise TokenRejected(Reason.FORGED)


def _card(pk, version) -> ClientCard:
    if not isinstance(pk, int) or not isinstance(version, int):
        raise TokenRejected(Reason.FORGED)
    card = ClientCard.objects.select_related("client__org_unit").filter(pk=pk, version=version).first()
    if card is None:
        raise TokenRejected(Reason.UNKNOWN)
    if card.revoked_at is not None:
        raise TokenRejected(Reason.REVOKED, language=card.client.language)
    return card


def _short_card(kind: Kind, code: str) -> ClientCard:
    number = _decode(code[:-MAC_LENGTH])
    card = ClientCard.objects.select_related("client__org_unit").filter(pk=number).first()
    if card is None or not hmac.compare_digest(code[-MAC_LENGTH:], _mac(kind, number, str(card.version))):
        _raise_for_short(kind, code, number)
    if card.revoked_at is not None:
        raise TokenRejected(Reason.REVOKED)
    return card


def _raise_for_short(kind: Kind, code: str, number: int):
    """A typed code that does not match `kind`: genuine of another kind, or simply wrong."""
    card = ClientCard.objects.filter(pk=number).first()
    visit = Visit.objects.filter(pk=number).only("pk", "checked_out_at").first()
    candidates = []
    if card is not None:
        candidates += [(Kind.CHECK_IN, str(card.version)), (Kind.RATING, str(card.version))]
    if visit is not None:
        candidates.append((Kind.ONE_TIME, _nonce(visit)))
    for other, bound in candidates:
        if other != kind and hmac.compare_digest(code[-MAC_LENGTH:], _mac(other, number, bound)):
            raise TokenRejected(Reason.WRONG_KIND)
    raise TokenRejected(Reason.FORGED)


def typed_target(text: str) -> str | None:
    """The record part of a well-formed typed code, which is what guessing aims at; None for anything else.

    Only typed codes can be guessed (six check characters); a signed code carries a 43-character HMAC, and
    text that is not a code at all cannot succeed, so neither needs to be rationed.
    """
    raw = _extract(text)
    code = None if ":" in raw else _normalise_short(raw)
    return code[:-MAC_LENGTH] if code else None


def read_check_in(text: str) -> ClientCard:
    """The active card whose check-in code `text` is (a scanned URL or token, or a typed code)."""
    raw = as_read(text)
    if raw is None:
        raise TokenRejected(Reason.MALFORMED)
    if ":" not in raw:
        return _short_card(Kind.CHECK_IN, raw)
    return _card(*_unsign(Kind.CHECK_IN, raw))


def read_rating_card(text: str) -> ClientCard:
    """The active card whose rating code `text` is (scanned or typed), whatever the state of its visits:
    feedback pages identify the client with it (socmon.feedback)."""
    raw = as_read(text)
    if raw is None:
        raise TokenRejected(Reason.MALFORMED)
    if ":" not in raw:
        return _short_card(Kind.RATING, raw)
    return _card(*_unsign(Kind.RATING, raw))


def rating_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "SOCMON_RATING_WINDOW_MINUTES", 120))


def _rateable(visit: Visit, now: datetime.datetime | None = None) -> Visit:
    """`visit` if a rating may be given for it now; else TokenRejected (in the visit's client's language)."""
    language = visit.client.language
    if visit.checked_out_at is None:
        raise TokenRejected(Reason.NOT_CHECKED_OUT, language=language)
    if Rating.objects.filter(visit=visit).exists():
        raise TokenRejected(Reason.USED, language=language)
    if (now or timezone.now()) > visit.checked_out_at + rating_window():
        raise TokenRejected(Reason.EXPIRED, language=language)
    return visit


def _latest_visit(card: ClientCard, now=None) -> Visit:
    visit = (Visit.objects.select_related("client", "org_unit").filter(client=card.client_id)
             .exclude(checked_out_at=None).order_by("-checked_out_at", "-pk").first())
    if visit is None:
        raise TokenRejected(Reason.NO_VISIT, language=card.client.language)
    return _rateable(visit, now)


def _one_time_visit(pk, nonce, now=None) -> Visit:
    if not isinstance(pk, int) or not isinstance(nonce, str):
        raise TokenRejected(Reason.FORGED)
    visit = Visit.objects.select_related("client", "org_unit").filter(pk=pk).first()
    if visit is None:
        raise TokenRejected(Reason.UNKNOWN)
    if visit.checked_out_at is None:
        raise TokenRejected(Reason.NOT_CHECKED_OUT, language=visit.client.language)
    if not hmac.compare_digest(nonce, _nonce(visit)):
        raise TokenRejected(Reason.FORGED)
    return _rateable(visit, now)


def _short_rating(code: str, now=None) -> RatingTarget:
    number = _decode(code[:-MAC_LENGTH])
    mac = code[-MAC_LENGTH:]
    card = ClientCard.objects.select_related("client").filter(pk=number).first()
    if card is not None and hmac.compare_digest(mac, _mac(Kind.RATING, number, str(card.version))):
        if card.revoked_at is not None:
            raise TokenRejected(Reason.REVOKED, language=card.client.language)
        return RatingTarget(_latest_visit(card, now), Rating.Channel.CARD)
    visit = Visit.objects.select_related("client", "org_unit").filter(pk=number).first()
    if visit is not None and visit.checked_out_at is not None \
            and hmac.compare_digest(mac, _mac(Kind.ONE_TIME, number, _nonce(visit))):
        return RatingTarget(_rateable(visit, now), Rating.Channel.ONE_TIME)
    _raise_for_short(Kind.RATING, code, number)


def read_rating(text: str, now: datetime.datetime | None = None) -> RatingTarget:
    """The visit that the rating code `text` (card code, one-time code, or either typed) lets one rate now."""
    raw = as_read(text)
    if raw is None:
        raise TokenRejected(Reason.MALFORMED)
    if ":" not in raw:
        return _short_rating(raw, now)
    try:
        pk, version = _unsign(Kind.RATING, raw)
    except TokenRejected as rejected:
        if rejected.reason != Reason.WRONG_KIND:
            raise
        try:
            pk, nonce = _signer(Kind.ONE_TIME).unsign_object(raw)
        except signing.BadSignature:
            raise rejected from None
        return RatingTarget(_one_time_visit(pk, nonce, now), Rating.Channel.ONE_TIME)
    return RatingTarget(_latest_visit(_card(pk, version), now), Rating.Channel.CARD)


def fingerprint(text: str) -> str:
    """A short non-reversible label of a code for logs (never the code itself)."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:12]
