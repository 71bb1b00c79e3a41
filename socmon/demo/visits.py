"""Demo visits (issue #4): offices, three weeks of visits in Talgar's Home Care Department for believable
reports, and today's day for `worker` with one visit done, one flagged and one in progress (opened without the
card, which was lost: flagged too). The head has already looked into the flagged visit's far check-in and marked
it checked with a comment, so the live view shows both open and checked flags.

Planning goes through socmon.visits.services (the due rule and pyvroom); the past is then filled in
directly, as if the field flow had run on those days. Does nothing without demo clients.
"""

import datetime
import random

from django.utils import timezone

from socmon.accounts.models import Role, User
from socmon.cases.models import PlanService
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit
from socmon.visits import services as visit_services
from socmon.visits.models import Office, Rating, ServiceDelivery, Visit

HOME_CARE = "talgar-csc-d1"
OFFICES = {  # department code → (latitude, longitude, address)
    "talgar-csc-d1": (43.3036, 77.2408, "Talgar, Konaev Street 58"),
    "talgar-csc-d2": (43.3036, 77.2408, "Talgar, Konaev Street 58"),
    "konaev-tcss-d1": (43.8660, 77.0630, "Konaev, microdistrict 1, 12"),
    "kokshetau-csc-d1": (53.2830, 69.3880, "Kokshetau, Abay Street 89"),
}
PAST_WORKING_DAYS = 15
SCORES = [6, 7, 8, 8, 9, 9, 9, 10, 10, 10]
COMMENTS = ["Thank you, she was very attentive.", "Спасибо, всё сделали вовремя.", "Came on time.",
            "Рахмет!", "Could stay a little longer next time.", ""]


def _aware(day: datetime.date, minutes_after_nine: int) -> datetime.datetime:
    start = datetime.datetime.combine(day, datetime.time(9, 0)) + datetime.timedelta(minutes=minutes_after_nine)
    return timezone.make_aware(start)


def _deliver(visit: Visit, rnd: random.Random, fallback: list[ServiceKind]) -> int:
    kinds = [p.service for p in visit.planned_services.all()] or rnd.sample(fallback, k=2)
    total = 0
    for kind in kinds:
        minutes = max(5, round(kind.norm_minutes * rnd.uniform(0.75, 1.3)))
        ServiceDelivery.objects.create(visit=visit, service=kind, minutes=minutes)
        total += minutes
    return total


def _finish(visit: Visit, rnd: random.Random, fallback, *, started: datetime.datetime, score: int | None,
            distance: int | None = None, minutes: int | None = None) -> None:
    spent = _deliver(visit, rnd, fallback)
    visit.status = Visit.Status.DONE
    visit.checked_in_at = started
    visit.checked_out_at = started + datetime.timedelta(minutes=minutes or spent + rnd.randint(3, 12))
    visit.check_in_distance_m = distance if distance is not None else rnd.randint(5, 90)
    visit.save(update_fields=["status", "checked_in_at", "checked_out_at", "check_in_distance_m"])
    if score is not None:
        Rating.objects.create(visit=visit, score=score, comment=rnd.choice(COMMENTS),
                              channel=rnd.choice(list(Rating.Channel.values)))


def _plan_services(client: Client, today: datetime.date) -> list[ServiceKind]:
    """The services of the client's approved plan running today (empty without one), as planning would pick."""
    rows = PlanService.objects.filter(plan__case__client=client, plan__status="approved", plan__starts_on__lte=today,
                                      plan__ends_on__gte=today).exclude(plan__case__status="closed")
    return [row.service for row in rows.select_related("service").order_by("-plan__pk", "pk")]


def _offices() -> None:
    for code, (lat, lon, address) in OFFICES.items():
        unit = OrgUnit.objects.filter(code=code).first()
        if unit:
            Office.objects.get_or_create(org_unit=unit, defaults={"latitude": lat, "longitude": lon,
                                                                  "address": address})


def _past(workers: list[User], head: User, rnd: random.Random, fallback) -> None:
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(1, 30)]
    days = [d for d in days if d.weekday() < 5][:PAST_WORKING_DAYS]
    for day in sorted(days):
        for worker in workers:
            visit_services.plan_day(by=head, worker=worker, day=day)
            visits = Visit.objects.filter(worker=worker, planned_for=day, status=Visit.Status.PLANNED)
            for visit in visits.order_by("route_order", "pk").prefetch_related("planned_services__service"):
                if rnd.random() < 0.08:
                    visit.status = Visit.Status.MISSED  # nobody at home; never checked in
                    visit.save(update_fields=["status"])
                    continue
                # worker2's last ratings are all 10: the head's live view flags the run.
                score = 10 if worker.username == "worker2" else rnd.choice(SCORES)
                _finish(visit, rnd, fallback, started=_aware(day, 20 + 55 * ((visit.route_order or 1) - 1)),
                        score=score if rnd.random() < 0.85 else None)


def _today(workers: list[User], head: User, rnd: random.Random, fallback) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for worker in workers:
        visit_services.plan_day(by=head, worker=worker, day=today)
        # Today's caseload: a hand-over that starts tomorrow still leaves today's visit with this worker.
        on_caseload = current_assignments(today).filter(worker=worker).values("client")
        clients = list(Client.objects.filter(pk__in=on_caseload).exclude(visits__planned_for=today).order_by("pk"))
        # Weekends and quiet days: the head adds a few visits so the demo day is never empty.
        for client in clients[: max(0, 5 - Visit.objects.filter(worker=worker, planned_for=today).count())]:
            visit_services.add_visit(by=head, client=client, worker=worker, day=today,
                                     services=_plan_services(client, today) or rnd.sample(fallback, k=2))
    mine = list(Visit.objects.filter(worker__username="worker", planned_for=today).order_by("route_order", "pk")
                .prefetch_related("planned_services__service"))
    if len(mine) >= 3:
        _finish(mine[0], rnd, fallback, started=now - datetime.timedelta(hours=4), score=9)
        # A visit of three minutes, checked in 900 m from the address: flagged for the head.
        _finish(mine[1], rnd, fallback, started=now - datetime.timedelta(minutes=70), score=None, distance=900,
                minutes=3)
        mine[2].status, mine[2].checked_in_at = Visit.Status.IN_PROGRESS, now - datetime.timedelta(minutes=25)
        mine[2].check_in_distance_m = 35
        mine[2].no_card_reason = Visit.NoCardReason.LOST  # opened without the card: a flag for the head
        mine[2].save(update_fields=["status", "checked_in_at", "check_in_distance_m", "no_card_reason"])
        visit_services.mark_flag_checked(
            by=head, kind="far", visit=mine[1], now=now,
            comment="Called the client: the worker left the car at the market and walked; the address is right.")
    local = timezone.localtime(now)
    if len(mine) >= 4 and local.hour >= 10:  # a window that ended an hour ago: the live view shows it late
        mine[3].window_start = (local - datetime.timedelta(hours=2)).time().replace(second=0, microsecond=0)
        mine[3].window_end = (local - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
        mine[3].save(update_fields=["window_start", "window_end"])


def build() -> None:
    department = OrgUnit.objects.filter(code=HOME_CARE).first()
    if department is None or not Client.objects.filter(org_unit=department).exists():
        return
    head = User.objects.filter(memberships__org_unit=department, memberships__role=Role.HEAD).first()
    workers = list(User.objects.filter(memberships__org_unit=department, memberships__role=Role.WORKER)
                   .order_by("pk"))
    fallback = list(ServiceKind.objects.filter(is_active=True, domain=ServiceKind.Domain.HOUSEHOLD))
    if head is None or not workers or len(fallback) < 2:
        return
    rnd = random.Random(2026)
    _offices()
    _past(workers, head, rnd, fallback)
    _today(workers, head, rnd, fallback)
