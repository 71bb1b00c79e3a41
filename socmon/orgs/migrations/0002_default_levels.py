from django.db import migrations

# The default hierarchy of; administrators may rename, add or remove levels.
LEVELS = [
    ("country", 0, "area", "Country",
     {"ru": "Страна", "az": "Ölkə", "kk": "Ел", "ro": "Țară"}),
    ("region", 1, "area", "Region",
     {"ru": "Регион", "az": "Region", "kk": "Өңір", "ro": "Regiune"}),
    ("district", 2, "area", "District or city",
     {"ru": "Район или город", "az": "Rayon və ya şəhər", "kk": "Аудан немесе қала", "ro": "Raion sau oraș"}),
    ("institution", 3, "institution", "Institution",
     {"ru": "Учреждение", "az": "Müəssisə", "kk": "Мекеме", "ro": "Instituție"}),
    ("department", 4, "department", "Department",
     {"ru": "Отделение", "az": "Şöbə", "kk": "Бөлім", "ro": "Secție"}),
]


def create_levels(apps, schema_editor):
    OrgLevel = apps.get_model("orgs", "OrgLevel")
    for code, rank, kind, name, names in LEVELS:
        OrgLevel.objects.get_or_create(code=code, defaults={"rank": rank, "kind": kind, "name": name,
                                                            "name_i18n": names})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create_levels, migrations.RunPython.noop)]
