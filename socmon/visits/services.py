"""Every write about visits: atomic, by a named user (or the client's code), audited.

The field flow (R-3.1, R-3.2): `check_in` (the worker scanned the client's card) → `record_service`
for each service delivered → `check_out` → `rate_visit` by the client with a rating code.
Cards: `issue_card` (reissue revokes the previous card and with it both of its codes).
"""

import datetime
import math
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.accounts.models import User
from socmon.audit.actions import AuditAction
from socmon.audit.services import PUBLIC, record_event
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.lib.dates import field_error

from . import tokens
from .models import ClientCard, Rating, ServiceDelivery, Visit

MIN_MINUTES, MAX_MINUTES = 1, 480
EARTH_RADIUS_M = 6_371_000


def haversine_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


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
def check_in(*, by: User, client: Client, position=None, now: datetime.datetime | None = None) -> Visit:
    """Open (or resume) today's visit of `by` to `client`: only for a client on their current caseload.

    Reuses today's planned visit for this client and worker if there is one, else creates one. Scanning
    again during an open visit returns that visit unchanged. `position` is the phone's (lat, lon), optional.
    """
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
    visit = mine_today.filter(status=Visit.Status.PLANNED).order_by("route_order", "window_start", "pk").first()
    if visit is None:
        visit = Visit(client=client, worker=by, org_unit=client.org_unit, planned_for=today, created_by=by)
    visit.status = Visit.Status.IN_PROGRESS
    visit.checked_in_at = now
    point = _position(position)
    if point is not None:
        visit.check_in_latitude, visit.check_in_longitude = point
        if client.latitude is not None and client.longitude is not None:
            visit.check_in_distance_m = round(haversine_m(*point, client.latitude, client.longitude))
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the database's last line: one visit in progress per client and day
        raise ValidationError(_("A visit to this person is already in progress."), code="in_progress") from None
    record_event(by=by, action=AuditAction.VISIT_CHECKED_IN, target=visit, org_path=visit.org_unit.path,
                 client=client.code, distance_m=visit.check_in_distance_m)
    return visit


start_visit = check_in


def _require_open_visit_of(by: User, visit: Visit) -> None:
    if visit.worker_id != by.pk:
        raise PermissionDenied
    if visit.status != Visit.Status.IN_PROGRESS:
        raise ValidationError(_("This visit is not in progress, so it cannot be changed."), code="not_in_progress")


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
    if not apps.is_installed("socmon.cases"):
        return None
    from socmon.cases.models import Case, Decision, PlanService

    plan_services = PlanService.objects.filter(
        plan__case__client=client, plan__status=Decision.APPROVED,
    ).exclude(plan__case__status=Case.Status.CLOSED)
    latest = plan_services.order_by("-plan_id").values_list("plan_id", flat=True).first()
    if latest is None:
        return None
    return set(plan_services.filter(plan_id=latest).values_list("service_id", flat=True))


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
def check_out(*, by: User, visit: Visit, now: datetime.datetime | None = None, notes: str | None = None) -> Visit:
    """Close `by`'s open visit: record the end time (after the check-in) and the notes."""
    _require_open_visit_of(by, visit)
    now = now or timezone.now()
    if visit.checked_in_at is None or now <= visit.checked_in_at:
        raise ValidationError(_("The visit cannot end before it started."), code="check_out_before_check_in")
    visit.checked_out_at = now
    visit.status = Visit.Status.DONE
    fields = ["checked_out_at", "status"]
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
        raise tokens.TokenRejected(tokens.Reason.USED) from None
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
