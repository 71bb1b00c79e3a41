"""The outside organisation's referral page (socmon.cases.links): public, reached only with the link.

Built like the client's rating pages (socmon.visits.views_rating, whose helpers it uses): no account and no
cookie, CSRF-exempt because the signed code in the address is the only authority, the language chosen on the
page and carried in the address, a translated refusal page for a link that cannot be used. Unlike the rating
pages these are not compressed: they show a client code and the sender's note (BREACH).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from socmon.lib.forms import show_error
from socmon.lib.http import max_body
from socmon.lib.throttle import Throttle, client_address
from socmon.visits import views_rating as public_page
from socmon.visits.tokens import Reason, TokenRejected

from . import forms, links, services

BODY_LIMIT = 32 * 1024
# A signed link cannot be guessed (a 43-character HMAC); counting wrong ones per address only slows a scanner
# down. Like a scanned rating code, a genuine link is read first and never waits, so an office sharing its
# address with a scanner still answers. Not tighter: many offices share one address.
WRONG_LINKS = Throttle("referral-link:address", limit=30, window_seconds=15 * 60)
REFUSED_STATUS = {Reason.MALFORMED: 404, Reason.FORGED: 404, Reason.WRONG_KIND: 404, Reason.UNKNOWN: 404,
                  Reason.REVOKED: 410, Reason.EXPIRED: 410, Reason.USED: 410}
STEPS = {
    links.Step.ANSWER: (forms.LinkAnswerForm, "cases/link_answer.html"),
    links.Step.OUTCOME: (forms.LinkOutcomeForm, "cases/link_outcome.html"),
}


def _language(request) -> str:
    return public_page._chosen_language(request) or translation.get_language()


def _refused(request, language: str, message: str, reason: str, status: int):
    context = {"message": message, "reason": reason}
    return public_page._render(request, "cases/link_refused.html", context, language=language, status=status)


def _rejected(request, rejected: TokenRejected, language: str):
    if REFUSED_STATUS.get(rejected.reason, 404) == 404:
        address = client_address(request)
        if WRONG_LINKS.blocked(address):
            return _too_many(request, language)
        WRONG_LINKS.hit(address)
    with translation.override(language):
        message = links.message(rejected)
    return _refused(request, language, message, rejected.reason.value, REFUSED_STATUS.get(rejected.reason, 404))


def _too_many(request, language: str):
    with translation.override(language):
        message = _("Too many links that did not work were opened from here. Wait 15 minutes and try again.")
    return _refused(request, language, message, "throttled", 429)


def _already_done(request, language: str):
    """A step answered already (sent twice, or by someone else first): nothing was recorded this time."""
    with translation.override(language):
        message = _("This step has already been answered, so nothing was recorded now. Open the link again to see "
                    "what is left to do.")
    return _refused(request, language, message, "answered", 409)


def _run(request, step: links.Step, form, token: str, now, language: str):
    """The step's service on a valid form: True when recorded; a refusal response; or None (errors on the form)."""
    data = form.cleaned_data
    with translation.override(language):
        try:
            if step == links.Step.ANSWER:
                services.answer_referral_by_link(token=token, accept=data["answer"] == "accept",
                                                 reason=data["reason"], now=now)
            else:
                services.record_referral_outcome_by_link(token=token, joined=data["joined"],
                                                         joined_on=data["joined_on"], notes=data["notes"], now=now)
        except TokenRejected as rejected:
            return _rejected(request, rejected, language)
        except ValidationError as error:
            if getattr(error, "code", None) in {"answered", "not_accepted"}:
                return _already_done(request, language)
            show_error(form, error)
            return None
    return True


@csrf_exempt
@never_cache
@max_body(BODY_LIMIT)
def answer(request, token: str):
    """Accept or decline the referral; after accepting, say whether the person joined."""
    language = _language(request)
    now = timezone.now()
    try:
        referral = links.read_link(token, now=now)
    except TokenRejected as rejected:
        return _rejected(request, rejected, language)
    step = links.step_for(referral)
    form_class, template = STEPS[step]
    form = form_class(request.POST or None)
    if request.method == "POST":
        if request.POST.get("step") != step:
            return _already_done(request, language)
        if form.is_valid():
            done = _run(request, step, form, token, now, language)
            if done is True:
                return _after(request, step, form, token, language)
            if done is not None:
                return done
    context = {"form": form, "referral": referral, "step": step.value, "expires_at": links.expires_at(referral),
               "just_accepted": request.GET.get("sent") == "accepted"}
    return public_page._render(request, template, context, language=language, status=400 if form.errors else 200)


def _after(request, step: links.Step, form, token: str, language: str):
    query = public_page._query(request, language)
    if step == links.Step.ANSWER and form.cleaned_data["answer"] == "accept":
        return redirect(reverse("referral_link:answer", args=[token]) + "?sent=accepted&" + query)
    return redirect(reverse("referral_link:thanks") + "?" + query)


@never_cache
def thanks(request):
    return public_page._render(request, "cases/link_thanks.html", {}, language=_language(request))
