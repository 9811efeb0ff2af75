"""Give the app's database role the rights the web, worker and beat processes need, and no more.

Run by the owner of the tables (the role that runs ``migrate``), after every ``migrate``; running it again
changes nothing. The app role gets SELECT, INSERT, UPDATE and DELETE on the app's tables, only SELECT and
INSERT on the event log, only SELECT on Django's migration records, and USAGE on the sequences; default
privileges give it the same on tables and sequences the owner creates later. It owns nothing, so it can
neither disable a trigger nor truncate, alter or drop a table. The command refuses a role that could act
or change the event log anyway: the owner itself, a member of it, a superuser, a role that may create
roles, a member of pg_write_all_data, one that owns a table here, or one that may still create objects in
the schema.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

from onboarding.models import Event

# Tables the app may read and append to, never change; and tables it may only read.
APPEND_ONLY_TABLES = (Event._meta.db_table,)
READ_ONLY_TABLES = (MigrationRecorder.Migration._meta.db_table,)
# Revoke, then grant, in one transaction: a refresh leaves exactly these rights, whatever was there before.
GRANTS = (
    "GRANT CONNECT ON DATABASE {database} TO {role}",
    "GRANT USAGE ON SCHEMA {schema} TO {role}",
    "REVOKE CREATE ON SCHEMA {schema} FROM {role}",
    "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
)
TABLE_LIMITS = (
    (APPEND_ONLY_TABLES, "REVOKE UPDATE, DELETE ON {schema}.{table} FROM {role}"),
    (READ_ONLY_TABLES, "REVOKE INSERT, UPDATE, DELETE ON {schema}.{table} FROM {role}"),
)


def _one(cursor, query: str, params=()):
    cursor.execute(query, params)
    row = cursor.fetchone()
    return row[0] if row else None


def refusal(cursor, role: str) -> str | None:
    """Why ``role`` must not be the app role (None when it may)."""
    role_exists = _one(cursor, "SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = %s", [role])
    if not role_exists:
        return f"The role {role} does not exist: create it first (README, 'Database roles')."
    owner = _one(cursor, "SELECT current_user")
    if role == owner:
        return f"{role} is the owner itself: the app needs a role of its own."
    if _one(cursor, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = %s", [role]):
        return f"{role} is a superuser: it could switch off any trigger."
    if _one(cursor, "SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = %s", [role]):
        return f"{role} may create roles: it could make itself a member of the owner."
    if _one(cursor, "SELECT pg_catalog.pg_has_role(%s, %s, 'MEMBER')", [role, owner]):
        return f"{role} is a member of {owner}: it could act as the owner."
    # PostgreSQL 14 and later: a member of pg_write_all_data may update and delete in every table.
    if _one(
        cursor,
        "SELECT coalesce(bool_or(pg_catalog.pg_has_role(%s, oid, 'MEMBER')), false) "
        "FROM pg_catalog.pg_roles WHERE rolname = 'pg_write_all_data'",
        [role],
    ):
        return f"{role} is a member of pg_write_all_data: it could change the event log."
    owned = _one(
        cursor,
        "SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_roles r ON r.oid = c.relowner "
        "WHERE r.rolname = %s AND c.relnamespace = pg_catalog.current_schema()::regnamespace",
        [role],
    )
    if owned:
        return f"{role} owns {owned}: the owner of a table can disable its triggers. Give them to {owner}."
    return None


def grant_app_role(role: str) -> dict[str, int]:
    """Grant (or refresh) the app role's rights; returns how many tables and sequences it covers."""
    if connection.vendor != "postgresql":
        raise CommandError("Database roles are PostgreSQL's: the SQLite default has one user and no grants.")
    with transaction.atomic(), connection.cursor() as cursor:
        reason = refusal(cursor, role)
        if reason:
            raise CommandError(reason)
        database = _one(cursor, "SELECT current_database()")
        schema = _one(cursor, "SELECT current_schema()")
        names = {"role": sql.Identifier(role), "database": sql.Identifier(database), "schema": sql.Identifier(schema)}
        statements = [sql.SQL(statement).format(**names) for statement in GRANTS]
        statements += [
            sql.SQL(statement).format(table=sql.Identifier(table), **names)
            for tables, statement in TABLE_LIMITS
            for table in tables
        ]
        for statement in statements:
            cursor.execute(statement.as_string(connection.connection))
        if _one(cursor, "SELECT pg_catalog.has_schema_privilege(%s, %s, 'CREATE')", [role, schema]):
            raise CommandError(
                f"{role} may still create objects in the schema {schema} (through PUBLIC): run "
                f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC as its owner (the default since PostgreSQL 15)."
            )
        tables = _one(
            cursor,
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = %s "
            "AND pg_catalog.has_table_privilege(%s, pg_catalog.format('%%I.%%I', schemaname, tablename), 'SELECT')",
            [schema, role],
        )
        sequences = _one(
            cursor,
            "SELECT count(*) FROM pg_catalog.pg_class WHERE relkind = 'S' AND relnamespace = %s::regnamespace",
            [schema],
        )
    return {"tables": tables, "sequences": sequences}


class Command(BaseCommand):
    help = "Grant the app's database role its rights (run as the owner, after migrate; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the web, worker and beat processes connect as.")

    def handle(self, *args, role, **options):
        covered = grant_app_role(role)
        self.stdout.write(
            f"{role}: read and write on {covered['tables']} table(s), read and append only on "
            f"{', '.join(APPEND_ONLY_TABLES)}, read only on {', '.join(READ_ONLY_TABLES)}, "
            f"{covered['sequences']} sequence(s); tables created later by this owner included."
        )
        self.stdout.write(self.style.SUCCESS("Done."))
