"""A trigram index on the folded search key, so a name search stays fast at a million
clients. PostgreSQL only: the embedded SQLite default scans, which is fine at its size."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS client_search_key_trgm "
        "ON clients_client USING gin (search_key gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS client_search_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_reference_defaults")]
    operations = [migrations.RunPython(create, drop)]
