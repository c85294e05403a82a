"""On PostgreSQL only: a small pending list for the tsvector's GIN index (other databases skip).

With GIN's default fast update, new entries wait in a pending list of up to 4 MB that every
index scan reads in full: after a rebuild at ~150k articles that was most of a literal lookup's
time. A 64 kB list keeps writes batched a little and lookups fast; ``rebuild`` also empties it.
"""

from django.db import migrations

INDEX = "sitesearch_indexeddocument_tsv_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} SET (gin_pending_list_limit = 64)")
    schema_editor.execute(
        f"SELECT gin_clean_pending_list('{INDEX}'::regclass) "
        f"WHERE to_regclass('{INDEX}') IS NOT NULL"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0003_lexicon_and_query_log")]
    operations = [migrations.RunPython(forwards, backwards)]
