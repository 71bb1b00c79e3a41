"""Staff pages for feedback: the list in reach, one feedback with its timeline and the answer, extend,
escalate and close forms, noting feedback said by phone or in person, and a worker noting that a client
received an answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socmon.clients.access import get_client_for_user
from socmon.lib.forms import apply_service, show_error
from socmon.lib.pagination import paginate
from socmon.orgs.picker import unit_picker

from . import access, forms, selectors, services
from .models import Feedback


def _require_answer(user):
    if not access.may_answer(user):
        raise PermissionDenied


@login_required
def feedback_list(request):
    _require_answer(request.user)
    today = timezone.localdate()
    units = access.answering_units(request.user)
    form = forms.ListFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    queryset = selectors.feedback_list(
        request.user, today=today, status=filters.get("status") or "", kind=filters.get("kind") or "",
        category=filters.get("category"), overdue=bool(filters.get("overdue")), unit=unit)
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()
    # The picker starts at the chosen unit, else at the top of the reader's reach.
    start = unit or units.order_by("depth", "path").first()
    picker = unit_picker(units, start, request.GET) if start else None
    page = paginate(request, queryset)
    rows = [(f, selectors.clock_of(f, today)) for f in page.object_list]
    return render(request, "feedback/list.html", {"form": form, "page": page, "rows": rows, "unit": unit,
                                                  "picker": picker}, status=400 if form.errors else 200)


def _detail_context(request, feedback, **forms_given):
    today = timezone.localdate()
    return {"feedback": feedback, "clock": selectors.clock_of(feedback, today),
            "steps": feedback.steps.select_related("by", "to_unit"),
            "answer_form": forms_given.get("answer_form") or forms.AnswerForm(initial={"channel": feedback.channel}),
            "extend_form": forms_given.get("extend_form") or forms.ReasonForm(prefix="extend"),
            "escalate_form": forms_given.get("escalate_form") or forms.ReasonForm(prefix="escalate"),
            "close_error": forms_given.get("close_error"),
            # A refusal about the feedback itself (answered meanwhile, extended before): shown above everything,
            # since the form it came from may no longer be on the page.
            "problems": [error for form in forms_given.values() if hasattr(form, "non_field_errors")
                         for error in form.non_field_errors()]}


@login_required
def feedback_detail(request, pk):
    feedback = access.get_feedback_for_user(request.user, pk)
    return render(request, "feedback/detail.html", _detail_context(request, feedback))


def _done(request, feedback, message):
    messages.success(request, message)
    return redirect("feedback:detail", pk=feedback.pk)


@login_required
@require_POST
def answer(request, pk):
    feedback = access.get_feedback_for_user(request.user, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid() and apply_service(form, services.answer_feedback, by=request.user, feedback_id=feedback.pk,
                                         answer=form.cleaned_data["answer"], channel=form.cleaned_data["channel"]):
        return _done(request, feedback, _("The answer was recorded. The sender can read it with their code."))
    feedback.refresh_from_db()
    return render(request, "feedback/detail.html", _detail_context(request, feedback, answer_form=form), status=400)


@login_required
@require_POST
def extend(request, pk):
    feedback = access.get_feedback_for_user(request.user, pk)
    form = forms.ReasonForm(request.POST, prefix="extend")
    if form.is_valid() and apply_service(form, services.extend_deadline, by=request.user, feedback_id=feedback.pk,
                                         reason=form.cleaned_data["reason"]):
        return _done(request, feedback, _("The deadline was extended. The sender sees the new date and why."))
    return render(request, "feedback/detail.html", _detail_context(request, feedback, extend_form=form), status=400)


@login_required
@require_POST
def escalate(request, pk):
    feedback = access.get_feedback_for_user(request.user, pk)
    form = forms.ReasonForm(request.POST, prefix="escalate")
    if form.is_valid() and apply_service(form, services.escalate_feedback, by=request.user,
                                         feedback_id=feedback.pk, reason=form.cleaned_data["reason"]):
        return _done(request, feedback, _("The feedback was sent to the level above."))
    return render(request, "feedback/detail.html", _detail_context(request, feedback, escalate_form=form),
                  status=400)


@login_required
@require_POST
def close(request, pk):
    feedback = access.get_feedback_for_user(request.user, pk)
    try:
        services.close_feedback(by=request.user, feedback_id=feedback.pk)
    except ValidationError as error:
        return render(request, "feedback/detail.html",
                      _detail_context(request, feedback, close_error=" ".join(error.messages)), status=400)
    return _done(request, feedback, _("The feedback was closed."))


@login_required
def new(request):
    """Staff note feedback said by phone or in person."""
    if not access.may_record(request.user):
        raise PermissionDenied
    form = forms.StaffForm(request.POST or None, units=access.recording_units(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            feedback, code = services.submit_feedback(
                by=request.user, source=Feedback.Source.STAFF, channel=data["channel"], kind=data["kind"],
                category=data["category"], text=data["text"], org_unit=data["org_unit"],
                anonymous=data["anonymous"], sender_name=data["sender_name"],
                sender_contact=data["sender_contact"], language=request.LANGUAGE_CODE)
        except ValidationError as error:
            show_error(form, error)
        else:
            url = request.build_absolute_uri(reverse("feedback_public:track", args=[code]))
            return render(request, "feedback/staff_sent.html", {"feedback": feedback, "code": code, "url": url})
    return render(request, "feedback/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def confirm_for_client(request, client_pk, pk):
    """A worker notes, at a visit, that the client received the answer to their feedback."""
    if not access.may_record(request.user):
        raise PermissionDenied
    # A colleague's client (seen only with a stated purpose) is for reading: refused here, never asked why.
    client = get_client_for_user(request.user, client_pk, purpose_given=True, write=True)
    feedback = selectors.of_client(client).filter(pk=pk).first()
    if feedback is None:
        raise PermissionDenied
    try:
        services.confirm_answer(by=request.user, feedback_id=feedback.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Noted: the client received the answer to their feedback."))
    return redirect("clients:detail", pk=client.pk)
