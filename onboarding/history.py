"""Field history through django-pghistory (database triggers; PostgreSQL only).

Encrypted columns are excluded: history must not spread copies of personal data into more tables.
"""

import pghistory


def track(*, exclude: list[str] | None = None):
    return pghistory.track(
        obj_field=pghistory.ObjForeignKey(related_name="history"), **({"exclude": exclude} if exclude else {})
    )
