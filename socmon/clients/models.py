"""People who receive services. Reports and exports use the pseudonymous `code`, never the name (R-2.1)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from socmon.lib.dates import EARLIEST

# Unambiguous characters: no 0/O, 1/I/L, so a code read aloud on the phone survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_client_code() -> str:
    return "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def name_key(first_name: str, last_name: str) -> str:
    """A case-folded "first last" for search and duplicate checks; SQLite's LIKE folds ASCII only,
    and most names here are in Cyrillic or Azerbaijani Latin."""
    return " ".join(f"{first_name} {last_name}".casefold().split())


def name_key_last_first(first_name: str, last_name: str) -> str:
    """The same, surname first: SQLite finds names by an indexed prefix of either key (clients.search)."""
    return " ".join(f"{last_name} {first_name}".casefold().split())


def normalise_document_number(value: str) -> str:
    return "".join(value.split()).upper()


class Client(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Need(models.TextChoices):
        LARGE_PRINT = "large_print", _("Large print")
        SIGN_LANGUAGE = "sign_language", _("Sign language")
        SCREEN_READER = "screen_reader", _("Screen reader")
        EASY_READ = "easy_read", _("Easy-read")
        AUDIO = "audio", _("Audio")

    code = models.CharField(_("client code"), max_length=12, unique=True, default=new_client_code, editable=False)
    # The department that serves the person; access to the record follows this unit's place in the tree.
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="clients",
                                 verbose_name=_("department"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Kept in step with the names by the services (clients.services): see name_key().
    search_name = models.CharField(max_length=201, blank=True, db_index=True, editable=False)
    search_name_last_first = models.CharField(max_length=201, blank=True, db_index=True, editable=False)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    category = models.ForeignKey("catalogue.ClientCategory", on_delete=models.PROTECT, related_name="clients",
                                 verbose_name=_("category"))
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, default="ru")
    document_number = models.CharField(_("identity document number"), max_length=40, blank=True,
                                       db_index=True)
    address = models.CharField(_("address"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # How to get in, for whoever visits: entrance, intercom, keys, a dog in the yard (issue 8, My day).
    access_notes = models.CharField(_("how to get in"), max_length=500, blank=True)
    trusted_person_name = models.CharField(_("trusted person"), max_length=200, blank=True)
    trusted_person_phone = models.CharField(_("trusted person's phone"), max_length=40, blank=True)
    accessibility_needs = models.JSONField(_("accessibility needs"), default=list, blank=True)
    consent_given_on = models.DateField(_("consent to data processing given on"))
    consent_scope = models.CharField(_("consent covers"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("registered by"))

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [models.Index(fields=["last_name", "first_name", "birth_date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90) | models.Q(latitude=None),
                                   name="client_latitude_range"),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180) | models.Q(longitude=None),
                name="client_longitude_range"),
            models.CheckConstraint(condition=models.Q(birth_date__gte=EARLIEST), name="client_birth_date_sane"),
            models.CheckConstraint(condition=models.Q(consent_given_on__gte=models.F("birth_date")),
                                   name="client_consent_not_before_birth"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CaseloadAssignment(models.Model):
    """A client on a worker's caseload from `starts_on` until the day before `ends_on` (R-2.5).

    Reassignments take effect the next day, so a worker's list for today never changes under them.
    At most one open assignment per client (database constraint).
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments",
                               verbose_name=_("client"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload",
                               verbose_name=_("social worker"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("assigned by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("caseload assignment")
        verbose_name_plural = _("caseload assignments")
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=models.Q(ends_on=None),
                                    name="caseload_one_open_assignment_per_client"),
            models.CheckConstraint(condition=models.Q(ends_on=None) | models.Q(ends_on__gt=models.F("starts_on")),
                                   name="caseload_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.worker} ({self.starts_on}–{self.ends_on or ''})"

    @property
    def last_day(self) -> datetime.date | None:
        """The last day on the worker's list (`ends_on` is the first day off it)."""
        return self.ends_on - datetime.timedelta(days=1) if self.ends_on else None


class ClientAccessLog(models.Model):
    """Append-only: every view of a client or case page (R-1.3). `purpose` is required when the
    viewer is not the client's own worker, head or director chain (stated on screen, visible to the head)."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("who"))
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="access_log",
                               verbose_name=_("client"))
    what = models.CharField(_("what was opened"), max_length=100)
    purpose = models.CharField(_("stated purpose"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("client record access")
        verbose_name_plural = _("client record accesses")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what} {self.client}"


class Application(models.Model):
    """A request for help registered by a staff member (R-2.1): who asked, how, for what, and when."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        RELATIVE = "relative", _("By a relative or trusted person")
        PHONE = "phone", _("By phone")
        ONLINE = "online", _("Online")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("client"))
    # The department that received the application and serves the person.
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="applications",
                                 verbose_name=_("department"))
    channel = models.CharField(_("how the application came in"), max_length=20, choices=Channel.choices)
    request_text = models.TextField(_("what the person asks for"), max_length=2000)
    received_on = models.DateField(_("received on"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=["in_person", "relative", "phone", "online"]),
                                   name="application_channel_known"),
            models.CheckConstraint(condition=models.Q(received_on__gte=EARLIEST), name="application_received_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.received_on} {self.channel}"
