"""Reads for the activity pages, each starting from `access`: the filtered list, the export and the monthly
summary per unit (the figures a provider used to type by hand into the monthly report: IP1–IP5)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from socmon.clients.access import units_q
from socmon.orgs.models import OrgUnit

from . import access
from .models import Activity, Attendance, OtherParticipants


def activity_list(user, *, kind: str = "", date_from=None, date_to=None, unit: OrgUnit | None = None,
                  service=None) -> QuerySet[Activity]:
    activities = access.activities_visible_to(user)
    if kind:
        activities = activities.filter(kind=kind)
    if date_from:
        activities = activities.filter(held_on__gte=date_from)
    if date_to:
        activities = activities.filter(held_on__lte=date_to)
    if unit is not None:
        activities = activities.filter(units_q([unit.path]))  # unit ids from the path index, as for the scope
    if service is not None:
        activities = activities.filter(service=service)
    return (activities.select_related("org_unit", "service")
            .annotate(client_count=Count("attendances", distinct=True))
            .order_by("-held_on", "-starts_at", "-pk"))


def for_export(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.prefetch_related(
        "facilitators", Prefetch("attendances", queryset=Attendance.objects.select_related("client")), "others",
        "photos")


def attendances_of(activity: Activity) -> QuerySet[Attendance]:
    return activity.attendances.select_related("client").order_by("client__code")


@dataclass
class KindFigures:
    kind: str
    label: str
    activities: int = 0
    clients: int = 0   # distinct clients
    others: int = 0    # other participants, head counts

    @property
    def participants(self) -> int:
        return self.clients + self.others


@dataclass
class Summary:
    unit: OrgUnit
    month: datetime.date  # its first day
    rows: list[KindFigures]
    clients: int  # distinct clients over every kind
    incomplete: int = 0  # individual activities without their client: not counted above

    @property
    def month_end(self) -> datetime.date:
        return month_bounds(self.month)[1]

    def row(self, kind: str) -> KindFigures:
        return next(r for r in self.rows if r.kind == kind)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def monthly_summary(user, *, unit: OrgUnit, month: datetime.date) -> Summary:
    """Activities of `unit`'s subtree in `month`, per kind: how many, distinct clients, other participants.
    Grouped queries over the subtree (a department, an institution with its departments, an area): a client at
    three group activities of the month, in one department or in two, counts once at every level.

    An individual activity without its one client is incomplete: it is left out of the figures and counted in
    `incomplete`, so the month is not reported with an individual activity nobody took part in."""
    first, last = month_bounds(month)
    activities = access.activities_visible_to(user).filter(units_q([unit.path]), held_on__range=(first, last))
    empty_individual = Q(kind=Activity.Kind.INDIVIDUAL) & ~Exists(Attendance.objects.filter(activity=OuterRef("pk")))
    incomplete = activities.filter(empty_individual).count()
    activities = activities.exclude(empty_individual)
    ids = activities.order_by().values("pk")
    counts = dict(activities.order_by().values_list("kind").annotate(n=Count("pk")))
    clients = dict(Attendance.objects.filter(activity__in=ids).order_by().values_list("activity__kind")
                   .annotate(n=Count("client", distinct=True)))
    others = dict(OtherParticipants.objects.filter(activity__in=ids).order_by().values_list("activity__kind")
                  .annotate(n=Sum("count")))
    distinct = Attendance.objects.filter(activity__in=ids).values("client").distinct().count()
    rows = [KindFigures(kind, label, counts.get(kind, 0), clients.get(kind, 0), others.get(kind) or 0)
            for kind, label in Activity.Kind.choices]
    return Summary(unit=unit, month=first, rows=rows, clients=distinct, incomplete=incomplete)
