"""What only PostgreSQL shows: racing transitions, and the append-only event table."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from onboarding.errors import DomainError
from onboarding.management.commands.purge_events import purge_events
from onboarding.models import Application, Event
from onboarding.models.events import PURGE_SETTING
from onboarding.services.actors import Actor
from onboarding.services.transitions import application_transition
from onboarding.states import AppState
from tests.factories import application_in_state


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("source", "targets"),
    [
        (AppState.SUBMITTED, (AppState.SCREENING, AppState.SCREENING)),  # the same task delivered twice
        (AppState.IN_REVIEW, (AppState.APPROVED, AppState.DECLINED)),
    ],  # two officers decide at once
)
def test_two_racing_moves_end_with_one_success_and_one_event(postgres, source, targets):
    application = application_in_state(source)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(target: str) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                application_transition(Application.objects.get(pk=application.pk), target=target,
                                       actor=Actor.system("race"), action="race")  # fmt: skip
            outcomes.append("won")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["InvalidTransition", "won"]
    assert Event.objects.filter(application=application, action="race").count() == 1
    assert Application.objects.get(pk=application.pk).state in targets


@pytest.mark.django_db
def test_the_event_table_refuses_update_and_delete(postgres):
    application = application_in_state(AppState.DRAFT)
    event = Event.objects.filter(application=application).first()
    for statement in ("UPDATE onboarding_event SET action = 'forged' WHERE id = %s",
                      "DELETE FROM onboarding_event WHERE id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(reason_code="x")
    assert Event.objects.get(pk=event.pk).action == event.action


@pytest.mark.django_db(transaction=True)
def test_the_purge_setting_ends_with_its_transaction(postgres):
    application = application_in_state(AppState.DRAFT)
    event = Event.objects.filter(application=application).first()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_the_retention_purge_deletes_only_what_has_expired(postgres, settings):
    from datetime import timedelta

    from django.utils import timezone

    old = application_in_state(AppState.DECLINED)
    Application.objects.filter(pk=old.pk).update(state_changed_at=timezone.now() - timedelta(days=6 * 365))
    recent = application_in_state(AppState.DECLINED)
    live = application_in_state(AppState.IN_REVIEW)
    Application.objects.filter(pk=live.pk).update(state_changed_at=timezone.now() - timedelta(days=6 * 365))
    expired = Event.objects.filter(application=old).count()
    assert expired > 0
    assert purge_events() == expired
    assert not Event.objects.filter(application=old).exists()
    assert Event.objects.filter(application=recent).exists() and Event.objects.filter(application=live).exists()
