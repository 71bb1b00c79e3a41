from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .access import may_manage_catalogue
from .forms import ServiceKindForm
from .models import ServiceKind


@login_required
def service_list(request):
    can_manage = may_manage_catalogue(request.user)
    context = {
        "groups": selectors.services_by_domain(include_inactive=can_manage),
        "categories": selectors.active_categories(),
        "can_manage": can_manage,
    }
    return render(request, "catalogue/service_list.html", context)


def _form_page(request, form, heading: str):
    return render(request, "catalogue/service_form.html", {"form": form, "heading": heading},
                  status=400 if form.errors else 200)


@login_required
def service_add(request):
    if not may_manage_catalogue(request.user):
        raise PermissionDenied
    form = ServiceKindForm(request.POST or None)
    if form.is_valid():
        service = services.create_service_kind(by=request.user, **form.service_fields())
        messages.success(request, _("%(name)s was added to the catalogue.") % {"name": service.label})
        return redirect("catalogue:services")
    return _form_page(request, form, _("Add a service"))


@login_required
def service_edit(request, pk: int):
    if not may_manage_catalogue(request.user):
        raise PermissionDenied
    service = get_object_or_404(ServiceKind, pk=pk)  # the catalogue is shared: no subtree to check
    form = ServiceKindForm(request.POST or None, instance=service)
    if form.is_valid():
        services.update_service_kind(by=request.user, service=service, **form.service_fields())
        messages.success(request, _("Your changes were saved."))
        return redirect("catalogue:services")
    return _form_page(request, form, _("Edit service"))
