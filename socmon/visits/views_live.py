"""The head's live view (R-3.2, R-3.4): today's visits of a department per worker, ratings as they
arrive, time per service against the norm, flags, and the visits on a map. The board refreshes itself
every 10 seconds through htmx; without JavaScript the page is simply reloaded by hand."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from socmon.orgs.models import in_tree_order

from . import selectors
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
