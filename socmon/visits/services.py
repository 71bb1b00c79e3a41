"""Every write about visits: atomic, by a named user (or the client's code, or the system), audited.

The field flow (R-3.1, R-3.2): `check_in` (the worker scanned the client's card) → `record_service`
for each service delivered → `check_out` → `rate_visit` by the client with a rating code. Without the card
(none yet, lost, damaged), `check_in_without_card` opens the visit with a stated reason, flagged for the head.
Cards: `issue_card` (reissue revokes the previous card and with it both of its codes); `issue_missing_cards`
for a worker's bulk print of the people who have none.
Planning (R-3.4): `plan_day`, `move_visit`, `add_visit` (the due rules are planning.py's, the order
routing.py's); `mark_missed_visits` is the nightly job (`by=SYSTEM`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.accounts.access import APPROVE_CASES, PLAN_VISITS, in_reach, reach_paths
from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.services import PUBLIC, SYSTEM, record_event
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.indicators.stale import mark_rows
from socmon.lib import dates
from socmon.lib.dates import field_error
from socmon.lib.geo import haversine_m
from socmon.orgs.models import OrgUnit

from . import selectors, tokens  # selectors as a module: it imports services too
from .access import flag_unit_for
from .models import ClientCard, EffectiveStatus, FlagCheck, PlannedService, Rating, ServiceDelivery, Visit
from .planning import may_plan_for, planned_minutes, services_due
from .routing import RoutePlan, route_day

MIN_MINUTES, MAX_MINUTES = 1, 480
MARK_BATCH = 500


def is_on_caseload(worker: User, client: Client, today: datetime.date | None = None) -> bool:
    return current_assignments(today).filter(worker=worker, client=client).exists()


def _position(position) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) as 6-decimal Decimals from a pair or a mapping; None if absent or out of range."""
    if not position:
        return None
    if isinstance(position, dict):
        position = (position.get("latitude"), position.get("longitude"))
    try:
        lat, lon = (Decimal(str(v)).quantize(Decimal("0.000001")) for v in position[:2])
    except (ArithmeticError, TypeError, ValueError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


@transaction.atomic
def check_in(*, by: User, client: Client, position=None, now: datetime.datetime | None = None,
             confirmed: bool = False) -> Visit:
    """Open (or resume) today's visit of `by` to `client`: only for a client on their current caseload.

    Reuses today's planned visit for this client and worker if there is one, else creates one. Scanning
    again during an open visit returns that visit unchanged. `position` is the phone's (lat, lon), optional.
    A new visit right after a finished one the same day is usually a second scan by mistake: it is opened
    only when `confirmed` (else ValidationError code "confirm_repeat").
    """
    return _open_visit(by=by, client=client, position=position, now=now, confirmed=confirmed)


@transaction.atomic
def check_in_without_card(*, by: User, client: Client, reason: str, note: str = "", position=None,
                          now: datetime.datetime | None = None, confirmed: bool = False) -> Visit:
    """Open today's visit to a client whose card cannot be scanned (none yet, lost, damaged, not shown).

    The same rules as `check_in` (own caseload only, one visit in progress, a repeat asks first, an open
    visit is resumed unchanged), plus a reason from `Visit.NoCardReason`; "other" needs a note. The reason
    is kept on the visit and flagged for the head (flags.no_card_flags)."""
    if reason not in Visit.NoCardReason.values:
        raise field_error("reason", _("Say why the card was not scanned."), "reason_required")
    note = (note or "").strip()[:300]
    if reason == Visit.NoCardReason.OTHER and not note:
        raise field_error("note", _("Say what happened to the card."), "note_required")
    return _open_visit(by=by, client=client, position=position, now=now, confirmed=confirmed,
                       no_card=(reason, note))


def _open_visit(*, by: User, client: Client, position, now: datetime.datetime | None, confirmed: bool,
                no_card: tuple[str, str] | None = None) -> Visit:
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_on_caseload(by, client, today):
        raise PermissionDenied(_("This person is not on your caseload today, so no visit was opened. "
                                 "Nothing was recorded."))
    # One check-in of a client at a time: the second of two simultaneous scans waits here, then resumes.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    mine_today = Visit.objects.select_for_update().filter(client=client, worker=by, planned_for=today)
    visit = mine_today.filter(status=Visit.Status.IN_PROGRESS).first()
    if visit is not None:
        visit.resumed = True
        return visit
    if not confirmed and Visit.objects.filter(client=client, planned_for=today, status=Visit.Status.DONE).exists():
        raise ValidationError(_("A visit to %(client)s was already finished today. Start another visit only if "
                                "you came back to the person.") % {"client": client.code}, code="confirm_repeat")
    visit = mine_today.filter(status=Visit.Status.PLANNED).order_by("route_order", "window_start", "pk").first()
    if visit is None:
        visit = Visit(client=client, worker=by, org_unit=client.org_unit, planned_for=today, created_by=by)
    visit.status = Visit.Status.IN_PROGRESS
    visit.checked_in_at = now
    visit.no_card_reason, visit.no_card_note = no_card or ("", "")
    point = _position(position)
    if point is not None:
        visit.check_in_latitude, visit.check_in_longitude = point
        if client.latitude is not None and client.longitude is not None:
            visit.check_in_distance_m = round(haversine_m(point, (client.latitude, client.longitude)))
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the database's last line: one visit in progress per client and day
        raise ValidationError(_("A visit to this person is already in progress."), code="in_progress") from None
    if no_card is None:
        record_event(by=by, action=AuditAction.VISIT_CHECKED_IN, target=visit, org_path=visit.org_unit.path,
                     client=client.code, distance_m=visit.check_in_distance_m)
    else:
        record_event(by=by, action=AuditAction.VISIT_CHECKED_IN_WITHOUT_CARD, target=visit,
                     org_path=visit.org_unit.path, client=client.code, distance_m=visit.check_in_distance_m,
                     reason=no_card[0], note=no_card[1])
    return visit


start_visit = check_in


def other_visits_in_progress(worker: User, visit: Visit):
    """The worker's other visits still open (a check-out forgotten, or a check-in at the wrong person)."""
    return (Visit.objects.filter(worker=worker, status=Visit.Status.IN_PROGRESS).exclude(pk=visit.pk)
            .select_related("client").order_by("checked_in_at"))


def _locked(visit: Visit) -> Visit:
    """Lock the visit's row and read its state again: of two presses at once, the second sees the first's result."""
    fresh = Visit.objects.select_for_update().get(pk=visit.pk)
    visit.status, visit.checked_out_at = fresh.status, fresh.checked_out_at
    return visit


def _require_open_visit_of(by: User, visit: Visit) -> None:
    if visit.worker_id != by.pk:
        raise PermissionDenied
    _locked(visit)
    if visit.status != Visit.Status.IN_PROGRESS:
        raise ValidationError(_("This visit is not in progress, so it cannot be changed."), code="not_in_progress")


def heads_over(by: User, visit: Visit) -> bool:
    """The head of the visit's department (plans its visits or decides its cases) corrects a finished visit."""
    paths = reach_paths(by, PLAN_VISITS, roles={Role.HEAD}) + reach_paths(by, APPROVE_CASES, roles={Role.HEAD})
    return in_reach(visit.org_unit.path, paths)


def may_correct_service(user: User, visit: Visit) -> bool:
    """The worker while the visit is open; the head once it is done. Nobody else, ever."""
    if visit.status == Visit.Status.IN_PROGRESS:
        return visit.worker_id == user.pk
    return visit.status == Visit.Status.DONE and heads_over(user, visit)


def _reason(text, field: str, message: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise field_error(field, message, "reason_required")
    return reason[:300]


@transaction.atomic
def cancel_visit(*, by: User, visit: Visit, reason: str) -> Visit:
    """The worker cancels a check-in opened by mistake, with a reason, before any service is recorded.

    Recorded services are never dropped silently: the worker removes them first (each removal is audited)."""
    _require_open_visit_of(by, visit)
    reason = _reason(reason, "reason", _("Say why the visit is cancelled, for example: wrong person's card."))
    if visit.services.exists():
        raise ValidationError(_("Services are recorded for this visit. Remove them first if they were not "
                                "delivered, then cancel the visit."), code="has_services")
    visit.status, visit.cancel_reason = Visit.Status.CANCELLED, reason
    visit.save(update_fields=["status", "cancel_reason"])
    record_event(by=by, action=AuditAction.VISIT_CANCELLED, target=visit, org_path=visit.org_unit.path,
                 client=visit.client.code, reason=reason)
    return visit


def _require_correctable(by: User, delivery: ServiceDelivery) -> Visit:
    visit = _locked(delivery.visit)
    if not may_correct_service(by, visit):  # e.g. the worker after check-out: the head corrects from then on
        raise PermissionDenied
    if not ServiceDelivery.objects.filter(pk=delivery.pk).exists():
        raise ValidationError(_("This service was already removed."), code="removed")
    return visit


@transaction.atomic
def correct_service(*, by: User, delivery: ServiceDelivery, minutes, reason: str = "") -> ServiceDelivery:
    """Correct the minutes of a recorded service: the worker before check-out; the head after, with a reason."""
    visit = _require_correctable(by, delivery)
    minutes = validate_minutes(minutes)
    reason = (reason or "").strip()[:300]
    if visit.status == Visit.Status.DONE:
        reason = _reason(reason, "reason", _("Say why the minutes are corrected after the visit ended."))
    old = ServiceDelivery.objects.get(pk=delivery.pk).minutes
    delivery.minutes = minutes
    delivery.save(update_fields=["minutes"])
    record_event(by=by, action=AuditAction.VISIT_SERVICE_CORRECTED, target=visit, org_path=visit.org_unit.path,
                 service=delivery.service.code, old_minutes=old, new_minutes=minutes, reason=reason,
                 after_check_out=visit.status == Visit.Status.DONE)
    return delivery


@transaction.atomic
def remove_service(*, by: User, delivery: ServiceDelivery) -> None:
    """The worker removes a service recorded by mistake, while the visit is open."""
    visit = _require_correctable(by, delivery)
    if visit.status != Visit.Status.IN_PROGRESS:
        raise ValidationError(_("A finished visit's services are not removed: the head corrects their minutes."),
                              code="not_removable")
    record_event(by=by, action=AuditAction.VISIT_SERVICE_REMOVED, target=visit, org_path=visit.org_unit.path,
                 service=delivery.service.code, old_minutes=delivery.minutes)
    delivery.delete()


def validate_minutes(minutes) -> int:
    try:
        value = int(minutes)
    except (TypeError, ValueError):
        value = None
    if value is None or str(minutes).strip() != str(value):
        raise field_error("minutes", _("Enter the minutes as a whole number, for example 30."), "minutes_invalid")
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise field_error("minutes", _("Enter between %(min)s and %(max)s minutes.")
                          % {"min": MIN_MINUTES, "max": MAX_MINUTES}, "minutes_range")
    return value


def planned_service_ids(client: Client) -> set[int] | None:
    """Ids of the services in the client's current approved plan; None when the person has none.

    With None, any active catalogue service may be recorded without a reason.
    """
    items = plan_services_of([client.pk]).get(client.pk)
    return None if items is None else {item.service_id for item in items}


def plan_services_of(client_ids) -> dict[int, list]:
    """The cases app's approved plan services per client id (nothing when the cases app is not installed)."""
    if not apps.is_installed("socmon.cases"):
        return {}
    from socmon.cases.selectors import approved_plan_services

    return approved_plan_services(client_ids)


@transaction.atomic
def record_service(*, by: User, visit: Visit, service: ServiceKind, minutes, unplanned_reason: str = "",
                   ) -> ServiceDelivery:
    """Record a service delivered during `by`'s open visit. A service outside the plan needs a reason."""
    _require_open_visit_of(by, visit)
    minutes = validate_minutes(minutes)
    if not service.is_active:
        raise field_error("service", _("This service is no longer offered. Choose another."), "service_inactive")
    reason = (unplanned_reason or "").strip()
    planned = planned_service_ids(visit.client)
    if planned is not None and service.pk not in planned and not reason:
        raise field_error("unplanned_reason", _("This service is not in the person's plan: say why it was delivered."),
                          "reason_required")
    if planned is not None and service.pk in planned:
        reason = ""
    delivery = ServiceDelivery.objects.create(visit=visit, service=service, minutes=minutes,
                                              unplanned_reason=reason[:300])
    record_event(by=by, action=AuditAction.VISIT_SERVICE_RECORDED, target=visit, org_path=visit.org_unit.path,
                 service=service.code, minutes=minutes, unplanned=bool(reason))
    return delivery


@transaction.atomic
def check_out(*, by: User, visit: Visit, now: datetime.datetime | None = None, notes: str | None = None,
              no_service_reason: str = "") -> Visit:
    """Close `by`'s open visit: record the end time (after the check-in) and the notes.

    A visit without any service recorded is closed as done only with a reason (the person was not at home…)."""
    _require_open_visit_of(by, visit)
    now = now or timezone.now()
    if visit.checked_in_at is None or now <= visit.checked_in_at:
        raise ValidationError(_("The visit cannot end before it started."), code="check_out_before_check_in")
    fields = ["checked_out_at", "status"]
    if not visit.services.exists():
        visit.no_service_reason = _reason(
            no_service_reason, "no_service_reason",
            _("No service is recorded for this visit: record the services delivered, or say why there were none."))
        fields.append("no_service_reason")
    visit.checked_out_at = now
    visit.status = Visit.Status.DONE
    if notes is not None:
        visit.notes = notes.strip()
        fields.append("notes")
    visit.save(update_fields=fields)
    record_event(by=by, action=AuditAction.VISIT_CHECKED_OUT, target=visit, org_path=visit.org_unit.path,
                 minutes=round((now - visit.checked_in_at).total_seconds() / 60))
    return visit


SCORES = range(1, 11)  # a rating is a whole number from 1 to 10


def validate_score(score) -> int:
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = None
    if value not in SCORES:
        raise field_error("score", _("Choose a number from 1 to 10."), "score_invalid")
    return value


@transaction.atomic
def rate_visit(*, token: str, score, comment: str = "", now: datetime.datetime | None = None,
               on_workers_device: bool = False) -> Rating:
    """The client's rating of the visit their code names (R-3.2). Anonymous: the code is the authority.

    `on_workers_device` (the browser was signed in as the visit's worker: the phone was handed over) is
    kept in the audit trail, so that the head can spot a worker who rates their own visits.

    Raises `tokens.TokenRejected` for a code that does not allow a rating now (including a second rating
    of the same visit: one per visit is enforced by the database), `ValidationError` for a bad score.
    """
    score = validate_score(score)
    target = tokens.read_rating(token, now=now)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(visit=target.visit, score=score, comment=(comment or "").strip()[:1000],
                                           channel=target.channel)
    except IntegrityError:
        raise tokens.TokenRejected(tokens.Reason.USED, language=target.visit.client.language) from None
    record_event(by=PUBLIC, action=AuditAction.VISIT_RATED, target=target.visit, org_path=target.visit.org_unit.path,
                 score=score, channel=target.channel, on_workers_device=on_workers_device)
    return rating


@transaction.atomic
def issue_card(*, by: User, client: Client) -> ClientCard:
    """Issue the client's card, or reissue it: the previous card and both its codes stop working."""
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one issuer at a time per client
    now = timezone.now()
    revoked = ClientCard.objects.filter(client=client, revoked_at=None).update(revoked_at=now)
    last = ClientCard.objects.filter(client=client).aggregate(v=Max("version"))["v"] or 0
    card = ClientCard.objects.create(client=client, version=last + 1, issued_by=by)
    record_event(by=by, action=AuditAction.CARD_REISSUED if revoked else AuditAction.CARD_ISSUED, target=card,
                 org_path=client.org_unit.path, client=client.code, version=card.version)
    return card


def active_card(client: Client) -> ClientCard | None:
    return ClientCard.objects.filter(client=client, revoked_at=None).first()


@transaction.atomic
def issue_missing_cards(*, by: User, clients: list[Client]) -> list[ClientCard]:
    """The cards of `by`'s own clients among `clients`, issuing one where a person has none (in the order given).

    Never reissues: a person who got a card meanwhile (a second press, a colleague's print at the same moment)
    keeps it and that card is returned, so nothing printed before stops working. Each card issued is audited
    by `issue_card`; the locks are taken in one order so that two such prints never deadlock."""
    own = set(current_assignments().filter(worker=by, client__in=[c.pk for c in clients])
              .values_list("client", flat=True))
    if any(c.pk not in own for c in clients):
        raise PermissionDenied
    list(Client.objects.select_for_update().filter(pk__in=own).order_by("pk").values_list("pk", flat=True))
    return [active_card(client) or issue_card(by=by, client=client) for client in clients]


# --- Planning (R-3.4) ---------------------------------------------------------------------------------

def _require_plan(by, worker: User) -> None:
    if by is not SYSTEM and not may_plan_for(by, worker):  # the nightly job plans every worker's day
        raise PermissionDenied


@dataclass
class DayPlan:
    created: list[Visit]
    route: RoutePlan


@transaction.atomic
def plan_day(*, by, worker: User, day: datetime.date) -> DayPlan:
    """Create the visits due on `day` for the worker's caseload (idempotent) and order the day's route.

    `by` is the head or worker who pressed the button, or SYSTEM for the nightly job."""
    _require_plan(by, worker)
    client_ids = current_assignments(day).filter(worker=worker).values("client")
    clients = list(Client.objects.filter(pk__in=client_ids, is_active=True).select_related("org_unit"))
    already = set(
        Visit.objects.filter(client__in=clients, planned_for=day).exclude(status=Visit.Status.CANCELLED)
        .values_list("client", flat=True)
    )
    due = services_due([c for c in clients if c.pk not in already], day)
    created = []
    for client in clients:
        if client.pk in due:
            created.append(_create_visit(by=by, client=client, worker=worker, day=day, services=due[client.pk]))
    route = route_day(worker=worker, day=day)
    record_event(by=by, action=AuditAction.DAY_PLANNED, target=worker, org_path=_path_of(clients),
                 day=day.isoformat(), created=len(created), unfit=len(route.unfit))
    return DayPlan(created=created, route=route)


def _path_of(clients: list[Client]) -> str:
    return clients[0].org_unit.path if clients else ""


def _create_visit(*, by, client: Client, worker: User, day: datetime.date, services: list[ServiceKind],
                  window_start: datetime.time | None = None, window_end: datetime.time | None = None) -> Visit:
    visit = Visit.objects.create(
        client=client, worker=worker, org_unit=client.org_unit, planned_for=day, window_start=window_start,
        window_end=window_end, planned_minutes=planned_minutes(services), created_by=None if by is SYSTEM else by,
    )
    PlannedService.objects.bulk_create([PlannedService(visit=visit, service=s) for s in services])
    return visit


def _check_worker_of(worker: User, unit: OrgUnit) -> None:
    if not Membership.objects.filter(user=worker, org_unit=unit, role=Role.WORKER).exists():
        raise field_error("worker", _("%(name)s is not a social worker of %(unit)s.")
                          % {"name": worker.get_full_name() or worker.username, "unit": unit.name},
                          "not_a_worker_here")


def _check_day(day: datetime.date, now: datetime.datetime | None) -> None:
    """A visit is planned from today up to the planning horizon."""
    today = timezone.localdate(now or timezone.now())
    if day < today:
        raise field_error("planned_for", _("Choose today or a later day."), "day_in_past")
    dates.check_planned(day, field="planned_for", today=today, earliest=today)


@transaction.atomic
def move_visit(*, by: User, visit: Visit, day: datetime.date, worker: User,
               now: datetime.datetime | None = None) -> Visit:
    """Move a planned visit to another day and/or another worker of the same department; reorder both days."""
    if not in_reach(visit.org_unit.path, reach_paths(by, PLAN_VISITS)):
        raise PermissionDenied
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError(_("Only a visit that has not started yet can be moved."), code="not_planned")
    _check_day(day, now)
    _check_worker_of(worker, visit.org_unit)
    old_worker, old_day = visit.worker, visit.planned_for
    visit.planned_for, visit.worker, visit.route_order = day, worker, None
    visit.save(update_fields=["planned_for", "worker", "route_order"])
    route_day(worker=old_worker, day=old_day)
    if (old_worker.pk, old_day) != (worker.pk, day):
        route_day(worker=worker, day=day)
    record_event(by=by, action=AuditAction.VISIT_MOVED, target=visit, org_path=visit.org_unit.path,
                 from_day=old_day.isoformat(), to_day=day.isoformat(), from_worker=old_worker.pk, to_worker=worker.pk)
    visit.refresh_from_db(fields=["route_order"])
    return visit


@transaction.atomic
def add_visit(*, by: User, client: Client, worker: User, day: datetime.date, services: list[ServiceKind],
              window_start: datetime.time | None = None, window_end: datetime.time | None = None,
              now: datetime.datetime | None = None) -> Visit:
    """A head adds a visit for a client of their department, for one of its workers; the day is reordered."""
    if not in_reach(client.org_unit.path, reach_paths(by, PLAN_VISITS)):
        raise PermissionDenied
    _check_day(day, now)
    _check_worker_of(worker, client.org_unit)
    if window_start and window_end and window_end <= window_start:
        raise field_error("window_end", _("The end of the time window must be after its start."), "window_order")
    if Visit.objects.filter(client=client, planned_for=day).exclude(status=Visit.Status.CANCELLED).exists():
        raise ValidationError(_("%(client)s already has a visit on that day.") % {"client": client.code},
                              code="duplicate_visit")
    visit = _create_visit(by=by, client=client, worker=worker, day=day, services=services,
                          window_start=window_start, window_end=window_end)
    route_day(worker=worker, day=day)
    record_event(by=by, action=AuditAction.VISIT_ADDED, target=visit, org_path=client.org_unit.path,
                 client=client.code, worker=worker.pk, day=day.isoformat())
    visit.refresh_from_db(fields=["route_order"])
    return visit


@transaction.atomic
def mark_missed_visits(*, by=SYSTEM, now: datetime.datetime) -> int:
    """Store "missed" on the planned visits that are missed at `now` (the one rule: their day has passed).

    The nightly job (`by=SYSTEM`). Idempotent; pages show such visits as missed before it runs.
    One audit event per visit, so each department's trail shows its own.
    """
    due = (Visit.objects.with_effective_status(now)
           .filter(status=Visit.Status.PLANNED, effective_status=EffectiveStatus.MISSED)
           .select_related("org_unit", "client").select_for_update(of=("self",)))
    visits = list(due)
    ids, marked = [v.pk for v in visits], 0
    for start in range(0, len(ids), MARK_BATCH):  # bounded IN lists (SQLite caps query parameters)
        marked += Visit.objects.filter(pk__in=ids[start:start + MARK_BATCH], status=Visit.Status.PLANNED).update(
            status=Visit.Status.MISSED)
    mark_rows(Visit, ids)  # an update sends no signal: indicators reading visits by status learn of it here
    for visit in visits:
        record_event(by=by, action=AuditAction.VISITS_MARKED_MISSED, target=visit, org_path=visit.org_unit.path,
                     client=visit.client.code, day=visit.planned_for.isoformat())
    return marked


# --- The head checks a flag ---------------------------------------------------------------------------------

def _already_checked(check: FlagCheck) -> ValidationError:
    return ValidationError(
        _("%(person)s marked this flag as checked first, at %(time)s: “%(comment)s”. Nothing else was recorded.")
        % {"person": check.checked_by, "time": timezone.localtime(check.checked_at).strftime("%H:%M"),
           "comment": check.comment}, code="already_checked")


@transaction.atomic
def mark_flag_checked(*, by: User, kind: str, comment: str, visit: Visit | None = None, worker: User | None = None,
                      rating_id: int | None = None, now: datetime.datetime | None = None) -> FlagCheck:
    """A head marks a flag as checked, with what they found. A visit's flag is named by `visit` and `kind`; a
    worker-level flag by `worker`, `kind` and `rating_id` (the latest rating of the run the head saw).

    Only a head of the flag's department; only a flag raised now (not one that went away or a run that grew
    since the page was drawn). One check per flag: the database decides between two heads pressing at once
    and the second is told who checked it first."""
    now = now or timezone.now()
    worker = visit.worker if visit is not None else worker
    unit = flag_unit_for(by, visit=visit, worker=worker)
    if unit is None:
        raise PermissionDenied
    comment = (comment or "").strip()[:1000]
    if not comment:
        raise field_error("comment", _("Say what you found when you looked at it."), "comment_required")
    flag = (selectors.raised_visit_flag(visit, kind, now) if visit is not None
            else selectors.raised_worker_flag(worker, kind))
    if flag is None or (visit is None and flag.rating_id != rating_id):
        raise ValidationError(_("This flag is no longer raised as it was shown: new check-outs or ratings have "
                                "changed it. Go back to the live view to see it as it is now."), code="not_raised")
    identity = {"visit": visit} if visit is not None else {"visit": None, "worker": worker, "rating_id": rating_id}
    earlier = FlagCheck.objects.filter(kind=kind, **identity).select_related("checked_by").first()
    if earlier is not None:
        raise _already_checked(earlier)
    try:
        with transaction.atomic():
            check = FlagCheck.objects.create(kind=kind, visit=visit, worker=worker, rating_id=flag.rating_id,
                                             org_unit=unit, checked_by=by, checked_at=now, comment=comment)
    except IntegrityError:  # another head's check of the same flag committed while this one waited
        raise _already_checked(FlagCheck.objects.select_related("checked_by").get(kind=kind, **identity)) from None
    record_event(by=by, action=AuditAction.VISIT_FLAG_CHECKED, target=check, org_path=unit.path, kind=kind,
                 visit=visit.pk if visit is not None else None, worker=worker.pk, comment=comment)
    return check
