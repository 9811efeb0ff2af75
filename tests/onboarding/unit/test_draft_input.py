"""Bad input to the draft and agreement services: a precise field error under the right key, and nothing
written (no row, no changed value, no event). Good input is stored trimmed."""

import copy

import pytest

from onboarding.errors import ValidationFailed
from onboarding.models import (
    Agreement,
    Application,
    BankAccount,
    Document,
    Event,
    Party,
    Store,
    TerminalRequest,
    WalletRequest,
)
from onboarding.services.actors import Actor
from onboarding.services.agreements import application_sign_agreement
from onboarding.services.drafts import application_create_draft, application_update_draft
from tests.factories import UserFactory, draft_application, valid_draft

pytestmark = pytest.mark.django_db

TEXT_NOT_NUMBER = "Enter text, not a number."


def stored(application: Application) -> dict:
    """Everything the draft service could write for one application, as stored."""
    return {
        "application": Application.objects.filter(pk=application.pk).values().get(),
        "parties": list(Party.objects.filter(application=application).order_by("pk").values()),
        "bank_account": list(BankAccount.objects.filter(application=application).values()),
        "stores": list(Store.objects.filter(application=application).order_by("pk").values()),
        "terminals": list(TerminalRequest.objects.filter(store__application=application).order_by("pk").values()),
        "wallets": list(WalletRequest.objects.filter(application=application).order_by("pk").values()),
        "documents": list(Document.objects.filter(application=application).order_by("pk").values()),
        "agreement": list(Agreement.objects.filter(application=application).values()),
        "events": Event.objects.count(),
    }


def row_counts() -> dict:
    models = (Application, Party, BankAccount, Store, TerminalRequest, WalletRequest, Agreement, Event)
    return {model.__name__: model.objects.count() for model in models}


def full_sections(**changes) -> dict:
    """Every section of a valid draft, with ``changes`` applied by path ("parties.0.id_number")."""
    data = copy.deepcopy(valid_draft())
    for path, value in changes.items():
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return data


# (what is sent, by path into a valid draft; the field key; the exact message, or None for any message)
BAD_INPUT = [
    # Sections and items of the wrong type
    ({"business": ["legal_name"]}, "business", "Give this section as an object of named fields, not a list."),
    ({"business": "Pearl River"}, "business", "Give this section as an object of named fields, not text."),
    ({"business": 5}, "business", "Give this section as an object of named fields, not a number."),
    ({"bank_account": ["021000021"]}, "bank_account", "Give this section as an object of named fields, not a list."),
    ({"bank_account": "021000021"}, "bank_account", "Give this section as an object of named fields, not text."),
    ({"parties": {"first_name": "Wen"}}, "parties", "Give a list of items, not an object."),
    ({"parties": "Wen Zhao"}, "parties", "Give a list of items, not text."),
    ({"parties": ["Wen Zhao"]}, "parties[0]", "Give each item as an object of named fields, not text."),
    ({"stores": ["Mott Street"]}, "stores[0]", "Give each item as an object of named fields, not text."),
    ({"stores": {"name": "Mott Street"}}, "stores", "Give a list of items, not an object."),
    ({"wallets": ["alipay"]}, "wallets[0]", "Give each item as an object of named fields, not text."),
    ({"wallets": [{"wallet": "alipay", "channel": "online"}, "wechat_pay"]}, "wallets[1]",
     "Give each item as an object of named fields, not text."),
    ({"wallets": [None]}, "wallets[0]", "Give each item as an object of named fields, not an empty value."),
    ({"stores.0.terminals": ["stripe_s700"]}, "stores[0].terminals[0]",
     "Give each item as an object of named fields, not text."),
    ({"stores.0.terminals": "stripe_s700"}, "stores[0].terminals", "Give a list of items, not text."),
    # Numbers where text is expected
    ({"business.mcc": 5812}, "business.mcc", TEXT_NOT_NUMBER),
    ({"business.address_postal_code": 10013}, "business.address_postal_code", TEXT_NOT_NUMBER),
    ({"business.tax_id": 462811507}, "business.tax_id", TEXT_NOT_NUMBER),
    ({"business.legal_name": ["Pearl", "River"]}, "business.legal_name", "Enter text, not a list."),
    ({"business.dba": True}, "business.dba", "Enter text, not true or false."),
    ({"parties.0.id_number": 212543321}, "parties[0].id_number", TEXT_NOT_NUMBER),
    ({"parties.1.address_postal_code": 10002.0}, "parties[1].address_postal_code", TEXT_NOT_NUMBER),
    ({"parties.0.public_id": ["pty_x"]}, "parties[0].public_id", "Enter text, not a list."),
    ({"parties.0.nationalities": [1]}, "parties[0].nationalities",
     "Entry 1 is not a two-letter ISO country code (for example US)."),
    ({"parties.0.nationalities": "US"}, "parties[0].nationalities",
     "Give a list of two-letter ISO country codes, not text."),
    ({"bank_account.routing_number": 21000021}, "bank_account.routing_number", TEXT_NOT_NUMBER),
    ({"bank_account.account_number": 482910337765}, "bank_account.account_number", TEXT_NOT_NUMBER),
    ({"stores.0.name": 41}, "stores[0].name", TEXT_NOT_NUMBER),
    ({"stores.0.terminals.0.device_type": 700}, "stores[0].terminals[0].device_type", TEXT_NOT_NUMBER),
    ({"wallets.1.channel": 2}, "wallets[1].channel", TEXT_NOT_NUMBER),
    # Numbers, dates and flags of the wrong kind
    ({"business.monthly_volume_cents": "3200000"}, "business.monthly_volume_cents",
     "Enter a whole number of cents, not text."),
    ({"business.average_ticket_cents": 24.5}, "business.average_ticket_cents",
     "Enter a whole number of cents, for example 2400 for $24.00, without a decimal point."),
    ({"business.average_ticket_cents": True}, "business.average_ticket_cents",
     "Enter a whole number of cents, not true or false."),
    ({"business.monthly_volume_cents": 2**63}, "business.monthly_volume_cents", "This amount is too large."),
    ({"business.formation_date": 20180903}, "business.formation_date", "Enter a date as YYYY-MM-DD, not a number."),
    ({"parties.0.date_of_birth": "19800517"}, "parties[0].date_of_birth", "Enter a valid date (YYYY-MM-DD)."),
    ({"parties.0.date_of_birth": "1980-02-30"}, "parties[0].date_of_birth", "Enter a valid date (YYYY-MM-DD)."),
    ({"parties.0.ownership_percent": True}, "parties[0].ownership_percent",
     "Enter a number, for example 25 or 12.5, not true or false."),
    ({"parties.0.ownership_percent": float("nan")}, "parties[0].ownership_percent",
     "Enter a number, for example 25 or 12.5."),
    ({"parties.0.ownership_percent": "12.345"}, "parties[0].ownership_percent", "Give at most 2 decimal places."),
    ({"parties.0.ownership_percent": 101}, "parties[0].ownership_percent", "Give a percentage between 0 and 100."),
    ({"parties.0.is_control_person": "yes"}, "parties[0].is_control_person", "Enter true or false, not text."),
    # Text that cannot be stored, or is too long for its column
    ({"business.legal_name": "Pearl\x00River"}, "business.legal_name",
     "This field contains a NUL character (U+0000) at position 6; remove it."),
    ({"business.dba": "Pearl \ud800"}, "business.dba",
     "This field contains an invalid character (a lone surrogate, U+D800) at position 7; retype the text."),
    ({"parties.1.last_name": "Del\x1b[31mgado"}, "parties[1].last_name",
     "This field contains a control character (U+001B) at position 4; remove it."),
    ({"business.address_line1": "41 Mott\nStreet"}, "business.address_line1",
     "This field must be a single line; remove the line break."),
    ({"stores.0.terminals.0.label": "Counter\tone"}, "stores[0].terminals[0].label",
     "This field contains a control character (U+0009) at position 8; remove it."),
    ({"business.product_description": "Noodles\x00"}, "business.product_description",
     "This field contains a NUL character (U+0000) at position 8; remove it."),
    ({"business.legal_name": "x" * 231}, "business.legal_name",
     "This field must be 200 characters or fewer (it has 231)."),
    ({"parties.0.first_name": "W" * 101}, "parties[0].first_name",
     "This field must be 100 characters or fewer (it has 101)."),
    ({"business.mcc": "58120"}, "business.mcc", "This field must be 4 characters or fewer (it has 5)."),
    ({"business.product_description": "n" * 5001}, "business.product_description",
     "This field must be 5000 characters or fewer (it has 5001)."),
    ({"business.tax_id": "4" * 65}, "business.tax_id", "This field must be 64 characters or fewer (it has 65)."),
    # Collections are bounded
    ({"wallets": [{"wallet": "alipay", "channel": "online"}] * 11}, "wallets",
     "List at most 10 items (there are 11)."),
    ({"parties.0.nationalities": ["US"] * 11}, "parties[0].nationalities",
     "List at most 10 countries (there are 11)."),
    # Unknown fields stay unknown
    ({"business.favourite_colour": "red"}, "business.favourite_colour", "Unknown field."),
    ({"wallets.0.public_id": "wrq_1"}, "wallets[0].public_id", "Unknown field."),
]  # fmt: skip


def _sections(changes: dict) -> dict:
    by_path = {path: value for path, value in changes.items() if "." in path}
    whole = {path: value for path, value in changes.items() if "." not in path}
    return {**full_sections(**by_path), **whole}


@pytest.mark.parametrize(("changes", "key", "message"), BAD_INPUT, ids=[case[1] for case in BAD_INPUT])
def test_bad_input_to_an_update_is_a_field_error_and_changes_nothing(changes, key, message):
    application = draft_application()
    before = stored(application)
    with pytest.raises(ValidationFailed) as caught:
        application_update_draft(application=application, actor=Actor.for_user(application.applicant),
                                 **_sections(changes))  # fmt: skip
    assert caught.value.fields == {key: [message]}
    assert stored(application) == before


@pytest.mark.parametrize(("changes", "key", "message"), BAD_INPUT, ids=[case[1] for case in BAD_INPUT])
def test_bad_input_to_a_new_draft_is_a_field_error_and_creates_nothing(changes, key, message):
    user = UserFactory()
    before = row_counts()
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(actor=Actor.for_user(user), **_sections(changes))
    assert caught.value.fields == {key: [message]}
    assert row_counts() == before


def test_every_bad_value_is_reported_at_once():
    application = draft_application()
    before = stored(application)
    sections = full_sections(**{"business.mcc": 5812, "parties.1.date_of_birth": 1975, "wallets.0.wallet": None})
    sections["stores"][0]["terminals"] = [{"device_type": "stripe_s700"}, "reader"]
    with pytest.raises(ValidationFailed) as caught:
        application_update_draft(application=application, actor=Actor.for_user(application.applicant), **sections)
    assert set(caught.value.fields) == {
        "business.mcc",
        "parties[1].date_of_birth",
        "wallets[0].wallet",
        "stores[0].terminals[1]",
    }
    assert stored(application) == before


def test_a_wrong_value_keeps_only_its_own_message():
    # The store has no name yet; the refused name is not reported a second time as blank.
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(actor=Actor.for_user(UserFactory()), stores=[{"name": 41}])
    assert caught.value.fields["stores[0].name"] == [TEXT_NOT_NUMBER]


def test_an_unknown_field_name_is_shown_safely():
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(actor=Actor.for_user(UserFactory()), business={"\ud800" + "k" * 100: 1})
    (key,) = caught.value.fields
    key.encode("utf-8")  # can be rendered into any page or JSON body
    assert key.startswith("business.\\ud800k") and key.endswith("…") and len(key) < 80


def test_text_is_stored_without_surrounding_whitespace():
    changes = {
        "business.address_postal_code": "10013\n",
        "business.legal_name": " Pearl LLC\t",
        "parties.0.first_name": "\u3000Wen ",
        "stores.0.name": "\r\nMott Street  ",
    }
    sections = full_sections(**changes)
    application = application_create_draft(actor=Actor.for_user(UserFactory()), **sections)
    application.refresh_from_db()
    assert application.address_postal_code == "10013"
    assert application.legal_name == "Pearl LLC"
    assert application.parties.get(position=0).first_name == "Wen"
    assert application.stores.get().name == "Mott Street"


def test_a_product_description_keeps_its_lines():
    sections = full_sections(**{"business.product_description": "  Noodles.\r\nDumplings.\rTea.\n\tTo go.  \n"})
    application = application_create_draft(actor=Actor.for_user(UserFactory()), **sections)
    application.refresh_from_db()
    assert application.product_description == "Noodles.\nDumplings.\nTea.\n\tTo go."


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("nationalities", None, []),
        ("nationalities", [" US", "CN "], ["US", "CN"]),
        ("ownership_percent", "70", 70),
        ("ownership_percent", 69.5, 69.5),
        ("ownership_percent", " 70.00 ", 70),
    ],
)
def test_values_of_a_sensible_kind_are_accepted(field, value, expected):
    sections = full_sections(**{f"parties.0.{field}": value})
    application = application_create_draft(actor=Actor.for_user(UserFactory()), **sections)
    assert getattr(application.parties.get(position=0), field) == expected


def test_an_update_with_sections_left_out_touches_nothing_else():
    application = draft_application()
    before = stored(application)
    application_update_draft(application=application, actor=Actor.for_user(application.applicant),
                             business={"dba": " Pearl River Noodles "})  # fmt: skip
    after = stored(application)
    assert after["application"]["dba"] == "Pearl River Noodles"
    assert {k: v for k, v in after.items() if k not in ("application", "events")} == {
        k: v for k, v in before.items() if k not in ("application", "events")
    }


# The agreement: (argument overrides, field key, exact message)
BAD_SIGNATURES = [
    ({"signer_name": "W" * 201}, "signer_name", "This field must be 200 characters or fewer (it has 201)."),
    ({"signer_name": 42}, "signer_name", TEXT_NOT_NUMBER),
    ({"signer_name": "  "}, "signer_name", "This field is required."),
    ({"signer_name": "Wen\x00Zhao"}, "signer_name",
     "This field contains a NUL character (U+0000) at position 4; remove it."),
    ({"signer_name": "Wen \udc00"}, "signer_name",
     "This field contains an invalid character (a lone surrogate, U+DC00) at position 5; retype the text."),
    ({"signer_name": "Wen\nZhao"}, "signer_name", "This field must be a single line; remove the line break."),
    ({"signer_title": None}, "signer_title", "This field is required."),
    ({"signer_title": "M" * 101}, "signer_title", "This field must be 100 characters or fewer (it has 101)."),
    ({"language": ["en"]}, "language", "Enter text, not a list."),
    ({"language": "fr"}, "language", "Choose one of: en, zh-Hans."),
    ({"ip_address": "1.2.3.4, 5.6.7.8"}, "ip_address", "Give a single IP address, not a list."),
    ({"ip_address": "203.0.113.300"}, "ip_address", "Enter a valid IPv4 or IPv6 address."),
    ({"ip_address": "fe80::1%eth0"}, "ip_address", "Give the IP address without a zone (the part after %)."),
    ({"ip_address": 3405803783}, "ip_address", TEXT_NOT_NUMBER),
    ({"user_agent": ["Mozilla/5.0"]}, "user_agent", "Enter text, not a list."),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "key", "message"), BAD_SIGNATURES, ids=[case[1] for case in BAD_SIGNATURES])
def test_a_bad_signature_is_a_field_error_and_changes_nothing(overrides, key, message):
    application = draft_application()
    before = stored(application)
    arguments = {"signer_name": "Wen Zhao", "signer_title": "Managing member", "language": "en",
                 "ip_address": "203.0.113.9", "user_agent": "pytest", **overrides}  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        application_sign_agreement(application=application, actor=Actor.for_user(application.applicant), **arguments)
    assert caught.value.fields == {key: [message]}
    assert stored(application) == before


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (" 203.0.113.9 ", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("", None),
        (None, None),
    ],
)
def test_the_signing_address_is_stored_as_one_clean_address(sent, kept):
    application = draft_application()
    agreement = application_sign_agreement(application=application, actor=Actor.for_user(application.applicant),
                                           signer_name=" Wen Zhao ", signer_title="Owner", ip_address=sent)  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.ip_address == kept and agreement.signer_name == "Wen Zhao"


def test_a_user_agent_is_recorded_even_with_characters_a_database_refuses():
    application = draft_application()
    agreement = application_sign_agreement(application=application, actor=Actor.for_user(application.applicant),
                                           signer_name="Wen Zhao", signer_title="Owner",
                                           user_agent="Mozilla/5.0\x00 (X11\ud800) " + "x" * 600)  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.user_agent.startswith("Mozilla/5.0\ufffd (X11\ufffd) x")
    assert len(agreement.user_agent) == 500


def test_an_unknown_field_name_with_control_characters_is_shown_escaped_and_can_be_stored():
    user = UserFactory()
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(actor=Actor.for_user(user), business={"na\x00me\x1f": "x"})
    assert list(caught.value.fields) == ["business.na\\x00me\\x1f"]
