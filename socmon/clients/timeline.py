"""One timeline per client: home visits (services, minutes, notes, the person's rating) and case events
(assessment, plan, reviews, referrals, closure), newest first, grouped by day, paged by day.

Within the viewer's access: the client was opened through `clients.access` (the caller's `client_page`);
visits come from `visits.access.visits_visible_to` (a worker sees their own visits, a head their
department's), and each visit shows its rating exactly as the visit page does to whoever sees the visit.
Case events are the client's cases' timelines (a case is visible whenever its client is); a referral shows
through its events (sent, accepted or declined, outcome), with the referral's current status beside them.

A page costs the same whatever the client's history: each stream gives its newest `per_page + 1` rows
before the cursor (a day), read off an index; the two are merged and the page ends with a whole day (its
rows read again in full), so the next page starts at that day and no day is ever split between pages.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from socmon.cases.models import Case, CaseEvent, Referral
from socmon.visits.access import visits_visible_to
from socmon.visits.models import EffectiveStatus, ServiceDelivery, Visit

from .models import Client

PER_PAGE = 50
CLIENT_PAGE_ENTRIES = 10  # the client page shows the newest entries; the timeline page the older ones


@dataclass
class Entry:
    """A visit or a case event, with the moment it sorts by within its day."""

    day: datetime.date
    moment: datetime.datetime
    visit: Visit | None = None
    event: CaseEvent | None = None
    referral: Referral | None = None

    @property
    def key(self) -> tuple:
        return (self.day, self.moment, self.visit is not None, (self.visit or self.event).pk)


@dataclass
class Day:
    day: datetime.date
    entries: list[Entry] = field(default_factory=list)


@dataclass
class TimelinePage:
    days: list[Day]
    before: datetime.date | None  # this page shows days before this one (None: from today)
    older: datetime.date | None  # the cursor of the next page; None when nothing older is left

    def __bool__(self) -> bool:
        return bool(self.days)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _visits(user, client: Client, now: datetime.datetime) -> QuerySet[Visit]:
    """The client's visits the user may see, up to today; none still ahead of its time."""
    return (visits_visible_to(user).filter(client=client, planned_for__lte=timezone.localdate(now))
            .with_effective_status(now).exclude(effective_status=EffectiveStatus.PLANNED)
            .select_related("rating")
            .prefetch_related(Prefetch("services", ServiceDelivery.objects.select_related("service")))
            .order_by("-planned_for", "-pk"))


def _events(client: Client) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case__in=Case.objects.filter(client=client).values("pk")).select_related(
        "actor").order_by("-at", "-pk")


def _visit_entry(visit: Visit) -> Entry:
    clock = visit.checked_in_at or _start_of(visit.planned_for)
    if not visit.checked_in_at and visit.window_start:
        clock = timezone.make_aware(datetime.datetime.combine(visit.planned_for, visit.window_start))
    visit.status_label = EffectiveStatus(visit.effective_status).label
    visit.total_minutes = sum(d.minutes for d in visit.services.all())
    return Entry(visit.planned_for, clock, visit=visit)


def _event_entry(event: CaseEvent) -> Entry:
    if "reason" in event.detail:  # a closure proposal's reason, as the case page names it
        event.reason_label = dict(Case.ClosureReason.choices).get(event.detail["reason"], "")
    return Entry(timezone.localdate(event.at), event.at, event=event)


def client_timeline(user, client: Client, *, now: datetime.datetime, before: datetime.date | None = None,
                    per_page: int = PER_PAGE) -> TimelinePage:
    """The page of the client's timeline with the days before `before` (None: from today), newest first."""
    visits, events = _visits(user, client, now), _events(client)
    limit = before or timezone.localdate(now) + datetime.timedelta(days=1)
    entries = [_visit_entry(v) for v in visits.filter(planned_for__lt=limit)[: per_page + 1]]
    entries += [_event_entry(e) for e in events.filter(at__lt=_start_of(limit))[: per_page + 1]]
    entries.sort(key=lambda e: e.key, reverse=True)
    older = None
    if len(entries) > per_page:
        # Finish the last day: its rows in full, and the page after starts below it.
        last = entries[per_page - 1].day
        day_after = last + datetime.timedelta(days=1)
        entries = [e for e in entries if e.day > last]
        entries += [_visit_entry(v) for v in visits.filter(planned_for=last)]
        entries += [_event_entry(e) for e in events.filter(at__gte=_start_of(last), at__lt=_start_of(day_after))]
        entries.sort(key=lambda e: e.key, reverse=True)
        if visits.filter(planned_for__lt=last).exists() or events.filter(at__lt=_start_of(last)).exists():
            older = last
    _attach_referrals(client, entries)
    return TimelinePage(_by_day(entries), before, older)


def _attach_referrals(client: Client, entries: list[Entry]) -> None:
    """The referral behind each referral event (its programme and where it stands now): one query a page."""
    wanted = {e.event.detail.get("referral") for e in entries if e.event and e.event.detail.get("referral")}
    if not wanted:
        return
    referrals = Referral.objects.filter(client=client, pk__in=wanted).select_related("to_unit").in_bulk()
    for entry in entries:
        if entry.event:
            entry.referral = referrals.get(entry.event.detail.get("referral"))


def _by_day(entries: list[Entry]) -> list[Day]:
    days: list[Day] = []
    for entry in entries:
        if not days or days[-1].day != entry.day:
            days.append(Day(entry.day))
        days[-1].entries.append(entry)
    return days
