"""The demo's established merchant: approved by officers on the checks' evidence, then applying for a
second store through its next application, under the same merchant."""

import pytest

from onboarding.demo import load_demo_data
from onboarding.models import Application, Merchant
from onboarding.states import AppState

pytestmark = pytest.mark.django_db


def test_the_gift_shop_is_approved_and_applies_for_a_second_store(fresh_list):
    demo = load_demo_data()
    following = demo["next_application"]
    assert following is not None and following.state == AppState.DRAFT
    first = Application.objects.get(applicant__username="giftshop@example.com", state=AppState.APPROVED)
    assert following.merchant == first.merchant and Merchant.objects.count() == 1
    assert [s.name for s in following.stores.all()] == ["Roosevelt Avenue", "Main Street"]

    again = load_demo_data()
    assert again["next_application"] == following and Application.objects.count() == 3
