"""A seeded synthetic national world, bulk-loaded into socmon's own tables (for the list, search and indicator
benchmarks).

Shape (fixed whatever the scale, so a department looks the same in a small and in a large country):
country › 17 regions › districts › institutions (2 per district) › departments (3 per institution);
a department has a head and `WORKERS_PER_DEPARTMENT` workers and serves `CLIENTS_PER_DEPARTMENT` clients,
so the scale (number of clients) sets the number of departments, and regions grow with the country.
Each institution has a director, each region a monitoring specialist, the country an analyst.
9 in 10 clients are on a worker's caseload; 2 in 5 have a case (1 in 4 of those closed); each client has
`visits_per_client` visits spread over the last 60 days.

Rows are written with explicit ids (PostgreSQL: COPY; SQLite: executemany), treebeard paths built
directly, sequences moved past the ids afterwards. `build_world(scale, seed)` returns a `World` with the
people the benchmarks sign in as.
"""

import dataclasses
import datetime
import json
import random
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from socmon.accounts.models import Membership, Role, User
from socmon.cases.models import Case
from socmon.catalogue.models import ClientCategory
from socmon.clients.models import CODE_ALPHABET, CaseloadAssignment, Client, name_key, name_key_last_first
from socmon.orgs.models import OrgLevel, OrgUnit, search_text_of
from socmon.visits.models import ServiceDelivery, Visit

REGIONS = 17
INSTITUTIONS_PER_DISTRICT = 2
DEPARTMENTS_PER_INSTITUTION = 3
CLIENTS_PER_DEPARTMENT = 200
WORKERS_PER_DEPARTMENT = 10
DEPARTMENT_NAMES = ["Home Care", "Family Support", "Day Care"]
FIRST = ["Айгүл", "Асель", "Бауыржан", "Гульнара", "Данияр", "Ерлан", "Жанар", "Зарина", "Ильяс", "Камила",
         "Лейла", "Мадина", "Нурлан", "Ольга", "Пётр", "Руслан", "Сауле", "Тимур", "Улан", "Фарида",
         "Aysel", "Elçin", "Günay", "Kamran", "Leyla", "Nigar", "Orxan", "Rəşad", "Səbinə", "Tural",
         "Ana", "Ion", "Maria", "Mihai", "Elena", "Vasile", "Irina", "Andrei", "Natalia", "Sergiu"]
LAST = ["Ахметова", "Бекова", "Жумабаев", "Исаева", "Касымов", "Лебедева", "Мамедов", "Нурланова",
        "Омаров", "Петрова", "Рахимов", "Сейтова", "Тулегенов", "Уалиева", "Федоров", "Хасенова",
        "Әлиев", "Қасымова", "Өмірзақ", "Ұлықбек", "Əliyev", "Hüseynova", "Quliyev", "Məmmədova",
        "Popescu", "Rusu", "Ceban", "Munteanu", "Țurcanu", "Ciobanu", "Smith", "Ivanova", "Kim"]
# Surnames from syllables: thousands of them, so that a name search finds a handful, as in a real country.
SYLLABLES = ["Ах", "Бек", "Жу", "Ис", "Ка", "Ле", "Ма", "Ну", "Ом", "Пет", "Ра", "Сей", "Ту", "Уа", "Фе", "Ха",
             "Әли", "Қас", "Өмір", "Ұлы", "Гу", "Дос", "Ер", "Зей", "Иль", "Ней", "Сар", "Тай", "Шал", "Ят"]
ENDINGS = ["ов", "ова", "ев", "ева", "ин", "ина", "енко", "бай", "ұлы", "қызы", "escu", "li", "ova", "yev"]
VISIT_DAYS = 60


def surname(rng: random.Random) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES).lower() + rng.choice(ENDINGS)


@dataclasses.dataclass
class World:
    scale: int
    head: User          # head of a department in the middle of the country
    worker: User        # a worker of that department
    director: User      # director of that department's institution
    specialist: User    # monitoring specialist of that department's region
    analyst: User       # the country's analyst
    department: OrgUnit
    sample_code: str    # a client of the head's department (exact-code search)
    foreign_code: str   # a client of the worker's department on a colleague's list
    sample_name: str    # "first last" of that colleague's client, and their date of birth
    sample_birth_date: datetime.date
    timeline_client: int = 0  # pk of the worker's client with a long history (add_services)


def client_code(number: int) -> str:
    """A unique code per number, scattered (a multiplicative permutation of 31^6) so codes do not sort by id."""
    space = len(CODE_ALPHABET) ** 6
    value = (number * 387_420_489 + 12_345) % space  # 9^9 is coprime with 31^6
    chars = []
    for _ in range(6):
        value, digit = divmod(value, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[digit])
    return "C-" + "".join(chars)


def _step(number: int) -> str:
    """Treebeard's path step (steplen 4, alphabet 0-9A-Z) for the `number`th child, from 1."""
    alphabet, out = OrgUnit.alphabet, ""
    for _ in range(OrgUnit.steplen):
        number, digit = divmod(number, len(alphabet))
        out = alphabet[digit] + out
    return out


class Loader:
    """Writes rows with explicit ids into a model's table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def next_id(self, model) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    @staticmethod
    def _sqlite_value(value):
        """Django's SQLite representation: aware datetimes as naive UTC text."""
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    @staticmethod
    def _defaults(model, columns: list[str]) -> tuple:
        """Columns not given that are NOT NULL and have a default or take "" (fields added since the loader
        was written),
        with their defaults as the database stores them."""
        names, values = [], []
        for field in model._meta.concrete_fields:
            if field.column in columns or field.null:
                continue
            value = field.get_default()  # "" for text fields without a default
            if value is None:
                continue
            names.append(field.column)
            values.append(json.dumps(value) if isinstance(field, models.JSONField) else value)
        return names, tuple(values)

    def load(self, model, columns: list[str], rows) -> int:
        table = model._meta.db_table
        count = 0
        extra, defaults = self._defaults(model, columns)
        if extra:
            columns = columns + extra
            rows = (tuple(row) + defaults for row in rows)
        with connection.cursor() as cursor:
            if self.pg:
                sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
                batch = []
                for row in rows:
                    batch.append([self._sqlite_value(v) for v in row])
                    if len(batch) == 20_000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def reset_sequences(self, models) -> None:
        if not self.pg:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                               f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))")


def _units(loader: Loader, departments_wanted: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Write the tree; return (regions, institutions, departments) as (id, path, region index) tuples."""
    levels = {lv.code: lv.pk for lv in OrgLevel.objects.all()}
    roots = OrgUnit.objects.filter(depth=1).count()
    country_path = _step(roots + 1)
    uid = loader.next_id(OrgUnit)
    per_region = -(-departments_wanted // REGIONS)
    per_district = INSTITUTIONS_PER_DISTRICT * DEPARTMENTS_PER_INSTITUTION
    districts_per_region = max(1, -(-per_region // per_district))
    rows, regions, institutions, departments = [], [], [], []

    def add(path, name, level, numchild):
        nonlocal uid
        rows.append((uid, path, len(path) // OrgUnit.steplen, numchild, name, f"b{uid}", levels[level], "state",
                     "", True, "{}", search_text_of(name, {})))
        uid += 1
        return uid - 1

    add(country_path, "Benchland", "country", REGIONS)
    for r in range(REGIONS):
        rpath = country_path + _step(r + 1)
        regions.append((add(rpath, f"Region {r + 1}", "region", districts_per_region), rpath, r))
        for d in range(districts_per_region):
            dpath = rpath + _step(d + 1)
            add(dpath, f"District {r + 1}.{d + 1}", "district", INSTITUTIONS_PER_DISTRICT)
            for i in range(INSTITUTIONS_PER_DISTRICT):
                ipath = dpath + _step(i + 1)
                iid = add(ipath, f"Centre {r + 1}.{d + 1}.{i + 1}", "institution", DEPARTMENTS_PER_INSTITUTION)
                institutions.append((iid, ipath, r))
                for k in range(DEPARTMENTS_PER_INSTITUTION):
                    kpath = ipath + _step(k + 1)
                    departments.append((add(kpath, DEPARTMENT_NAMES[k], "department", 0), kpath, r))
    loader.load(OrgUnit, ["id", "path", "depth", "numchild", "name", "code", "level_id", "ownership", "address",
                          "is_active", "name_i18n", "search_text"], rows)
    # Departments are filled region by region in turn, so that every region holds about as many clients.
    by_region = [[d for d in departments if d[2] == r] for r in range(REGIONS)]
    interleaved = [dep for group in zip(*by_region, strict=False) for dep in group]
    return regions, institutions, interleaved[:departments_wanted]


def build_world(scale: int, seed: int = 1, *, visits_per_client: int = 2, log=print) -> World:
    """Load a national world of about `scale` clients into the current database (which should be empty
    of other bench worlds). Deterministic for a given (scale, seed)."""
    rng = random.Random(seed)
    loader = Loader()
    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    departments_wanted = max(1, scale // CLIENTS_PER_DEPARTMENT)
    with transaction.atomic():
        regions, institutions, departments = _units(loader, departments_wanted)
        users, memberships = [], []
        uid, mid = loader.next_id(User), loader.next_id(Membership)
        password = make_password(None)  # unusable: the bench signs people in with force_login

        def person(prefix, unit_id, role):
            nonlocal uid, mid
            users.append((uid, password, False, f"{prefix}{uid}", rng.choice(FIRST), rng.choice(LAST), "",
                          False, True, now, ""))
            memberships.append((mid, uid, unit_id, role, now))
            uid, mid = uid + 1, mid + 1
            return uid - 1

        person("analyst", regions[0][0] - 1, Role.ANALYST)  # the country is the unit before region 1
        for rid, _p, _r in regions:
            person("spec", rid, Role.SPECIALIST)
        for iid, _p, _r in institutions:
            person("dir", iid, Role.DIRECTOR)
        heads, workers = {}, {}
        for did, _p, _r in departments:
            heads[did] = person("head", did, Role.HEAD)
            workers[did] = [person("w", did, Role.WORKER) for _ in range(WORKERS_PER_DEPARTMENT)]
        loader.load(User, ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
                           "is_staff", "is_active", "date_joined", "language"], users)
        loader.load(Membership, ["id", "user_id", "org_unit_id", "role", "created_at"], memberships)
        log(f"  tree: {len(departments)} departments, {len(users)} people "
            f"({time.perf_counter() - started:.0f} s)")

        categories = list(ClientCategory.objects.values_list("pk", flat=True))
        first_client = loader.next_id(Client)
        clients = []  # (id, department, worker, number in the department, …), for the rows that follow

        def client_rows():
            cid = first_client
            for did, _p, _r in departments:
                for n in range(CLIENTS_PER_DEPARTMENT):
                    first, last = rng.choice(FIRST), surname(rng)
                    born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(30_000))
                    worker = workers[did][n % WORKERS_PER_DEPARTMENT]
                    clients.append((cid, did, worker, n, first, last, born))
                    yield (cid, client_code(cid), did, first, last, name_key(first, last),
                           name_key_last_first(first, last), born,
                           rng.choice(["female", "male"]), rng.choice(categories), "ru", "",
                           f"{rng.randrange(1, 200)} Abay St", None, None, "", "", "", "[]",
                           today - datetime.timedelta(days=400), "data processing", True, now, worker)
                    cid += 1

        loader.load(Client, [
            "id", "code", "org_unit_id", "first_name", "last_name", "search_name", "search_name_last_first",
            "birth_date", "sex", "category_id", "language", "document_number", "address", "latitude", "longitude",
            "phone", "trusted_person_name", "trusted_person_phone", "accessibility_needs", "consent_given_on",
            "consent_scope", "is_active", "created_at", "created_by_id"], client_rows())
        log(f"  clients: {len(clients)} ({time.perf_counter() - started:.0f} s)")

        # Next ids are read before each COPY starts: no other query may run on the connection during one.
        first_assignment, first_case, first_visit = (loader.next_id(m) for m in (CaseloadAssignment, Case, Visit))

        def assignment_rows():
            aid = first_assignment
            for cid, _did, worker, n, *_rest in clients:
                if n % 10 != 9:  # one in ten is on nobody's list
                    yield (aid, cid, worker, today - datetime.timedelta(days=300), None, heads[_did], now)
                    aid += 1

        loader.load(CaseloadAssignment, ["id", "client_id", "worker_id", "starts_on", "ends_on", "assigned_by_id",
                                         "created_at"], assignment_rows())

        statuses = ["assessment", "planning", "active", "active", "active", "closed"]

        def case_rows():
            kid = first_case
            for cid, did, worker, n, *_rest in clients:
                if n % 5 < 2:
                    status = statuses[(cid * 7) % len(statuses)]
                    opened = now - datetime.timedelta(days=rng.randrange(1, 700), minutes=rng.randrange(1440))
                    closed = opened + datetime.timedelta(days=30) if status == "closed" else None
                    yield (kid, cid, did, status, "", None, worker, worker, opened,
                           "goals_achieved" if closed else "", "", closed, 1)
                    kid += 1

        loader.load(Case, ["id", "client_id", "org_unit_id", "status", "awaiting_approval", "submitted_by_id",
                           "opened_by_id", "responsible_id", "opened_at", "closure_reason", "closure_outcome",
                           "closed_at", "version"], case_rows())
        log(f"  caseloads and cases ({time.perf_counter() - started:.0f} s)")

        def visit_rows():
            vid = first_visit
            for cid, did, worker, _n, *_rest in clients:
                for _ in range(visits_per_client):
                    day = today - datetime.timedelta(days=rng.randrange(-3, VISIT_DAYS))
                    if day >= today:
                        row = (vid, cid, worker, did, day, 30, "planned", None, None, "", worker, now)
                    else:
                        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8))))
                        status = "missed" if rng.random() < 0.05 else "done"
                        done = status == "done"
                        row = (vid, cid, worker, did, day, 30, status, start if done else None,
                               start + datetime.timedelta(minutes=rng.randrange(15, 90)) if done else None, "",
                               worker, now)
                    yield row
                    vid += 1

        count = loader.load(Visit, ["id", "client_id", "worker_id", "org_unit_id", "planned_for", "planned_minutes",
                                    "status", "checked_in_at", "checked_out_at", "notes", "created_by_id",
                                    "created_at"], visit_rows())
        log(f"  visits: {count} ({time.perf_counter() - started:.0f} s)")
        loader.reset_sequences([OrgUnit, User, Membership, Client, CaseloadAssignment, Case, Visit])
    add_services(seed, log=log)
    add_indicator_facts(seed, log=log)
    log(f"  loaded in {time.perf_counter() - started:.0f} s")
    return world_people(scale)


def analyze() -> None:
    """Table statistics for the query planner (SQLite has none until ANALYZE, and then plans name searches
    and scoped lists by the wrong index)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def world_people(scale: int) -> World:
    """The people and records the benchmarks use, from a loaded world (also when reused)."""
    country = OrgUnit.objects.filter(code__startswith="b", depth=1).order_by("-path").first()
    departments = list(Membership.objects.filter(org_unit__path__startswith=country.path, role=Role.HEAD)
                       .order_by("org_unit_id").values_list("org_unit_id", flat=True))
    department = OrgUnit.objects.get(pk=departments[len(departments) // 2])
    members = Membership.objects.filter(org_unit=department).select_related("user").order_by("pk")
    head = next(m.user for m in members if m.role == Role.HEAD)
    worker_list = [m.user for m in members if m.role == Role.WORKER]
    worker, colleague = worker_list[0], worker_list[1]
    institution = OrgUnit.objects.get(path=department.path[:-OrgUnit.steplen])
    region = OrgUnit.objects.get(path=department.path[:2 * OrgUnit.steplen])
    director = Membership.objects.get(org_unit=institution, role=Role.DIRECTOR).user
    specialist = Membership.objects.get(org_unit=region, role=Role.SPECIALIST).user
    analyst = Membership.objects.get(org_unit=country, role=Role.ANALYST).user
    sample = Client.objects.filter(org_unit=department).order_by("pk").first()
    foreign = CaseloadAssignment.objects.filter(worker=colleague, ends_on=None).select_related("client").first().client
    return World(scale, head, worker, director, specialist, analyst, department, sample.code, foreign.code,
                 f"{foreign.first_name} {foreign.last_name}", foreign.birth_date, timeline_client(worker).pk)


# Group activities, feedback and survey campaigns (the lists added after issue 7), proportional to the scale:
# a group activity per department a week over the last year with about `ATTENDEES` of its clients, 1 in 4 with
# other participants; feedback from about 1 in `CLIENTS_PER_FEEDBACK` clients over the last half year (the
# open ones past their due date are overdue); a 6-monthly survey campaign per institution inviting every client
# of it; one client (the worker's first, `World.timeline_client`) with `LONG_TIMELINE` visits over two years;
# and one or two services delivered in every done visit.
ACTIVITY_WEEKS = 52
ATTENDEES = 8
CLIENTS_PER_FEEDBACK = 100
LONG_TIMELINE = 300


def add_services(seed: int = 1, *, log=print) -> None:
    """Load activities, attendance, feedback, survey campaigns and a long client history into a loaded world
    (also into one loaded before they existed). Deterministic for a given world and seed."""
    from socmon.activities.models import Activity, Attendance, OtherParticipants
    from socmon.catalogue.models import ServiceKind
    from socmon.feedback.models import Feedback, FeedbackCategory
    from socmon.surveys.models import Campaign, Invitation, QuestionnaireVersion
    from socmon.surveys.services import install_builtins

    rng = random.Random(f"{seed}-services")
    loader = Loader()
    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    country = OrgUnit.objects.filter(code__startswith="b", depth=1).order_by("-path").first()
    departments = list(OrgUnit.objects.filter(path__startswith=country.path, level__code="department")
                       .order_by("pk").values_list("pk", "path"))
    heads = dict(Membership.objects.filter(org_unit__in=[d for d, _p in departments], role=Role.HEAD)
                 .values_list("org_unit_id", "user_id"))
    staff: dict[int, list[int]] = {}
    for unit, user in (Membership.objects.filter(org_unit__in=heads, role=Role.WORKER)
                       .order_by("pk").values_list("org_unit_id", "user_id")):
        staff.setdefault(unit, []).append(user)
    served: dict[int, list[int]] = {}
    for unit, client in Client.objects.filter(org_unit__in=heads).order_by("pk").values_list("org_unit_id", "pk"):
        served.setdefault(unit, []).append(client)
    departments = [(d, p) for d, p in departments if d in heads and d in served]
    with transaction.atomic():
        if not QuestionnaireVersion.objects.filter(questionnaire__built_in=True).exists():
            install_builtins()
        version = (QuestionnaireVersion.objects.filter(questionnaire__built_in=True)
                   .order_by("questionnaire__code", "-number").first())
        categories = list(FeedbackCategory.objects.order_by("pk").values_list("pk", flat=True))
        first = {m: loader.next_id(m) for m in (Activity, Attendance, OtherParticipants, Feedback, Campaign,
                                                Invitation, Visit)}
        first["facilitator"] = (Activity.facilitators.through.objects.order_by("-pk")
                                .values_list("pk", flat=True).first() or 0) + 1
        activities, attendances, others, facilitators = [], [], [], []
        aid, tid, oid, fid = first[Activity], first[Attendance], first[OtherParticipants], first["facilitator"]
        for did, _path in departments:
            for week in range(ACTIVITY_WEEKS):
                day = today - datetime.timedelta(days=7 * week + rng.randrange(7))
                worker = rng.choice(staff[did])
                hour = 10 + rng.randrange(6)
                activities.append((aid, did, "group", f"Group session {week + 1}", day, f"{hour:02d}:00:00",
                                   f"{hour + 1:02d}:00:00", "Community hall", None, None, None, "", "", worker, now))
                facilitators.append((fid, aid, worker))
                fid += 1
                for client in rng.sample(served[did], min(ATTENDEES, len(served[did]))):
                    attendances.append((tid, aid, client, "scanned", worker, now))
                    tid += 1
                if rng.random() < 0.25:
                    others.append((oid, aid, rng.randrange(1, 12), "family members", worker, now))
                    oid += 1
                aid += 1
        loader.load(Activity, ["id", "org_unit_id", "kind", "title", "held_on", "starts_at", "ends_at", "place",
                               "latitude", "longitude", "service_id", "programme", "notes", "created_by_id",
                               "created_at"], activities)
        loader.load(Activity.facilitators.through, ["id", "activity_id", "user_id"], facilitators)
        loader.load(Attendance, ["id", "activity_id", "client_id", "method", "recorded_by_id", "recorded_at"],
                    attendances)
        loader.load(OtherParticipants, ["id", "activity_id", "count", "category", "recorded_by_id",
                                        "recorded_at"], others)
        log(f"  activities: {len(activities)}, attendances: {len(attendances)} ({time.perf_counter() - started:.0f} s)")

        feedback, kid = [], first[Feedback]
        for did, path in departments:
            institution = OrgUnit.objects.values_list("pk", flat=True).get(path=path[:-OrgUnit.steplen]) \
                if rng.random() < 0.1 else did
            for _ in range(max(1, round(len(served[did]) / CLIENTS_PER_FEEDBACK))):
                received = today - datetime.timedelta(days=rng.randrange(180))
                status = rng.choice(["open", "open", "answered", "closed"])
                client = rng.choice(served[did]) if institution == did and rng.random() < 0.6 else None
                answered = timezone.make_aware(datetime.datetime.combine(
                    received + datetime.timedelta(days=rng.randrange(1, 10)), datetime.time(12))) \
                    if status != "open" else None
                feedback.append((
                    kid, rng.choice(["complaint", "complaint", "suggestion", "thanks"]), rng.choice(categories),
                    "client" if client else "public", rng.choice(["web", "phone", "in_person", "letter"]),
                    "The visits come later than agreed.", client is None and rng.random() < 0.3, "", "", "ru",
                    client, institution, institution, 0, status, received, received + datetime.timedelta(days=15),
                    received + datetime.timedelta(days=20), None, "", "We have spoken to the team." if answered else "",
                    "phone" if answered else "", answered, heads[did] if answered else None,
                    answered if status == "closed" else None, None, f"{rng.getrandbits(256):064x}",
                    timezone.make_aware(datetime.datetime.combine(received, datetime.time(9))), None))
                kid += 1
        loader.load(Feedback, ["id", "kind", "category_id", "source", "channel", "text", "anonymous", "sender_name",
                               "sender_contact", "language", "client_id", "org_unit_id", "responsible_unit_id",
                               "escalation_level", "status", "received_on", "due_on", "escalate_after",
                               "extended_at", "extension_reason", "answer", "answer_channel", "answered_at",
                               "answered_by_id", "closed_at", "confirmed_at", "tracking_hash", "created_at",
                               "created_by_id"], feedback)
        log(f"  feedback: {len(feedback)} ({time.perf_counter() - started:.0f} s)")

        institutions: dict[str, list[int]] = {}
        for did, path in departments:
            institutions.setdefault(path[:-OrgUnit.steplen], []).append(did)
        unit_ids = dict(OrgUnit.objects.filter(path__in=list(institutions)).values_list("path", "pk"))
        directors = dict(Membership.objects.filter(org_unit__in=unit_ids.values(), role=Role.DIRECTOR)
                         .values_list("org_unit_id", "user_id"))
        start = today.replace(month=1 if today.month <= 6 else 7, day=1)
        end = (start.replace(month=start.month + 5, day=28) + datetime.timedelta(days=4)).replace(day=1) \
            - datetime.timedelta(days=1)
        campaigns, invitations = [], []
        cid, iid = first[Campaign], first[Invitation]
        for path, dids in sorted(institutions.items()):
            unit = unit_ids[path]
            campaigns.append((cid, version.pk, unit, "six_monthly", f"Client survey {start:%Y-%m}", start, end, "open",
                              "", "[]", None, now, directors.get(unit) or heads[dids[0]], now))
            position = 0
            for did in dids:
                for client in served[did]:
                    status = rng.choices(["invited", "declined", "answered"], [6, 1, 0])[0]
                    invitations.append((iid, cid, client, "self", status, position, None,
                                        "Did not want to" if status == "declined" else "",
                                        now if status == "declined" else None,
                                        heads[did] if status == "declined" else None,
                                        f"{rng.getrandbits(128):032x}", now))
                    iid += 1
                    position += 1
            cid += 1
        loader.load(Campaign, ["id", "version_id", "org_unit_id", "kind", "title", "period_start", "period_end",
                               "status", "sample_seed", "sample_frame", "sample_size", "invited_at", "created_by_id",
                               "created_at"], campaigns)
        loader.load(Invitation, ["id", "campaign_id", "client_id", "mode", "status", "position", "replaces_id",
                                 "decline_reason", "declined_at", "declined_by_id", "nonce", "created_at"],
                    invitations)
        log(f"  survey campaigns: {len(campaigns)}, invitations: {len(invitations)} "
            f"({time.perf_counter() - started:.0f} s)")

        person = world_people(0)
        client = timeline_client(person.worker)
        visits, vid = [], first[Visit]
        for n in range(LONG_TIMELINE):
            day = today - datetime.timedelta(days=1 + n * 2 + rng.randrange(2))
            start_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8))))
            visits.append((vid, client.pk, person.worker.pk, person.department.pk, day, 30, "done", start_at,
                           start_at + datetime.timedelta(minutes=rng.randrange(15, 90)), "", person.worker.pk, now))
            vid += 1
        loader.load(Visit, ["id", "client_id", "worker_id", "org_unit_id", "planned_for", "planned_minutes",
                            "status", "checked_in_at", "checked_out_at", "notes", "created_by_id", "created_at"],
                    visits)
        services = list(ServiceKind.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
        done = list(Visit.objects.filter(status="done").order_by("pk").values_list("pk", "checked_out_at"))
        first_delivery = loader.next_id(ServiceDelivery)

        def delivery_rows():
            sid = first_delivery
            for visit, out in done:
                for service in rng.sample(services, 1 + (visit % 3 == 0)):
                    yield (sid, visit, service, rng.randrange(10, 60), "", out)
                    sid += 1

        count = loader.load(ServiceDelivery, ["id", "visit_id", "service_id", "minutes", "unplanned_reason",
                                              "recorded_at"], delivery_rows())
        log(f"  services delivered: {count} ({time.perf_counter() - started:.0f} s)")
        loader.reset_sequences([Activity, Activity.facilitators.through, Attendance, OtherParticipants, Feedback,
                                Campaign, Invitation, Visit, ServiceDelivery])
    analyze()
    log(f"  services and a {LONG_TIMELINE}-visit history loaded in {time.perf_counter() - started:.0f} s")


def timeline_client(worker: User) -> Client:
    """The worker's first client (on their caseload), whose history is long."""
    return CaseloadAssignment.objects.filter(worker=worker, ends_on=None).order_by("client_id") \
        .select_related("client").first().client


# What the built-in indicators count (issue 10), over `HISTORY_WEEKS` (two years), proportional to the scale:
# the weekly group activity of `add_services` also for the year before; `INDIVIDUAL_PER_WEEK` individual activities
# per department a week (1 in 20 without its client yet); an open activity per department a month with
# `OPEN_ATTENDEES` clients and, 4 in 5 of them, other participants; client feedback, 1 a year per
# `CLIENTS_PER_CONFIRMED` clients, answered, 7 in 10 of the answers confirmed by the client; a referral for half of
# the cases, 3 in 5 with an outcome recorded and half of those joined; and a six-monthly survey per institution for
# each of the 4 half-years before the current one, answered by `SURVEY_SHARE` of its clients (IR2, IR3, IS1, IS2).
HISTORY_WEEKS = 104
INDIVIDUAL_PER_WEEK = 2
OPEN_ATTENDEES = 15
CLIENTS_PER_CONFIRMED = 25
SURVEY_SHARE = 0.3
SURVEY_HALVES = 4
INDICATOR_COUNTS = {"IR2": 0.45, "IR3": 0.6, "IS1": 0.75, "IS2": 0.65}  # share of answers that count


def add_indicator_facts(seed: int = 1, *, log=print) -> None:
    """Load the facts the built-in indicators count into a loaded world (also one loaded before they existed):
    activities of every kind with attendance and other participants, confirmed feedback, referrals with their
    outcome, and survey indicator answers, over two years. Deterministic for a given world and seed."""
    from socmon.activities.models import Activity, Attendance, OtherParticipants
    from socmon.cases.models import Referral
    from socmon.feedback.models import Feedback, FeedbackCategory
    from socmon.surveys.models import Campaign, IndicatorAnswer, QuestionnaireVersion, Response
    from socmon.surveys.services import install_builtins

    rng = random.Random(f"{seed}-indicators")
    loader = Loader()
    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    zone = timezone.get_current_timezone()
    country = OrgUnit.objects.filter(code__startswith="b", depth=1).order_by("-path").first()
    departments = list(OrgUnit.objects.filter(path__startswith=country.path, level__code="department")
                       .order_by("pk").values_list("pk", "path"))
    heads = dict(Membership.objects.filter(org_unit__in=[d for d, _p in departments], role=Role.HEAD)
                 .values_list("org_unit_id", "user_id"))
    staff: dict[int, list[int]] = {}
    for unit, user in (Membership.objects.filter(org_unit__in=heads, role=Role.WORKER)
                       .order_by("pk").values_list("org_unit_id", "user_id")):
        staff.setdefault(unit, []).append(user)
    served: dict[int, list[int]] = {}
    for unit, client in Client.objects.filter(org_unit__in=heads).order_by("pk").values_list("org_unit_id", "pk"):
        served.setdefault(unit, []).append(client)
    departments = [(d, p) for d, p in departments if d in heads and d in served and d in staff]

    def moment(day: datetime.date, hour: int = 12) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), zone)

    with transaction.atomic():
        first = {m: loader.next_id(m) for m in (Activity, Attendance, OtherParticipants, Feedback, Referral,
                                                Campaign, Response, IndicatorAnswer)}
        first["facilitator"] = (Activity.facilitators.through.objects.order_by("-pk")
                                .values_list("pk", flat=True).first() or 0) + 1
        activities, attendances, others, facilitators = [], [], [], []
        aid, tid, oid, fid = first[Activity], first[Attendance], first[OtherParticipants], first["facilitator"]

        def activity(did, kind, title, day, attendees, other_count):
            nonlocal aid, tid, oid, fid
            worker = rng.choice(staff[did])
            hour = 9 + rng.randrange(8)
            activities.append((aid, did, kind, title, day, f"{hour:02d}:00:00", f"{hour + 1:02d}:00:00",
                               "Community hall", None, None, None, "", "", worker, now))
            facilitators.append((fid, aid, worker))
            fid += 1
            for client in attendees:
                attendances.append((tid, aid, client, "scanned", worker, now))
                tid += 1
            if other_count:
                others.append((oid, aid, other_count, "family members", worker, now))
                oid += 1
            aid += 1

        for did, _path in departments:
            clients = served[did]
            for week in range(ACTIVITY_WEEKS, HISTORY_WEEKS):  # the year before add_services' weekly group
                activity(did, "group", f"Group session {week + 1}", today - datetime.timedelta(days=7 * week +
                                                                                              rng.randrange(7)),
                         rng.sample(clients, min(ATTENDEES, len(clients))), rng.randrange(1, 12)
                         if rng.random() < 0.25 else 0)
            for week in range(HISTORY_WEEKS):
                for _ in range(INDIVIDUAL_PER_WEEK):
                    activity(did, "individual", "Individual session",
                             today - datetime.timedelta(days=7 * week + rng.randrange(7)),
                             [] if rng.random() < 0.05 else [rng.choice(clients)], 0)
            for month in range(HISTORY_WEEKS * 7 // 30):
                activity(did, "open", "Open day", today - datetime.timedelta(days=30 * month + rng.randrange(30)),
                         rng.sample(clients, min(OPEN_ATTENDEES, len(clients))),
                         rng.randrange(1, 30) if rng.random() < 0.8 else 0)
        loader.load(Activity, ["id", "org_unit_id", "kind", "title", "held_on", "starts_at", "ends_at", "place",
                               "latitude", "longitude", "service_id", "programme", "notes", "created_by_id",
                               "created_at"], activities)
        loader.load(Activity.facilitators.through, ["id", "activity_id", "user_id"], facilitators)
        loader.load(Attendance, ["id", "activity_id", "client_id", "method", "recorded_by_id", "recorded_at"],
                    attendances)
        loader.load(OtherParticipants, ["id", "activity_id", "count", "category", "recorded_by_id",
                                        "recorded_at"], others)
        log(f"  indicator facts: {len(activities)} more activities, {len(attendances)} attendances, "
            f"{len(others)} head counts ({time.perf_counter() - started:.0f} s)")

        categories = list(FeedbackCategory.objects.order_by("pk").values_list("pk", flat=True))
        feedback, kid = [], first[Feedback]
        for did, _path in departments:
            for _ in range(max(1, round(2 * len(served[did]) / CLIENTS_PER_CONFIRMED))):
                received = today - datetime.timedelta(days=30 + rng.randrange(7 * HISTORY_WEEKS - 30))
                answered = moment(received + datetime.timedelta(days=rng.randrange(1, 15)))
                confirmed = answered + datetime.timedelta(days=rng.randrange(0, 10), hours=rng.randrange(6)) \
                    if rng.random() < 0.7 else None
                status = "closed" if confirmed or rng.random() < 0.5 else "answered"
                feedback.append((
                    kid, rng.choice(["complaint", "suggestion", "thanks"]), rng.choice(categories), "client",
                    rng.choice(["web", "phone", "in_person"]), "The visits come later than agreed.", False, "", "",
                    "ru", rng.choice(served[did]), did, did, 0, status, received,
                    received + datetime.timedelta(days=15), received + datetime.timedelta(days=20), None, "",
                    "We have spoken to the team.", "phone", answered, heads[did],
                    answered if status == "closed" else None, confirmed, f"{rng.getrandbits(256):064x}",
                    moment(received, 9), None))
                kid += 1
        loader.load(Feedback, ["id", "kind", "category_id", "source", "channel", "text", "anonymous", "sender_name",
                               "sender_contact", "language", "client_id", "org_unit_id", "responsible_unit_id",
                               "escalation_level", "status", "received_on", "due_on", "escalate_after",
                               "extended_at", "extension_reason", "answer", "answer_channel", "answered_at",
                               "answered_by_id", "closed_at", "confirmed_at", "tracking_hash", "created_at",
                               "created_by_id"], feedback)
        log(f"  confirmed feedback: {len(feedback)} ({time.perf_counter() - started:.0f} s)")

        # Half of the programmes meet basic needs (IR1 counts those by default).
        programmes = [("housing", "Social housing"), ("clothing_footwear", "Clothing and footwear bank"),
                      ("medical", "Free medicines"), ("legal", "Legal aid"), ("food", "Food bank"),
                      ("other", "Day centre")]
        cases = list(Case.objects.filter(org_unit__in=heads).order_by("pk")
                     .values_list("pk", "client_id", "org_unit_id", "responsible_id", "opened_at"))
        referrals, rid = [], first[Referral]
        earliest = moment(today - datetime.timedelta(days=7 * HISTORY_WEEKS))
        for case, client, did, worker, opened in cases:
            if rng.random() >= 0.5:
                continue
            sent = max(opened, earliest) + datetime.timedelta(days=rng.randrange(60), hours=rng.randrange(8))
            if sent.date() >= today:
                continue
            kind, programme = rng.choice(programmes)
            status, joined, joined_on, outcome_at = "sent", None, None, None
            if rng.random() < 0.6:
                status, joined = "completed", rng.random() < 0.5
                outcome_day = min(today, sent.date() + datetime.timedelta(days=rng.randrange(5, 60)))
                joined_on = outcome_day if joined else None
                outcome_at = moment(outcome_day, 15)
            referrals.append((rid, case, client, did, None, "Social protection office", kind, programme, "standard",
                              "Needs help with the application.", status, sent + datetime.timedelta(days=10), worker,
                              sent, None, None, "", joined, joined_on, "", worker if outcome_at else None, outcome_at,
                              "", None))
            rid += 1
        loader.load(Referral, ["id", "case_id", "client_id", "from_unit_id", "to_unit_id", "to_external",
                               "programme_kind", "programme", "kind", "notes", "status", "respond_by", "sent_by_id",
                               "sent_at", "answered_by_id", "answered_at", "decline_reason", "joined", "joined_on",
                               "outcome_notes", "outcome_by_id", "outcome_at", "link_nonce", "link_issued_at"],
                    referrals)
        log(f"  referrals: {len(referrals)} ({time.perf_counter() - started:.0f} s)")

        if not QuestionnaireVersion.objects.filter(questionnaire__built_in=True).exists():
            install_builtins()
        version = (QuestionnaireVersion.objects.filter(questionnaire__built_in=True,
                                                       questionnaire__purpose="client_survey")
                   .order_by("questionnaire__code", "-number").first())
        institutions: dict[str, list[int]] = {}
        for did, path in departments:
            institutions.setdefault(path[:-OrgUnit.steplen], []).append(did)
        unit_ids = dict(OrgUnit.objects.filter(path__in=list(institutions)).values_list("path", "pk"))
        directors = dict(Membership.objects.filter(org_unit__in=unit_ids.values(), role=Role.DIRECTOR)
                         .values_list("org_unit_id", "user_id"))
        current = today.replace(month=1 if today.month <= 6 else 7, day=1)
        halves = []
        for back in range(SURVEY_HALVES, 0, -1):
            index = current.year * 2 + (current.month - 1) // 6 - back
            start = datetime.date(index // 2, 1 + 6 * (index % 2), 1)
            end = datetime.date(start.year, 6, 30) if start.month == 1 else datetime.date(start.year, 12, 31)
            halves.append((start, end))
        campaigns, responses, answers = [], [], []
        cid, sid, nid = first[Campaign], first[Response], first[IndicatorAnswer]
        for path, dids in sorted(institutions.items()):
            unit = unit_ids[path]
            by = directors.get(unit) or heads[dids[0]]
            for start, end in halves:
                campaigns.append((cid, version.pk, unit, "six_monthly", f"Client survey {start:%Y-%m}", start, end,
                                  "closed", "", "[]", None, moment(start), by, moment(start), moment(end, 18), by))
                for did in dids:
                    for client in served[did]:
                        if rng.random() >= SURVEY_SHARE:
                            continue
                        day = end - datetime.timedelta(days=rng.randrange(60))
                        responses.append((sid, cid, version.pk, None, client, unit, "self", "ru", "{}",
                                          moment(day, 11), None))
                        for code, share in INDICATOR_COUNTS.items():
                            answers.append((nid, sid, code, rng.random() < share, client, unit, day))
                            nid += 1
                        sid += 1
                cid += 1
        loader.load(Campaign, ["id", "version_id", "org_unit_id", "kind", "title", "period_start", "period_end",
                               "status", "sample_seed", "sample_frame", "sample_size", "invited_at", "created_by_id",
                               "created_at", "closed_at", "closed_by_id"], campaigns)
        loader.load(Response, ["id", "campaign_id", "version_id", "invitation_id", "client_id", "org_unit_id", "mode",
                               "language", "answers", "submitted_at", "entered_by_id"], responses)
        loader.load(IndicatorAnswer, ["id", "response_id", "indicator", "counts", "client_id", "org_unit_id",
                                      "answered_on"], answers)
        log(f"  survey campaigns: {len(campaigns)}, responses: {len(responses)}, indicator answers: {len(answers)} "
            f"({time.perf_counter() - started:.0f} s)")
        loader.reset_sequences([Activity, Activity.facilitators.through, Attendance, OtherParticipants, Feedback,
                                Referral, Campaign, Response, IndicatorAnswer])
    analyze()
    log(f"  indicator facts loaded in {time.perf_counter() - started:.0f} s")
