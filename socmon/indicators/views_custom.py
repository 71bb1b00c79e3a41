"""The custom-indicator builder: define an indicator without code, replace one (a built-in too) with a new version,
retire one, and the list of definitions these start from. For M&E specialists (MANAGE_INDICATORS): 403 for others.

The builder is one plain POST form: "Choose" (name="choose") re-renders it with the chosen fact's own measures and
filters, without saving or showing errors; the save button sends it to the service, which checks everything."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socmon.lib.forms import show_error

from . import access, selectors, services
from .forms import IndicatorForm, RetireForm
from .models import Indicator


def _require_manager(request) -> None:
    if not access.may_manage(request.user):
        raise PermissionDenied


@login_required
def definition_list(request):
    _require_manager(request)
    return render(request, "indicators/custom_list.html", {"indicators": services.definition_list()})


def _builder_form(request, replacing: Indicator | None = None) -> IndicatorForm:
    if request.method != "POST":
        return IndicatorForm(replacing=replacing)
    if "choose" in request.POST:
        return IndicatorForm.carried(request.POST, replacing=replacing)
    return IndicatorForm(request.POST, replacing=replacing)


def _sent(request, form: IndicatorForm) -> bool:
    return request.method == "POST" and "choose" not in request.POST and form.is_valid()


def _apply(request, form: IndicatorForm, service, **kwargs) -> Indicator | None:
    try:
        return service(by=request.user, now=timezone.now(), **form.service_fields(), **kwargs)
    except ValidationError as error:
        form.show_service_error(error)
        return None


def _builder_page(request, form: IndicatorForm, replacing: Indicator | None = None):
    return render(request, "indicators/custom_form.html", {"form": form, "replacing": replacing},
                  status=400 if form.errors else 200)


def _saved(request, indicator: Indicator):
    count = selectors.stored_count(indicator)
    messages.success(request, ngettext(
        "%(code)s version %(version)s was saved and its values computed: %(count)s value stored.",
        "%(code)s version %(version)s was saved and its values computed: %(count)s values stored.", count)
        % {"code": indicator.code, "version": indicator.version, "count": count})
    unticked = [str(name) for key, (name, _prompt) in services.QUALITY.items()
                if key not in indicator.spec.get("quality", [])]
    if unticked:
        messages.info(request, _("Before you rely on it, think again about what you did not tick: %(items)s.")
                      % {"items": ", ".join(unticked)})
    return redirect(f"{reverse('indicators:detail', args=[indicator.code])}?version={indicator.version}")


@login_required
def indicator_new(request):
    _require_manager(request)
    form = _builder_form(request)
    if _sent(request, form) and (indicator := _apply(request, form, services.define_indicator)):
        return _saved(request, indicator)
    return _builder_page(request, form)


@login_required
def indicator_replace(request, code: str):
    current = access.get_indicator_for_manager(request.user, code)
    form = _builder_form(request, replacing=current)
    if _sent(request, form):
        # The version the form was opened for: if another has replaced it meanwhile, the service says so.
        old = access.get_indicator_for_manager(request.user, code,
                                                 version=form.cleaned_data["replacing"] or current.version)
        if new := _apply(request, form, services.replace_indicator, indicator=old):
            return _saved(request, new)
    return _builder_page(request, form, replacing=current)


@login_required
def indicator_retire(request, code: str):
    current = access.get_indicator_for_manager(request.user, code)
    form = RetireForm(request.POST if request.method == "POST" else None,
                      initial={"version": current.version, "valid_to": timezone.localdate()})
    if form.is_valid():
        old = access.get_indicator_for_manager(request.user, code, version=form.cleaned_data["version"])
        try:
            retired = services.retire_indicator(by=request.user, indicator=old,
                                                valid_to=form.cleaned_data["valid_to"])
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("%(code)s is retired: its last day is %(date)s.")
                             % {"code": retired.code, "date": retired.valid_to.isoformat()})
            return redirect(f"{reverse('indicators:detail', args=[retired.code])}?version={retired.version}")
    return render(request, "indicators/custom_retire.html", {"form": form, "indicator": current},
                  status=400 if form.errors else 200)
