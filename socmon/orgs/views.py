from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from socmon.accounts.access import VIEW_ORG, has_capability
from socmon.accounts.models import Membership
from socmon.lib.forms import apply_service
from socmon.lib.pagination import paginate

from . import forms, selectors, services
from .access import (
    can_manage_unit,
    can_view_people,
    get_org_unit_for_user,
    get_person_for_password_reset,
    may_manage_org,
    people_whose_password_user_may_reset,
)
from .models import OrgUnit

HEADINGS = {
    "add": gettext_lazy("Add a sub-unit"),
    "edit": gettext_lazy("Edit unit"),
    "move": gettext_lazy("Move unit"),
    "person": gettext_lazy("Add a new person"),
    "membership": gettext_lazy("Give a role to an existing person"),
}


def _form_page(request, form, unit, mode: str):
    context = {"form": form, "unit": unit, "heading": HEADINGS[mode]}
    return render(request, "orgs/unit_form.html", context, status=400 if form.errors else 200)


@login_required
def tree(request):
    if not has_capability(request.user, VIEW_ORG):
        raise PermissionDenied
    return render(request, "orgs/tree.html", {"roots": selectors.org_tree_for(request.user),
                                              "may_manage": may_manage_org(request.user)})


@login_required
def unit_detail(request, pk: int):
    unit = get_org_unit_for_user(request.user, pk)
    can_manage = can_manage_unit(request.user, unit)
    memberships = paginate(request, selectors.memberships_at(unit)) if can_view_people(request.user, unit) else None
    resettable = set()
    if can_manage and memberships:
        resettable = set(people_whose_password_user_may_reset(request.user)
                         .filter(pk__in=[m.user_id for m in memberships]).values_list("pk", flat=True))
    context = {
        "unit": unit,
        "ancestors": selectors.ancestors_visible_to(request.user, unit),
        "children": OrgUnit.objects.get_children(unit).select_related("level").order_by("name", "path"),
        "can_manage": can_manage,
        "names": [(code, language, unit.name_i18n[code]) for code, language in settings.LANGUAGES
                  if unit.name_i18n.get(code)],
        "memberships": memberships,
        "resettable": resettable,
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
def unit_add_child(request, pk: int):
    parent = get_org_unit_for_user(request.user, pk, manage=True)
    form = forms.NewOrgUnitForm(request.POST or None, parent=parent)
    if form.is_valid():
        unit = apply_service(form, services.create_org_unit, by=request.user, parent=parent, **form.unit_fields())
        if unit:
            messages.success(request, _("%(name)s was added.") % {"name": unit.name})
            return redirect("orgs:unit", pk=unit.pk)
    return _form_page(request, form, parent, "add")


@login_required
def unit_edit(request, pk: int):
    unit = get_org_unit_for_user(request.user, pk, manage=True)
    form = forms.EditOrgUnitForm(request.POST or None, initial=forms.OrgUnitForm.initial_from(unit), instance=unit)
    if form.is_valid():
        if apply_service(form, services.update_org_unit, by=request.user, unit=unit, **form.unit_fields()):
            messages.success(request, _("Your changes were saved."))
            return redirect("orgs:unit", pk=unit.pk)
    return _form_page(request, form, unit, "edit")


@login_required
def unit_move(request, pk: int):
    unit = get_org_unit_for_user(request.user, pk, manage=True)
    form = forms.MoveOrgUnitForm(request.POST or None, parents=selectors.manageable_parents_for(request.user, unit))
    if form.is_valid():
        moved = apply_service(form, services.move_org_unit, by=request.user, unit=unit,
                       new_parent=form.cleaned_data["new_parent"])
        if moved:
            messages.success(request, _("%(name)s was moved.") % {"name": unit.name})
            return redirect("orgs:unit", pk=unit.pk)
    return _form_page(request, form, unit, "move")


@login_required
def person_new(request, pk: int):
    unit = get_org_unit_for_user(request.user, pk, manage=True)
    form = forms.PersonForm(request.POST or None)
    if form.is_valid():
        person = apply_service(form, services.create_person, by=request.user, org_unit=unit, **form.cleaned_data)
        if person:
            messages.success(request, _("An account for %(name)s was created.") % {"name": person})
            return redirect("orgs:unit", pk=unit.pk)
    return _form_page(request, form, unit, "person")


PEOPLE_PER_PAGE = 20


@login_required
def membership_add(request, pk: int):
    """Find the person (by name, username or unit, a page at a time), then give them a role here."""
    unit = get_org_unit_for_user(request.user, pk, manage=True)
    search = forms.PersonSearchForm(request.GET)
    query = search.query()
    found = (paginate(request, selectors.people_matching(request.user, query), per_page=PEOPLE_PER_PAGE)
             if query else None)
    shown = selectors.person_choices(request.user, found.object_list) if found else []
    form = forms.MembershipForm(request.POST or None, people=selectors.people_manageable_by(request.user),
                                shown=shown)
    if form.is_valid():
        if apply_service(form, services.add_membership, by=request.user, org_unit=unit, **form.cleaned_data):
            messages.success(request, _("The role was given."))
            return redirect("orgs:unit", pk=unit.pk)
    context = {"form": form, "unit": unit, "heading": HEADINGS["membership"], "search": search, "query": query,
               "found": found}
    return render(request, "orgs/membership_add.html", context, status=400 if form.errors else 200)


@login_required
def people(request):
    """An administrator finds a person in their reach by name, username or unit: their roles, and a password
    reset for someone who forgot theirs."""
    if not may_manage_org(request.user):
        raise PermissionDenied
    search = forms.PersonSearchForm(request.GET)
    query = search.query()
    found = (paginate(request, selectors.people_matching(request.user, query), per_page=PEOPLE_PER_PAGE)
             if query else None)
    rows = selectors.people_found(request.user, found.object_list) if found else []
    return render(request, "orgs/people.html", {"search": search, "query": query, "found": found, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def person_password_reset(request, pk: int):
    """Set a temporary password for someone in the administrator's reach; shown on this answer only."""
    person = get_person_for_password_reset(request.user, pk)
    form = forms.PasswordResetForm(request.POST or None, initial={"seen": services.password_version(person)})
    password = None
    if form.is_valid():
        password = apply_service(form, services.reset_password, by=request.user, person=person, **form.cleaned_data)
    context = {"person": person, "roles": selectors.roles_in_reach(request.user, person), "password": password,
               "form": form}
    return render(request, "orgs/person_password.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def membership_remove(request, pk: int):
    membership = Membership.objects.select_related("org_unit", "user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    unit = get_org_unit_for_user(request.user, membership.org_unit_id, manage=True)
    services.remove_membership(by=request.user, membership=membership)
    messages.success(request, _("%(name)s no longer has that role here.") % {"name": membership.user})
    return redirect("orgs:unit", pk=unit.pk)
