"""Programme pages: the list, a new programme, a programme (its cycle, the plan in force, the draft, the versions),
the plan editor, a version, what changed between two versions, and an evaluation.

Access → form → service → redirect; a refused step re-renders its page with the reason and status 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from socmon.indicators import access as indicator_access
from socmon.indicators import views_dashboard
from socmon.indicators.access import get_unit_for_user
from socmon.lib.forms import apply_service, once_per_form_key
from socmon.lib.pagination import paginate
from socmon.orgs.picker import unit_picker

from . import access, forms, selectors, services
from .models import PlanVersion, Programme, ResourceItem


@login_required
@require_GET
def programme_list(request):
    if not access.may_view(request.user):
        raise PermissionDenied
    form = forms.StageFilterForm(request.GET or None)
    stage = form.cleaned_data["stage"] if form.is_bound and form.is_valid() else ""
    page = paginate(request, selectors.programme_list(request.user, stage=stage))
    return render(request, "programmes/programme_list.html", {
        "form": form, "page": page, "may_create": access.may_create(request.user)},
        status=400 if form.errors else 200)


@login_required
@once_per_form_key
def programme_new(request):
    if not access.may_create(request.user):
        raise PermissionDenied
    units = access.owner_units(request.user)
    unit = get_unit_for_user(units, request.GET.get("unit"))
    form = forms.ProgrammeForm(request.POST if request.method == "POST" else None, units=units,
                               initial={"org_unit": unit})
    if request.method == "POST" and form.is_valid():
        programme = apply_service(form, services.create_programme, by=request.user, **form.cleaned_data,
                                  today=timezone.localdate())
        if programme:
            messages.success(request, _("The programme was created."))
            return redirect("programmes:detail", pk=programme.pk)
    return render(request, "programmes/programme_new.html", {
        "form": form, "unit": unit, "picker": unit_picker(units, unit, request.GET)},
        status=400 if form.errors else 200)


def _detail(request, programme: Programme, *, errors=(), stage_form=None, return_form=None, status=200):
    versions = selectors.versions_of(programme)
    approved = selectors.current_approved(versions)
    draft = selectors.open_version(versions)
    user = request.user
    may_approve = bool(draft and draft.status == PlanVersion.Status.SUBMITTED and access.may_approve(user, programme))
    return render(request, "programmes/programme_detail.html", {
        "programme": programme, "steps": selectors.stepper(programme), "versions": versions,
        "approved": selectors.structure(approved) if approved else None, "draft": draft,
        "errors": list(errors), "may_manage": access.may_manage(user, programme), "may_approve": may_approve,
        "approval_refusal": access.approval_refusal(user, draft) if may_approve else None,
        "names": access.may_see_names(user, programme),
        "stage_form": stage_form or forms.StageForm(initial={"stage": programme.stage}),
        "return_form": return_form or forms.ReturnForm()}, status=status)


@login_required
@require_GET
def programme_dashboard(request, pk):
    """The plan's key indicators for the programme's unit (a child unit with `?unit=`), against their targets."""
    programme = access.get_programme_for_user(request.user, pk)
    units = indicator_access.viewable_units(indicator_access.indicator_scope(request.user))
    unit = get_unit_for_user(units, request.GET["unit"]) if request.GET.get("unit") else programme.org_unit
    plan = selectors.dashboard_indicators(programme)
    found = views_dashboard.dashboard_page(request, units=units, unit=unit, offered=plan.offered,
                                           opening=plan.opening, baselines=plan.baselines)
    return render(request, "indicators/dashboard.html", {**views_dashboard.context(request, found),
                                                          "programme": programme},
                  status=400 if found.form.errors else 200)


@login_required
@require_GET
def programme_detail(request, pk):
    return _detail(request, access.get_programme_for_user(request.user, pk))


def _refused(request, programme: Programme, error: ValidationError):
    """The programme's page again, the reason on top (the loser of two simultaneous steps sees it too)."""
    return _detail(request, programme, errors=error.messages, status=400)


@login_required
@require_POST
def programme_stage(request, pk):
    programme = access.get_programme_for_user(request.user, pk, manage=True)
    form = forms.StageForm(request.POST)
    if form.is_valid() and apply_service(form, services.set_stage, by=request.user, programme=programme,
                                         stage=form.cleaned_data["stage"]):
        messages.success(request, _("The programme's stage was changed."))
        return redirect("programmes:detail", pk=programme.pk)
    return _detail(request, programme, stage_form=form, status=400)


@login_required
@require_POST
def plan_start(request, pk):
    programme = access.get_programme_for_user(request.user, pk, manage=True)
    try:
        version = services.start_version(by=request.user, programme=programme)
    except ValidationError as error:
        return _refused(request, programme, error)
    messages.success(request, _("Version %(number)s of the plan was started as a draft.") % {"number": version.number})
    return redirect("programmes:plan_edit", pk=programme.pk)


def _draft_of(request, pk) -> tuple[Programme, PlanVersion]:
    """The programme (writable by the user) and its newest version (404 without one). A change to a version that
    is no longer a draft (submitted a moment ago) is refused in words by the service, which decides under a lock."""
    programme = access.get_programme_for_user(request.user, pk, manage=True)
    versions = selectors.versions_of(programme)
    if not versions:
        raise Http404
    return programme, versions[0]


def _editor(request, programme, draft, bound=None, status=200):
    """The draft with a form for each part; `bound` is the one form just sent (with its errors)."""
    today = timezone.localdate()
    made = {"goal": forms.GoalForm(), "outcome": forms.OutcomeForm(version=draft),
            "indicator": forms.IndicatorForm(version=draft, choices=selectors.indicator_choices(today)),
            "role": forms.RoleForm(), "resource": forms.ResourceForm()}
    if bound is not None:
        made[bound[0]] = bound[1]
    return render(request, "programmes/plan_edit.html", {
        "programme": programme, "draft": draft, "plan": selectors.structure(draft), "forms": made,
        "statuses": ResourceItem.Status.choices}, status=status)


@login_required
@require_GET
def plan_edit(request, pk):
    programme, draft = _draft_of(request, pk)
    if not draft.is_draft:
        return redirect("programmes:detail", pk=programme.pk)
    return _editor(request, programme, draft)


def _part_form(part: str, data, draft):
    form_class = forms.PART_FORMS.get(part)
    if form_class is None:
        raise Http404
    if part == "outcome":
        return form_class(data, version=draft)
    if part == "indicator":
        return form_class(data, version=draft, choices=selectors.indicator_choices(timezone.localdate()))
    return form_class(data)


ADDERS = {"goal": services.add_goal, "outcome": services.add_outcome, "indicator": services.add_plan_indicator,
          "role": services.add_role, "resource": services.add_resource}


@login_required
@require_POST
def plan_add(request, pk, part: str):
    programme, draft = _draft_of(request, pk)
    form = _part_form(part, request.POST, draft)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if part == "indicator":
            data["code"] = data.pop("indicator").strip().upper()
            data["today"] = timezone.localdate()
        if apply_service(form, ADDERS[part], by=request.user, version=draft, **data):
            return redirect(reverse("programmes:plan_edit", args=[programme.pk]) + f"#{part}s")
    return _editor(request, programme, draft, bound=(part, form), status=400)


@login_required
@require_POST
def plan_remove(request, pk, part: str, item_pk: int):
    programme, draft = _draft_of(request, pk)
    if part not in services.PARTS:
        raise Http404
    try:
        services.remove_part(by=request.user, version=draft, part=part, pk=item_pk)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    return redirect(reverse("programmes:plan_edit", args=[programme.pk]) + f"#{part}s")


@login_required
@require_POST
def resource_edit(request, pk, item_pk: int):
    programme, draft = _draft_of(request, pk)
    resource = draft.resources.filter(pk=item_pk).first()
    if resource is None:
        messages.info(request, _("This part is not in the draft any more: it was removed already."))
        return redirect("programmes:plan_edit", pk=programme.pk)
    form = forms.ResourceStatusForm(request.POST)
    if form.is_valid() and apply_service(form, services.update_resource, by=request.user, version=draft,
                                         resource=resource, **form.cleaned_data):
        return redirect(reverse("programmes:plan_edit", args=[programme.pk]) + f"#resource-{resource.pk}")
    messages.info(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(reverse("programmes:plan_edit", args=[programme.pk]) + f"#resource-{resource.pk}")


@login_required
@require_POST
def plan_submit(request, pk):
    programme, draft = _draft_of(request, pk)
    try:
        services.submit_version(by=request.user, version=draft)
    except ValidationError as error:
        return _refused(request, programme, error)
    messages.success(request, _("The plan was submitted for approval. It can no longer be changed unless it is "
                                "returned."))
    return redirect("programmes:detail", pk=programme.pk)


@login_required
@require_POST
def plan_decide(request, pk):
    """Approve the submitted version, or return it with a reason (the director or another M&E specialist)."""
    programme = access.get_programme_for_user(request.user, pk, approve=True)
    versions = selectors.versions_of(programme)
    if not versions:
        return _refused(request, programme, ValidationError(_("No version of this plan is waiting for approval.")))
    draft = versions[0]  # the newest: the one waiting, or the one decided a moment ago (the service says so)
    form = forms.ReturnForm(request.POST)
    form.is_valid()
    returning = request.POST.get("decision") == "return"
    try:
        if returning:
            services.return_version(by=request.user, version=draft, reason=form.cleaned_data.get("reason", ""))
        else:
            services.approve_version(by=request.user, version=draft)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            form.add_error("reason", error.error_dict.get("reason", error.messages))
            return _detail(request, programme, return_form=form, status=400)
        return _refused(request, programme, error)
    messages.success(request, _("The plan was returned to its author.") if returning else
                     _("Version %(number)s of the plan is approved.") % {"number": draft.number})
    return redirect("programmes:detail", pk=programme.pk)


@login_required
@require_GET
def version_detail(request, pk, number):
    programme = access.get_programme_for_user(request.user, pk)
    version = selectors.get_version(programme, number)
    return render(request, "programmes/version_detail.html", {
        "programme": programme, "version": version, "plan": selectors.structure(version),
        "names": access.may_see_names(request.user, programme),
        "may_evaluate": version.status == PlanVersion.Status.APPROVED and access.may_manage(request.user, programme),
    })


@login_required
@require_GET
def version_compare(request, pk):
    """What changed between two versions (`?from=1&to=2`; by default the two newest)."""
    programme = access.get_programme_for_user(request.user, pk)
    versions = selectors.versions_of(programme)
    if len(versions) < 2 and not request.GET:
        return redirect("programmes:detail", pk=programme.pk)
    older = selectors.get_version(programme, request.GET.get("from", versions[1].number if len(versions) > 1 else 0))
    newer = selectors.get_version(programme, request.GET.get("to", versions[0].number))
    return render(request, "programmes/version_compare.html", {
        "programme": programme, "older": older, "newer": newer, "versions": versions,
        "changes": selectors.changes_between(older, newer)})


@login_required
@once_per_form_key
def evaluation_new(request, pk, number):
    programme = access.get_programme_for_user(request.user, pk, manage=True)
    version = selectors.get_version(programme, number)
    form = forms.EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and apply_service(
            form, services.record_evaluation, by=request.user, version=version, **form.cleaned_data,
            today=timezone.localdate()):
        messages.success(request, _("The evaluation was recorded."))
        return redirect("programmes:version", pk=programme.pk, number=version.number)
    return render(request, "programmes/evaluation_new.html", {
        "programme": programme, "version": version, "form": form}, status=400 if form.errors else 200)
