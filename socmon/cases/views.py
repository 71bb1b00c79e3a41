from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from socmon.accounts.access import VIEW_CLIENTS, WORK_CASES, has_capability
from socmon.clients.access import PurposeRequired, get_client_for_user
from socmon.clients.purpose import stated_purpose
from socmon.clients.services import log_client_view
from socmon.lib.forms import apply_service
from socmon.lib.pagination import paginate

from . import forms, links, selectors, services
from .access import (
    can_answer,
    can_open_case_for,
    case_client_pk,
    case_count_scope,
    cases_visible_to,
    get_case_for_user,
    get_referral_for_user,
    referrals_received_by,
    referrals_sent_visible_to,
)
from .models import Assessment, Case, PlanService
from .workflow import Step, case_actions, require_capability

DECISIONS = {
    # kind: (service, page heading, message after approval)
    "assessment": (services.decide_assessment, gettext_lazy("Decide on the needs assessment"),
                   gettext_lazy("The assessment was approved: the individual plan can be written now.")),
    "plan": (services.decide_plan, gettext_lazy("Decide on the individual plan"),
             gettext_lazy("The plan was approved: services start and the case is active.")),
    "closure": (services.decide_closure, gettext_lazy("Decide on closing the case"),
                gettext_lazy("The closure was approved: the case is closed.")),
}


def purpose_url(client_pk: int, next_url: str) -> str:
    try:
        base = reverse("clients:purpose", args=[client_pk])
    except NoReverseMatch:  # the clients pages ship separately; their agreed address
        base = f"/clients/{client_pk}/purpose/"
    return f"{base}?next={quote(next_url)}"


def case_view(step: Step | None = None):
    """Open the case through access (purpose page for a break-glass view), log the view, pass the case on.

    With a `step`, someone who may never take it on this case (workflow.may) is refused with 403; whether
    the case's stage allows it now is the service's to decide, under concurrency, with a message.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, pk: int, *args, **kwargs):
            client_pk = case_client_pk(pk)
            purpose = stated_purpose(request, client_pk)
            try:
                # A step is a write: a stated purpose never opens one (403 below, no purpose page).
                case = get_case_for_user(request.user, pk, purpose_given=bool(purpose) or step is not None)
            except PurposeRequired:
                return redirect(purpose_url(client_pk, request.get_full_path()))
            if step is not None:
                require_capability(request.user, case, step)
            log_client_view(by=request.user, client=case.client, what="case", purpose=purpose)
            return view(request, case, *args, **kwargs)

        return wrapper

    return decorator


def _form_page(request, form, case, heading, template="cases/case_form.html", **extra):
    """A case step's form page; `button` names the action (default "Save")."""
    context = {"form": form, "case": case, "heading": heading, **extra}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def case_list(request):
    if not has_capability(request.user, VIEW_CLIENTS):
        raise PermissionDenied
    context = {"cases": paginate(request, selectors.case_list_for(request.user),
                                 count=case_count_scope(request.user)),
               "awaiting": selectors.cases_awaiting_decision_by(request.user),
               "can_see_inbox": has_capability(request.user, WORK_CASES)}
    return render(request, "cases/case_list.html", context)


@login_required
def case_new(request, client_pk: int):
    purpose = stated_purpose(request, client_pk)
    # Opening a case is a write: a purpose never allows it (403 rather than the purpose page).
    client = get_client_for_user(request.user, client_pk, purpose_given=True)
    if not can_open_case_for(request.user, client):
        raise PermissionDenied
    log_client_view(by=request.user, client=client, what="case", purpose=purpose)
    form = forms.OpenCaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(by=request.user, client=client)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("A case was opened for %(client)s.") % {"client": client.code})
            return redirect("cases:detail", pk=case.pk)
    context = {"form": form, "client": client, "cases": selectors.cases_for_client(request.user, client)}
    return render(request, "cases/case_new.html", context, status=400 if form.errors else 200)


@case_view()
def case_detail(request, case: Case):
    assessment, plan = selectors.latest_assessment(case), selectors.latest_plan(case)
    context = {
        "case": case, "assessment": assessment, "assessment_rows": selectors.assessment_rows(assessment),
        "plan": plan, "reviews": case.reviews.select_related("recorded_by"),
        "delivery": selectors.plan_against_delivered(plan, today=timezone.localdate()),
        "next_review": selectors.next_review_due(case),
        "referrals": selectors.case_referrals(case, now=timezone.now()),
        "timeline": selectors.timeline_for(case),
        "actions": case_actions(request.user, case),
    }
    return render(request, "cases/case_detail.html", context)


@case_view(Step.ASSESS)
def assessment_edit(request, case: Case):
    initial = forms.AssessmentForm.initial_from(selectors.latest_assessment(case))
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    if form.is_valid() and apply_service(form, services.save_assessment, by=request.user, case=case,
                                  summary=form.cleaned_data["summary"], scores=form.scores()):
        messages.success(request, _("The assessment was saved. Submit it for approval when it is complete."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, form, case, _("Needs assessment"), "cases/assessment_form.html",
                      scores=Assessment.Score.choices)


def _post_step(request, case: Case, service, done: str, form_class=forms.VersionForm, **kwargs):
    """A one-button step posted from the case page (submit for approval)."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Open the case again and retry: the page was out of date."))
    else:
        try:
            service(by=request.user, case=case, version=form.cleaned_data["version"], **kwargs)
            messages.success(request, done)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("cases:detail", pk=case.pk)


@require_POST
@case_view(Step.SUBMIT_ASSESSMENT)
def assessment_submit(request, case: Case):
    return _post_step(request, case, services.submit_assessment,
                      _("The assessment was sent to the department head for approval."))


@require_POST
@case_view(Step.SUBMIT_PLAN)
def plan_submit(request, case: Case):
    return _post_step(request, case, services.submit_plan,
                      _("The plan was sent to the department head for approval."))


@case_view(Step.DECIDE_ASSESSMENT)  # every decision needs the same capability: APPROVE_CASES
def decide(request, case: Case, kind: str):
    service, heading, approved = DECISIONS[kind]
    form = forms.DecisionForm(request.POST or None, initial={"version": case.version})
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        if apply_service(form, service, by=request.user, case=case, version=form.cleaned_data["version"],
                  approve=approve, comment=form.cleaned_data["comment"]):
            messages.success(request, approved if approve else _("It was returned with your comment."))
            return redirect("cases:detail", pk=case.pk)
    assessment = selectors.latest_assessment(case)
    return _form_page(request, form, case, heading, "cases/decision_form.html", kind=kind,
                      button=_("Send your decision"),
                      assessment=assessment, assessment_rows=selectors.assessment_rows(assessment),
                      plan=selectors.latest_plan(case))


@case_view(Step.WRITE_PLAN)
def plan_edit(request, case: Case):
    plan = selectors.latest_plan(case)
    initial = {}
    if plan is not None:
        initial = {"goals": plan.goals, "starts_on": plan.starts_on, "ends_on": plan.ends_on,
                   "responsible": plan.responsible_id}
    else:
        initial = {"responsible": case.responsible_id}
    form = forms.PlanForm(request.POST or None, initial=initial, case=case)
    if form.is_valid() and apply_service(form, services.save_plan, by=request.user, case=case, **form.cleaned_data):
        messages.success(request, _("The plan was saved. Add the services it includes."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, form, case, _("Individual plan"), button=_("Save the plan"))


@case_view(Step.CHANGE_PLAN_SERVICES)
def plan_service_add(request, case: Case):
    form = forms.PlanServiceForm(request.POST or None, initial={"times": 1, "period": PlanService.Period.WEEK})
    if form.is_valid() and apply_service(form, services.add_plan_service, by=request.user, case=case,
                                  **form.cleaned_data):
        messages.success(request, _("%(service)s was added to the plan.")
                         % {"service": form.cleaned_data["service"].label})
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, form, case, _("Add a service to the plan"), button=_("Add the service"))


@require_POST
@case_view(Step.CHANGE_PLAN_SERVICES)
def plan_service_remove(request, case: Case, item_pk: int):
    item = get_object_or_404(PlanService.objects.select_related("service"), pk=item_pk, plan__case=case)
    try:
        services.remove_plan_service(by=request.user, case=case, item=item)
        messages.success(request, _("%(service)s was removed from the plan.") % {"service": item.service.label})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:detail", pk=case.pk)


@case_view(Step.REVIEW)
def review_new(request, case: Case):
    form = forms.ReviewForm(request.POST or None)
    if form.is_valid() and apply_service(form, services.record_review, by=request.user, case=case, **form.cleaned_data):
        messages.success(request, _("The review was recorded."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, form, case, _("Record a monitoring review"), button=_("Save the review"))


@case_view(Step.PROPOSE_CLOSURE)
def closure_propose(request, case: Case):
    form = forms.ClosureForm(request.POST or None, initial={"version": case.version})
    if form.is_valid() and apply_service(form, services.propose_closure, by=request.user, case=case,
                                  **form.cleaned_data):
        messages.success(request, _("The closure was sent to the department head for approval."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, form, case, _("Propose closing the case"), button=_("Send for approval"))


@case_view(Step.REOPEN)
def case_reopen(request, case: Case):
    form = forms.ReopenForm(request.POST or None, initial={"version": case.version})
    if form.is_valid() and apply_service(form, services.reopen_case, by=request.user, case=case, **form.cleaned_data):
        messages.success(request, _("The case was reopened. Start with a new needs assessment."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, form, case, _("Reopen the case"), button=_("Reopen the case"))


@case_view(Step.REFER)
def referral_new(request, case: Case):
    form = forms.ReferralForm(request.POST or None, initial={"kind": "standard"},
                              urgent_hours=services.urgent_referral_hours(),
                              standard_days=services.standard_referral_days())
    if form.is_valid() and apply_service(form, services.send_referral, by=request.user, case=case, **form.cleaned_data):
        messages.success(request, _("The referral was sent."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, form, case, _("Refer the person"), button=_("Send the referral"))


def _referral_list(request, box: str, selector, scope):
    now, only_overdue = timezone.now(), request.GET.get("overdue") == "1"
    referrals = selector(request.user, now=now, only_overdue=only_overdue)
    return render(request, "cases/referral_list.html", {
        "referrals": paginate(request, referrals), "box": box, "only_overdue": only_overdue,
        "overdue_count": selectors.overdue_count(scope(request.user), now),
        "can_see_inbox": has_capability(request.user, WORK_CASES)})


@login_required
def referral_inbox(request):
    if not has_capability(request.user, WORK_CASES):
        raise PermissionDenied
    return _referral_list(request, "inbox", selectors.referral_inbox_for, referrals_received_by)


@login_required
def referral_outbox(request):
    if not has_capability(request.user, VIEW_CLIENTS):
        raise PermissionDenied
    return _referral_list(request, "outbox", selectors.referral_outbox_for, referrals_sent_visible_to)


@login_required
def referral_detail(request, pk: int):
    referral = get_referral_for_user(request.user, pk)
    log_client_view(by=request.user, client=referral.client, what="referral")
    referral.overdue = referral.is_overdue_at(timezone.now())
    answers = can_answer(request.user, referral)
    context = {"referral": referral, "can_answer": answers,
               "case_visible": cases_visible_to(request.user).filter(pk=referral.case_id).exists(),
               "can_see_inbox": has_capability(request.user, WORK_CASES)}
    if answers and referral.to_external:
        context["link"] = _link_context(request, referral)
    return render(request, "cases/referral_detail.html", context)


def _link_context(request, referral) -> dict:
    """The outside organisation's link, for the sender to copy, print or send (socmon.cases.links)."""
    if not links.is_open(referral):
        return {"open": False, "issued": links.has_link(referral)}
    url = request.build_absolute_uri(reverse("referral_link:answer", args=[links.link_token(referral)]))
    return {"open": True, "url": url, "expires_at": links.expires_at(referral), "step": links.step_for(referral)}


@require_POST
@login_required
def referral_link_issue(request, pk: int):
    referral = get_referral_for_user(request.user, pk, answer=True)
    try:
        services.issue_referral_link(by=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new link was made. The previous link no longer works: send this one to "
                                    "%(organisation)s.") % {"organisation": referral.to_external})
    return redirect("cases:referral", pk=referral.pk)


def _referral_form_page(request, form, referral, heading, button):
    log_client_view(by=request.user, client=referral.client, what="referral")
    referral.overdue = referral.is_overdue_at(timezone.now())
    context = {"form": form, "referral": referral, "heading": heading, "button": button}
    return render(request, "cases/referral_form.html", context, status=400 if form.errors else 200)


@login_required
def referral_answer(request, pk: int):
    referral = get_referral_for_user(request.user, pk, answer=True)
    form = forms.AnswerForm(request.POST or None)
    if form.is_valid() and apply_service(form, services.answer_referral, by=request.user, referral=referral,
                                  accept=form.cleaned_data["answer"] == "accept",
                                  reason=form.cleaned_data["reason"]):
        messages.success(request, _("Your answer was sent to %(unit)s.") % {"unit": referral.from_unit.name})
        return redirect("cases:referral", pk=referral.pk)
    return _referral_form_page(request, form, referral, _("Answer the referral"), _("Send your answer"))


@login_required
def referral_outcome(request, pk: int):
    referral = get_referral_for_user(request.user, pk, answer=True)
    form = forms.OutcomeForm(request.POST or None)
    if form.is_valid() and apply_service(form, services.record_referral_outcome, by=request.user, referral=referral,
                                  **form.cleaned_data):
        messages.success(request, _("The outcome was recorded."))
        return redirect("cases:referral", pk=referral.pk)
    return _referral_form_page(request, form, referral, _("Record the outcome"), _("Save the outcome"))
