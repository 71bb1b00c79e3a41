from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from socmon.accounts.access import VIEW_CLIENTS, has_capability
from socmon.accounts.models import User
from socmon.lib.forms import apply_service, once_per_form_key
from socmon.lib.headers import allow_features
from socmon.lib.http import safe_next
from socmon.lib.pagination import paginate
from socmon.lib.query import day_from_query

from . import forms, selectors, services, timeline
from .access import (
    PurposeRequired,
    caseload_departments,
    get_caseload_department_for_user,
    get_client_for_user,
    is_worker_at,
    may_change_client,
    may_see_access_report,
    registration_departments,
)
from .models import Client
from .purpose import remember_purpose, stated_purpose

# What an access-log row says was opened, by the `what` key every `log_client_view(what=…)` in socmon
# stores (the clients pages here, "case" and "referral" in cases, "visit" and "client card" in visits).
# A key missing here still shows, capitalised, but untranslated: add new keys when a page logs views.
# (Spelt gettext_lazy, not an alias: makemessages finds strings by the function's name.)
VIEWED = {
    "client record": gettext_lazy("Client record"),
    "client record: edit": gettext_lazy("Client record: edit"),
    "new application": gettext_lazy("New application"),
    "access report": gettext_lazy("Access report"),
    "case": gettext_lazy("Case"),
    "referral": gettext_lazy("Referral"),
    "visit": gettext_lazy("Home visit"),
    "client card": gettext_lazy("Client card"),
    "search": gettext_lazy("Found in a search outside the caseload"),
}
# What assign_clients reports, by when the change takes effect.
MOVED = {
    "tomorrow": ngettext_lazy("%(count)s client moves to %(worker)s from tomorrow.",
                              "%(count)s clients move to %(worker)s from tomorrow.", "count"),
    "today": ngettext_lazy("%(count)s client joins the list of %(worker)s from today.",
                           "%(count)s clients join the list of %(worker)s from today.", "count"),
    "unchanged": ngettext_lazy("%(count)s client was already on the list of %(worker)s.",
                               "%(count)s clients were already on the list of %(worker)s.", "count"),
}
CASES_SECTION = "cases/_client_cases.html"


def viewed_label(what: str) -> str:
    """The access report's words for what was opened; an unknown key shows as stored, capitalised."""
    return str(VIEWED[what]) if what in VIEWED else capfirst(what)


def purpose_url(client_pk: int, next_url: str) -> str:
    return f"{reverse('clients:purpose', args=[client_pk])}?next={quote(next_url)}"


def client_page(what: str, *, write: bool = False, check=None):
    """Open the client through access (the purpose page for a break-glass view), log the view (R-1.3)
    with the purpose stated in this session, and pass the client to the view. `check(user, client)`
    narrows further (403 when it says no, before anything is logged)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, pk: int, *args, **kwargs):
            purpose = stated_purpose(request, pk)
            try:
                client = get_client_for_user(request.user, pk, purpose_given=bool(purpose), write=write)
            except PurposeRequired:
                return redirect(purpose_url(pk, request.get_full_path()))
            if check is not None and not check(request.user, client):
                raise PermissionDenied
            services.log_client_view(by=request.user, client=client, what=what, purpose=purpose)
            return view(request, client, *args, **kwargs)

        return wrapper

    return decorator


def _require_view_clients(user) -> None:
    if not has_capability(user, VIEW_CLIENTS):
        raise PermissionDenied


def _has_template(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@login_required
def client_list(request):
    _require_view_clients(request.user)
    form = forms.ClientSearchForm(request.GET)
    form.is_valid()
    query, born = form.cleaned_data.get("q", ""), form.cleaned_data.get("born")
    page = paginate(request, selectors.client_list_for(request.user, query=query))
    # A worker covering for a colleague finds the client here (by full code, or name and date of birth) and
    # states why before the record opens. Each one found is logged as seen, like an opened record.
    found = selectors.not_on_list_for(request.user, query=query, birth_date=born)
    for client in found:
        services.log_client_view(by=request.user, client=client, what="search", purpose=query)
    not_on_list = [(c, purpose_url(c.pk, reverse("clients:detail", args=[c.pk]))) for c in found]
    context = {"page": page, "query": query, "form": form, "not_on_list": not_on_list,
               "beyond_list": selectors.may_search_beyond_list(request.user),
               "can_register": registration_departments(request.user).exists()}
    return render(request, "clients/client_list.html", context)


@login_required
def my_clients(request):
    _require_view_clients(request.user)
    caseload = selectors.my_caseload(request.user)
    return render(request, "clients/my_clients.html", {"caseload": caseload, "page": paginate(request, caseload.today)})


@client_page("client record")
def client_detail(request, client):
    context = {
        "client": client,
        "purpose": stated_purpose(request, client.pk),
        "needs": [Client.Need(n).label for n in client.accessibility_needs if n in Client.Need.values],
        "worker": selectors.current_worker(client),
        "applications": selectors.applications_of(client),
        "history": selectors.caseload_history(client),
        "can_change": may_change_client(request.user, client),
        "can_see_report": may_see_access_report(request.user, client),
        # The cases pages add their section here when they are installed.
        "cases_section": CASES_SECTION if _has_template(CASES_SECTION) else None,
        "timeline": timeline.client_timeline(request.user, client, now=timezone.now(),
                                             per_page=timeline.CLIENT_PAGE_ENTRIES),
    }
    if context["can_change"]:  # a worker notes at a visit that the client received an answer (socmon.feedback)
        from socmon.feedback.selectors import awaiting_confirmation

        context["feedback_awaiting"] = awaiting_confirmation(request.user, client)
    return render(request, "clients/client_detail.html", context)


@client_page("client record")  # the record's older entries: logged as the record itself
def client_timeline(request, client):
    """Older entries of the client's timeline, a page of whole days before `?before=YYYY-MM-DD`."""
    now, before = timezone.now(), None
    if request.GET.get("before"):
        before, problem = day_from_query(request.GET, today=timezone.localdate(now), name="before")
        if problem:
            messages.warning(request, problem)
            before = None
    page = timeline.client_timeline(request.user, client, now=now, before=before)
    return render(request, "clients/client_timeline.html", {"client": client, "timeline": page})


@login_required
def client_purpose(request, pk: int):
    """The break-glass page: a worker states why they open a colleague's client; kept for the session."""
    target = safe_next(request, reverse("clients:detail", args=[pk]))
    try:
        get_client_for_user(request.user, pk)  # 404 when out of reach
        return redirect(target)  # nothing to state: the client is the user's own
    except PurposeRequired as needed:
        client = needed.client
    form = forms.PurposeForm(request.POST or None)
    if form.is_valid():
        remember_purpose(request, client.pk, form.cleaned_data["purpose"].strip())
        return redirect(target)
    return render(request, "clients/purpose.html", {"form": form, "client": client},
                  status=400 if form.errors else 200)


@allow_features("geolocation")  # "Use my location" fills the coordinates
@client_page("client record: edit", write=True)
def client_edit(request, client):
    form = forms.ClientForm(request.POST or None, initial=forms.ClientForm.initial_from(client))
    if form.is_valid():
        if apply_service(form, services.update_client, by=request.user, client=client, person=form.person()):
            messages.success(request, _("Your changes were saved."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": client},
                  status=400 if form.errors else 200)


@client_page("new application", write=True)
def application_new(request, client):
    form = forms.ApplicationForm(request.POST or None)
    if form.is_valid():
        if apply_service(form, services.add_application, by=request.user, client=client, **form.cleaned_data):
            messages.success(request, _("The application was registered."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/application_form.html", {"form": form, "client": client},
                  status=400 if form.errors else 200)


@client_page("access report", check=may_see_access_report)
def access_report(request, client):
    page = paginate(request, selectors.access_report(client))
    rows = [(row, viewed_label(row.what)) for row in page]
    return render(request, "clients/access_report.html", {"client": client, "rows": rows, "page": page})


@allow_features("geolocation")  # "Use my location" fills the coordinates
@login_required
@once_per_form_key
def register(request):
    departments = registration_departments(request.user)
    if not departments.exists():
        raise PermissionDenied
    assign_self = all(is_worker_at(request.user, d) for d in departments)
    form = forms.RegisterForm(request.POST or None, departments=departments, assign_self=assign_self)
    duplicates = []
    if form.is_valid():
        data = form.cleaned_data
        if request.POST.get("different_person") != "1":
            duplicates = selectors.possible_duplicates(
                request.user, first_name=data["first_name"], last_name=data["last_name"],
                birth_date=data["birth_date"], document_number=data["document_number"])
        if not duplicates:
            application = apply_service(
                form, services.register_application, by=request.user, department=data["department"],
                person=form.person(), channel=data["channel"], request_text=data["request_text"],
                received_on=data["received_on"], worker=request.user if assign_self else data.get("worker"))
            if application:
                messages.success(request, _("The application was registered. The client code is %(code)s.")
                                 % {"code": application.client.code})
                return redirect("clients:detail", pk=application.client_id)
    return render(request, "clients/register.html", {"form": form, "duplicates": duplicates},
                  status=400 if form.errors else 200)


@login_required
def caseloads(request):
    departments = caseload_departments(request.user)
    first_two = list(departments[:2])
    if not first_two:
        raise PermissionDenied
    if len(first_two) == 1:
        return redirect("clients:caseload", pk=first_two[0].pk)
    return render(request, "clients/caseload_index.html", {"departments": paginate(request, departments)})


def _caseload_page(request, department, *, assign_form=None, handover_form=None):
    overview = selectors.caseload_overview(department)
    holders = User.objects.filter(pk__in=[load.worker.pk for load in overview.loads if load.count or load.arriving])
    assign_form = assign_form or forms.AssignForm(department=department)
    context = {
        "overview": overview,
        "department": department,
        "assign_form": assign_form,
        "selected": {str(pk) for pk in (assign_form["clients"].value() or [])},
        "handover_form": handover_form or forms.HandOverForm(department=department, holders=holders),
        "caseload_seen": services.caseload_stamp(department),  # a change by someone else meanwhile is refused
        "purpose_views": selectors.purpose_views([department.path])[:50],
        "purpose_days": selectors.PURPOSE_VIEWS_DAYS,
    }
    failed = assign_form.errors or (handover_form and handover_form.errors)
    return render(request, "clients/caseload.html", context, status=400 if failed else 200)


@login_required
def caseload(request, pk: int):
    return _caseload_page(request, get_caseload_department_for_user(request.user, pk))


def _moved_message(counts: dict[str, int], worker) -> str:
    return " ".join(str(MOVED[key] % {"count": counts[key], "worker": worker}) for key in MOVED if counts[key])


@login_required
@require_POST
def caseload_assign(request, pk: int):
    department = get_caseload_department_for_user(request.user, pk)
    form = forms.AssignForm(request.POST, department=department)
    if form.is_valid():
        counts = apply_service(form, services.assign_clients, by=request.user, department=department,
                        clients=list(form.cleaned_data["clients"]), worker=form.cleaned_data["worker"],
                        seen=request.POST.get("seen"))
        if counts:
            messages.success(request, _moved_message(counts, form.cleaned_data["worker"]))
            return redirect("clients:caseload", pk=department.pk)
    return _caseload_page(request, department, assign_form=form)


@login_required
@require_POST
def caseload_handover(request, pk: int):
    department = get_caseload_department_for_user(request.user, pk)
    holders = User.objects.filter(caseload__client__org_unit=department, caseload__ends_on=None).distinct()
    form = forms.HandOverForm(request.POST, department=department, holders=holders)
    if form.is_valid():
        counts = apply_service(form, services.hand_over_caseload, by=request.user, department=department,
                        from_worker=form.cleaned_data["from_worker"], to_worker=form.cleaned_data["to_worker"],
                        seen=request.POST.get("seen"))
        if counts:
            messages.success(request, _moved_message(counts, form.cleaned_data["to_worker"]))
            return redirect("clients:caseload", pk=department.pk)
    return _caseload_page(request, department, handover_form=form)
