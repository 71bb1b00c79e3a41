"""Indexed client search (clients.search): fill the surname-first key, and on PostgreSQL a trigram index
for name substrings. Both are no-ops on SQLite apart from the fill (SQLite finds names by an indexed
prefix of either key)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_INDEX = "clients_client_search_name_trgm"


def fill_last_first(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    for client in Client.objects.filter(search_name_last_first="").only("first_name", "last_name").iterator():
        key = " ".join(f"{client.last_name} {client.first_name}".casefold().split())
        Client.objects.filter(pk=client.pk).update(search_name_last_first=key)


def create_trigram_index(apps, schema_editor):
    # Matches the expression Django's `contains` lookup compares: "search_name"::text LIKE '%…%'.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON "clients_client" '
                              'USING gin ((search_name::text) gin_trgm_ops)')


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_client_search_name_last_first")]
    operations = [
        TrigramExtension(),  # CREATE EXTENSION pg_trgm on PostgreSQL only; nothing on SQLite
        migrations.RunPython(fill_last_first, migrations.RunPython.noop),
        # Schema, not seed data: socmon.test.reseed() skips it (a flush keeps indexes).
        migrations.RunPython(create_trigram_index, drop_trigram_index, hints={"schema_only": True}),
    ]
