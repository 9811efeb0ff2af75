"""A test application boards only against the acquirer's test mode (the test key), a live one only against
its live mode: the gateway takes the merchant's mode, and the acquirer answers in that mode."""

import pytest

from onboarding.models import Application
from onboarding.states import AppState
from payments.boarding import boarding_advance
from tests.onboarding.testmode.helpers import drafted
from tests.payments.conftest import local_acquirer, local_acquirer_factory  # noqa: F401 (fixtures)
from tests.sanctions.integration.helpers import live_merchant_for

pytestmark = pytest.mark.django_db


def approved(livemode: bool) -> Application:
    application = drafted(livemode=livemode, tax_id="12-3456789" if livemode else "42-4242424")
    live_merchant_for(application, state="onboarding")
    Application.objects.filter(pk=application.pk).update(state=AppState.APPROVED)
    return application


@pytest.mark.parametrize("livemode", [False, True])
def test_boarding_uses_the_key_of_the_merchants_mode(local_acquirer, livemode):  # noqa: F811
    application = approved(livemode)
    boarding_advance(public_id=application.public_id)
    calls = local_acquirer.requests("/v1/accounts")
    assert calls and {call["livemode"] for call in calls} == {livemode}
    application.merchant.refresh_from_db()
    assert application.merchant.acquirer_account_id
