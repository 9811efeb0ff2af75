"""A program's blocking flag changes only through the service: a senior officer, a reason, an event, and
the re-screen of the applications with hits on its entries (whose sanctions results are stale until then)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.errors import DomainError, PermissionDenied
from onboarding.kyc.evidence import stale_checks
from onboarding.kyc.pipeline import run_checks
from onboarding.management.commands.purge_events import purgeable_events
from onboarding.models import Application, Event, OwedWork
from onboarding.roles import COMPLIANCE_OFFICER, SENIOR_COMPLIANCE_OFFICER
from onboarding.services.actors import Actor
from onboarding.states import AppState
from sanctions.models import SanctionsHit, SanctionsProgram
from sanctions.programs import program_rescreen, program_set_blocking
from tests.factories import officer
from tests.sanctions.integration.helpers import CLEAN_OWNER, application_with, person
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def moreno(fresh_list):
    """An application whose owner is an exact match of an SDNTK entry (blocking): the check fails."""
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True))
    run_checks(application)
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW)
    return application


def current_hit(application):
    return SanctionsHit.objects.get(application=application, is_current=True, kind="name")


def test_a_senior_officer_changes_a_program_with_a_reason_and_an_event(moreno):
    program = SanctionsProgram.objects.get(code="SDNTK")
    senior = officer(SENIOR_COMPLIANCE_OFFICER)
    program_set_blocking(program=program, blocking=False, actor=Actor.for_user(senior), reason="OFAC guidance")
    program.refresh_from_db()
    assert program.blocking is False
    event = Event.objects.get(action="program_blocking_changed")
    assert event.actor_user == senior and event.details["reason"] == "OFAC guidance"
    assert (event.from_state, event.to_state) == ("blocking", "restricting")
    assert OwedWork.objects.filter(kind="sanctions_program_rescreen", status="pending").exists()


def test_a_program_change_is_kept_ten_years_like_the_screening_records_it_explains(moreno):
    program = SanctionsProgram.objects.get(code="SDNTK")
    senior = Actor.for_user(officer(SENIOR_COMPLIANCE_OFFICER))
    program_set_blocking(program=program, blocking=False, actor=senior, reason="OFAC guidance")
    event = Event.objects.get(action="program_blocking_changed")
    assert event.subject_type == "sanctionsprogram"
    # Past the five years kept for everything else (the event belongs to no application or merchant) …
    six_years_on = timezone.now() + timedelta(days=6 * 365)
    assert not purgeable_events(now=six_years_on).filter(pk=event.pk).exists()
    # … and purged only after the ten years of OFAC's record keeping.
    eleven_years_on = timezone.now() + timedelta(days=11 * 365)
    assert purgeable_events(now=eleven_years_on).filter(pk=event.pk).exists()


def test_the_change_makes_the_affected_results_stale_and_the_rescreen_refreshes_them(moreno, fresh_list):
    clean = application_with(CLEAN_OWNER)
    run_checks(clean)
    assert current_hit(moreno).blocking is True
    program = SanctionsProgram.objects.get(code="SDNTK")
    program_set_blocking(
        program=program, blocking=False, actor=Actor.for_user(officer(SENIOR_COMPLIANCE_OFFICER)), reason="why"
    )
    assert "sanctions" in stale_checks(moreno)
    assert "sanctions" not in stale_checks(clean)  # no hit in the program: nothing to re-run
    summary = program_rescreen(program=program)
    assert summary.applications == 1
    hit = current_hit(moreno)
    assert hit.blocking is False
    assert SanctionsHit.objects.filter(application=moreno, is_current=False, blocking=True).exists()
    assert "sanctions" not in stale_checks(moreno)
    assert not OwedWork.objects.filter(kind="sanctions_program_rescreen", status="pending").exists()


def test_only_a_senior_officer_with_a_reason_changes_a_program(moreno):
    program = SanctionsProgram.objects.get(code="SDNTK")
    with pytest.raises(PermissionDenied):
        program_set_blocking(program=program, blocking=False, actor=Actor.for_user(officer(COMPLIANCE_OFFICER)),
                             reason="x")  # fmt: skip
    with pytest.raises(DomainError):
        program_set_blocking(program=program, blocking=False, actor=Actor.for_user(officer(SENIOR_COMPLIANCE_OFFICER)),
                             reason="  ")  # fmt: skip
    program.refresh_from_db()
    assert program.blocking is True and not Event.objects.filter(action="program_blocking_changed").exists()


def test_the_admin_changes_a_program_only_through_the_form(client, moreno):
    program = SanctionsProgram.objects.get(code="SDNTK")
    staff_login(client, officer(SENIOR_COMPLIANCE_OFFICER))
    url = "/admin/sanctions/sanctionsprogram/"
    edit = client.post(f"{url}{program.pk}/change/", {"blocking": "", "code": "SDNTK"})
    assert edit.status_code in (200, 403) and SanctionsProgram.objects.get(pk=program.pk).blocking is True
    asked = client.post(url, {"action": "make_restricting", "_selected_action": [program.pk]})
    assert asked.status_code == 200 and b"reason" in asked.content
    client.post(url, {"action": "make_restricting", "_selected_action": [program.pk], "reason": "OFAC FAQ 12"})
    assert SanctionsProgram.objects.get(pk=program.pk).blocking is False
    assert Event.objects.get(action="program_blocking_changed").details["reason"] == "OFAC FAQ 12"
