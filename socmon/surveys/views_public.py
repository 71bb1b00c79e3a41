"""The client's survey page (R-7.1): public, reached by the invitation's link or QR code, no account.

Like the rating pages: tiny (the rating style sheet, no script), large, in the client's language, no cookie,
exempt from CSRF (the nonce in the address is the only authority). One question per page; the answers so far
travel in a hidden field and skip logic is decided on the server at every step (socmon.surveys.flow).
Not compressed: unlike the rating pages these carry what the client typed.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from socmon.audit.services import PUBLIC
from socmon.lib.http import max_body

from . import flow, services
from .models import Invitation
from .xlsform import language_code

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
BODY_LIMIT = 64 * 1024


def _param(request, name: str) -> str:
    return request.POST.get(name) or request.GET.get(name) or ""


def _language(request, default: str) -> str:
    code = _param(request, "switch_lang") or _param(request, "lang")
    return code if code in LANGUAGE_CODES else default


def _text_choice(request) -> str:
    choice = _param(request, "switch_text") or _param(request, "text")
    return choice if choice in {"large", "standard"} else ""


def _render(request, template: str, context: dict, *, language: str, status: int = 200):
    choice = _text_choice(request)
    large = choice == "large" or (not choice and request.COOKIES.get("socmon_text") == "large")
    with translation.override(language):
        context = {**context, "language": language, "languages": settings.LANGUAGES, "large_text": large,
                   "text_choice": choice}
        response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _message(request, *, language: str, title: str, message: str, status: int):
    return _render(request, "surveys/survey_message.html", {"title": title, "message": message},
                   language=language, status=status)


def _already_answered(request, language: str, status: int = 200):
    with translation.override(language):
        title = _("You have answered this survey already")
        message = _("Thank you. Each person answers a survey once, so nothing more was recorded.")
    return _message(request, language=language, title=title, message=message, status=status)


def survey_title(questionnaire, version, language: str) -> str:
    """The questionnaire's title in `language`; without one (the built-in forms have only an English title, as
    pyxform wants) the form's own title in its default language, and otherwise just "Survey", translated."""
    if questionnaire.title_i18n.get(language):
        return questionnaire.title_i18n[language]
    default = language_code(version.form.get("default_language", ""), "en") or "en"
    return questionnaire.title if language == default else _("Survey")


def _closed(request, language: str):
    """The campaign was closed: said on a GET as on a POST, in the client's language (410 Gone)."""
    with translation.override(language):
        title = _("This survey is closed")
        message = _("Thank you for wanting to answer. The survey has ended, so answers are no longer taken and "
                    "nothing was recorded.")
    return _message(request, language=language, title=title, message=message, status=410)


def run_survey(request, *, invitation: Invitation, interviewer=None):
    """One step of the questionnaire for `invitation`; the last step stores the response."""
    version = invitation.campaign.version
    fallback = list(version.languages)
    language = _language(request, invitation.client.language)
    items = flow.items_of(version)
    interview = interviewer is not None
    mode = _param(request, "mode") if _param(request, "mode") in {Invitation.Mode.HOME, Invitation.Mode.PHONE} \
        else (invitation.mode if invitation.mode != Invitation.Mode.SELF else Invitation.Mode.HOME)

    def show(index: int, answers: dict, value=None, error=None):
        with translation.override(language):
            step = flow.step_context(items, index, answers, answers.get(items[index].name) if value is None else value,
                                     error, language, fallback)
            questionnaire = version.questionnaire
            step["title"] = survey_title(questionnaire, version, language)
        context = {**step, "interview": interview, "mode": mode, "invitation": invitation,
                   "modes": [(Invitation.Mode.HOME, Invitation.Mode.HOME.label),
                             (Invitation.Mode.PHONE, Invitation.Mode.PHONE.label)]}
        return _render(request, "surveys/survey_step.html", context, language=language, status=400 if error else 200)

    if invitation.status == Invitation.Status.ANSWERED:
        return _already_answered(request, language, 409 if request.method == "POST" else 200)
    if invitation.campaign.status != invitation.campaign.Status.OPEN:
        return _closed(request, language)
    if invitation.status != Invitation.Status.INVITED:
        with translation.override(language):
            title, message = _("This survey cannot be answered now"), _(
                "The survey has closed or this invitation was withdrawn. Nothing was recorded.")
        return _message(request, language=language, title=title, message=message, status=410)
    first = flow.next_index(items, -1, {})
    if first is None:  # pragma: no cover - an upload always has a question
        return _already_answered(request, language)
    if request.method != "POST":
        return show(first, {})

    answers = flow.load_state(request.POST.get("state", ""), items)
    try:
        at = int(request.POST.get("at", ""))
    except ValueError:
        at = first
    if not 0 <= at < len(items) or not flow.is_relevant(items[at], answers):
        at = first
    if _param(request, "switch_lang") or _param(request, "switch_text"):
        return show(at, answers)
    item = items[at]
    with translation.override(language):
        value, error = flow.read_value(item, request.POST)
        if request.POST.get("action") == "back":
            if error is None:
                answers[item.name] = value
            previous = flow.previous_index(items, at, answers)
            return show(previous if previous is not None else at, answers)
        if error is None:
            error = flow.check(item, value, answers, language, fallback)
    if error:
        return show(at, answers, value, error)
    if item.type != "note":
        answers[item.name] = value
    following = flow.next_index(items, at, answers)
    if following is not None:
        return show(following, answers)
    with translation.override(language):
        final = flow.finish(items, answers, language, fallback)
    if final.answers is None:
        return show(final.index, answers, None, final.error)
    try:
        services.submit_response(by=interviewer or PUBLIC, invitation=invitation, answers=final.answers,
                                 language=language, mode=mode if interview else Invitation.Mode.SELF)
    except services.AlreadyAnswered:
        return _already_answered(request, language, 409)
    except services.SurveyClosed:  # closed while the client was answering
        return _closed(request, language)
    if interview:
        messages.success(request, _("The answers of %(code)s were recorded.") % {"code": invitation.client.code})
        return redirect("clients:detail", pk=invitation.client_id)
    query = {"lang": language, **({"text": _text_choice(request)} if _text_choice(request) else {})}
    return redirect(reverse("survey:thanks") + "?" + urlencode(query))


@csrf_exempt
@never_cache
@max_body(BODY_LIMIT)
def answer(request, nonce: str):
    invitation = (Invitation.objects.select_related("campaign__version__questionnaire", "client")
                  .filter(nonce=nonce).first())
    if invitation is None:
        language = _language(request, translation.get_language())
        with translation.override(language):
            title, message = _("This survey link does not work"), _(
                "Check the address on your invitation, or ask your social worker for a new one. Nothing was recorded.")
        return _message(request, language=language, title=title, message=message, status=404)
    return run_survey(request, invitation=invitation)


@never_cache
def thanks(request):
    language = _language(request, translation.get_language())
    with translation.override(language):
        title = _("Thank you: your answers are recorded")
        message = _("Your answers help to make the services better. You can close this page.")
    return _message(request, language=language, title=title, message=message, status=200)
