"""Test data never becomes live: an application's mode is its merchant's, the next application inherits
it, and neither mode changes once set (the database refuses it on PostgreSQL, the services everywhere).
Test merchants never stand in the way of live ones sharing a tax id."""

import pytest
from django.db import IntegrityError, connection, transaction

from onboarding.errors import DomainError, InvalidTransition
from onboarding.models import Application, Merchant
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.merchant_applications import application_create_next
from onboarding.services.merchants import merchant_activate
from onboarding.states import AppState, MerchantState
from tests.onboarding.testmode.helpers import drafted, partner_named, submitted

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.parametrize("livemode", [False, True])
def test_the_next_application_inherits_the_merchants_mode(livemode):
    first = submitted(livemode=livemode)
    Application.objects.filter(pk=first.pk).update(state=AppState.BOARDED)
    following = application_create_next(merchant=first.merchant, actor=Actor.for_partner(first.partner))
    following.refresh_from_db()
    assert following.merchant == first.merchant and following.livemode is livemode
    assert first.merchant.livemode is livemode


def test_the_database_keeps_a_test_application_and_its_merchant_test(postgres):
    application = submitted(livemode=False)
    merchant = application.merchant
    refused(lambda: Application.objects.filter(pk=application.pk).update(livemode=True))
    refused(lambda: Merchant.objects.filter(pk=merchant.pk).update(livemode=True))
    live = submitted(livemode=True, tax_id="12-3456789")
    refused(lambda: Merchant.objects.filter(pk=live.merchant_id).update(livemode=False))
    refused(lambda: Application.objects.filter(pk=live.pk).update(livemode=False))
    # An application is filed only under a merchant of its own mode.
    refused(lambda: Application.objects.filter(pk=application.pk).update(merchant=live.merchant))
    refused(lambda: Application.objects.create(merchant=merchant, livemode=True))
    Application.objects.create(merchant=merchant, livemode=False)  # the same mode is fine
    application.refresh_from_db()
    assert (application.livemode, application.merchant.livemode) == (False, False)


def test_submission_refuses_an_application_in_another_mode_than_its_merchant():
    """What the services hold on a database without the triggers: the draft is tied to a merchant of the
    other mode without them (as SQLite would let it be)."""
    live = submitted(livemode=True)
    test = drafted(livemode=False)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the triggers off, for this transaction only
                cursor.execute("SET LOCAL session_replication_role = replica")
        Application.objects.filter(pk=test.pk).update(merchant=live.merchant)
        with pytest.raises(InvalidTransition, match="not in its merchant.s mode"):
            application_submit(application=test, actor=Actor.for_partner(test.partner))
        transaction.set_rollback(True)


def test_test_merchants_share_a_tax_id_with_each_other_and_with_a_live_merchant():
    merchants = []
    for livemode, partner in [(True, None), (False, None), (False, partner_named("Another ISO"))]:
        application = submitted(livemode=livemode, tax_id="42-4242424", partner=partner)
        merchant_activate(merchant=application.merchant, actor=Actor.system("tests"), application=application)
        merchants.append(application.merchant)
    states = set(Merchant.objects.filter(pk__in=[m.pk for m in merchants]).values_list("state", flat=True))
    assert states == {MerchantState.ACTIVE}
    # Two live merchants with one tax id are still refused.
    second_live = submitted(livemode=True, tax_id="42-4242424")
    with pytest.raises(DomainError, match="Another live merchant already has this tax id"):
        merchant_activate(merchant=second_live.merchant, actor=Actor.system("tests"))
