"""The client's rating pages (R-3.2): public, reached only with a rating code, in the client's language.

No account and no staff-side form: the code is the authority. Pages are tiny (own template and CSS,
no script) because clients often have old phones and slow rural connections.

The forms are exempt from CSRF on purpose: they act for no signed-in person (the secret is the code in
the address, which a forging site would not have), and without the CSRF cookie the client's phone gets
no cookie at all from us, so an in-app QR scanner that drops cookies still works.

The pages are gzip-compressed (a third of the bytes on a slow connection), and only these: compressing a
page that holds a secret next to text an attacker chooses lets the attacker read the secret from the sizes
(BREACH). These pages hold no CSRF token, session data or personal data, and set no cookie; the one secret
on them is the code in the address, which the request itself had to carry, so there is nothing left to
learn. Staff pages stay uncompressed: they carry CSRF tokens beside names and notes people typed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from socmon.lib.http import max_body
from socmon.lib.throttle import Throttle, client_address

from . import forms, services, tokens
from .models import Rating

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
REFUSED_STATUS = {
    tokens.Reason.MALFORMED: 404, tokens.Reason.FORGED: 404, tokens.Reason.WRONG_KIND: 404,
    tokens.Reason.UNKNOWN: 404, tokens.Reason.REVOKED: 410, tokens.Reason.EXPIRED: 410, tokens.Reason.USED: 410,
    tokens.Reason.NOT_CHECKED_OUT: 409, tokens.Reason.NO_VISIT: 409,
}


# Only typed codes can be guessed (a record id and six check characters: 31^6, about 900 million values),
# so only wrong typed codes are counted, three ways; a signed (scanned) code is read first and never
# waits, so a client holding the real card is not locked out by someone else's guesses.
WINDOW_SECONDS = 15 * 60
# From one address: a real client mistypes a few times. Not tighter: a mobile network puts many phones
# behind one address.
BY_ADDRESS = Throttle("rating-code:address", limit=30, window_seconds=WINDOW_SECONDS)
# At one card (or one visit's one-time code), from any number of addresses.
BY_TARGET = Throttle("rating-code:target", limit=10, window_seconds=WINDOW_SECONDS)
# Everyone together, against guessing many cards from many addresses: at the default 200, non-stop guessing
# would succeed about once in 60 years.
EVERYONE = Throttle("rating-code:all", limit=settings.SOCMON_RATING_GUESS_BUDGET, window_seconds=WINDOW_SECONDS)
GUESS_REASONS = {tokens.Reason.FORGED, tokens.Reason.WRONG_KIND, tokens.Reason.UNKNOWN}
# The rating forms send a score and a comment of at most 1,000 characters.
BODY_LIMIT = 32 * 1024


def _guessing_stopped(request, target: str) -> bool:
    return BY_ADDRESS.blocked(client_address(request)) or BY_TARGET.blocked(target) or EVERYONE.blocked()


def _count_guess(request, target: str) -> None:
    BY_ADDRESS.hit(client_address(request))
    BY_TARGET.hit(target)
    EVERYONE.hit()


def _chosen_language(request) -> str | None:
    code = request.POST.get("lang") or request.GET.get("lang")
    return code if code in LANGUAGE_CODES else None


def _text_choice(request) -> str:
    """Large or standard text, carried in the address like the language: these pages set no cookie."""
    choice = request.GET.get("text", "")
    return choice if choice in {"large", "standard"} else ""


def _query(request, language: str) -> str:
    """The address query that keeps the person's language and text size on the next page."""
    choice = _text_choice(request)
    return urlencode({"lang": language, **({"text": choice} if choice else {})})


def _render(request, template: str, context: dict, *, language: str, status: int = 200):
    choice = _text_choice(request)
    # Without a choice in the address, a browser that asked for large text on the staff pages keeps it.
    large = choice == "large" or (not choice and request.COOKIES.get("socmon_text") == "large")
    with translation.override(language):
        context = {**context, "language": language, "languages": settings.LANGUAGES,
                   "large_text": large, "text_choice": choice}
        response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _refusal_language(request, rejected: tokens.TokenRejected) -> str:
    """The language chosen on the page; else, for a real code, its client's; else the browser's."""
    return _chosen_language(request) or rejected.language or translation.get_language()


def _refused(request, rejected: tokens.TokenRejected, guessed: str | None = None):
    if guessed is not None and rejected.reason in GUESS_REASONS:
        _count_guess(request, guessed)
    # Lazy: translated while the page renders, in the page's language (not the request's).
    context = {"message": rejected.lazy_message, "reason": rejected.reason.value}
    return _render(request, "visits/rating_refused.html", context, language=_refusal_language(request, rejected),
                   status=REFUSED_STATUS[rejected.reason])


def _too_many_wrong_codes(request, language: str):
    with translation.override(language):
        message = _("Too many codes that did not work were typed. Scan the code with the phone's camera instead, "
                    "or wait 15 minutes and type it again. Your social worker can help too.")
    context = {"message": message, "reason": "throttled"}
    return _render(request, "visits/rating_refused.html", context, language=language, status=429)


@csrf_exempt
@gzip_page
@never_cache
@max_body(BODY_LIMIT)
def enter(request):
    """Type the code from the card or from the worker's screen."""
    language = _chosen_language(request) or translation.get_language()
    form = forms.RatingCodeForm(request.POST or None)
    if form.is_valid():
        code = "".join(form.cleaned_data["code"].split()).upper()
        return redirect(reverse("rating:rate", args=[code]) + "?" + _query(request, language))
    return _render(request, "visits/rating_enter.html", {"form": form}, language=language,
                   status=400 if form.errors else 200)


@csrf_exempt
@gzip_page
@never_cache
@max_body(BODY_LIMIT)
def rate(request, token: str):
    """How do you rate today's visit? 1–10, an optional comment, then thanks."""
    guessed = tokens.typed_target(token)
    if guessed is not None and _guessing_stopped(request, guessed):
        return _too_many_wrong_codes(request, _chosen_language(request) or translation.get_language())
    try:
        target = tokens.read_rating(token)
    except tokens.TokenRejected as rejected:
        return _refused(request, rejected, guessed)
    language = _chosen_language(request) or target.visit.client.language
    form = forms.RatingForm(request.POST or None, initial={"lang": language})
    if form.is_valid():
        try:
            services.rate_visit(token=token, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"],
                                on_workers_device=request.user.pk == target.visit.worker_id)
        except tokens.TokenRejected as rejected:
            return _refused(request, rejected, guessed)
        except ValidationError as error:  # pragma: no cover - the form already checked the score
            form.add_error("score", error.messages[0])
        else:
            # The card's code goes on to the thank-you page's "Tell us more" link (socmon.feedback).
            card = {"code": token} if target.channel == Rating.Channel.CARD else {}
            return redirect(reverse("rating:thanks") + "?" + (urlencode(card) + "&" if card else "")
                            + _query(request, language))
    context = {"form": form, "scale": range(1, 11), "visit_date": timezone.localtime(target.visit.checked_out_at)}
    return _render(request, "visits/rating_form.html", context, language=language,
                   status=400 if form.errors else 200)


@gzip_page
@max_body(BODY_LIMIT)
def thanks(request):
    language = _chosen_language(request) or translation.get_language()
    code = request.GET.get("code", "")
    code = code if code and len(code) <= 200 and tokens.as_read(code) else ""
    return _render(request, "visits/rating_thanks.html", {"code": code}, language=language)
