"""Odd patterns in visits, flagged for the head (DESIGN: "The visit and the two QR codes").

A flag is a reason to look, never a verdict: a short visit may be a client who was not at home.
Thresholds are settings:
- SOCMON_FLAG_SHORT_VISIT_MINUTES (5): a finished visit shorter than this;
- SOCMON_FLAG_FAR_CHECK_IN_M (500): a check-in further than this from the client's address;
- SOCMON_FLAG_TOP_RATING_RUN (5, at least 5): a worker whose last N ratings are all 10;
- a worker with two visits in progress at the same time (overlapping check-in to check-out);
- SOCMON_FLAG_SERVICE_MINUTES_TOLERANCE (15): a finished visit whose services add up to more minutes than
  the time between check-in and check-out, by more than this (services are recorded only while the visit
  is open, so the minutes or the check-out time are off; the worker is warned at check-out, not blocked).
Each message names the worker (and the client's code where there is one): the head reads them in one list.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from socmon.accounts.models import User

from .models import Rating, Visit
from .planning import setting


@dataclass(frozen=True)
class Flag:
    kind: str  # short | far | top_ratings | overlap | service_minutes
    message: str
    worker_id: int
    visit_id: int | None = None
    # What else names the flag: the other visit of an overlap; the latest rating of a run of top ratings
    # (a worker-level flag is that run: a new rating makes a new flag, to be checked again).
    other_visit_id: int | None = None
    rating_id: int | None = None

    @property
    def key(self) -> tuple:
        """The flag's identity, stable across requests (what a head's FlagCheck is stored under)."""
        if self.visit_id is not None:
            return (self.kind, self.visit_id)
        return (self.kind, self.worker_id, self.rating_id)


def short_minutes() -> int:
    return int(setting("SOCMON_FLAG_SHORT_VISIT_MINUTES", 5))


def far_metres() -> int:
    return int(setting("SOCMON_FLAG_FAR_CHECK_IN_M", 500))


def top_rating_run() -> int:
    return max(5, int(setting("SOCMON_FLAG_TOP_RATING_RUN", 5)))


def service_minutes_tolerance() -> int:
    return int(setting("SOCMON_FLAG_SERVICE_MINUTES_TOLERANCE", 15))


def person(user) -> str:
    return user.get_full_name() or user.username


def visit_minutes(visit: Visit) -> int | None:
    if visit.checked_in_at is None or visit.checked_out_at is None:
        return None
    return int((visit.checked_out_at - visit.checked_in_at).total_seconds() // 60)


def short_visit_flags(visits: list[Visit]) -> list[Flag]:
    limit = short_minutes()
    return [
        Flag("short", _("%(worker)s: the visit to %(client)s lasted %(minutes)s min (less than %(limit)s).")
             % {"worker": person(v.worker), "client": v.client.code, "minutes": minutes, "limit": limit},
             v.worker_id, v.pk)
        for v in visits if (minutes := visit_minutes(v)) is not None and minutes < limit
    ]


def far_check_in_flags(visits: list[Visit]) -> list[Flag]:
    limit = far_metres()
    return [
        Flag("far", _("%(worker)s: the check-in at %(client)s was %(metres)s m from the address "
                      "(more than %(limit)s m).")
             % {"worker": person(v.worker), "client": v.client.code, "metres": v.check_in_distance_m,
                "limit": limit}, v.worker_id, v.pk)
        for v in visits if v.check_in_distance_m is not None and v.check_in_distance_m > limit
    ]


def overlap_flags(visits: list[Visit], now: datetime.datetime) -> list[Flag]:
    """Visits of one worker whose check-in to check-out spans overlap (two homes at once)."""
    flags = []
    by_worker: dict[int, list[Visit]] = {}
    for visit in visits:
        if visit.checked_in_at is not None:
            by_worker.setdefault(visit.worker_id, []).append(visit)
    for worker_visits in by_worker.values():
        worker_visits.sort(key=lambda v: v.checked_in_at)
        for earlier, later in zip(worker_visits, worker_visits[1:], strict=False):
            if later.checked_in_at < (earlier.checked_out_at or now):
                flags.append(Flag("overlap", _("%(worker)s: the visits to %(first)s and %(second)s overlap in time.")
                                  % {"worker": person(later.worker), "first": earlier.client.code,
                                     "second": later.client.code}, later.worker_id, later.pk,
                                  other_visit_id=earlier.pk))
    return flags


def service_overrun(visit: Visit) -> tuple[int, int] | None:
    """(minutes of services, minutes between check-in and check-out) when the services exceed the visit by more
    than the tolerance; None otherwise or while the visit is open. Uses the visit's (prefetched) services."""
    length = visit_minutes(visit)
    if length is None:
        return None
    recorded = sum(d.minutes for d in visit.services.all())
    return (recorded, length) if recorded > length + service_minutes_tolerance() else None


def service_minutes_flags(visits: list[Visit]) -> list[Flag]:
    return [
        Flag("service_minutes", _("%(worker)s: %(services)s min of services were recorded at %(client)s, but the "
                                  "visit lasted %(minutes)s min from check-in to check-out.")
             % {"worker": person(v.worker), "client": v.client.code, "services": over[0], "minutes": over[1]},
             v.worker_id, v.pk)
        for v in visits if (over := service_overrun(v)) is not None
    ]


def top_rating_flags(workers: list[User]) -> list[Flag]:
    """Workers whose last N ratings are all 10 (one query, a window per worker)."""
    run = top_rating_run()
    by_id = {w.pk: w for w in workers}
    latest = (
        Rating.objects.filter(visit__worker__in=list(by_id))
        .annotate(rank=Window(RowNumber(), partition_by=F("visit__worker"), order_by=[F("created_at").desc(),
                                                                                          F("pk").desc()]))
        .filter(rank__lte=run).values_list("visit__worker", "score", "pk", "rank")
    )
    scores: dict[int, list[int]] = {}
    newest: dict[int, int] = {}
    for worker_id, score, rating_id, rank in latest:
        scores.setdefault(worker_id, []).append(score)
        if rank == 1:
            newest[worker_id] = rating_id
    return [
        Flag("top_ratings", _("%(worker)s: the last %(count)s ratings of their visits are all 10.")
             % {"worker": person(by_id[worker_id]), "count": run}, worker_id, rating_id=newest[worker_id])
        for worker_id, got in scores.items() if len(got) == run and all(s == 10 for s in got)
    ]


def no_card_flags(visits: list[Visit]) -> list[Flag]:
    """Visits opened without scanning the client's card (kind "no_card"): the reason chosen, or the worker's own
    words for another one. Not a verdict either: a person's first visits come before their card is printed."""
    def reason(v: Visit) -> str:
        label = Visit.NoCardReason(v.no_card_reason).label
        note = v.no_card_note.rstrip(" .")
        return note if v.no_card_reason == Visit.NoCardReason.OTHER else (f"{label} ({note})" if note else label)

    return [
        Flag("no_card", _("%(worker)s: the visit to %(client)s was opened without the card. Reason: %(reason)s.")
             % {"worker": person(v.worker), "client": v.client.code, "reason": reason(v)}, v.worker_id, v.pk)
        for v in visits if v.no_card_reason
    ]


def flags_for(visits: list[Visit], workers: list[User], now: datetime.datetime) -> list[Flag]:
    """Every flag for these visits (with client, worker and services loaded) and workers."""
    return (short_visit_flags(visits) + far_check_in_flags(visits) + overlap_flags(visits, now)
            + service_minutes_flags(visits) + top_rating_flags(workers)
            + no_card_flags(visits))
