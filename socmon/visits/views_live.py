"""The head's live view (R-3.2, R-3.4): today's visits of a department per worker, ratings as they
arrive, time per service against the norm, flags, and the visits on a map. The board refreshes itself
every 10 seconds through htmx; without JavaScript the page is simply reloaded by hand. Each visit and flag
opens; a head marks a flag as checked on its own page (a form inside the board would be swept away by the
next refresh while the head types)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.lib.forms import apply_service
from socmon.orgs.models import in_tree_order

from . import forms, selectors, services
from .access import flag_unit_for, get_visit_for_user
from .views_day import map_context, with_map_csp


@login_required
def live_index(request):
    """Choose a department; with only one, go straight to it."""
    units = in_tree_order(selectors.live_units_for(request.user))
    if not units:
        raise PermissionDenied
    if len(units) == 1:
        return redirect("visits:live", unit_pk=units[0].pk)
    names = selectors.names_with_parents(units)
    return render(request, "visits/live_choose.html", {"units": [(unit, names[unit.pk]) for unit in units]})


@login_required
@with_map_csp
def live(request, unit_pk: int):
    unit = selectors.get_unit_for_following(request.user, unit_pk)
    now = timezone.now()
    board = selectors.live_board(unit, viewer=request.user, now=now)
    context = {"unit": unit, "now": now, **board, **map_context(board["markers"], None)}
    if request.htmx:
        return render(request, "visits/_live_board.html", context)
    return render(request, "visits/live.html", {**context, "unit_name": unit.name_with_parent})


# --- A head marks a flag as checked -------------------------------------------------------------------------

def _check_flag(request, flag, *, kind: str, unit, worker, visit=None):
    """The flag's page: what it says, who checked it (if anyone), else a form to mark it checked."""
    form = forms.FlagCheckForm(request.POST or None, initial={"rating": flag.rating_id if flag else None})
    status = 200
    if request.method == "POST":
        if form.is_valid() and apply_service(form, services.mark_flag_checked, by=request.user, kind=kind,
                                             comment=form.cleaned_data["comment"], visit=visit, worker=worker,
                                             rating_id=form.cleaned_data["rating"]):
            messages.success(request, _("The flag is marked as checked, with your comment."))
            return redirect("visits:live", unit_pk=unit.pk)
        status = 400
    check = selectors.flag_checks_for([flag]).get(flag.key) if flag else None
    return render(request, "visits/flag_check.html", {"flag": flag, "check": check, "form": form, "unit": unit,
                                                      "visit": visit, "worker": worker}, status=status)


@login_required
def check_visit_flag(request, pk: int, kind: str):
    """A flag on one visit (short, far, overlap, …): for the heads of the visit's department."""
    visit = get_visit_for_user(request.user, pk)
    unit = flag_unit_for(request.user, visit=visit)
    if unit is None:
        raise PermissionDenied
    flag = selectors.raised_visit_flag(visit, kind, timezone.now())
    return _check_flag(request, flag, kind=kind, unit=unit, worker=visit.worker, visit=visit)


@login_required
def check_worker_flag(request, worker_pk: int, kind: str):
    """A worker-level flag (a run of top ratings): for the heads of the worker's department."""
    worker = selectors.get_worker_for_user(request.user, worker_pk)
    unit = flag_unit_for(request.user, worker=worker)
    if unit is None:
        raise PermissionDenied
    return _check_flag(request, selectors.raised_worker_flag(worker, kind), kind=kind, unit=unit, worker=worker)
