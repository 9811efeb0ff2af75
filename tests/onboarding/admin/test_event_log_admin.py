"""Nobody changes or deletes an event through the admin: not the audit events, not the field history."""

import pytest
from django.urls import reverse

from onboarding import roles
from onboarding.models import Event
from tests.factories import draft_application, officer
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def senior(db):
    # The widest reader of the event log; administrators do not see it at all.
    return officer(roles.SENIOR_COMPLIANCE_OFFICER)


def test_not_even_a_senior_officer_can_change_or_delete_an_audit_event(client, senior):
    application = draft_application()
    event = Event.objects.filter(application=application).first()
    staff_login(client, senior)
    changelist = client.get(reverse("admin:onboarding_event_changelist"))
    assert changelist.status_code == 200 and changelist.context["action_form"] is None
    assert b"delete_selected" not in changelist.content
    bulk = client.post(reverse("admin:onboarding_event_changelist"),
                       {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})  # fmt: skip
    assert bulk.status_code in (200, 302)
    change = client.post(reverse("admin:onboarding_event_change", args=[event.pk]), {"action": "tampered"})
    assert change.status_code == 403
    assert client.post(reverse("admin:onboarding_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:onboarding_event_add")).status_code == 403
    event.refresh_from_db()
    assert event.action != "tampered" and Event.objects.filter(pk=event.pk).exists()


def test_the_field_history_admin_is_read_only_even_to_a_superuser(client, django_user_model):
    from django.contrib import admin
    from pghistory.models import Events

    draft_application()
    superuser = django_user_model.objects.create_superuser("root@example.com", "root@example.com", "x" * 12)
    staff_login(client, superuser)
    response = client.get(reverse("admin:pghistory_events_changelist") + "?model=onboarding.application")
    assert response.status_code == 200
    model_admin = admin.site._registry[Events]
    request = response.wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request) and not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    assert Events.objects.exists()
