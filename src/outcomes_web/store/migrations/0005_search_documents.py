"""Full-text search: one document per public page, with each database's own index.

SQLite: an FTS5 table over the documents' title and body (porter stemming, external content), kept in
step by triggers. PostgreSQL: a GIN index on the stored 'english' tsvector. Each operation runs only on
its own database; on the other it does nothing.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE store_searchdocument_fts USING fts5("
    "title, body, content='store_searchdocument', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER store_searchdocument_fts_insert AFTER INSERT ON store_searchdocument BEGIN "
    "INSERT INTO store_searchdocument_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER store_searchdocument_fts_delete AFTER DELETE ON store_searchdocument BEGIN "
    "INSERT INTO store_searchdocument_fts(store_searchdocument_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER store_searchdocument_fts_update AFTER UPDATE ON store_searchdocument BEGIN "
    "INSERT INTO store_searchdocument_fts(store_searchdocument_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO store_searchdocument_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS store_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS store_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS store_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS store_searchdocument_fts",
]
POSTGRES_CREATE = ["CREATE INDEX store_searchdocument_vector_gin ON store_searchdocument USING gin (vector)"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS store_searchdocument_vector_gin"]


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('store', '0004_pendingupload_parsed'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stamp', models.CharField(max_length=120)),
                ('kind', models.CharField(choices=[('outcome', 'Outcome'), ('indicator', 'Population indicator'),
                                                   ('risks', 'Risks')], max_length=20)),
                ('indicator_key', models.CharField(blank=True, default='', max_length=100)),
                ('position', models.PositiveIntegerField(default=0)),
                ('title', models.TextField()),
                ('body', models.TextField(blank=True, default='')),
                ('vector', django.contrib.postgres.search.SearchVectorField(blank=True, null=True)),
                ('snapshot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                               related_name='search_documents', to='store.snapshot')),
            ],
            options={
                'ordering': ['snapshot', 'position'],
                'constraints': [models.UniqueConstraint(fields=('snapshot', 'kind', 'indicator_key'),
                                                        name='one_search_document_per_page')],
            },
        ),
        migrations.RunPython(_run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})),
    ]
