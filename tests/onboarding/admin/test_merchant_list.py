"""The merchants' changelist: live merchants unless the mode filter asks for test data (as the review queue
does), and a partner's merchants as the partner API scopes them, in the mode shown."""

import pytest
from django.urls import reverse

from onboarding.models import Merchant, Partner
from onboarding.selectors import merchants_for_partner
from onboarding.states import MerchantState
from tests.onboarding.testmode.test_queue_and_figures import listed as listed_at
from tests.onboarding.testmode.test_queue_and_figures import signed_in  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
MERCHANTS = reverse("admin:onboarding_merchant_changelist")


def listed(client, **params) -> set[str]:
    return listed_at(client, MERCHANTS, **params)


def merchant(name: str, *, partner=None, livemode: bool = True) -> Merchant:
    return Merchant.objects.create(legal_name=name, tax_id_type="ein", tax_id_index=name, partner=partner,
                                   livemode=livemode, state=MerchantState.ACTIVE)  # fmt: skip


def test_live_merchants_by_default_and_test_ones_when_asked(signed_in):  # noqa: F811 (the fixture)
    live = merchant("Lotus Garden LLC")
    test = merchant("Sandbox Tea LLC", livemode=False)
    assert listed(signed_in) == {live.public_id}
    assert listed(signed_in, mode="live") == {live.public_id}
    assert listed(signed_in, mode="test") == {test.public_id}
    assert listed(signed_in, mode="all") == {live.public_id, test.public_id}
    assert listed(signed_in, mode="nonsense") == {live.public_id}


def test_the_partner_filter_lists_what_the_partners_keys_reach_in_the_mode_shown(signed_in):  # noqa: F811 (the fixture)
    partner = Partner.objects.create(name="Bay Area Payments ISO", kind="iso")
    other = Partner.objects.create(name="Harbour ISO", kind="iso")
    live = merchant("Pearl River LLC", partner=partner)
    test = merchant("Pearl River Sandbox LLC", partner=partner, livemode=False)
    merchant("Harbour Tea LLC", partner=other)
    merchant("Web Noodles LLC")
    reach = {mode: set(merchants_for_partner(partner=partner, livemode=mode).values_list("public_id", flat=True))
             for mode in (True, False)}  # fmt: skip
    assert listed(signed_in, partner=partner.public_id) == reach[True] == {live.public_id}
    assert listed(signed_in, partner=partner.public_id, mode="test") == reach[False] == {test.public_id}
    assert listed(signed_in, partner=partner.public_id, mode="all") == {live.public_id, test.public_id}
    assert listed(signed_in, partner="ptn_nobody", mode="all") == set()
    page = signed_in.get(MERCHANTS).content.decode()
    assert "Bay Area Payments ISO" in page and "Harbour ISO" in page  # offered as choices


def test_the_filters_combine_with_the_state(signed_in):  # noqa: F811 (the fixture)
    partner = Partner.objects.create(name="Bay Area Payments ISO", kind="iso")
    active = merchant("Pearl River LLC", partner=partner)
    suspended = merchant("Jade Dragon LLC", partner=partner)
    Merchant.objects.filter(pk=suspended.pk).update(state=MerchantState.SUSPENDED)
    assert listed(signed_in, partner=partner.public_id, state__exact=MerchantState.SUSPENDED) == {suspended.public_id}
    assert listed(signed_in, partner=partner.public_id, state__exact=MerchantState.ACTIVE) == {active.public_id}
