"""Who may see and record which activities. Every query on activities starts here.

An activity belongs to a department. Workers and heads record activities of their own department
(RECORD_ACTIVITIES); they, directors, specialists and analysts read those of their subtree (VIEW_ACTIVITIES).
External evaluators and administrators see none (attendance names clients by code). Invisible → 404,
visible but not one's to record → 403.

Clients who may be recorded as attending: those of the departments where the user records activities,
and those the user sees anyway (clients.access). Anyone else is "not found", whatever the code.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from socmon.accounts.access import RECORD_ACTIVITIES, VIEW_ACTIVITIES, has_capability, in_reach, reach_paths
from socmon.accounts.models import Role, User
from socmon.clients.access import clients_visible_to, units_q
from socmon.clients.models import Client
from socmon.orgs.models import OrgLevel, OrgUnit

from .models import Activity, ActivityPhoto


def may_view(user) -> bool:
    return has_capability(user, VIEW_ACTIVITIES)


def may_record(user) -> bool:
    return has_capability(user, RECORD_ACTIVITIES)


def activities_visible_to(user) -> QuerySet[Activity]:
    if not user.is_authenticated:
        return Activity.objects.none()
    return Activity.objects.filter(units_q(reach_paths(user, VIEW_ACTIVITIES), user=user))


def may_record_in(user, activity: Activity) -> bool:
    return in_reach(activity.org_unit.path, reach_paths(user, RECORD_ACTIVITIES))


def get_activity_for_user(user, pk, *, write: bool = False) -> Activity:
    activity = activities_visible_to(user).select_related("org_unit", "service").filter(pk=pk).first()
    if activity is None:
        raise Http404
    if write and not may_record_in(user, activity):
        raise PermissionDenied
    return activity


def recording_departments(user) -> QuerySet[OrgUnit]:
    """The departments the user may record activities for (their own)."""
    from socmon.accounts.access import paths_q

    return (OrgUnit.objects.filter(paths_q(reach_paths(user, RECORD_ACTIVITIES)), level__kind=OrgLevel.Kind.DEPARTMENT)
            .order_by("name", "path"))


def viewable_units(user) -> QuerySet[OrgUnit]:
    from socmon.accounts.access import paths_q

    return OrgUnit.objects.filter(paths_q(reach_paths(user, VIEW_ACTIVITIES)))


def facilitators_of(*units: OrgUnit) -> QuerySet[User]:
    """The staff who may facilitate an activity of these units: their workers and heads (one query)."""
    return (User.objects.filter(memberships__org_unit__in=units, memberships__role__in=[Role.WORKER, Role.HEAD],
                                is_active=True).distinct().order_by("last_name", "first_name", "username"))


def get_photo_for_user(user, pk: int, photo_pk: int) -> ActivityPhoto:
    """A photo of an activity the user sees (invisible activity or photo → 404)."""
    activity = get_activity_for_user(user, pk)
    photo = ActivityPhoto.objects.filter(activity=activity, pk=photo_pk).first()
    if photo is None:
        raise Http404
    return photo


def attendable_clients(user) -> QuerySet[Client]:
    """Clients the user may record as attending: of their recording departments, or seen anyway."""
    if not user.is_authenticated:
        return Client.objects.none()
    department = Client.objects.filter(units_q(reach_paths(user, RECORD_ACTIVITIES), user=user))
    if user.is_superuser:
        return Client.objects.all()
    seen = clients_visible_to(user).order_by().values("pk")
    return Client.objects.filter(Q(pk__in=department.order_by().values("pk")) | Q(pk__in=seen))


def searchable_clients(user) -> QuerySet[Client]:
    """Clients whose names the user may search when picking attendees: only those they see anyway."""
    return clients_visible_to(user).filter(is_active=True)
