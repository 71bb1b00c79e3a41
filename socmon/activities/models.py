"""Group, individual and open activities with their attendance and photos: the facts behind IP1–IP5.

A client attends an activity at most once (database constraint); other participants (family members, the
public) are head counts with an optional category. Photos are stored re-encoded, without EXIF, under the
default storage, and are served only through `activities:photo`, which checks access.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from socmon.lib.dates import EARLIEST


class Activity(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("Group activity")
        INDIVIDUAL = "individual", _("Individual activity")
        OPEN = "open", _("Open activity")

    # The department that runs it; access follows this unit's place in the tree.
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="activities",
                                 verbose_name=_("department"))
    kind = models.CharField(_("kind of activity"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    place = models.CharField(_("place"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="facilitated_activities",
                                          verbose_name=_("facilitators"))
    service = models.ForeignKey("catalogue.ServiceKind", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="activities", verbose_name=_("service"))
    # Free text until M&E programmes have their own records (a later issue).
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-starts_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["org_unit", "held_on"], name="activity_unit_day"),
            models.Index(fields=["held_on", "kind"], name="activity_day_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["group", "individual", "open"]),
                                   name="activity_kind_known"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="activity_ends_after_start"),
            models.CheckConstraint(condition=models.Q(held_on__gte=EARLIEST), name="activity_date_sane"),
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90) | models.Q(latitude=None),
                                   name="activity_latitude_range"),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180) | models.Q(longitude=None),
                name="activity_longitude_range"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        SCANNED = "scanned", _("Card scanned or its code typed")
        CODE = "code", _("Client code typed")
        PICKED = "picked", _("Chosen from the list")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances",
                                 verbose_name=_("activity"))
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="attendances",
                               verbose_name=_("client"))
    method = models.CharField(_("how the client was identified"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["activity", "client"], name="attendance_once_per_client"),
        ]
        indexes = [models.Index(fields=["client"], name="attendance_client")]

    def __str__(self) -> str:
        return f"{self.client} at {self.activity_id}"


class OtherParticipants(models.Model):
    """People who are not clients (family members, the public), counted, never named."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="others",
                                 verbose_name=_("activity"))
    count = models.PositiveIntegerField(_("number of people"))
    category = models.CharField(_("who they are"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("other participants")
        verbose_name_plural = _("other participants")
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1, count__lte=10000),
                                   name="other_participants_count_range"),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.category}"


def photo_path(instance, filename: str) -> str:
    """A name that says nothing: the upload's own name is never kept."""
    return f"activities/{uuid.uuid4().hex}.jpg"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos",
                                 verbose_name=_("activity"))
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # Whoever uploaded it confirmed that the clients in it agreed (required once clients attend).
    clients_consented = models.BooleanField(_("the clients in the photo agreed"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return f"photo {self.pk} of {self.activity_id}"
