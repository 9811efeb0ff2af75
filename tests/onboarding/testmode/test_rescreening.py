"""Re-screening after a list update covers live data only: a test merchant whose owner the new list adds is
neither suspended nor given a case, and an in-flight test application is left to its own checks."""

import shutil

import pytest

from onboarding.kyc.pipeline import run_checks
from onboarding.models import CheckResult, Merchant, ReviewCase
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.states import AppState, MerchantState
from sanctions.algorithm import screened_with_other_algorithms
from sanctions.check import SanctionsCheck
from sanctions.models import SanctionsHit
from sanctions.rescreening import applications_to_rescreen, rescreen
from tests.onboarding.testmode.helpers import drafted
from tests.sanctions.integration.helpers import SAMPLE, live_merchant_for, load_folder, person

pytestmark = pytest.mark.django_db
MORENO = person("Daniel", "Moreno", "1972-10-12", 100, True, ssn="524-71-8830")  # SDN 15102, blocking


def without_moreno(folder):
    shutil.copytree(SAMPLE, folder)
    rows = (SAMPLE / "sdn.csv").read_bytes().split(b"\n")
    (folder / "sdn.csv").write_bytes(b"\n".join(r for r in rows if not r.startswith(b"15102,")))
    return folder


def test_a_list_update_re_screens_live_merchants_and_skips_test_ones(tmp_path, small_lists):
    load_folder(without_moreno(tmp_path / "before"))
    merchants = {}
    for livemode in (True, False):
        application = drafted(livemode=livemode, parties=[MORENO])
        merchants[livemode] = live_merchant_for(application)
        SanctionsCheck().run(application)
    in_flight = drafted(livemode=False, parties=[MORENO], tax_id="12-3456789")
    application_submit(application=in_flight, actor=Actor.for_partner(in_flight.partner))
    assert set(applications_to_rescreen()) == {merchants[True].current_application}

    after = tmp_path / "after"
    shutil.copytree(SAMPLE, after)
    summary = rescreen(version=load_folder(after).version)

    assert summary.applications == 1 and summary.suspended == [merchants[True].public_id]
    live, test = (Merchant.objects.get(pk=merchants[mode].pk) for mode in (True, False))
    assert live.state == MerchantState.SUSPENDED and test.state == MerchantState.ACTIVE
    assert ReviewCase.objects.filter(merchant=live).exists() and not ReviewCase.objects.filter(merchant=test).exists()
    assert not SanctionsHit.objects.filter(application__livemode=False).exists()
    in_flight.refresh_from_db()
    assert in_flight.state == AppState.SUBMITTED and in_flight.open_hit_count == 0


def test_results_of_test_data_never_owe_a_full_re_screen(tmp_path, small_lists):
    """A new matching algorithm owes a full re-screen for results screened with another one: live ones."""
    load_folder(without_moreno(tmp_path / "before"))
    for livemode in (True, False):
        application = drafted(livemode=livemode, tax_id="12-3456789" if livemode else "42-4242424")
        live_merchant_for(application)
        run_checks(application)
    CheckResult.objects.filter(check_name="sanctions").update(details={"algorithm": "an older one"})
    assert {r.application.livemode for r in screened_with_other_algorithms()} == {True}
