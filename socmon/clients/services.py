"""Every write about clients: atomic, by a named user, audited."""

import datetime
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.accounts.models import User
from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event
from socmon.lib import dates
from socmon.lib.dates import collect, field_error
from socmon.orgs.models import OrgUnit

from .access import may_change_client, may_manage_caseload, registration_departments, workers_of
from .models import (
    Application,
    CaseloadAssignment,
    Client,
    ClientAccessLog,
    name_key,
    name_key_last_first,
    normalise_document_number,
)

# What a staff member may enter or change about a person (minimum necessary data, R-1.3).
PERSON_FIELDS = frozenset({
    "first_name", "last_name", "birth_date", "sex", "category", "language", "document_number", "address",
    "latitude", "longitude", "access_notes", "phone", "trusted_person_name", "trusted_person_phone",
    "accessibility_needs", "consent_given_on", "consent_scope",
})


def log_client_view(*, by: User, client: Client, what: str, purpose: str = "") -> ClientAccessLog:
    """Record that `by` opened `what` ("client record", "case", …) of `client` (R-1.3)."""
    return ClientAccessLog.objects.create(user=by, client=client, what=what[:100], purpose=purpose[:300])


def _check_person(person: dict[str, Any], today: datetime.date) -> None:
    """Every rule about a person's record (the form only parses): no caller can store a person who cannot
    exist. Errors are keyed by field and raised together."""
    unknown = set(person) - PERSON_FIELDS
    if unknown:
        raise ValueError(f"Unknown client fields: {sorted(unknown)}")
    birth_date, consent = person["birth_date"], person["consent_given_on"]
    collect(lambda: dates.check_birth_date(birth_date, today=today),
            lambda: _check_consent(consent, birth_date, today),
            lambda: _check_coordinates(person.get("latitude"), person.get("longitude")))


def _check_consent(consent: datetime.date, birth_date: datetime.date, today: datetime.date) -> None:
    field = "consent_given_on"
    dates.check_past(consent, field=field, today=today, earliest=dates.EARLIEST,
                     future=_("The date of consent must be today or in the past."))
    dates.check_order(birth_date, consent, field=field,
                      message=_("The date of consent cannot be before the date of birth."))


def _check_coordinates(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise field_error("longitude" if longitude is None else "latitude",
                          _("Enter both latitude and longitude, or leave both empty."), "coordinates_pair")


def _apply_person(client: Client, person: dict[str, Any]) -> None:
    for field, value in person.items():
        setattr(client, field, value)
    client.document_number = normalise_document_number(client.document_number or "")
    client.search_name = name_key(client.first_name, client.last_name)
    client.search_name_last_first = name_key_last_first(client.first_name, client.last_name)
    client.accessibility_needs = sorted(set(client.accessibility_needs or []))


def _check_application(channel: str, received_on: datetime.date, birth_date: datetime.date,
                       today: datetime.date) -> None:
    if channel not in Application.Channel.values:
        raise field_error("channel", _("Choose how the application came in."), "channel")
    dates.check_past(received_on, field="received_on", today=today,
                     future=_("The date the application was received must be today or in the past."))
    dates.check_order(birth_date, received_on, field="received_on",
                      message=_("The application cannot have been received before the person was born."))


def _check_worker(worker: User, department: OrgUnit) -> None:
    if not workers_of(department).filter(pk=worker.pk).exists():
        raise field_error("worker", _("%(name)s is not a social worker of %(department)s.")
                          % {"name": worker, "department": department.name}, "worker_department")


@transaction.atomic
def register_application(*, by: User, department: OrgUnit, person: dict[str, Any], channel: str,
                         request_text: str, received_on: datetime.date, worker: User | None = None,
                         today: datetime.date | None = None) -> Application:
    """Register a new person and their application (R-2.1); they get a client code and, when `worker`
    is given, join that worker's caseload from `today`. Client, application and assignment are stored
    together or not at all."""
    today = today or timezone.localdate()
    if not registration_departments(by).filter(pk=department.pk).exists():
        raise PermissionDenied
    collect(lambda: _check_person(person, today),
            lambda: _check_application(channel, received_on, person["birth_date"], today))
    if worker is not None:
        _check_worker(worker, department)
    client = Client(org_unit=department, created_by=by)
    _apply_person(client, person)
    client.full_clean()
    client.save()
    record_event(by=by, action=AuditAction.CLIENT_REGISTERED, target=client, org_path=department.path, code=client.code)
    application = _create_application(by=by, client=client, channel=channel, request_text=request_text,
                                      received_on=received_on)
    if worker is not None:
        _assign_one(by=by, client=client, worker=worker, today=today)
    return application


def _create_application(*, by: User, client: Client, channel: str, request_text: str,
                        received_on: datetime.date) -> Application:
    application = Application(client=client, org_unit=client.org_unit, channel=channel,
                              request_text=request_text.strip(), received_on=received_on, registered_by=by)
    application.full_clean()
    application.save()
    record_event(by=by, action=AuditAction.APPLICATION_REGISTERED, target=application, org_path=client.org_unit.path,
                 client=client.code, channel=channel)
    return application


@transaction.atomic
def add_application(*, by: User, client: Client, channel: str, request_text: str, received_on: datetime.date,
                    today: datetime.date | None = None) -> Application:
    """A new request from a person who is already a client (someone found by the duplicate warning)."""
    if not may_change_client(by, client):
        raise PermissionDenied
    _check_application(channel, received_on, client.birth_date, today or timezone.localdate())
    return _create_application(by=by, client=client, channel=channel, request_text=request_text,
                               received_on=received_on)


@transaction.atomic
def update_client(*, by: User, client: Client, person: dict[str, Any],
                  today: datetime.date | None = None) -> Client:
    if not may_change_client(by, client):
        raise PermissionDenied
    _check_person(person, today or timezone.localdate())
    changed = sorted(f for f, v in person.items() if getattr(client, f) != v)
    _apply_person(client, person)
    client.full_clean()
    client.save(update_fields=sorted(PERSON_FIELDS | {"search_name", "search_name_last_first"}))
    # Field names only: the audit trail must not become a second copy of the personal data.
    record_event(by=by, action=AuditAction.CLIENT_UPDATED, target=client, org_path=client.org_unit.path, fields=changed)
    return client


def _assign_one(*, by: User, client: Client, worker: User, today: datetime.date) -> str:
    """Put `client` on `worker`'s caseload. A client nobody holds joins today; a client someone holds
    moves tomorrow, so nobody's list for today changes under them (R-2.5). Returns "today", "tomorrow"
    or "unchanged"."""
    tomorrow = today + datetime.timedelta(days=1)
    current = CaseloadAssignment.objects.select_for_update().filter(client=client, ends_on=None).first()
    if current is None:
        CaseloadAssignment.objects.create(client=client, worker=worker, starts_on=today, assigned_by=by)
        outcome = "today"
    elif current.worker_id == worker.pk:
        return "unchanged"
    elif current.starts_on > today:
        # A move already planned for tomorrow: replace it (or cancel it when going back to the holder).
        previous = CaseloadAssignment.objects.filter(client=client, ends_on=current.starts_on).first()
        current.delete()
        if previous is not None and previous.worker_id == worker.pk:
            previous.ends_on = None
            previous.save(update_fields=["ends_on"])
        else:
            CaseloadAssignment.objects.create(client=client, worker=worker, starts_on=current.starts_on,
                                              assigned_by=by)
        outcome = "tomorrow"
    else:
        current.ends_on = tomorrow
        current.save(update_fields=["ends_on"])
        CaseloadAssignment.objects.create(client=client, worker=worker, starts_on=tomorrow, assigned_by=by)
        outcome = "tomorrow"
    record_event(by=by, action=AuditAction.CASELOAD_ASSIGNED, target=client, org_path=client.org_unit.path,
                 worker=worker.pk, previous_worker=current.worker_id if current else None,
                 starts_on=(today if outcome == "today" else tomorrow).isoformat())
    return outcome


def caseload_stamp(department: OrgUnit) -> str:
    """A fingerprint of the department's current and coming assignments: the caseloads a head saw.

    The caseload page sends it back as `seen`; if it changed meanwhile, someone else reassigned first."""
    rows = (CaseloadAssignment.objects.filter(client__org_unit=department)
            .filter(Q(ends_on=None) | Q(ends_on__gt=timezone.localdate()))
            .order_by("pk").values_list("pk", "worker_id", "ends_on"))
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:20]


def _caseload_changed() -> ValidationError:
    return ValidationError(_("Someone else has just changed the caseloads of this department. Nothing was "
                             "moved: check the list below and try again."), code="caseload_changed")


@transaction.atomic
def assign_clients(*, by: User, department: OrgUnit, clients: list[Client], worker: User,
                   today: datetime.date | None = None, seen: str | None = None) -> dict[str, int]:
    """Assign or reassign clients of `department` to one of its workers, all or none.
    `seen`: the caseload_stamp the head decided on; refused when someone else changed the caseloads since.
    Returns how many start today, how many move tomorrow and how many stayed as they were."""
    today = today or timezone.localdate()
    if not may_manage_caseload(by, department):
        raise PermissionDenied
    # One change of a department's caseloads at a time; the second of two sees the first's result.
    OrgUnit.objects.select_for_update().filter(pk=department.pk).first()
    if seen is not None and seen != caseload_stamp(department):
        raise _caseload_changed()
    _check_worker(worker, department)
    outside = [c.code for c in clients if c.org_unit_id != department.pk]
    if outside:
        raise ValidationError(_("These clients are not served by %(department)s: %(codes)s.")
                              % {"department": department.name, "codes": ", ".join(outside)}, code="department")
    counts = {"today": 0, "tomorrow": 0, "unchanged": 0}
    try:
        with transaction.atomic():
            for client in clients:
                counts[_assign_one(by=by, client=client, worker=worker, today=today)] += 1
    except IntegrityError:  # the database's last line: one open assignment per client
        raise _caseload_changed() from None
    return counts


@transaction.atomic
def hand_over_caseload(*, by: User, department: OrgUnit, from_worker: User, to_worker: User,
                       today: datetime.date | None = None, seen: str | None = None) -> dict[str, int]:
    """Move every client `from_worker` holds in `department` (today or from tomorrow) to `to_worker`,
    for instance when a worker leaves. Takes effect tomorrow."""
    if from_worker.pk == to_worker.pk:
        raise field_error("to_worker", _("Choose a different social worker to take over the clients."), "same_worker")
    held = Client.objects.filter(org_unit=department, assignments__worker=from_worker,
                                 assignments__ends_on=None).distinct()
    return assign_clients(by=by, department=department, clients=list(held), worker=to_worker, today=today,
                          seen=seen)
