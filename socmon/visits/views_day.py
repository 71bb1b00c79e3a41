"""The worker's day (R-3.4): today's visits in route order, as a list and on a map; the head plans,
moves and adds visits."""

import datetime
from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from socmon.accounts.access import PLAN_VISITS, paths_q, reach_paths
from socmon.accounts.models import Role, User
from socmon.clients.access import clients_visible_to
from socmon.lib.forms import apply_service, once_per_form_key
from socmon.lib.query import day_from_query

from . import planning, selectors, services
from .access import get_visit_for_user, own_clients_without_card
from .forms import PrintCardsForm
from .forms_planning import AddVisitForm, MoveVisitForm


def tile_url() -> str:
    return planning.setting("SOCMON_MAP_TILE_URL", "")


def tile_origin(url: str) -> str:
    """The tile server's origin for CSP img-src; a {s} subdomain becomes a wildcard."""
    parts = urlsplit(url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}"


def with_map_csp(view):
    """Let the page load map tiles from the configured tile server (and from nowhere else)."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if tile_url():
            response._csp_update = {"img-src": [tile_origin(tile_url())]}
        return response

    return wrapped


def map_context(markers: list[dict], office) -> dict:
    return {"markers": markers, "office": {"lat": office[0], "lon": office[1]} if office else None,
            "tile_url": tile_url(), "tile_attribution": planning.setting("SOCMON_MAP_ATTRIBUTION", "")}


def _day_from(request, data) -> datetime.date:
    """The day the address or the form names; today, with a message, for an impossible or far-off one."""
    day, problem = day_from_query(data, today=timezone.localdate())
    if problem:
        messages.error(request, problem)
    return day


def _day_url(worker: User, day: datetime.date) -> str:
    return reverse("visits:worker_day", args=[worker.pk]) + f"?date={day.isoformat()}"


@login_required
def my_day(request):
    return worker_day(request, request.user.pk)


@login_required
def worker_day(request, worker_pk: int):
    return day_page(request, selectors.get_worker_for_user(request.user, worker_pk))


@with_map_csp
def day_page(request, worker: User, *, cards_form: PrintCardsForm | None = None, status: int = 200):
    """The worker's day; on their own day also their clients without a card, to print (`cards_form` with errors)."""
    day = _day_from(request, request.GET)
    schedule = selectors.day_for(worker, day, viewer=request.user, now=timezone.now())
    selectors.add_contacts(schedule.rows, viewer=request.user)
    own = worker == request.user
    context = {
        "schedule": schedule, "worker": worker, "own": own, "is_today": day == timezone.localdate(),
        "previous_day": day - datetime.timedelta(days=1), "next_day": day + datetime.timedelta(days=1),
        "can_plan": planning.may_plan_for(request.user, worker),
        "can_manage": bool(reach_paths(request.user, PLAN_VISITS)) and planning.may_plan_for(request.user, worker)
        and worker != request.user,
        **map_context(schedule.markers, schedule.office),
    }
    if own:
        context["cards_form"] = cards_form or _cards_form(worker)
    return render(request, "visits/day.html", context, status=status)


def _cards_form(worker: User) -> PrintCardsForm:
    """Every own client without a card, all chosen: the worker unticks whom not to print now."""
    without = own_clients_without_card(worker)
    return PrintCardsForm(clients=without, initial={"clients": [c.pk for c in without]})


@login_required
@require_POST
def plan(request, worker_pk: int):
    worker = selectors.get_worker_for_user(request.user, worker_pk)
    if not planning.may_plan_for(request.user, worker):
        raise PermissionDenied
    day, problem = day_from_query(request.POST, today=timezone.localdate())
    if problem or not request.POST.get("date"):  # plan no other day than the one asked for
        messages.error(request, problem or _("Choose the day to plan."))
        return redirect(_day_url(worker, day))
    result = services.plan_day(by=request.user, worker=worker, day=day)
    created, unfit = len(result.created), len(result.route.unfit)
    planned = ngettext("The day is planned: %(count)s new visit.", "The day is planned: %(count)s new visits.",
                       created) % {"count": created}
    if unfit:
        planned += " " + ngettext("%(count)s visit did not fit into the working day.",
                                  "%(count)s visits did not fit into the working day.", unfit) % {"count": unfit}
    messages.success(request, planned)
    return redirect(_day_url(worker, day))


def _department_workers(user, unit):
    return User.objects.filter(memberships__org_unit=unit, memberships__role=Role.WORKER,
                               is_active=True).distinct().order_by("last_name", "first_name")


@login_required
def move(request, pk: int):
    visit = get_visit_for_user(request.user, pk)
    if not planning.may_plan_for(request.user, visit.worker) or request.user == visit.worker:
        raise PermissionDenied
    initial = {"planned_for": visit.planned_for, "worker": visit.worker}
    form = MoveVisitForm(request.POST or None, initial=initial, workers=_department_workers(request.user,
                                                                                           visit.org_unit))
    if form.is_valid():
        moved = apply_service(form, services.move_visit, by=request.user, visit=visit,
                              day=form.cleaned_data["planned_for"], worker=form.cleaned_data["worker"])
        if moved:
            messages.success(request, _("The visit to %(client)s was moved.") % {"client": visit.client.code})
            return redirect(_day_url(moved.worker, moved.planned_for))
    return render(request, "visits/day_move.html", {"form": form, "visit": visit}, status=400 if form.errors else 200)


@login_required
@once_per_form_key
def add(request, worker_pk: int):
    worker = selectors.get_worker_for_user(request.user, worker_pk)
    departments = planning.worker_departments(worker)
    paths = reach_paths(request.user, PLAN_VISITS)
    units = [u for u in departments if any(u.path.startswith(p) for p in paths)]
    if not units or worker == request.user:
        raise PermissionDenied
    clients = clients_visible_to(request.user).filter(paths_q([u.path for u in units], "org_unit__path"),
                                                      is_active=True).order_by("code")
    initial = {"worker": worker, "planned_for": _day_from(request, request.GET)}
    form = AddVisitForm(request.POST or None, initial=initial,
                        workers=_department_workers(request.user, units[0]), clients=clients)
    if form.is_valid():
        data = form.cleaned_data
        visit = apply_service(form, services.add_visit, by=request.user, client=data["client"], worker=data["worker"],
                       day=data["planned_for"], services=list(data["services"]), window_start=data["window_start"],
                       window_end=data["window_end"])
        if visit:
            messages.success(request, _("A visit to %(client)s was added.") % {"client": visit.client.code})
            return redirect(_day_url(visit.worker, visit.planned_for))
    return render(request, "visits/day_add.html", {"form": form, "worker": worker}, status=400 if form.errors else 200)
