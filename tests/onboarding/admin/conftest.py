"""A live merchant suspended by re-screening for a blocking hit, with its open sanctions case."""

import shutil
from dataclasses import dataclass

import pytest

from onboarding import roles
from onboarding.models import Merchant, ReviewCase
from sanctions.check import SanctionsCheck
from sanctions.models import SanctionsHit
from sanctions.rescreening import rescreen
from tests.factories import officer
from tests.sanctions.integration.helpers import SAMPLE, application_with, live_merchant_for, load_folder, person


@dataclass
class SuspendedCase:
    merchant: Merchant
    case: ReviewCase
    hit: SanctionsHit


@pytest.fixture
def suspended_case(db, tmp_path, small_lists) -> SuspendedCase:
    """Daniel Moreno (SDN 15102, blocking) owns the merchant; the list that adds him is loaded later."""
    before = tmp_path / "before"
    shutil.copytree(SAMPLE, before)
    rows = (SAMPLE / "sdn.csv").read_bytes().split(b"\n")
    (before / "sdn.csv").write_bytes(b"\n".join(r for r in rows if not r.startswith(b"15102,")))
    load_folder(before)
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True, ssn="524-71-8830"))
    merchant = live_merchant_for(application)
    SanctionsCheck().run(application)
    after = tmp_path / "after"
    shutil.copytree(SAMPLE, after)
    rescreen(version=load_folder(after).version)
    merchant.refresh_from_db()
    case = ReviewCase.objects.get(merchant=merchant, reason_code="sanctions_new_hit", status="open")
    return SuspendedCase(merchant=merchant, case=case, hit=SanctionsHit.objects.get(application=application, uid=15102))


@pytest.fixture
def compliance_officer(db):
    return officer(roles.COMPLIANCE_OFFICER)


@pytest.fixture
def senior(db):
    return officer(roles.SENIOR_COMPLIANCE_OFFICER)


@pytest.fixture
def other_senior(db):
    return officer(roles.SENIOR_COMPLIANCE_OFFICER)


@pytest.fixture
def support(db):
    return officer(roles.SUPPORT)
