from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .selectors import home_summary_for


@login_required
def home(request):
    """One home page for every role, showing only what that person may use."""
    return render(request, "dashboards/home.html", home_summary_for(request.user, now=timezone.now()))
