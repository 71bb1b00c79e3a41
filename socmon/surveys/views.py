"""Questionnaires (list, upload, versions, what changed) and the staff interview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from socmon.accounts.access import VIEW_SURVEYS, has_capability
from socmon.lib.forms import apply_service
from socmon.lib.pagination import paginate

from . import access, selectors, services
from .forms import QuestionnaireUploadForm, VersionUploadForm
from .views_public import run_survey


def _need_view(request):
    if not has_capability(request.user, VIEW_SURVEYS):
        raise PermissionDenied


@login_required
def questionnaire_list(request):
    _need_view(request)
    page = paginate(request, access.questionnaires_visible_to(request.user).order_by("title", "pk"))
    return render(request, "surveys/questionnaire_list.html",
                  {"page": page, "may_upload": access.may_upload(request.user)})


@login_required
def questionnaire_new(request):
    if not access.may_upload(request.user):
        raise PermissionDenied
    form = QuestionnaireUploadForm(request.POST or None, request.FILES or None, units=access.upload_units(request.user))
    if form.is_valid():
        upload = form.cleaned_data["file"]
        version = apply_service(form, services.upload_version, by=request.user, data=upload.read(), name=upload.name,
                                org_unit=form.cleaned_data["org_unit"], title=form.cleaned_data["title"],
                                purpose=form.cleaned_data["purpose"])
        if version:
            messages.success(request, _("%(title)s was uploaded as version %(number)s.") % {
                "title": version.questionnaire.title, "number": version.number})
            return redirect("surveys:questionnaire", pk=version.questionnaire.pk)
    return render(request, "surveys/questionnaire_upload.html", {"form": form, "questionnaire": None},
                  status=400 if form.errors else 200)


@login_required
def questionnaire_detail(request, pk):
    _need_view(request)
    questionnaire = access.get_questionnaire_for_user(request.user, pk)
    versions = list(questionnaire.versions.select_related("uploaded_by").order_by("-number"))
    latest = versions[0] if versions else None
    context = {"questionnaire": questionnaire, "versions": versions,
               "questions": selectors.question_rows(latest) if latest else [],
               "may_manage": access.may_manage(request.user, questionnaire),
               "form": VersionUploadForm()}
    return render(request, "surveys/questionnaire_detail.html", context)


@login_required
def version_upload(request, pk):
    _need_view(request)
    questionnaire = access.get_questionnaire_for_user(request.user, pk, manage=True)
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        version = apply_service(form, services.upload_version, by=request.user, data=upload.read(), name=upload.name,
                                questionnaire=questionnaire)
        if version:
            messages.success(request, _("Version %(number)s of %(title)s was uploaded.") % {
                "title": questionnaire.title, "number": version.number})
            return redirect("surveys:questionnaire", pk=questionnaire.pk)
    return render(request, "surveys/questionnaire_upload.html", {"form": form, "questionnaire": questionnaire},
                  status=400 if form.errors else 200)


@login_required
def questionnaire_changes(request, pk):
    _need_view(request)
    questionnaire = access.get_questionnaire_for_user(request.user, pk)
    numbers = sorted(questionnaire.versions.values_list("number", flat=True))

    def number(name, default):
        try:
            value = int(request.GET.get(name, ""))
        except ValueError:
            return default
        return value if value in numbers else default

    newest = numbers[-1] if numbers else None
    to = number("to", newest)
    start = number("from", numbers[numbers.index(to) - 1] if to in numbers and numbers.index(to) > 0 else to)
    changes = []
    if start is not None and to is not None:
        old = questionnaire.versions.get(number=start)
        new = questionnaire.versions.get(number=to)
        changes = selectors.changes_between(old, new)
    return render(request, "surveys/questionnaire_changes.html", {
        "questionnaire": questionnaire, "numbers": numbers, "start": start, "to": to, "changes": changes})


@login_required
def interview(request, pk):
    """A worker fills in the campaign's questionnaire with an invited client of theirs (at home, by phone)."""
    invitation = access.get_invitation_for_interview(request.user, pk)
    return run_survey(request, invitation=invitation, interviewer=request.user)

