"""The worker's pages in the field (R-3.1): check in by the client's code, record services, check out and
hand the client a one-time rating code. And the client's printed card (print, issue, reissue, bulk)."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socmon.accounts.access import DO_VISITS, has_capability
from socmon.clients.access import current_assignments
from socmon.clients.services import log_client_view
from socmon.lib.forms import apply_service, once_per_form_key, show_error
from socmon.lib.headers import allow_features
from socmon.lib.throttle import Throttle

from . import cards, flags, forms, services, tokens
from .access import (
    card_issuable_clients_for,
    get_client_for_card,
    get_client_to_check_in,
    get_visit_for_user,
    may_issue_card,
    may_issue_cards,
    own_clients_without_card,
)
from .models import ClientCard, EffectiveStatus, Rating, ServiceDelivery, Visit, effective_status
from .views_day import day_page


def _base(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _errors_to(form, error: ValidationError, field: str | None = None) -> None:
    if field is None:
        show_error(form, error)  # on the field the service names
        return
    for message in error.messages:
        form.add_error(field, message)


# Wrong check-in codes per account: a worker mistypes a few; guessing a typed code needs millions of tries.
WRONG_CODES = Throttle("check-in-code:account", limit=20, window_seconds=15 * 60)


def _code_not_opened() -> str:
    # One answer for a code that names no card and for a real card of someone not on one's caseload: the
    # answer must not tell a worker which codes belong to real cards.
    return _("This code does not open a visit. Use the check-in code on the card of a person on your caseload "
             "today; a card that was replaced no longer works. Nothing was recorded.")


def _start_visit(request, form) -> tuple[Visit | None, int]:
    """The visit the form's code opens, or None and the status, with the reason added to the form."""
    code, account = form.cleaned_data["code"], str(request.user.pk)
    if tokens.typed_target(code) is not None and WRONG_CODES.blocked(account):  # scanned codes never wait
        form.add_error("code", _("Too many codes that did not work were typed in a short time. Scan the card, "
                                 "or wait 15 minutes and type the code again."))
        return None, 429
    try:
        card = tokens.read_check_in(code)
        return services.check_in(by=request.user, client=card.client, position=form.position(),
                                 confirmed=form.cleaned_data["confirm_repeat"]), 200
    except tokens.TokenRejected as rejected:
        if rejected.reason == tokens.Reason.MALFORMED:  # says nothing about any card
            form.add_error("code", rejected.message)
            return None, 400
    except PermissionDenied:
        pass
    except ValidationError as error:  # e.g. another visit to the person opened at the same moment
        if error.code == "confirm_repeat":  # asked first, not refused: the next page confirms
            form.repeat_question = error.message
            return None, 200
        _errors_to(form, error, "code")
        return None, 400
    WRONG_CODES.hit(account)
    form.add_error("code", _code_not_opened())
    return None, 400


@login_required
@allow_features("camera", "geolocation")  # the card scanner and the position recorded with the check-in
@once_per_form_key
def check_in(request):
    """Scan (or type) the client's check-in code: opens that client's visit, only for their own worker."""
    if not has_capability(request.user, DO_VISITS):
        raise PermissionDenied
    form = forms.CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    # Opened from the phone's own camera app (the card's code is an address): only confirm, never write on GET.
    scanned = request.method == "GET" and bool(request.GET.get("code"))
    if scanned:
        form.fields["code"].widget = django_forms.HiddenInput()
    status = 400 if form.errors else 200
    if form.is_valid():
        visit, status = _start_visit(request, form)
        if visit is not None:
            return _visit_started(request, visit)
        if getattr(form, "repeat_question", None):
            return render(request, "visits/checkin.html", {"form": _confirm_form(form), "scanned": True,
                                                           "repeat_question": form.repeat_question})
    return render(request, "visits/checkin.html", {"form": form, "scanned": scanned}, status=status)


def _visit_started(request, visit: Visit):
    started = timezone.localtime(visit.checked_in_at).strftime("%H:%M")
    if getattr(visit, "resumed", False):
        messages.info(request, _("This visit was already in progress, since %(time)s.") % {"time": started})
    else:
        messages.success(request, _("Visit started at %(time)s.") % {"time": started})
    _warn_other_visits_open(request, visit)
    return redirect("visits:visit", pk=visit.pk)


def _start_without_card(request, form, client) -> tuple[Visit | None, int]:
    """The visit opened for a valid form, or None and the status (a repeat visit asks first: 200)."""
    if not form.is_valid():
        return None, 400
    data = form.cleaned_data
    try:
        return services.check_in_without_card(by=request.user, client=client, reason=data["reason"],
                                              note=data["note"], position=form.position(),
                                              confirmed=data["confirm_repeat"]), 200
    except ValidationError as error:
        if getattr(error, "code", None) == "confirm_repeat":
            form.repeat_question = error.message
            return None, 200
        show_error(form, error)
        return None, 400


@login_required
@allow_features("geolocation")  # the position recorded with the check-in, as with the card
@once_per_form_key
def check_in_without_card(request, client_pk: int):
    """Open the visit of one's own client whose card cannot be scanned, with the reason (flagged for the head)."""
    client = get_client_to_check_in(request.user, client_pk)
    form = forms.CheckInWithoutCardForm(request.POST if request.method == "POST" else None)  # {} is a POST too
    status, repeat_question = 200, None
    if request.method == "POST":
        visit, status = _start_without_card(request, form, client)
        if visit is not None:
            return _visit_started(request, visit)
        if repeat_question := getattr(form, "repeat_question", None):
            form = forms.CheckInWithoutCardForm(initial={**form.cleaned_data, "confirm_repeat": True})
    context = {"form": form, "client": client, "repeat_question": repeat_question}
    return render(request, "visits/checkin_without_card.html", context, status=status)


def _confirm_form(form) -> forms.CheckInForm:
    """The same code (and position) again, with the answer "yes, another visit"."""
    data = form.cleaned_data
    confirm = forms.CheckInForm(initial={"code": data["code"], "latitude": data.get("latitude"),
                                         "longitude": data.get("longitude"), "confirm_repeat": True})
    confirm.fields["code"].widget = django_forms.HiddenInput()
    return confirm


def _warn_other_visits_open(request, visit: Visit) -> None:
    codes = [v.client.code for v in services.other_visits_in_progress(request.user, visit)]
    if codes:
        messages.warning(request, _("Your visit to %(clients)s is still in progress: check out there, or cancel it "
                                    "if it was opened by mistake.") % {"clients": ", ".join(codes)})


def _visit_page(request, visit: Visit, *, service_form=None, check_out_form=None, status: int = 200):
    mine = visit.worker_id == request.user.pk
    in_progress = mine and visit.status == Visit.Status.IN_PROGRESS
    planned = services.planned_service_ids(visit.client) if in_progress else None
    plan_services = services.plan_services_of([visit.client_id]).get(visit.client_id, [])
    status_now = effective_status(visit, timezone.now())
    context = {
        "visit": visit,
        "status": status_now,
        "status_label": EffectiveStatus(status_now).label,
        "is_mine": mine,
        "deliveries": visit.services.select_related("service"),
        "rating": Rating.objects.filter(visit=visit).first(),
        "in_progress": in_progress,
        "has_plan": planned is not None,
        "plan_services": plan_services,
        "service_form": service_form or (forms.ServiceDeliveryForm(planned_ids=planned,
                                                                   recorded_ids=_recorded_today(visit))
                                         if in_progress else None),
        "check_out_form": check_out_form or (_check_out_form(visit, initial={"notes": visit.notes})
                                             if in_progress else None),
        "may_correct": services.may_correct_service(request.user, visit),
        "rating_code": _rating_code_for(request, visit) if mine else None,
        "overrun": _overrun_message(visit),
    }
    log_client_view(by=request.user, client=visit.client, what="visit")
    return render(request, "visits/visit_detail.html", context, status=status)


def _recorded_today(visit: Visit) -> set[int]:
    """Services already recorded for the person on the visit's day (this visit or an earlier one)."""
    return set(ServiceDelivery.objects.filter(visit__client=visit.client, visit__planned_for=visit.planned_for)
               .values_list("service_id", flat=True))


def _overrun_message(visit: Visit) -> str | None:
    """More minutes of services than the visit lasted (a flag for the head): said on the visit's page."""
    over = flags.service_overrun(visit)
    if over is None:
        return None
    return (_("The services recorded add up to %(services)s min, but the visit lasted %(minutes)s min from "
              "check-in to check-out.") % {"services": over[0], "minutes": over[1]})


def _rating_code_for(request, visit: Visit) -> dict | None:
    """The one-time rating code, while the visit may still be rated."""
    try:
        tokens.read_rating(tokens.one_time_token(visit))
    except tokens.TokenRejected:
        return None
    return cards.one_time_code(_base(request), visit)


@login_required
def visit_detail(request, pk: int):
    return _visit_page(request, get_visit_for_user(request.user, pk))


@login_required
@require_POST
@once_per_form_key
def record_service(request, pk: int):
    visit = get_visit_for_user(request.user, pk, work=True)
    form = forms.ServiceDeliveryForm(request.POST, planned_ids=services.planned_service_ids(visit.client))
    if form.is_valid():
        try:
            delivery = services.record_service(by=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("%(service)s, %(minutes)s min, was recorded.")
                             % {"service": delivery.service.label, "minutes": delivery.minutes})
            return redirect("visits:visit", pk=visit.pk)
    return _visit_page(request, visit, service_form=form, status=400)


def _check_out_form(visit: Visit, *args, **kwargs) -> forms.CheckOutForm:
    form = forms.CheckOutForm(*args, **kwargs)
    if visit.services.exists():  # the reason is asked only for a visit without any service
        del form.fields["no_service_reason"]
    return form


@login_required
@require_POST
def check_out(request, pk: int):
    visit = get_visit_for_user(request.user, pk, work=True)
    form = _check_out_form(visit, request.POST)
    if form.is_valid():
        try:
            services.check_out(by=request.user, visit=visit, notes=form.cleaned_data["notes"],
                               no_service_reason=form.cleaned_data.get("no_service_reason", ""))
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Visit ended. Now let the person rate it."))
            # Warned, not blocked: services are recorded only during the visit, so the minutes or the check-out
            # time are off, and keeping the visit open longer to match them would make it worse.
            overrun = _overrun_message(visit)
            if overrun:
                messages.warning(request, overrun + " " + _("The visit is flagged for the head of your "
                                                            "department: if the minutes are wrong, tell them."))
            return redirect("visits:visit", pk=visit.pk)
    return _visit_page(request, visit, check_out_form=form, status=400)


# --- Undo: a check-in by mistake, a service's minutes -------------------------------------------------------

@login_required
@once_per_form_key
def cancel(request, pk: int):
    """The worker cancels a check-in opened by mistake (before any service is recorded), with a reason."""
    visit = get_visit_for_user(request.user, pk, work=True)
    form = forms.CancelVisitForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and apply_service(form, services.cancel_visit, by=request.user, visit=visit,
                                             reason=form.cleaned_data["reason"]):
            messages.success(request, _("The visit was cancelled. The head of your department sees the reason."))
            return redirect("visits:visit", pk=visit.pk)
        status = 400
    return render(request, "visits/visit_cancel.html", {"visit": visit, "form": form}, status=status)


def _delivery_to_correct(request, pk: int, delivery_pk: int) -> ServiceDelivery:
    visit = get_visit_for_user(request.user, pk)
    delivery = visit.services.select_related("service").filter(pk=delivery_pk).first()
    if delivery is None:
        raise Http404
    delivery.visit = visit
    if not services.may_correct_service(request.user, visit):
        raise PermissionDenied
    return delivery


@login_required
@once_per_form_key
def service_edit(request, pk: int, delivery_pk: int):
    """Correct a service's minutes: the worker while the visit is open, the head after check-out (with a reason)."""
    delivery = _delivery_to_correct(request, pk, delivery_pk)
    visit = delivery.visit
    form = forms.ServiceCorrectionForm(request.POST or None, initial={"minutes": delivery.minutes})
    status = 200
    if request.method == "POST":
        if form.is_valid() and apply_service(form, services.correct_service, by=request.user, delivery=delivery,
                                             **form.cleaned_data):
            messages.success(request, _("%(service)s now has %(minutes)s min.")
                             % {"service": delivery.service.label, "minutes": delivery.minutes})
            return redirect("visits:visit", pk=visit.pk)
        status = 400
    context = {"visit": visit, "delivery": delivery, "form": form,
               "after_check_out": visit.status == Visit.Status.DONE}
    return render(request, "visits/service_edit.html", context, status=status)


@login_required
@require_POST
def service_remove(request, pk: int, delivery_pk: int):
    visit = get_visit_for_user(request.user, pk)  # access first: an invisible visit is a 404
    if not visit.services.filter(pk=delivery_pk).exists():
        messages.info(request, _("This service was already removed."))  # the second of two presses
        return redirect("visits:visit", pk=pk)
    delivery = _delivery_to_correct(request, pk, delivery_pk)
    try:
        services.remove_service(by=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(service)s was removed from the visit.") % {"service": delivery.service.label})
    return redirect("visits:visit", pk=delivery.visit.pk)


# --- Cards ---------------------------------------------------------------------------------------------

@login_required
def card(request, client_pk: int):
    """The card's page: everyone who sees the client reads it; only those who serve the client issue or print."""
    client = get_client_for_card(request.user, client_pk)
    context = {"client": client, "card": services.active_card(client),
               "may_issue": may_issue_card(request.user, client),
               "revoked": ClientCard.objects.filter(client=client).exclude(revoked_at=None)}
    return render(request, "visits/card_detail.html", context)


@login_required
@require_POST
def card_issue(request, client_pk: int):
    client = get_client_for_card(request.user, client_pk, issue=True)
    reissue = services.active_card(client) is not None
    card = services.issue_card(by=request.user, client=client)
    if reissue:
        messages.success(request, _("Card %(version)s was issued. The previous card no longer works: "
                                    "print the new one and give it to the person.") % {"version": card.version})
    else:
        messages.success(request, _("The card was issued. Print it and give it to the person."))
    return redirect("visits:card", client_pk=client.pk)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def card_pdf(request, client_pk: int):
    # The printed card holds the rating code: only those who hand out cards print them.
    client = get_client_for_card(request.user, client_pk, issue=True)
    card = services.active_card(client)
    if card is None:
        raise Http404
    log_client_view(by=request.user, client=client, what="client card")
    return _pdf_response(cards.cards_pdf([card], base=_base(request)), f"card-{client.code}.pdf")


@login_required
def cards_caseload(request):
    """Print the cards of a whole caseload in one PDF (one card per page); missing cards are issued."""
    if not may_issue_cards(request.user):
        raise PermissionDenied
    clients = card_issuable_clients_for(request.user)
    assignments = current_assignments().filter(client__in=clients).select_related("worker")
    workers = sorted({a.worker for a in assignments}, key=lambda w: (w.get_full_name(), w.pk))
    if request.method != "POST":
        return render(request, "visits/card_caseload.html", {"workers": workers})
    worker = next((w for w in workers if str(w.pk) == request.POST.get("worker", str(request.user.pk))), None)
    if worker is None:
        raise Http404
    chosen = clients.filter(pk__in=assignments.filter(worker=worker).values("client")).order_by("last_name")
    printed = [services.active_card(c) or services.issue_card(by=request.user, client=c) for c in chosen]
    for client in chosen:
        log_client_view(by=request.user, client=client, what="client card")
    return _pdf_response(cards.cards_pdf(printed, base=_base(request)), "caseload-cards.pdf")


@login_required
@require_POST
def cards_without_card(request):
    """My day's bulk print: one PDF of the chosen own clients' cards, issuing a card to each who has none.

    A second press prints the same cards (nothing is reissued); with nobody chosen, My day says so (400)."""
    own = card_issuable_clients_for(request.user).filter(
        pk__in=current_assignments().filter(worker=request.user).values("client"))
    form = forms.PrintCardsForm(request.POST, clients=own)
    if not form.is_valid():
        form.fields["clients"].queryset = own_clients_without_card(request.user)
        return day_page(request, request.user, cards_form=form, status=400)
    chosen = sorted(form.cleaned_data["clients"], key=lambda c: (c.last_name, c.first_name, c.pk))
    printed = services.issue_missing_cards(by=request.user, clients=chosen)
    for client in chosen:
        log_client_view(by=request.user, client=client, what="client card")
    return _pdf_response(cards.cards_pdf(printed, base=_base(request)), "cards.pdf")
