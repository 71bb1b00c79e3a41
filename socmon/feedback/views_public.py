"""The public feedback pages (R-7.2), beside the rating pages and like them: no account, no cookie, in five
languages (the language in the address), small, CSRF-exempt (they act for nobody signed in; the code in the
address or the form is the only authority).

- anyone: send feedback about an institution (a honeypot field and a limit per address, nothing stored when
  either refuses), then follow it with the tracking code shown once;
- a client: with the rating code on their card, send feedback about their department and see all of theirs.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from socmon.audit.services import PUBLIC
from socmon.lib.forms import show_error
from socmon.lib.http import max_body
from socmon.lib.throttle import Throttle, client_address
from socmon.visits import tokens
from socmon.visits import views_rating as rating

from . import access, forms, selectors, services
from .models import Feedback

BODY_LIMIT = 32 * 1024
SENT_BY_ADDRESS = Throttle("feedback:address", limit=settings.SOCMON_FEEDBACK_PER_ADDRESS, window_seconds=60 * 60)


def _language(request) -> str:
    return rating._chosen_language(request) or translation.get_language()


def _refuse(request, message, *, language: str, status: int):
    return rating._render(request, "feedback/public_refused.html", {"message": message}, language=language,
                          status=status)


@csrf_exempt
@never_cache
@max_body(BODY_LIMIT)
def send(request):
    """A member of the public sends a complaint, suggestion or thanks about an institution.

    The institution is found, never picked from a list of them all: "Find" (a submit button of the same form, so
    nothing typed is lost) or a link's `?institution_q=` offers at most a few matches by name or place, and a
    link's `?unit=<pk>` (a poster at the institution) offers that one."""
    language = _language(request)
    institutions = access.public_institutions()
    if request.method == "POST" and "find" in request.POST:
        # Looking for the institution: what was typed stays, nothing is checked or sent yet.
        typed = {name: request.POST.get(name) for name in forms.PublicForm.base_fields
                 if name in request.POST and name != "website"}
        form = forms.PublicForm(initial=typed, institutions=institutions)
    elif request.method == "POST":
        form = forms.PublicForm(request.POST, institutions=institutions)
        address = client_address(request)
        with translation.override(language):
            if SENT_BY_ADDRESS.blocked(address):
                return _refuse(request, _("Too many messages were sent from this connection. Please wait an hour "
                                          "and send it again, or call the institution."), language=language, status=429)
            if request.POST.get("website"):
                return _refuse(request, _("Your message could not be accepted. If you are a person, leave the "
                                          "field “Leave this empty” empty and send it again."),
                               language=language, status=400)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    feedback, code = services.submit_feedback(
                        by=PUBLIC, source=Feedback.Source.PUBLIC, kind=data["kind"], category=data["category"],
                        text=data["text"], org_unit=data["org_unit"], anonymous=data["anonymous"],
                        sender_name=data["sender_name"], sender_contact=data["sender_contact"], language=language)
                except ValidationError as error:
                    show_error(form, error)
                else:
                    SENT_BY_ADDRESS.hit(address)
                    return _sent(request, feedback, code, language)
    else:
        form = forms.PublicForm(initial={"org_unit": request.GET.get("unit", ""),
                                         "institution_q": request.GET.get("institution_q", "")},
                                institutions=institutions)
    query = str(form["institution_q"].value() or "")[:100]
    found = selectors.institution_choices(query, form["org_unit"].value(), language=language)
    context = {"form": form, "answer_days": settings.SOCMON_FEEDBACK_ANSWER_DAYS, "found": found,
               "chosen": str(form["org_unit"].value() or ""), "too_short": bool(query.strip()) and not found.searched,
               "matches_max": selectors.INSTITUTION_MATCHES}
    return rating._render(request, "feedback/public_send.html", context, language=language,
                          status=400 if form.errors else 200)


def _sent(request, feedback, code: str, language: str, card_token: str = ""):
    """The tracking code, shown on this one answer only (it is stored as a hash)."""
    url = request.build_absolute_uri(reverse("feedback_public:track", args=[code]))
    context = {"feedback": feedback, "code": code, "track_url": url, "card_token": card_token}
    return rating._render(request, "feedback/public_sent.html", context, language=language)


def _track_context(feedback, today):
    return {"feedback": feedback, "clock": selectors.clock_of(feedback, today),
            "steps": selectors.public_steps(feedback)}


@csrf_exempt
@never_cache
@max_body(BODY_LIMIT)
def track_enter(request):
    language = _language(request)
    form = forms.TrackingForm(request.POST or None)
    if form.is_valid():
        return redirect(reverse("feedback_public:track", args=[form.cleaned_data["code"].strip()])
                        + "?" + rating._query(request, language))
    return rating._render(request, "feedback/public_track_enter.html", {"form": form}, language=language,
                          status=400 if form.errors else 200)


@csrf_exempt
@never_cache
@max_body(BODY_LIMIT)
def track(request, code: str):
    """The sender's page for one feedback: status, the clock, the answer; reopen it or confirm the answer."""
    feedback = selectors.by_tracking_code(code)
    if feedback is None:
        language = _language(request)
        with translation.override(language):
            message = _("We could not find feedback with this code. Check the code and try again.")
        return _refuse(request, message, language=language, status=404)
    language = rating._chosen_language(request) or feedback.language
    with translation.override(language):
        error = _act(request, feedback)
    if error is None and request.method == "POST":
        return redirect(request.path + "?" + rating._query(request, language))
    feedback.refresh_from_db()
    context = {**_track_context(feedback, timezone.localdate()), "reopen_form": forms.ReopenForm(),
               "error": error}
    return rating._render(request, "feedback/public_track.html", context, language=language,
                          status=400 if error else 200)


def _act(request, feedback):
    """A sender's POST: "reopen" (the answer did not resolve it) or "confirm" (a client received the answer)."""
    if request.method != "POST":
        return None
    action = request.POST.get("action")
    try:
        if action == "reopen":
            form = forms.ReopenForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.reopen_feedback(by=PUBLIC, feedback_id=feedback.pk, reason=reason)
        elif action == "confirm":
            services.confirm_answer(by=PUBLIC, feedback_id=feedback.pk)
        else:
            return _("Choose what to do.")
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@csrf_exempt
@never_cache
@max_body(BODY_LIMIT)
def code_enter(request):
    """A client types (or scans) the rating code on their card."""
    language = _language(request)
    form = forms.CodeForm(request.POST or None)
    if form.is_valid():
        code = "".join(form.cleaned_data["code"].split()).upper()
        return redirect(reverse("feedback_public:client", args=[code]) + "?" + rating._query(request, language))
    return rating._render(request, "feedback/public_code_enter.html", {"form": form}, language=language,
                          status=400 if form.errors else 200)


@csrf_exempt
@never_cache
@max_body(BODY_LIMIT)
def client(request, token: str):
    """A client's feedback page, reached with their card's rating code: send feedback about their department,
    see the status of all of theirs, confirm an answer or say it did not resolve it."""
    guessed = tokens.typed_target(token)
    if guessed is not None and rating._guessing_stopped(request, guessed):
        return rating._too_many_wrong_codes(request, _language(request))
    try:
        card = tokens.read_rating_card(token)
    except tokens.TokenRejected as rejected:
        return rating._refused(request, rejected, guessed)
    holder = card.client
    language = rating._chosen_language(request) or holder.language
    form = forms.SenderForm(request.POST if request.POST.get("action") == "send" else None)
    error = None
    if request.method == "POST" and request.POST.get("action") in {"reopen", "confirm"}:
        mine = selectors.of_client(holder).filter(pk=request.POST.get("feedback") or 0).first() \
            if (request.POST.get("feedback") or "").isdigit() else None
        with translation.override(language):
            error = _("Choose one of your messages.") if mine is None else _act(request, mine)
        if error is None:
            return redirect(request.path + "?" + rating._query(request, language))
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        with translation.override(language):
            try:
                feedback, code = services.submit_feedback(
                    by=PUBLIC, source=Feedback.Source.CLIENT, kind=data["kind"], category=data["category"],
                    text=data["text"], org_unit=None, client=holder, language=language)
            except ValidationError as exc:
                show_error(form, exc)
            else:
                return _sent(request, feedback, code, language, card_token=token)
    today = timezone.localdate()
    mine = [(f, selectors.clock_of(f, today)) for f in selectors.of_client(holder)[:20]]
    context = {"form": form, "mine": mine, "error": error, "reopen_form": forms.ReopenForm(),
               "answer_days": settings.SOCMON_FEEDBACK_ANSWER_DAYS}
    return rating._render(request, "feedback/public_client.html", context, language=language,
                          status=400 if (form.errors or error) else 200)
