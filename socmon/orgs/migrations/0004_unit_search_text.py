"""Finding units by part of a name in any language or of the address (socmon.orgs.search): a case-folded
`search_text`, filled for the units there are, and on PostgreSQL a trigram index for substrings."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = "orgs_orgunit_search_text_trgm"


def fill_search_text(apps, schema_editor):
    from socmon.orgs.models import search_text_of

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    for unit in OrgUnit.objects.only("name", "name_i18n", "address").iterator():
        OrgUnit.objects.filter(pk=unit.pk).update(search_text=search_text_of(unit.name, unit.name_i18n, unit.address))


def create_trigram_index(apps, schema_editor):
    # Matches the expression Django's `contains` lookup compares: "search_text"::text LIKE '%…%'.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON "orgs_orgunit" '
                              'USING gin ((search_text::text) gin_trgm_ops)')


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_unit_names_in_languages")]
    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="search_text",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        TrigramExtension(),  # CREATE EXTENSION pg_trgm on PostgreSQL only; nothing on SQLite
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        # Schema, not seed data: socmon.test.reseed() skips it (a flush keeps indexes).
        migrations.RunPython(create_trigram_index, drop_trigram_index, hints={"schema_only": True}),
    ]
