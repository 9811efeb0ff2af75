"""One declaration of each section's fields: every data column of the models is declared (so the checks
see it, the draft service accepts it and the forms can show it), and personal data is seen by the checks
only through its blind index or a keyed hash."""

import pytest

from onboarding import sections
from onboarding.kyc import snapshot
from onboarding.models import Application, BankAccount, Party, Store, TerminalRequest, WalletRequest
from onboarding.submission import BUSINESS_REQUIRED, INDIVIDUAL_REQUIRED
from tests.factories import draft_application

# Columns that are not the merchant's data: keys, links, states, derived values, system bookkeeping.
NOT_DATA = {
    "id", "public_id", "application", "merchant", "partner", "applicant", "channel", "submitted_ip", "acquirer",
    "state", "state_changed_at", "submitted_at", "decided_at", "decline_reason_code", "has_been_in_review",
    "first_in_review_at", "requires_second_approval", "first_approver", "first_approved_at", "currency",
    "created_at", "updated_at", "position", "tax_id_last4", "tax_id_index", "id_number_last4", "id_number_index",
    "account_last4", "account_index", "eligibility", "eligibility_reason", "store", "livemode",
    "external_id",
    "risk_score", "risk_band", "risk_rank", "open_hit_count", "assigned_to", "assigned_at",
    "waiting_since",
}  # fmt: skip
MODELS = [
    (Application, sections.BUSINESS),
    (Party, sections.PARTY),
    (BankAccount, sections.BANK_ACCOUNT),
    (Store, sections.STORE),
    (TerminalRequest, sections.TERMINAL),
    (WalletRequest, sections.WALLET),
]


@pytest.mark.parametrize(("model", "section"), MODELS, ids=lambda value: getattr(value, "name", ""))
def test_every_data_column_is_declared_in_its_section(model, section):
    columns = {f.name for f in model._meta.concrete_fields} - NOT_DATA
    assert columns - set(section.names) == set(), "declare these in onboarding/sections.py"
    assert set(section.names) - {f.name for f in model._meta.concrete_fields} == set()


def test_the_draft_service_and_submission_read_the_declaration():
    from onboarding.services import drafts

    assert sections.BUSINESS.kinds() == drafts.BUSINESS_FIELDS
    assert set(BUSINESS_REQUIRED) == {f.name for f in sections.BUSINESS.fields if "always" in f.requires}
    assert "date_of_birth" in INDIVIDUAL_REQUIRED and "id_number" not in INDIVIDUAL_REQUIRED


@pytest.mark.django_db
def test_the_checks_see_every_declared_field_and_no_personal_data_in_clear():
    application = draft_application()
    business = snapshot.section(application, "business")
    party = snapshot.section(application, "parties")[0]
    account = snapshot.section(application, "bank_account")
    assert set(business) == {f.seen_through or f.name for f in sections.BUSINESS.fields}
    assert set(party) == {f.seen_through or f.name for f in sections.PARTY.fields} | {"public_id"}
    seen = repr([business, party, account])
    for secret in ("462811507", "212543321", "1980-05-17", "482910337765"):
        assert secret not in seen
    assert party["id_number_index"] and account["account_index"] and business["tax_id_index"]
