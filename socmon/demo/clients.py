"""Demo clients (issue #3): about a dozen people on each worker's list in Talgar's Home Care Department,
a few nobody holds yet, a few in other departments and towns, their applications, one move planned
for tomorrow and two purpose-stated views for the head to see.

Built through the services, as a head would register them, so codes, caseloads and the audit trail are
real. Deterministic: the same names and places every time.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from socmon.accounts.models import Role, User
from socmon.catalogue.models import ClientCategory
from socmon.clients import services
from socmon.clients.models import Application, Client
from socmon.orgs.models import OrgUnit

# Female and male first names, and surnames (female form, male form), by language of the seeds.
NAMES = {
    "kk": (["Aigul", "Gulnar", "Saule", "Bibigul", "Kulyash", "Rauan", "Zhanar"],
           ["Serik", "Bakhyt", "Kairat", "Yermek", "Amangeldy", "Talgat"],
           [("Sarsenova", "Sarsenov"), ("Tulegenova", "Tulegenov"), ("Baimukhanova", "Baimukhanov"),
            ("Zhakupova", "Zhakupov"), ("Ospanova", "Ospanov"), ("Nurmagambetova", "Nurmagambetov")]),
    "ru": (["Valentina", "Galina", "Lyudmila", "Nina", "Tamara"], ["Viktor", "Gennady", "Yuri", "Anatoly"],
           [("Ivanova", "Ivanov"), ("Kovalenko", "Kovalenko"), ("Petrova", "Petrov"), ("Shevchenko", "Shevchenko"),
            ("Bondareva", "Bondarev")]),
    "az": (["Gulnara", "Sevda", "Rena"], ["Rauf", "Elchin", "Vugar"],
           [("Mammadova", "Mammadov"), ("Huseynova", "Huseynov"), ("Aliyeva", "Aliyev")]),
    "ro": (["Elena", "Maria"], ["Ion", "Gheorghe"], [("Rusu", "Rusu"), ("Ceban", "Ceban")]),
}
LANGUAGE_WEIGHTS = [("kk", 6), ("ru", 4), ("az", 1), ("ro", 1)]
# Places with their centre: (town or village, latitude, longitude).
PLACES = {
    "talgar": [("Talgar", 43.3036, 77.2408), ("Talgar", 43.2961, 77.2325), ("Panfilov village", 43.3270, 77.2060),
               ("Besagash village", 43.3128, 77.1711), ("Kendala village", 43.2710, 77.3120),
               ("Tuzdybastau village", 43.3490, 77.0960)],
    "konaev": [("Konaev", 43.8667, 77.0667)],
    "kokshetau": [("Kokshetau", 53.2833, 69.3833)],
}
STREETS = ["Abai Street", "Tauelsizdik Street", "Kunaev Street", "Lenin Street", "Gagarin Street",
           "Zhambyl Street", "Bokin Street", "Raiymbek Avenue", "Dostyk Street", "Satpayev Street"]
REQUESTS = {
    "older-person": ["Help with shopping and cleaning; lives alone after her husband died.",
                     "Cannot get to the clinic on her own; needs accompanying to appointments.",
                     "Daughter works in Almaty; asks for home help twice a week."],
    "disability-group-1": ["Uses a wheelchair; needs help with shopping and medicines."],
    "disability-group-2": ["Needs help with documents to renew disability status and with the household."],
    "disability-group-3": ["Asks for help finding work he can do from home."],
    "child-with-disability": ["Mother asks for a teacher's visits and advice on care at home."],
    "family-with-children": ["Three children, father away for work; asks for support and advice on benefits."],
    "domestic-violence": ["Left home with two children; asks for psychological and legal help."],
    "released-from-prison": ["Released last month; needs help with documents and finding work."],
    "homeless": ["Lost his flat; asks for shelter and help to restore his identity documents."],
}
HOME_CARE_MIX = ["older-person"] * 6 + ["disability-group-1", "disability-group-2", "disability-group-2",
                                         "disability-group-3", "child-with-disability"]
# How to get in, chosen from the address (not from the seeded random numbers, so every other demo value stays
# as it was): about half the people have a note.
ACCESS_NOTES = ["Entrance 2, 3rd floor, intercom 45.", "", "Gate on the left; a dog in the yard, call first.", "",
                "Ring twice and wait: she walks slowly.", "The key is with the neighbour in flat 12.", ""]
CONSENT = "Processing of personal data to provide social services; reports show the client code only."


class _Registry:
    def __init__(self, today: datetime.date):
        self.random = random.Random(2026)
        self.today = today
        self.categories = {c.code: c for c in ClientCategory.objects.all()}

    def person(self, category: str, place: str) -> dict:
        rnd = self.random
        language = rnd.choices([lang for lang, _w in LANGUAGE_WEIGHTS], [w for _l, w in LANGUAGE_WEIGHTS])[0]
        female_names, male_names, surnames = NAMES[language]
        female = rnd.random() < 0.65
        surname = rnd.choice(surnames)[0 if female else 1]
        town, lat, lon = rnd.choice(PLACES[place])
        age = {"older-person": (72, 93), "child-with-disability": (3, 17), "family-with-children": (28, 42),
               "care-leaver": (18, 23)}.get(category, (25, 70))
        birth = self.today - datetime.timedelta(days=rnd.randint(age[0] * 365, age[1] * 365))
        needs = rnd.sample(["large_print", "audio", "easy_read", "screen_reader", "sign_language"],
                           k=rnd.choice([0, 0, 0, 1, 1, 2]))
        return {
            "first_name": rnd.choice(female_names if female else male_names), "last_name": surname,
            "birth_date": birth, "sex": Client.Sex.FEMALE if female else Client.Sex.MALE,
            "category": self.categories[category], "language": language, "document_number": "",
            "address": f"{town}, {rnd.choice(STREETS)} {rnd.randint(1, 140)}",
            "latitude": Decimal(f"{lat + rnd.uniform(-0.012, 0.012):.6f}"),
            "longitude": Decimal(f"{lon + rnd.uniform(-0.015, 0.015):.6f}"),
            "phone": f"+7 7{rnd.randint(0, 7)}{rnd.randint(0, 9)} {rnd.randint(100, 999)} {rnd.randint(10, 99)} "
                     f"{rnd.randint(10, 99)}",
            "trusted_person_name": "" if rnd.random() < 0.3 else f"{rnd.choice(female_names)} {surname} (relative)",
            "trusted_person_phone": "", "accessibility_needs": needs,
            "consent_given_on": self.today, "consent_scope": CONSENT,
        }

    @staticmethod
    def with_access_notes(person: dict) -> dict:
        return person | {"access_notes": ACCESS_NOTES[sum(map(ord, person["address"])) % len(ACCESS_NOTES)]}

    def register(self, *, by: User, department: OrgUnit, category: str, place: str, worker: User | None) -> Client:
        received = self.today - datetime.timedelta(days=self.random.randint(20, 400))
        person = self.with_access_notes(self.person(category, place))
        person["consent_given_on"] = received
        channel = self.random.choice([Application.Channel.IN_PERSON] * 6 + [Application.Channel.RELATIVE] * 2
                                     + [Application.Channel.PHONE, Application.Channel.ONLINE])
        application = services.register_application(
            by=by, department=department, person=person, channel=channel,
            request_text=self.random.choice(REQUESTS[category]), received_on=received, worker=worker,
            today=received)
        return application.client


def _staff(department: OrgUnit, role: str) -> list[User]:
    return list(User.objects.filter(memberships__org_unit=department, memberships__role=role).order_by("pk"))


def build() -> None:
    registry = _Registry(timezone.localdate())
    home_care = OrgUnit.objects.get(code="talgar-csc-d1")
    head = _staff(home_care, Role.HEAD)[0]
    workers = _staff(home_care, Role.WORKER)
    held: dict[User, list[Client]] = {}
    for index, worker in enumerate(workers):
        held[worker] = [registry.register(by=head, department=home_care, category=category, place="talgar",
                                          worker=worker)
                        for category in HOME_CARE_MIX + ["older-person"] * index]
    for category in ("older-person", "disability-group-2", "homeless"):
        registry.register(by=head, department=home_care, category=category, place="talgar", worker=None)
    for code, place, categories in [
        ("talgar-csc-d2", "talgar", ["family-with-children", "family-with-children", "domestic-violence",
                                     "child-with-disability", "released-from-prison"]),
        ("konaev-tcss-d1", "konaev", ["older-person", "older-person", "disability-group-1", "disability-group-3"]),
        ("kokshetau-csc-d1", "kokshetau", ["older-person", "disability-group-2", "older-person", "homeless"]),
    ]:
        department = OrgUnit.objects.get(code=code)
        department_head, department_workers = _staff(department, Role.HEAD)[0], _staff(department, Role.WORKER)
        for n, category in enumerate(categories):
            registry.register(by=department_head, department=department, category=category, place=place,
                              worker=department_workers[n % len(department_workers)])
    first, second = workers[0], workers[1]
    # worker2 covered two of worker's visits last week; the head sees why.
    for client, purpose in [(held[first][0], f"Covering the Tuesday visit while {first.first_name} was on a course"),
                            (held[first][1], f"Delivering medicines in place of {first.first_name}, on sick leave")]:
        services.log_client_view(by=second, client=client, what="client record", purpose=purpose)
    # One client moves from worker to worker2 at the start of tomorrow.
    services.assign_clients(by=head, department=home_care, clients=[held[first][-1]], worker=second)
