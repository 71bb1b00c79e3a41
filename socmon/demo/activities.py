"""Demo activities (issue 9): a month of group, individual and open activities in Talgar's Home Care Department,
with clients attending (some at several) and other participants counted, so that the list, the export and the
monthly summary show believable figures.

Recorded through socmon.activities.services, as the department's workers would, on past days of the last
month. Deterministic. Does nothing without demo clients. Photos are left out (nothing to photograph).
"""

import datetime
import random

from django.utils import timezone

from socmon.accounts.models import Role, User
from socmon.activities import services
from socmon.activities.models import Activity, Attendance
from socmon.catalogue.models import ServiceKind
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit

from .visits import HOME_CARE, OFFICES

GROUP = [("Chair exercises", "cultural"), ("Memory club", "psychological"), ("Craft workshop", "cultural"),
         ("Healthy cooking", "household"), ("Tea and talk", "communicative")]
INDIVIDUAL = [("Benefits advice", "legal"), ("Talk with the psychologist", "psychological"),
              ("Help with a smartphone", "communicative")]
OPEN = [("Open day at the centre", "cultural"), ("Nauryz celebration", "cultural")]
OTHER_CATEGORIES = ["Family members", "Neighbours", "The public"]


def _service(rnd: random.Random, domain: str) -> ServiceKind | None:
    kinds = list(ServiceKind.objects.filter(is_active=True, domain=domain).order_by("pk"))
    return rnd.choice(kinds) if kinds else None


def build() -> None:
    department = OrgUnit.objects.filter(code=HOME_CARE).first()
    if department is None:
        return
    clients = list(Client.objects.filter(org_unit=department, is_active=True).order_by("pk"))
    staff = list(User.objects.filter(memberships__org_unit=department,
                                     memberships__role__in=[Role.WORKER, Role.HEAD]).distinct().order_by("pk"))
    workers = [u for u in staff if u.memberships.filter(org_unit=department, role=Role.WORKER).exists()]
    if len(clients) < 6 or not workers or Activity.objects.filter(org_unit=department).exists():
        return
    rnd = random.Random(909)
    today = timezone.localdate()
    address = OFFICES.get(HOME_CARE, (None, None, "Talgar"))[2]
    past = [today - datetime.timedelta(days=n) for n in range(1, 31)]
    days = [day for day in past if day.weekday() < 5]
    plan = ([(Activity.Kind.GROUP, t) for t in GROUP] * 2 + [(Activity.Kind.INDIVIDUAL, t) for t in INDIVIDUAL] * 2
            + [(Activity.Kind.OPEN, t) for t in OPEN])
    regulars = rnd.sample(clients, k=min(5, len(clients)))  # come to most group activities: counted once
    for n, (kind, (title, domain)) in enumerate(plan):
        day = days[(n * 3) % len(days)]
        by = workers[n % len(workers)]
        start = datetime.time(10 + (n % 5), 0)
        activity = services.record_activity(
            by=by, org_unit=department, kind=kind, title=title, held_on=day, starts_at=start,
            ends_at=datetime.time(start.hour + 1, 30), place=f"{address}, hall {1 + n % 3}",
            facilitators=rnd.sample(staff, k=min(len(staff), 1 if kind == Activity.Kind.INDIVIDUAL else 2)),
            service=_service(rnd, domain), programme="Active ageing" if kind != Activity.Kind.INDIVIDUAL else "",
            today=today)
        if kind == Activity.Kind.INDIVIDUAL:
            attendees = [rnd.choice(clients)]
        elif kind == Activity.Kind.GROUP:
            attendees = rnd.sample(regulars, k=min(3, len(regulars))) + rnd.sample(clients, k=2)
        else:
            attendees = rnd.sample(clients, k=min(6, len(clients)))
        for client in dict.fromkeys(attendees):
            services.add_attendance(by=by, activity=activity, client=client,
                                    method=rnd.choice(list(Attendance.Method.values)))
        if kind == Activity.Kind.OPEN:
            for category in rnd.sample(OTHER_CATEGORIES, k=2):
                services.add_others(by=by, activity=activity, count=rnd.randint(3, 12), category=category)
        elif kind == Activity.Kind.GROUP and n % 3 == 0:
            services.add_others(by=by, activity=activity, count=rnd.randint(1, 3), category="Family members")
