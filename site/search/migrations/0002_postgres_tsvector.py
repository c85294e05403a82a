"""On PostgreSQL only: the segmented tsvector column and its GIN index (other databases skip)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE sitesearch_indexeddocument ADD COLUMN IF NOT EXISTS tsv tsvector")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS sitesearch_indexeddocument_tsv_gin "
        "ON sitesearch_indexeddocument USING gin (tsv)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS sitesearch_indexeddocument_tsv_gin")
    schema_editor.execute("ALTER TABLE sitesearch_indexeddocument DROP COLUMN IF EXISTS tsv")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
