"""On PostgreSQL only: the index's version, for the literal caches of every app server.

``sitesearch_indexversion`` holds one row whose ``n`` the PostgreSQL engine sets to a new value
of the sequence ``sitesearch_indexversion_seq`` in the same transaction as every write to the
index (``PostgresEngine.apply`` / ``rebuild``), and a trigger does the same on TRUNCATE. A value
is never reused, even when the writing transaction rolls back, so a cache filled under version
n is valid exactly while a reader still sees n (other databases skip).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "CREATE SEQUENCE IF NOT EXISTS sitesearch_indexversion_seq",
        "CREATE TABLE IF NOT EXISTS sitesearch_indexversion "
        "(id integer PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)",
        "INSERT INTO sitesearch_indexversion (id, n) "
        "VALUES (1, nextval('sitesearch_indexversion_seq')) ON CONFLICT (id) DO NOTHING",
        "CREATE OR REPLACE FUNCTION sitesearch_bump_index_version() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE sitesearch_indexversion SET n = nextval('sitesearch_indexversion_seq') "
        "WHERE id = 1; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS sitesearch_indexeddocument_truncated "
        "ON sitesearch_indexeddocument",
        "CREATE TRIGGER sitesearch_indexeddocument_truncated AFTER TRUNCATE "
        "ON sitesearch_indexeddocument FOR EACH STATEMENT "
        "EXECUTE FUNCTION sitesearch_bump_index_version()",
    ):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS sitesearch_indexeddocument_truncated ON sitesearch_indexeddocument"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS sitesearch_bump_index_version()")
    schema_editor.execute("DROP TABLE IF EXISTS sitesearch_indexversion")
    schema_editor.execute("DROP SEQUENCE IF EXISTS sitesearch_indexversion_seq")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0004_tsv_gin_small_pending_list")]
    operations = [migrations.RunPython(forwards, backwards)]
