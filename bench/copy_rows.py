"""Rows written with PostgreSQL's COPY, for the benchmarks that fill a database of their own."""

from __future__ import annotations

import json
from datetime import datetime


class Copier:
    """Rows written with COPY: the given fields' values (as the database wants them), and every other
    non-null column filled with its field's default (Django keeps defaults in Python, not in the table)."""

    def __init__(self, cursor, now: datetime):
        self.cursor = cursor
        self.now = now

    def default(self, field):
        from django.db.models import JSONField

        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        value = field.get_default()
        return json.dumps(value) if isinstance(field, JSONField) else value

    def copy(self, model, fields: list[str], rows) -> int:
        given = set(fields)
        rest = [f for f in model._meta.concrete_fields if f.name not in given and not f.primary_key and not f.null]
        fixed = tuple(self.default(f) for f in rest)
        columns = ", ".join(f'"{model._meta.get_field(f).column}"' for f in fields)
        columns += "".join(f', "{f.column}"' for f in rest)
        n = 0
        with self.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row((*row, *fixed))
                n += 1
        return n

    def next_ids(self, model, count: int) -> range:
        """Reserve ``count`` primary keys from the model's sequence."""
        table = model._meta.db_table
        self.cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                            [count])  # fmt: skip
        ids = [r[0] for r in self.cursor.fetchall()]
        return range(ids[0], ids[0] + count) if ids == list(range(ids[0], ids[0] + count)) else ids
