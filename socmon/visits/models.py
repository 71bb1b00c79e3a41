"""Home visits (R-3): the client's card with two codes, the visit with its services and minutes,
and the client's 1–10 rating."""

import datetime
import operator

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socmon.lib.dates import EARLIEST


class ClientCard(models.Model):
    """A printed card. Its codes carry signed tokens naming this card's version; reissuing revokes
    the old card, so a lost card stops working (one active card per client, by the database)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="cards",
                               verbose_name=_("client"))
    version = models.PositiveIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["client", "-version"]
        verbose_name = _("client card")
        verbose_name_plural = _("client cards")
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="card_unique_version"),
            models.UniqueConstraint(fields=["client"], condition=Q(revoked_at=None), name="card_one_active_per_client"),
        ]

    def __str__(self) -> str:
        return f"{self.client} v{self.version}"


class EffectiveStatus(models.TextChoices):
    """What a visit is at a given moment (see `VisitQuerySet.with_effective_status`); never stored as such."""

    PLANNED = "planned", _("Planned")
    LATE = "late", _("Late")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


def effective_status_rules(now: datetime.datetime) -> list[tuple[str, dict]]:
    """The rules that turn a stored "planned" into what the visit is at `now`, first match wins.

    As field lookups, so that the database (`with_effective_status`) and Python (`effective_status`)
    read the very same rule. Times are the deployment's local time (the window is a local clock time).
    """
    today, clock = timezone.localdate(now), timezone.localtime(now).time()
    return [
        (EffectiveStatus.MISSED, {"status": Visit.Status.PLANNED, "planned_for__lt": today}),
        (EffectiveStatus.LATE, {"status": Visit.Status.PLANNED, "planned_for": today, "window_end__lte": clock}),
    ]


_COMPARE = {"": operator.eq, "lt": operator.lt, "lte": operator.le}


def _holds(visit: "Visit", lookups: dict) -> bool:
    """A rule's lookups evaluated on one visit in memory, as SQL would (NULL matches nothing)."""
    for lookup, wanted in lookups.items():
        name, _sep, comparison = lookup.partition("__")
        value = getattr(visit, name)
        if value is None or not _COMPARE[comparison](value, wanted):
            return False
    return True


def effective_status(visit: "Visit", now: datetime.datetime) -> str:
    """One visit's effective status at `now` (the same rules as `Visit.objects.with_effective_status`)."""
    for status, lookups in effective_status_rules(now):
        if _holds(visit, lookups):
            return status
    return visit.status


class VisitQuerySet(models.QuerySet):
    def with_effective_status(self, now: datetime.datetime) -> "VisitQuerySet":
        """Annotate `effective_status`: what each visit is at `now` (local time). The one definition.

        - in progress, done, cancelled: as stored (a check-in makes a visit in progress);
        - missed: stored as missed (the nightly job), or still planned when its day has passed;
        - late: still planned today and its window has ended (`window_end` ≤ now) without a check-in;
        - planned: still planned, before its window ends (or, without a window end, before its day ends).
        """
        whens = [When(Q(**lookups), then=Value(status)) for status, lookups in effective_status_rules(now)]
        return self.annotate(effective_status=Case(*whens, default=F("status"), output_field=CharField()))


class Visit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    class NoCardReason(models.TextChoices):
        """Why a visit was opened without scanning the client's card (the head sees it as a flag)."""

        NOT_ISSUED = "not_issued", _("The person has no card yet")
        LOST = "lost", _("The card was lost")
        DAMAGED = "damaged", _("The card is damaged and cannot be read")
        NOT_SHOWN = "not_shown", _("The person is not able to show the card")
        OTHER = "other", _("Another reason")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="visits",
                               verbose_name=_("client"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits",
                               verbose_name=_("social worker"))
    # The client's department at the time of the visit: access and indicators follow it.
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="visits",
                                 verbose_name=_("department"))
    planned_for = models.DateField(_("date"), db_index=True)
    window_start = models.TimeField(_("from"), null=True, blank=True)
    window_end = models.TimeField(_("until"), null=True, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"), default=0)
    route_order = models.PositiveSmallIntegerField(_("order in the day"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    check_in_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_in_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_in_distance_m = models.PositiveIntegerField(_("distance from the address (m)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Why a check-in opened by mistake was cancelled, and why a visit was closed without any service.
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    no_service_reason = models.CharField(_("reason no service was delivered"), max_length=300, blank=True)
    # Set only when the visit was opened without the client's card; the note says more ("other" needs it).
    no_card_reason = models.CharField(_("reason for checking in without the card"), max_length=20,
                                      choices=NoCardReason.choices, blank=True)
    no_card_note = models.CharField(_("more about checking in without the card"), max_length=300, blank=True)
    # Empty for visits the nightly planning created (the system, not a person, planned them).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name=_("planned by"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["planned_for", "route_order", "window_start", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        # (client, planned_for): a client's timeline reads its newest visits off the index, a page at a time.
        indexes = [models.Index(fields=["worker", "planned_for"]), models.Index(fields=["org_unit", "planned_for"]),
                   models.Index(fields=["client", "planned_for"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_out_at=None)
                | Q(checked_in_at__isnull=False, checked_out_at__gt=F("checked_in_at")),
                name="visit_check_out_after_check_in"),
            models.CheckConstraint(
                condition=Q(window_end=None) | Q(window_start=None) | Q(window_end__gt=F("window_start")),
                name="visit_window_ends_after_start"),
            models.CheckConstraint(condition=Q(planned_for__gte=EARLIEST), name="visit_planned_for_sane"),
            models.CheckConstraint(condition=~Q(no_card_reason="other") | ~Q(no_card_note=""),
                                   name="visit_no_card_other_reason_has_note"),
            # Two simultaneous check-ins must not open two visits of one client on one day.
            models.UniqueConstraint(fields=["client", "planned_for"], condition=Q(status="in_progress"),
                                    name="visit_one_in_progress_per_client_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.planned_for}"


class ServiceDelivery(models.Model):
    """A service delivered during a visit, with the minutes it took (R-3.3: compared with the norm)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="services", verbose_name=_("visit"))
    service = models.ForeignKey("catalogue.ServiceKind", on_delete=models.PROTECT, related_name="deliveries",
                                verbose_name=_("service"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    # Services not in the client's plan need a reason.
    unplanned_reason = models.CharField(_("reason (service not in the plan)"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=480), name="delivery_minutes_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.minutes} min"


class Rating(models.Model):
    """The client's 1–10 rating of a visit (R-3.2). One per visit, enforced by the database."""

    class Channel(models.TextChoices):
        CARD = "card", _("Client's rating code")
        ONE_TIME = "one_time", _("One-time code at check-out")

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="rating", verbose_name=_("visit"))
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    channel = models.CharField(_("given through"), max_length=20, choices=Channel.choices)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=10), name="rating_score_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.visit}: {self.score}"


class Office(models.Model):
    """Where a department's workers start and end their day: the depot of the daily route (R-3.4).

    Kept here rather than on OrgUnit because only routing needs it; without one, the route starts at
    the centroid of the day's clients.
    """

    org_unit = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, related_name="office",
                                    verbose_name=_("department"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="office_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180),
                                   name="office_longitude_range"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit}: {self.latitude}, {self.longitude}"


class PlannedService(models.Model):
    """A service the visit is planned for (from the client's plan); what is delivered is ServiceDelivery."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="planned_services",
                              verbose_name=_("visit"))
    service = models.ForeignKey("catalogue.ServiceKind", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        constraints = [
            models.UniqueConstraint(fields=["visit", "service"], name="planned_service_once_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.visit}: {self.service}"


class FlagCheck(models.Model):
    """A head's note that a flag (visits.flags: computed, never stored) was looked at: who, when, what they found.

    A flag is named by its kind and its visit; a worker-level flag (a run of top ratings) by its kind, its worker
    and the latest rating of the run, so a new run is a new flag. The database keeps one check per flag: of two
    heads pressing at once, one wins and the other is told who did (services.mark_flag_checked).
    """

    kind = models.CharField(_("kind of flag"), max_length=30)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="flag_checks",
                              verbose_name=_("visit"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("social worker"))
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("latest rating"))
    # The department whose head checked it (the visit's; for a worker-level flag the worker's, in the head's reach).
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("department"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    comment = models.TextField(_("comment"), max_length=1000)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("checked flag")
        verbose_name_plural = _("checked flags")
        constraints = [
            models.UniqueConstraint(fields=["visit", "kind"], condition=Q(visit__isnull=False),
                                    name="flag_check_once_per_visit_flag"),
            models.UniqueConstraint(fields=["worker", "kind", "rating"], condition=Q(visit__isnull=True),
                                    name="flag_check_once_per_worker_flag"),
            models.CheckConstraint(condition=Q(visit__isnull=False) | Q(rating__isnull=False),
                                   name="flag_check_names_its_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.visit_id or self.worker_id}"


class Grain(models.TextChoices):
    """The span a `VisitTally` row covers (internal: never shown)."""

    DAY = "d", "day"
    MONTH = "m", "month"


class VisitTally(models.Model):
    """Additive figures of visits by their planned day, kept by `visits.tallies` from the stale marks.

    Own rows (`worker` set): one unit's visits of one worker on a day or in a month, by *stored* status, and
    their ratings by score. Total rows (`worker` empty): the unit's own rows plus its children's totals. What a
    visit is at a moment (late, missed) is decided when the figures are read (`tallies.stored_figures`).
    """

    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    planned = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    score_1 = models.PositiveIntegerField(default=0)
    score_2 = models.PositiveIntegerField(default=0)
    score_3 = models.PositiveIntegerField(default=0)
    score_4 = models.PositiveIntegerField(default=0)
    score_5 = models.PositiveIntegerField(default=0)
    score_6 = models.PositiveIntegerField(default=0)
    score_7 = models.PositiveIntegerField(default=0)
    score_8 = models.PositiveIntegerField(default=0)
    score_9 = models.PositiveIntegerField(default=0)
    score_10 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "grain", "start", "worker"], condition=Q(worker__isnull=False),
                                    name="visit_tally_own_unique"),
            models.UniqueConstraint(fields=["org_unit", "grain", "start"], condition=Q(worker=None),
                                    name="visit_tally_total_unique"),
        ]
        indexes = [models.Index(fields=["start", "org_unit"], name="visit_tally_start")]  # rebuilding a month

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.worker_id or '*'} {self.grain} {self.start}"


class ServiceTally(models.Model):
    """Services delivered at visits (times and minutes), keyed like `VisitTally` plus the service."""

    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    service = models.ForeignKey("catalogue.ServiceKind", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)
    minutes = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "grain", "start", "worker", "service"],
                                    condition=Q(worker__isnull=False), name="service_tally_own_unique"),
            models.UniqueConstraint(fields=["org_unit", "grain", "start", "service"], condition=Q(worker=None),
                                    name="service_tally_total_unique"),
        ]
        indexes = [models.Index(fields=["start", "org_unit"], name="service_tally_start")]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.worker_id or '*'} {self.grain} {self.start} {self.service_id}"
