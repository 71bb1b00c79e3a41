"""A believable demo world (issue: foundation): one country, 2 regions, 4 districts, 6 institutions,
their departments and staff, with names in the seeds' languages. Idempotent per run: it builds
only into an empty database."""

from django.db import transaction

from socmon.accounts.models import Membership, Role, User
from socmon.orgs.models import OrgLevel, OrgUnit

DEMO_PASSWORD = "socmon-demo-2026"

# region → district → institutions (name, code, ownership) → departments
TREE = {
    ("Almaty Region", "almaty-region"): {
        ("Talgar District", "talgar"): [
            ("Talgar Centre for Social Services", "talgar-csc", "state",
             ["Home Care Department", "Family Support Department"]),
            ("Meyirim Public Foundation", "meyirim", "ngo", ["Day Care Department"]),
        ],
        ("Konaev City", "konaev"): [
            ("Konaev Territorial Centre for Social Services", "konaev-tcss", "state",
             ["Home Care Department", "Rehabilitation Department"]),
        ],
    },
    ("Akmola Region", "akmola-region"): {
        ("Kokshetau City", "kokshetau"): [
            ("Kokshetau Centre for Social Services", "kokshetau-csc", "state",
             ["Home Care Department", "Children's Support Department"]),
            ("Umit Association of Families", "umit", "ngo", ["Family Support Department"]),
        ],
        ("Shchuchinsk District", "shchuchinsk"): [
            ("Shchuchinsk Social Services Centre", "shchuchinsk-ssc", "state", ["Home Care Department"]),
        ],
    },
}

# The units' names in the clients' other languages (the demo's `name` is English): cards speak the client's.
UNIT_NAMES = {
    "Republic of Kazakhstan": ("Республика Казахстан", "Qazaxıstan Respublikası", "Қазақстан Республикасы",
                               "Republica Kazahstan"),
    "Almaty Region": ("Алматинская область", "Almatı vilayəti", "Алматы облысы", "Regiunea Almaty"),
    "Akmola Region": ("Акмолинская область", "Akmola vilayəti", "Ақмола облысы", "Regiunea Akmola"),
    "Talgar District": ("Талгарский район", "Talqar rayonu", "Талғар ауданы", "Raionul Talgar"),
    "Konaev City": ("город Конаев", "Konayev şəhəri", "Қонаев қаласы", "Orașul Konaev"),
    "Kokshetau City": ("город Кокшетау", "Kökşetau şəhəri", "Көкшетау қаласы", "Orașul Kokșetau"),
    "Shchuchinsk District": ("Щучинский район", "Şuçinsk rayonu", "Щучинск ауданы", "Raionul Șciucinsk"),
    "Talgar Centre for Social Services": (
        "Талгарский центр социального обслуживания", "Talqar Sosial Xidmətlər Mərkəzi",
        "Талғар әлеуметтік қызмет көрсету орталығы", "Centrul de servicii sociale Talgar"),
    "Meyirim Public Foundation": ("Общественный фонд «Мейірім»", "«Meyirim» İctimai Fondu",
                                  "«Мейірім» қоғамдық қоры", "Fundația obștească „Meyirim”"),
    "Konaev Territorial Centre for Social Services": (
        "Конаевский территориальный центр социального обслуживания", "Konayev Ərazi Sosial Xidmətlər Mərkəzi",
        "Қонаев аумақтық әлеуметтік қызмет көрсету орталығы", "Centrul teritorial de servicii sociale Konaev"),
    "Kokshetau Centre for Social Services": (
        "Кокшетауский центр социального обслуживания", "Kökşetau Sosial Xidmətlər Mərkəzi",
        "Көкшетау әлеуметтік қызмет көрсету орталығы", "Centrul de servicii sociale Kokșetau"),
    "Umit Association of Families": ("Ассоциация семей «Үміт»", "«Ümit» Ailələr Assosiasiyası",
                                     "«Үміт» отбасылар қауымдастығы", "Asociația familiilor „Umit”"),
    "Shchuchinsk Social Services Centre": (
        "Щучинский центр социального обслуживания", "Şuçinsk Sosial Xidmətlər Mərkəzi",
        "Щучинск әлеуметтік қызмет көрсету орталығы", "Centrul de servicii sociale Șciucinsk"),
    "Home Care Department": ("Отделение социальной помощи на дому", "Evdə qulluq şöbəsi",
                             "Үйде әлеуметтік көмек көрсету бөлімшесі", "Secția de îngrijire la domiciliu"),
    "Family Support Department": ("Отделение поддержки семьи", "Ailəyə dəstək şöbəsi", "Отбасын қолдау бөлімшесі",
                                  "Secția de sprijin pentru familie"),
    "Day Care Department": ("Отделение дневного пребывания", "Gündüz qulluq şöbəsi", "Күндізгі болу бөлімшесі",
                            "Secția de zi"),
    "Rehabilitation Department": ("Отделение реабилитации", "Reabilitasiya şöbəsi", "Оңалту бөлімшесі",
                                  "Secția de reabilitare"),
    "Children's Support Department": ("Отделение поддержки детей", "Uşaqlara dəstək şöbəsi",
                                      "Балаларды қолдау бөлімшесі", "Secția de sprijin pentru copii"),
}


def _unit_fields(name: str, **fields) -> dict:
    """A demo unit's fields, its name in every language included."""
    return dict(name=name, name_i18n=dict(zip(("ru", "az", "kk", "ro"), UNIT_NAMES[name], strict=True)), **fields)


# Staff names from the seeds' languages: Kazakh, Russian, Azerbaijani, Romanian (female, male surname forms).
NAMES = [
    ("Aigerim", "Nurlanova"), ("Irina", "Smirnova"), ("Leyla", "Mammadova"), ("Ana", "Popescu"),
    ("Dauren", "Seitkali"), ("Sergey", "Volkov"), ("Rashad", "Aliyev"), ("Ion", "Rusu"),
    ("Gulnara", "Zhaksylykova"), ("Olga", "Kuznetsova"), ("Aynur", "Hasanova"), ("Elena", "Ciobanu"),
    ("Yerlan", "Abenov"), ("Tatiana", "Morozova"), ("Kamran", "Guliyev"), ("Mihai", "Lungu"),
    ("Saule", "Omarova"), ("Nikolai", "Pavlov"), ("Sevinj", "Huseynova"), ("Victoria", "Munteanu"),
    ("Askar", "Tulegenov"), ("Marina", "Sokolova"), ("Elvin", "Ismayilov"), ("Doina", "Cojocaru"),
    ("Madina", "Kassymova"), ("Pavel", "Orlov"), ("Gunel", "Karimova"), ("Andrei", "Ceban"),
    ("Zhanar", "Bekova"), ("Yulia", "Lebedeva"), ("Tural", "Jafarov"), ("Cristina", "Rotaru"),
    ("Nurlan", "Akhmetov"), ("Svetlana", "Fedorova"), ("Nigar", "Abdullayeva"), ("Vasile", "Botnaru"),
    ("Ainur", "Sultanova"), ("Dmitry", "Novikov"), ("Farid", "Rzayev"), ("Maria", "Sandu"),
    ("Bolat", "Iskakov"), ("Natalia", "Egorova"), ("Samira", "Quliyeva"), ("Alexandru", "Grosu"),
    ("Dinara", "Mukanova"), ("Anton", "Belov"), ("Ulviyya", "Safarova"), ("Ecaterina", "Melnic"),
]


class _People:
    def __init__(self):
        self.names = iter(NAMES)
        self.count = 0

    def make(self, username: str | None = None) -> User:
        first, last = next(self.names)
        self.count += 1
        user = User(username=username or f"{first}.{last}".lower(), first_name=first, last_name=last)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user


def _level(code: str) -> OrgLevel:
    return OrgLevel.objects.get(code=code)


@transaction.atomic
def build_world() -> list[tuple[str, str]]:
    """Create the demo world; returns the (username, what they can see) pairs to print."""
    people = _People()
    country = OrgUnit.objects.add_root(_unit_fields("Republic of Kazakhstan", code="kz",
                                                           level=_level("country")))
    logins = []
    first_institution = first_department = None
    for (region_name, region_code), districts in TREE.items():
        region = OrgUnit.objects.add_child(country, _unit_fields(region_name, code=region_code,
                                                                 level=_level("region")))
        for (district_name, district_code), institutions in districts.items():
            district = OrgUnit.objects.add_child(region, _unit_fields(district_name, code=district_code,
                                                                      level=_level("district")))
            for name, code, ownership, departments in institutions:
                institution = OrgUnit.objects.add_child(district, _unit_fields(
                    name, code=code, level=_level("institution"), ownership=ownership, address=district_name))
                first_institution = first_institution or institution
                director = people.make("director" if institution == first_institution else None)
                Membership.objects.create(user=director, org_unit=institution, role=Role.DIRECTOR)
                for index, department_name in enumerate(departments, start=1):
                    department = OrgUnit.objects.add_child(institution, _unit_fields(
                        department_name, code=f"{code}-d{index}", level=_level("department")))
                    first = first_department is None
                    first_department = first_department or department
                    head = people.make("head" if first else None)
                    Membership.objects.create(user=head, org_unit=department, role=Role.HEAD)
                    for n in range(3 if first or index == 1 else 2):
                        worker = people.make(("worker", "worker2", "worker3")[n] if first else None)
                        Membership.objects.create(user=worker, org_unit=department, role=Role.WORKER)
    almaty = OrgUnit.objects.get(code="almaty-region")
    Membership.objects.create(user=people.make("specialist"), org_unit=almaty, role=Role.SPECIALIST)
    Membership.objects.create(user=people.make("analyst"), org_unit=country, role=Role.ANALYST)
    Membership.objects.create(user=people.make("evaluator"), org_unit=country, role=Role.EVALUATOR)
    admin = people.make("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    Membership.objects.create(user=admin, org_unit=country, role=Role.ADMIN)
    # An administrator who is only that (no superuser): the pages an administrator really has, no My day.
    Membership.objects.create(user=people.make("admin2"), org_unit=almaty, role=Role.ADMIN)
    logins = [
        ("worker", "Social worker, Home Care Department, Talgar"),
        ("worker2", "Social worker, same team as worker"),
        ("head", "Department head, Home Care Department, Talgar"),
        ("director", "Institution director, Talgar Centre for Social Services"),
        ("specialist", "Monitoring specialist, Almaty Region"),
        ("analyst", "Analyst, whole country"),
        ("evaluator", "External evaluator (aggregates only)"),
        ("admin", "Administrator (also Django admin)"),
        ("admin2", "Administrator, Almaty Region (the administrator role alone)"),
    ]
    return logins
