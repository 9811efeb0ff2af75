"""Migration operations that exist only on PostgreSQL (the trigram search indexes): the SQLite file that
`make run` uses skips them, and its search falls back to plain substring matching."""

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    """``RunSQL`` that does nothing on another database. It changes no model state, so the indexes it
    creates live beside the models' own and never show up in ``makemigrations``."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(table: str, column: str, name: str) -> PostgresOnlySQL:
    """A GIN trigram index on ``UPPER(column)``: what Django's ``icontains`` compares on PostgreSQL, and
    what a trigram similarity on the upper-cased value uses."""
    return PostgresOnlySQL(
        sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)',
        reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
    )
