"""Activity pages: the list (filters, paging, XLSX), recording one, its page (attendance by scan, code or
pick; other participants; photos), the photo itself (only through here) and the monthly summary per unit."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socmon.clients.search import search
from socmon.lib.exports import append_row, workbook_bytes
from socmon.lib.forms import apply_service, once_per_form_key, show_error
from socmon.lib.headers import allow_features
from socmon.lib.pagination import paginate
from socmon.lib.query import clean_query
from socmon.orgs.picker import unit_labels, unit_picker

from . import access, forms, selectors, services
from .models import Activity, Attendance
from .photos import too_large_message

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEARCH_RESULTS = 10


def _require_view(request) -> None:
    if not access.may_view(request.user):
        raise PermissionDenied


def _filter_form(request) -> forms.FilterForm:
    units = access.viewable_units(request.user)
    return forms.FilterForm(request.GET or None, units=units)


def _filtered(request, form: forms.FilterForm):
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return selectors.activity_list(request.user, kind=data.get("kind", ""), date_from=data.get("date_from"),
                                   date_to=data.get("date_to"), unit=data.get("unit"), service=data.get("service"))


def _default_unit(request):
    return access.viewable_units(request.user).order_by("depth", "path").first()


@login_required
def activity_list(request):
    _require_view(request)
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        activities = selectors.activity_list(request.user).none()
    else:
        activities = _filtered(request, form)
    unit = (form.cleaned_data.get("unit") if form.is_bound and hasattr(form, "cleaned_data") else None) \
        or _default_unit(request)
    picker = unit_picker(access.viewable_units(request.user), unit, request.GET) if unit else None
    page = paginate(request, activities)
    labels = unit_labels([a.org_unit for a in page])
    for activity in page:
        activity.unit_label = labels[activity.org_unit_id]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/activity_list.html", {
        "form": form, "page": page, "picker": picker, "query": query.urlencode(),
        "may_record": access.may_record(request.user)}, status=400 if form.errors else 200)


@login_required
def export(request):
    """The listed activities as XLSX: client codes, never names; formula-like text stays text."""
    _require_view(request)
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("The filters are not valid."), status=400, content_type="text/plain; charset=utf-8")
    activities = selectors.for_export(_filtered(request, form))[:10_000]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Activities")[:31]
    append_row(sheet, [_("Date"), _("Start time"), _("End time"), _("Kind of activity"), _("Title"),
                       _("Department"), _("Place"), _("Service"), _("Programme"), _("Facilitators"),
                       _("Client codes"), _("Clients"), _("Other participants"), _("Photos")])
    for a in activities:
        codes = sorted(att.client.code for att in a.attendances.all())
        others = sum(o.count for o in a.others.all())
        append_row(sheet, [a.held_on, a.starts_at.strftime("%H:%M"), a.ends_at.strftime("%H:%M"),
                           a.get_kind_display(), a.title, a.org_unit.name, a.place,
                           a.service.label if a.service else "", a.programme,
                           ", ".join(f.get_full_name() or f.username for f in a.facilitators.all()),
                           ", ".join(codes), len(codes), others, len(a.photos.all())])
    response = HttpResponse(workbook_bytes(book), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="activities.xlsx"'
    return response


@login_required
@once_per_form_key
def activity_new(request):
    if not access.may_record(request.user):
        raise PermissionDenied
    departments = list(access.recording_departments(request.user))
    if not departments:
        raise PermissionDenied
    facilitators = access.facilitators_of(*departments)
    initial = {"held_on": timezone.localdate(), "facilitators": [request.user.pk]}
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if len(departments) == 1:  # one's own department, not asked
            data.setdefault("org_unit", str(departments[0].pk))
    form = forms.ActivityForm(data, initial=initial,
                              departments=access.recording_departments(request.user), facilitators=facilitators)
    if request.method == "POST" and form.is_valid():
        activity = apply_service(form, services.record_activity, by=request.user, **form.cleaned_data)
        if activity:
            messages.success(request, _("The activity was recorded. Now record who attended."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_new.html", {"form": form},
                  status=400 if form.errors else 200)


def _edit_initial(activity: Activity) -> dict:
    return {"kind": activity.kind, "title": activity.title, "held_on": activity.held_on,
            "starts_at": activity.starts_at, "ends_at": activity.ends_at, "place": activity.place,
            "latitude": activity.latitude, "longitude": activity.longitude, "service": activity.service_id,
            "programme": activity.programme, "notes": activity.notes,
            "facilitators": list(activity.facilitators.values_list("pk", flat=True))}


@login_required
def activity_edit(request, pk: int):
    """Correct a recorded activity: its department's workers and heads (services.update_activity)."""
    activity = access.get_activity_for_user(request.user, pk, write=True)
    form = forms.ActivityDetailsForm(request.POST or None, initial=_edit_initial(activity),
                                     facilitators=access.facilitators_of(activity.org_unit))
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.update_activity, by=request.user, activity=activity, **form.cleaned_data):
            messages.success(request, _("The activity was corrected."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_edit.html", {
        "form": form, "activity": activity, "removal_refused": services.removal_refused(activity)},
        status=400 if form.errors else 200)


@login_required
@require_POST
def activity_remove(request, pk: int):
    """Remove an activity recorded by mistake, only while no client attends it and no photo is attached."""
    activity = access.get_activity_for_user(request.user, pk, write=True)
    try:
        services.remove_activity(by=request.user, activity=activity)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("activities:edit", pk=activity.pk)
    messages.success(request, _("The activity “%(title)s” was removed.") % {"title": activity.title})
    return redirect("activities:list")


def _detail(request, activity: Activity, *, code_form=None, others_form=None, photo_form=None, pick_form=None,
            status: int = 200):
    may_record = access.may_record_in(request.user, activity)
    search_form = forms.ClientSearchForm(request.GET or None)
    found = []
    query = ""
    if may_record and search_form.is_bound and search_form.is_valid():
        query = clean_query(search_form.cleaned_data["q"])
        if query:
            attending = activity.attendances.values("client")
            found = list(search(access.searchable_clients(request.user), query).exclude(pk__in=attending)
                         .order_by("last_name", "first_name", "pk")[:SEARCH_RESULTS])
    context = {
        "activity": activity, "may_record": may_record,
        "attendances": selectors.attendances_of(activity),
        "others": list(activity.others.all()),
        "photos": list(activity.photos.all()),
        "facilitators": list(activity.facilitators.all()),
        "code_form": code_form or forms.CodeForm(),
        "others_form": others_form or forms.OthersForm(),
        "photo_form": photo_form or forms.PhotoForm(),
        "pick_form": pick_form,
        "search_form": search_form, "found": found, "query": query,
        "unit_label": unit_labels([activity.org_unit])[activity.org_unit.pk],
    }
    context["other_count"] = sum(o.count for o in context["others"])
    return render(request, "activities/activity_detail.html", context, status=status)


@login_required
@allow_features("camera")  # the card scanner, as on check-in
def activity_detail(request, pk: int):
    activity = access.get_activity_for_user(request.user, pk)
    return _detail(request, activity)


@login_required
@require_POST
def attend(request, pk: int):
    """Record a client by a scanned card, the card's typed check-in code or the client code."""
    activity = access.get_activity_for_user(request.user, pk, write=True)
    form = forms.CodeForm(request.POST)
    if form.is_valid():
        try:
            client, method = services.client_for_code(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            show_error(form, error)
        else:
            if apply_service(form, services.add_attendance, by=request.user, activity=activity, client=client,
                             method=method):
                messages.success(request, _("%(code)s is recorded as attending.") % {"code": client.code})
                return redirect("activities:detail", pk=activity.pk)
    return _detail(request, activity, code_form=form, status=400)


@login_required
@require_POST
def attend_pick(request, pk: int):
    activity = access.get_activity_for_user(request.user, pk, write=True)
    form = forms.PickForm(request.POST, clients=access.searchable_clients(request.user))
    if form.is_valid():
        client = form.cleaned_data["client"]
        if apply_service(form, services.add_attendance, by=request.user, activity=activity, client=client,
                         method=Attendance.Method.PICKED, field="client"):
            messages.success(request, _("%(code)s is recorded as attending.") % {"code": client.code})
            return redirect("activities:detail", pk=activity.pk)
    return _detail(request, activity, pick_form=form, status=400)


@login_required
@require_POST
def attendance_remove(request, pk: int, attendance_pk: int):
    activity = access.get_activity_for_user(request.user, pk, write=True)
    attendance = activity.attendances.select_related("client").filter(pk=attendance_pk).first()
    if attendance is None:
        raise Http404
    services.remove_attendance(by=request.user, attendance=attendance)
    messages.success(request, _("%(code)s is no longer recorded as attending.") % {"code": attendance.client.code})
    return redirect("activities:detail", pk=activity.pk)


@login_required
@require_POST
@once_per_form_key
def others(request, pk: int):
    activity = access.get_activity_for_user(request.user, pk, write=True)
    form = forms.OthersForm(request.POST)
    if form.is_valid() and apply_service(form, services.add_others, by=request.user, activity=activity,
                                         **form.cleaned_data):
        messages.success(request, _("The other participants were counted."))
        return redirect("activities:detail", pk=activity.pk)
    return _detail(request, activity, others_form=form, status=400)


@login_required
@require_POST
def photo_upload(request, pk: int):
    activity = access.get_activity_for_user(request.user, pk, write=True)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 2 * settings.SOCMON_PHOTO_MAX_BYTES + 64 * 1024:  # refused before the body is read
        form = forms.PhotoForm({}, {})
        form.is_valid()
        form.errors["photo"] = form.error_class([too_large_message()])
        return _detail(request, activity, photo_form=form, status=413)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid() and apply_service(form, services.add_photo, by=request.user, activity=activity,
                                         upload=form.cleaned_data["photo"],
                                         clients_consented=form.cleaned_data["clients_consented"]):
        messages.success(request, _("The photo was added, without its location and camera details."))
        return redirect("activities:detail", pk=activity.pk)
    return _detail(request, activity, photo_form=form, status=400)


@login_required
def photo(request, pk: int, photo_pk: int):
    """A stored photo, only for someone who sees its activity (never a public media address)."""
    item = access.get_photo_for_user(request.user, pk, photo_pk)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="activity-{item.activity_id}-{item.pk}.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def summary(request):
    """The monthly figures per unit (IP1–IP5): activities per kind, distinct clients, other participants."""
    _require_view(request)
    units = access.viewable_units(request.user)
    today = timezone.localdate()
    default = _default_unit(request)
    data = None
    if "month" in request.GET or "unit" in request.GET:
        data = request.GET.copy()
        data.setdefault("month", today.strftime("%Y-%m"))
        data.setdefault("unit", str(default.pk) if default else "")
    form = forms.SummaryForm(data, units=units, initial={"month": today.replace(day=1), "unit": default})
    result, unit = None, default
    if form.is_bound:
        unit = form.cleaned_data.get("unit") if form.is_valid() else None
        if unit is not None:
            result = selectors.monthly_summary(request.user, unit=unit, month=form.cleaned_data["month"])
        unit = unit or default
    elif unit is not None:
        result = selectors.monthly_summary(request.user, unit=unit, month=today)
    picker = unit_picker(units, unit, request.GET) if unit else None
    return render(request, "activities/summary.html", {
        "form": form, "summary": result, "picker": picker,
        "unit_label": unit_labels([result.unit])[result.unit.pk] if result else ""},
        status=400 if form.errors else 200)
