"""Every write on activities: recording one, correcting or removing it, its attendance, other participants and
photos.

Each takes `by=`, runs in one transaction, locks the activity row so that two people recording at the same
moment decide one after the other, and writes an audit event. A client attends an activity once (the
database constraint is the last word under concurrency).

**An individual activity has exactly one client.** A second client is refused, other participants are refused,
and a kind cannot be corrected to "individual" while more than one client or any other participant is recorded.
Until its one client is recorded an individual activity is *incomplete*: its page asks to add the person who took
part, and the monthly summary does not count it among individual activities but lists it as incomplete
(`selectors.monthly_summary`).

**Correcting and removing** (`update_activity`, `remove_activity`): the department's workers and heads who may record
activities there (RECORD_ACTIVITIES over its unit) correct the date and times, title, place, kind, facilitators,
service, programme and notes; the department itself never changes (record a new activity instead). An activity is
removed only while no client attends it and no photo is attached; counted other participants (head counts, no
person) go with it and the audit event keeps their number. The chosen rule is the simpler one: there is no head's
override with a reason; whoever removes an activity removes its clients' attendance first (each removal audited),
so no client's attendance disappears without its own trace.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event
from socmon.clients.models import Client
from socmon.clients.search import full_code
from socmon.lib.dates import check_past, collect, field_error
from socmon.visits import tokens

from . import access
from .models import Activity, ActivityPhoto, Attendance, OtherParticipants
from .photos import clean_photo


def not_found_message() -> str:
    # One answer for a code that names nobody and for a real client outside one's scope: nothing is told.
    return _("No client with this code can be recorded here. Check the code, or scan the check-in code on the "
             "person's card. Nothing was recorded.")


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("org_unit").get(pk=activity.pk)


def _require_recorder(by, activity: Activity) -> None:
    if not access.may_record_in(by, activity):
        raise PermissionDenied


def _check_details(*, org_unit, held_on, starts_at, ends_at, facilitators, latitude, longitude,
                   today: datetime.date) -> None:
    """The rules a recorded and a corrected activity share; every wrong field at once."""
    allowed = set(access.facilitators_of(org_unit).values_list("pk", flat=True))

    def check_facilitators():
        if not facilitators:
            raise field_error("facilitators", _("Choose at least one facilitator."), "facilitators_required")
        if any(f.pk not in allowed for f in facilitators):
            raise field_error("facilitators", _("Facilitators must work in the activity's department."),
                              "facilitator_outside")

    def check_times():
        if ends_at <= starts_at:
            raise field_error("ends_at", _("The end time must be after the start time."), "time_order")

    def check_position():
        if (latitude is None) != (longitude is None):
            raise field_error("longitude", _("Enter both the latitude and the longitude, or neither."),
                              "position_half")

    collect(lambda: check_past(held_on, field="held_on", today=today,
                               future=_("The date of an activity must be today or in the past.")),
            check_times, check_facilitators, check_position)


@transaction.atomic
def record_activity(*, by, org_unit, kind: str, title: str, held_on: datetime.date, starts_at: datetime.time,
                    ends_at: datetime.time, place: str, facilitators, latitude: Decimal | None = None,
                    longitude: Decimal | None = None, service=None, programme: str = "", notes: str = "",
                    today: datetime.date | None = None) -> Activity:
    today = today or timezone.localdate()
    if not access.recording_departments(by).filter(pk=org_unit.pk).exists():
        raise PermissionDenied
    facilitators = list(facilitators)
    _check_details(org_unit=org_unit, held_on=held_on, starts_at=starts_at, ends_at=ends_at,
                   facilitators=facilitators, latitude=latitude, longitude=longitude, today=today)
    activity = Activity.objects.create(
        org_unit=org_unit, kind=kind, title=title, held_on=held_on, starts_at=starts_at, ends_at=ends_at,
        place=place, latitude=latitude, longitude=longitude, service=service, programme=programme, notes=notes,
        created_by=by)
    activity.facilitators.set(facilitators)
    record_event(by=by, action=AuditAction.ACTIVITY_RECORDED, target=activity, org_path=org_unit.path,
                 kind=kind, held_on=held_on.isoformat())
    return activity


CORRECTABLE = ("kind", "title", "held_on", "starts_at", "ends_at", "place", "latitude", "longitude", "service",
               "programme", "notes")


@transaction.atomic
def update_activity(*, by, activity: Activity, kind: str, title: str, held_on: datetime.date,
                    starts_at: datetime.time, ends_at: datetime.time, place: str, facilitators,
                    latitude: Decimal | None = None, longitude: Decimal | None = None, service=None,
                    programme: str = "", notes: str = "", today: datetime.date | None = None) -> Activity:
    """Correct a recorded activity (not its department). Audited with what changed, before and after."""
    today = today or timezone.localdate()
    activity = _lock(activity)
    _require_recorder(by, activity)
    facilitators = list(facilitators)
    _check_details(org_unit=activity.org_unit, held_on=held_on, starts_at=starts_at, ends_at=ends_at,
                   facilitators=facilitators, latitude=latitude, longitude=longitude, today=today)
    if kind == Activity.Kind.INDIVIDUAL and activity.kind != Activity.Kind.INDIVIDUAL:
        if activity.attendances.count() > 1 or activity.others.exists():
            raise field_error("kind", _("An individual activity has exactly one client and no other participants: "
                                        "remove the others first, or keep the kind."), "individual_too_many")
    values = {"kind": kind, "title": title, "held_on": held_on, "starts_at": starts_at, "ends_at": ends_at,
              "place": place, "latitude": latitude, "longitude": longitude, "service": service,
              "programme": programme, "notes": notes}
    changed = {}
    for name, value in values.items():
        before = getattr(activity, name)
        if before != value:
            changed[name] = [_shown(before), _shown(value)]
            setattr(activity, name, value)
    before_people = set(activity.facilitators.values_list("pk", flat=True))
    after_people = {f.pk for f in facilitators}
    if before_people != after_people:
        changed["facilitators"] = [sorted(before_people), sorted(after_people)]
        activity.facilitators.set(facilitators)
    if not changed:
        return activity
    activity.save(update_fields=[name for name in CORRECTABLE if name in changed])
    record_event(by=by, action=AuditAction.ACTIVITY_CORRECTED, target=activity, org_path=activity.org_unit.path,
                 changed=changed)
    return activity


def _shown(value):
    """A value as the audit trail keeps it (JSON): dates and times as text, rows by id."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def removal_refused(activity: Activity) -> str:
    """Why the activity cannot be removed now, or "" while it is empty."""
    if activity.attendances.exists():
        return _("Clients are recorded as attending this activity: remove their attendance first, or correct the "
                 "activity instead.")
    if activity.photos.exists():
        return _("A photo is attached to this activity, so it cannot be removed. Correct the activity instead.")
    return ""


@transaction.atomic
def remove_activity(*, by, activity: Activity) -> None:
    """Remove an activity recorded by mistake, only while nobody is recorded at it and no photo is attached."""
    activity = _lock(activity)
    _require_recorder(by, activity)
    refused = removal_refused(activity)
    if refused:
        raise ValidationError(refused, code="activity_not_empty")
    record_event(by=by, action=AuditAction.ACTIVITY_REMOVED, target=activity, org_path=activity.org_unit.path,
                 kind=activity.kind, title=activity.title, held_on=activity.held_on.isoformat(),
                 others=sum(activity.others.values_list("count", flat=True)))
    activity.delete()


def client_for_code(by, text: str) -> tuple[Client, str]:
    """The client a typed client code or a scanned (or typed) card check-in code names, if the user may record
    them as attending, with how they were identified; else ValidationError on "code" (one message for all)."""
    text = (text or "").strip()
    code = full_code(text)
    if code:
        client = access.attendable_clients(by).filter(code=code).first()
        method = Attendance.Method.CODE
    else:
        try:
            card = tokens.read_check_in(text)
        except tokens.TokenRejected as rejected:
            if rejected.reason == tokens.Reason.MALFORMED:
                raise field_error("code", rejected.message, "code_malformed") from None
            if rejected.reason == tokens.Reason.REVOKED:
                raise field_error("code", rejected.message, "card_revoked") from None
            raise field_error("code", not_found_message(), "client_not_found") from None
        client = access.attendable_clients(by).filter(pk=card.client_id).first()
        method = Attendance.Method.SCANNED
    if client is None:
        raise field_error("code", not_found_message(), "client_not_found")
    return client, method


@transaction.atomic
def add_attendance(*, by, activity: Activity, client: Client, method: str, field: str = "code") -> Attendance:
    activity = _lock(activity)
    _require_recorder(by, activity)
    if not access.attendable_clients(by).filter(pk=client.pk).exists():
        raise field_error(field, not_found_message(), "client_not_found")
    if Attendance.objects.filter(activity=activity, client=client).exists():
        raise field_error(field, _("%(code)s is already recorded at this activity.") % {"code": client.code},
                          "attendance_twice")
    if activity.kind == Activity.Kind.INDIVIDUAL and activity.attendances.exists():
        raise field_error(field, _("An individual activity has exactly one client, and one is already recorded."),
                          "individual_one_client")
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(activity=activity, client=client, method=method, recorded_by=by)
    except IntegrityError:  # the same client, recorded at the same moment by someone else
        raise field_error(field, _("%(code)s is already recorded at this activity.") % {"code": client.code},
                          "attendance_twice") from None
    record_event(by=by, action=AuditAction.ACTIVITY_ATTENDANCE_ADDED, target=activity,
                 org_path=activity.org_unit.path, client=client.code, method=method)
    return attendance


@transaction.atomic
def remove_attendance(*, by, attendance: Attendance) -> None:
    activity = _lock(attendance.activity)
    _require_recorder(by, activity)
    deleted, _rows = Attendance.objects.filter(pk=attendance.pk).delete()
    if deleted:
        record_event(by=by, action=AuditAction.ACTIVITY_ATTENDANCE_REMOVED, target=activity,
                     org_path=activity.org_unit.path, client=attendance.client.code)


@transaction.atomic
def add_others(*, by, activity: Activity, count: int, category: str = "") -> OtherParticipants:
    activity = _lock(activity)
    _require_recorder(by, activity)
    if activity.kind == Activity.Kind.INDIVIDUAL:
        raise field_error("count", _("An individual activity has one client and no other participants."),
                          "individual_no_others")
    if not 1 <= count <= 10000:
        raise field_error("count", _("Enter a number from 1 to 10000."), "count_range")
    others = OtherParticipants.objects.create(activity=activity, count=count, category=category, recorded_by=by)
    record_event(by=by, action=AuditAction.ACTIVITY_OTHERS_ADDED, target=activity, org_path=activity.org_unit.path,
                 count=count, category=category)
    return others


@transaction.atomic
def add_photo(*, by, activity: Activity, upload, clients_consented: bool) -> ActivityPhoto:
    """Store a photo without EXIF. Once clients attend, whoever uploads confirms that the clients in it agreed."""
    activity = _lock(activity)
    _require_recorder(by, activity)
    if activity.attendances.exists() and not clients_consented:
        raise field_error("clients_consented", _("Clients attend this activity: confirm that the clients in the "
                                                 "photo agreed to it being taken and kept, or do not upload it."),
                          "photo_consent_required")
    clean = clean_photo(upload)
    photo = ActivityPhoto(activity=activity, width=clean.width, height=clean.height,
                          clients_consented=clients_consented, uploaded_by=by)
    photo.image.save("photo.jpg", ContentFile(clean.content), save=False)
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    record_event(by=by, action=AuditAction.ACTIVITY_PHOTO_ADDED, target=activity, org_path=activity.org_unit.path,
                 photo=photo.pk, clients_consented=clients_consented)
    return photo
