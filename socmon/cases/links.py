"""The link an outside organisation answers a referral through (R-2.4): no account, the link is the authority.

The link carries a code signed like the client's rating codes (`socmon.visits.tokens`, its own salt, so a
card's code never passes for a link): ``[referral id, nonce]``, opaque, never personal data. The nonce is
stored on the referral; issuing a new link stores a new one, so the previous link is refused from then on.
A link works for two steps, each once: accept or decline, and after accepting, whether the person joined.
It expires `SOCMON_REFERRAL_LINK_DAYS` days (default 90) after it was issued.

What the page shows is the minimum the organisation needs: the client code, the sending unit and worker,
the programme asked for, the kind of referral and the sender's note "what the receiver needs to know" (the
form says the receiver sees it). Never the person's name, address, phone or case: whoever the person
agreed to share those with gets them through that note.
"""

import datetime
import enum
import hmac

from django.conf import settings
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from socmon.visits import tokens
from socmon.visits.tokens import Reason, TokenRejected

from .models import Referral

KIND = tokens.Kind.REFERRAL_LINK
NONCE_LENGTH = 20


class Step(enum.StrEnum):
    ANSWER = "answer"    # accept or decline
    OUTCOME = "outcome"  # did the person join


MESSAGES = {
    Reason.MALFORMED: _("This link is incomplete. Copy the whole link from the message you received and open it "
                        "again."),
    Reason.FORGED: _("This link is not valid. Check that you copied all of it, or ask the service that sent the "
                     "referral for a new link."),
    Reason.WRONG_KIND: _("This link is not valid. Check that you copied all of it, or ask the service that sent the "
                         "referral for a new link."),
    Reason.UNKNOWN: _("This link is not valid any more. Ask the service that sent the referral for a new link."),
    Reason.REVOKED: _("This link has been replaced by a newer one. Use the latest link the service sent you."),
    Reason.EXPIRED: _("This link has expired. Ask the service that sent the referral for a new link."),
    Reason.USED: _("Everything this link asks for has already been recorded. Thank you."),
}


def message(rejected: TokenRejected) -> str:
    return str(MESSAGES.get(rejected.reason, MESSAGES[Reason.FORGED]))


def link_days() -> int:
    return getattr(settings, "SOCMON_REFERRAL_LINK_DAYS", 90)


def new_nonce() -> str:
    return get_random_string(NONCE_LENGTH)


def has_link(referral: Referral) -> bool:
    return bool(referral.to_external and referral.link_nonce)


def link_token(referral: Referral) -> str:
    return tokens.sign_pair(KIND, referral.pk, referral.link_nonce)


def expires_at(referral: Referral) -> datetime.datetime:
    return referral.link_issued_at + datetime.timedelta(days=link_days())


def is_open(referral: Referral) -> bool:
    """Whether the link still has a step to take (so the sender is shown it)."""
    return has_link(referral) and referral.status in (Referral.Status.SENT, Referral.Status.ACCEPTED)


def step_for(referral: Referral) -> Step:
    return Step.ANSWER if referral.status == Referral.Status.SENT else Step.OUTCOME


def read_link(token: str, *, now: datetime.datetime) -> Referral:
    """The referral whose open link `token` is; raises TokenRejected naming why not."""
    pk, nonce = tokens.read_pair(KIND, token)
    if not isinstance(pk, int) or not isinstance(nonce, str):
        raise TokenRejected(Reason.FORGED)
    referral = Referral.objects.select_related("client", "from_unit", "sent_by").filter(pk=pk).first()
    if referral is None or not referral.to_external:
        raise TokenRejected(Reason.UNKNOWN)
    if not referral.link_nonce or not hmac.compare_digest(nonce, referral.link_nonce):
        raise TokenRejected(Reason.REVOKED)
    if now > expires_at(referral):
        raise TokenRejected(Reason.EXPIRED)
    if not is_open(referral):
        raise TokenRejected(Reason.USED)
    return referral
