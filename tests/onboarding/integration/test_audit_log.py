"""The audit log on PostgreSQL: the app's own database role can only read and append events; the owner cannot
rewrite them either, except by deleting expired ones inside the retention purge. No switch opens the gate:
not pgtrigger.ignore(), not a session-level setting left on a pooled connection."""

import io
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from onboarding.management.commands.purge_events import purge_events
from onboarding.models import Application, Event
from onboarding.models.events import PURGE_SETTING
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.states import AppState
from tests.factories import application_in_state, draft_application

pytestmark = pytest.mark.postgres
TAMPERING = {
    "update": "UPDATE onboarding_event SET action = 'forged'",
    "delete": "DELETE FROM onboarding_event",
    "truncate": "TRUNCATE onboarding_event",
}
TRIGGERS = ("onboarding.Event:append_only", "onboarding.Event:no_truncate")


def execute(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def refused(sql: str, match: str | None = None):
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        execute(sql)


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


@pytest.fixture
def app_role(postgres):
    """A role like production's app role: created, then given its rights by the owner's grant command."""
    role = f"portal_app_{uuid.uuid4().hex[:12]}"
    execute(f"CREATE ROLE {quoted(role)} NOLOGIN")
    call_command("grant_app_role", role, stdout=io.StringIO())
    return role


@contextmanager
def acting_as(role: str):
    execute(f"SET ROLE {quoted(role)}")
    try:
        yield
    finally:
        execute("RESET ROLE")


def expired_application() -> Application:
    application = application_in_state(AppState.DECLINED)
    Application.objects.filter(pk=application.pk).update(state_changed_at=timezone.now() - timedelta(days=6 * 365))
    return application


@pytest.mark.django_db
def test_the_app_role_can_read_and_append_events_and_do_the_apps_work(app_role):
    with acting_as(app_role):
        application = draft_application()  # users, an application, parties, documents, history, events
        event_record(actor=Actor.system("tests"), subject=application, application=application, action="noted")
        assert Event.objects.filter(application=application, action="noted").count() == 1
        assert Event.objects.filter(application=application).count() > 1


@pytest.mark.django_db
@pytest.mark.parametrize("statement", sorted(TAMPERING))
def test_the_app_role_cannot_update_delete_or_truncate_events(app_role, statement):
    application_in_state(AppState.DRAFT)
    count = Event.objects.count()
    with acting_as(app_role):
        refused(TAMPERING[statement], match="permission denied")
    assert Event.objects.count() == count and not Event.objects.filter(action="forged").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE onboarding_event DISABLE TRIGGER ALL",
        "ALTER TABLE onboarding_event DISABLE TRIGGER USER",
        "ALTER TABLE onboarding_application DISABLE TRIGGER ALL",
        "DROP TABLE onboarding_event",
        "SET session_replication_role = replica",
        "CREATE TABLE onboarding_shadow (id integer)",
    ],
)
def test_the_app_role_cannot_switch_off_triggers_or_change_the_schema(app_role, statement):
    with acting_as(app_role):
        refused(statement, match="must be owner|permission denied")


@pytest.mark.django_db
def test_the_app_role_cannot_rewrite_the_migration_history(app_role):
    with acting_as(app_role):
        assert execute("SELECT count(*) FROM django_migrations")[0][0] > 0
        refused("DELETE FROM django_migrations", match="permission denied")


@pytest.mark.django_db
def test_purge_events_run_as_the_app_role_says_to_use_the_owner(app_role):
    expired_application()
    count = Event.objects.count()
    with acting_as(app_role), pytest.raises(CommandError, match="owner's DATABASE_URL"):
        call_command("purge_events", stdout=io.StringIO())
    assert Event.objects.count() == count


@pytest.mark.django_db
def test_the_grant_is_idempotent_and_covers_tables_created_later(app_role):
    call_command("grant_app_role", app_role, stdout=io.StringIO())
    execute("CREATE TABLE portal_created_later (id integer)")
    with acting_as(app_role):
        execute("INSERT INTO portal_created_later VALUES (1)")
        assert execute("SELECT id FROM portal_created_later") == [(1,)]
        refused("TRUNCATE portal_created_later", match="permission denied")


@pytest.mark.django_db
def test_the_grant_refuses_a_role_that_could_act_as_the_owner(postgres):
    owner = execute("SELECT current_user")[0][0]
    kinds = ("member", "super", "createrole", "writer", "owns")
    member, superuser, createrole, writer, owning = (f"portal_{kind}_{uuid.uuid4().hex[:8]}" for kind in kinds)
    execute(f"CREATE ROLE {quoted(member)} NOLOGIN IN ROLE {quoted(owner)}")
    execute(f"CREATE ROLE {quoted(superuser)} NOLOGIN SUPERUSER")
    execute(f"CREATE ROLE {quoted(createrole)} NOLOGIN CREATEROLE")
    execute(f"CREATE ROLE {quoted(writer)} NOLOGIN IN ROLE pg_write_all_data")
    execute(f"CREATE ROLE {quoted(owning)} NOLOGIN")
    execute(f"CREATE TABLE portal_owned_by_app (id integer); ALTER TABLE portal_owned_by_app OWNER TO {quoted(owning)}")
    for role, reason in [
        (owner, "the owner itself"),
        (member, f"member of {owner}"),
        (superuser, "superuser"),
        (createrole, "may create roles"),
        (writer, "member of pg_write_all_data"),
        (owning, "owns portal_owned_by_app"),
        ("no_such_role_" + uuid.uuid4().hex[:8], "does not exist"),
    ]:
        with pytest.raises(CommandError, match=reason):
            call_command("grant_app_role", role, stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("statement", sorted(TAMPERING))
def test_the_owner_cannot_rewrite_events_outside_the_purge(postgres, statement):
    application_in_state(AppState.DRAFT)
    count = Event.objects.count()
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # else TRUNCATE stops at the test's pending foreign-key checks
    refused(TAMPERING[statement])
    with pgtrigger.ignore(*TRIGGERS):
        refused(TAMPERING[statement], match="append-only")
    assert Event.objects.count() == count and not Event.objects.filter(action="forged").exists()


@pytest.mark.django_db
def test_switching_the_purge_setting_on_opens_nothing(postgres):
    application_in_state(AppState.DRAFT)
    count = Event.objects.count()
    execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
    refused(TAMPERING["delete"], match="append-only")
    assert Event.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_a_session_level_purge_switch_opens_nothing_in_later_transactions(postgres):
    application_in_state(AppState.DRAFT)
    count = Event.objects.count()
    try:
        execute(f"SET {PURGE_SETTING} = 'on'")
        refused(TAMPERING["delete"], match="append-only")
        # Even the id the next transaction will most likely get, set for the session, does not open it.
        execute("SELECT set_config(%s, (txid_current() + 1)::text, false)", [PURGE_SETTING])
        refused(TAMPERING["delete"], match="append-only")
        execute("SELECT set_config(%s, txid_current()::text, false)", [PURGE_SETTING])
        refused(TAMPERING["delete"], match="append-only")
    finally:
        execute(f"RESET {PURGE_SETTING}")
    assert Event.objects.count() == count


@pytest.mark.django_db
def test_the_purge_deletes_expired_events_and_closes_the_gate_behind_it(postgres):
    old = expired_application()
    live = application_in_state(AppState.IN_REVIEW)
    expired = Event.objects.filter(application=old).count()
    assert purge_events() == expired
    assert not Event.objects.filter(application=old).exists()
    # Still inside the same transaction: the gate is shut again.
    refused(f"DELETE FROM onboarding_event WHERE application_id = {live.pk}", match="append-only")
    assert Event.objects.filter(application=live).exists()


@pytest.mark.django_db
def test_the_purge_command_reports_what_it_deleted(postgres):
    old = expired_application()
    expired = Event.objects.filter(application=old).count()
    out = io.StringIO()
    call_command("purge_events", stdout=out)
    assert out.getvalue().strip() == f"{expired} event(s) purged."
