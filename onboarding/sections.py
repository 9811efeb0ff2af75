"""One declaration of each section of an application: its fields, the input rule each follows, whether
submission needs it, and how the checks see it. The draft service, the checks' snapshot (and so their
fingerprints), the submission rules, the merchant's forms and the partner API all read this, so a new
field is one edit here (and its model column), and no field can be forgotten by the checks: every
declared field is in the snapshot, personal data only through its blind index or a keyed hash.

``requires`` names when submission needs a field: ``always``; for parties, ``individual`` (every
individual), ``identified`` (an individual owner of 25% or more, or the control person: their SSN or
ITIN and e-mail too), ``control`` (the control person of a company: a phone number too, which the acquirer needs of
the account's representative; a sole proprietor's is the business phone) and ``company`` (an owner that is a company).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from onboarding import crypto
from onboarding.input import (
    BOOLEAN,
    CENTS,
    COUNTRY_CODES,
    DATE,
    IDENTIFIER,
    ITEMS,
    MULTILINE_TEXT,
    PERCENT,
    PUBLIC_ID,
    TEXT,
)

# How the checks see a field (``seen_as``): its value (the default), a date as ISO text, a decimal as
# text, or a derived column (a blind index) or keyed hash instead of personal data.
VALUE, ISO_DATE, DECIMAL_TEXT, KEYED_HASH = "value", "iso_date", "decimal_text", "keyed_hash"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    label: str = ""
    help: str = ""
    requires: frozenset[str] = frozenset()
    seen_as: str = VALUE
    #: the column the checks read instead of this one (a blind index for an identifier)
    seen_through: str = ""
    sensitive: bool = False

    def snapshot_item(self, obj) -> tuple[str, object]:
        if self.seen_through:
            return self.seen_through, getattr(obj, self.seen_through)
        value = getattr(obj, self.name)
        if value in (None, ""):
            return self.name, value
        if self.seen_as == ISO_DATE:
            return self.name, value.isoformat()
        if self.seen_as == DECIMAL_TEXT:
            return self.name, str(value)
        if self.seen_as == KEYED_HASH:
            return self.name, crypto.keyed_fingerprint(f"{self.name}:{value.isoformat()}")
        return self.name, value


@dataclass(frozen=True)
class Section:
    name: str
    fields: tuple[Field, ...]
    #: a collection's items carry their public id, so edits keep ids stable and the checks see them
    keyed: bool = False
    nested: dict = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def kinds(self) -> dict[str, str]:
        """The input rule of every field a caller may send (``public_id`` and nested items included)."""
        kinds = {f.name: f.kind for f in self.fields}
        if self.keyed:
            kinds["public_id"] = PUBLIC_ID
        kinds.update(dict.fromkeys(self.nested, ITEMS))
        return kinds

    def required(self, *when: str) -> tuple[str, ...]:
        wanted = {"always", *when}
        return tuple(f.name for f in self.fields if f.requires & wanted)

    def get(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def snapshot(self, obj) -> dict:
        """What the checks read of ``obj``: every declared field, personal data never in clear."""
        data = dict(f.snapshot_item(obj) for f in self.fields)
        if self.keyed:
            data["public_id"] = obj.public_id
        return data

    def values(self, obj) -> dict:
        """``obj``'s values as the draft service takes them (personal data decrypted, in memory only)."""
        data = {}
        for f in self.fields:
            value = getattr(obj, f.name)
            if f.seen_as == ISO_DATE or f.seen_as == KEYED_HASH:
                value = value.isoformat() if value else value
            elif f.kind == PERCENT and value is not None:
                value = int(value) if value == value.to_integral_value() else float(value)
            data[f.name] = value
        return data


ALWAYS = frozenset({"always"})

NEVER: frozenset[str] = frozenset()


def _address(*, street_city: frozenset[str], state_zip: frozenset[str], country: frozenset[str]) -> tuple[Field, ...]:
    return (
        Field("address_line1", TEXT, _("Street address"), requires=street_city),
        Field("address_line2", TEXT, _("Apartment, suite, unit (optional)")),
        Field("address_city", TEXT, _("City"), requires=street_city),
        Field("address_state", TEXT, _("State"), requires=state_zip),
        Field("address_postal_code", TEXT, _("ZIP code"), requires=state_zip),
        Field("address_country", TEXT, _("Country"), requires=country),
    )


US_ADDRESS = {"street_city": ALWAYS, "state_zip": ALWAYS, "country": NEVER}  # the country defaults to US


BUSINESS = Section(
    "business",
    (
        Field("legal_name", TEXT, _("Legal business name"), _("As registered with the IRS and your state."), ALWAYS),
        Field("dba", TEXT, _("Name customers see (DBA)"), _("Leave empty if it is the legal name.")),
        Field("entity_type", TEXT, _("Type of business"), requires=ALWAYS),
        Field("tax_id_type", TEXT, _("Tax id type"), requires=ALWAYS),
        Field(
            "tax_id",
            IDENTIFIER,
            _("Tax id"),
            _("Your EIN; a sole proprietor may use an SSN or ITIN."),
            ALWAYS,
            seen_through="tax_id_index",
            sensitive=True,
        ),
        Field("formation_state", TEXT, _("State of formation"), requires=ALWAYS),
        Field("formation_date", DATE, _("Date of formation"), requires=ALWAYS, seen_as=ISO_DATE),
        Field("website", TEXT, _("Website (optional)")),
        Field("phone", TEXT, _("Business phone"), requires=ALWAYS),
        Field("mcc", TEXT, _("What you sell"), _("The category that describes your business best."), ALWAYS),
        Field("product_description", MULTILINE_TEXT, _("Describe your products or services"), requires=ALWAYS),
        Field("monthly_volume_cents", CENTS, _("Expected monthly card and wallet sales"), requires=ALWAYS),
        Field("average_ticket_cents", CENTS, _("Average sale"), requires=ALWAYS),
        *_address(**US_ADDRESS),
    ),
)
INDIVIDUAL = frozenset({"individual"})
IDENTIFIED = frozenset({"identified"})
CONTROL = frozenset({"control"})
COMPANY = frozenset({"company"})
PARTY = Section(
    "parties",
    (
        Field("kind", TEXT, _("Individual or company")),
        Field("ownership_percent", PERCENT, _("Ownership (%)"), seen_as=DECIMAL_TEXT),
        Field("is_control_person", BOOLEAN, _("Control person")),
        Field("title", TEXT, _("Title"), _("For example Owner, CEO or Managing member.")),
        Field(
            "email",
            TEXT,
            _("Email"),
            # xgettext:no-python-format (a percentage, not a placeholder: the text is never %-formatted)
            _("Needed for owners of 25% or more and the control person."),
            IDENTIFIED,
        ),
        Field("phone", TEXT, _("Phone"), _("Needed for the control person of a company."), CONTROL),
        Field("first_name", TEXT, _("First name"), requires=INDIVIDUAL),
        Field("middle_name", TEXT, _("Middle name (optional)")),
        Field("last_name", TEXT, _("Last name"), requires=INDIVIDUAL),
        Field("date_of_birth", DATE, _("Date of birth"), requires=INDIVIDUAL, seen_as=KEYED_HASH, sensitive=True),
        Field("place_of_birth", TEXT, _("Place of birth (optional)")),
        Field("nationalities", COUNTRY_CODES, _("Nationalities")),
        Field("citizenships", COUNTRY_CODES, _("Citizenships")),
        Field("id_number_type", TEXT, _("SSN or ITIN"), requires=IDENTIFIED),
        Field(
            "id_number",
            IDENTIFIER,
            _("Social Security number or ITIN"),
            requires=IDENTIFIED,
            seen_through="id_number_index",
            sensitive=True,
        ),
        Field("company_name", TEXT, _("Company name"), requires=COMPANY),
        Field("company_country", TEXT, _("Company's country"), requires=COMPANY),
        Field("registration_number", TEXT, _("Registration number (optional)")),
        # Abroad too: a state and ZIP code only where the country has them.
        *_address(street_city=INDIVIDUAL, state_zip=NEVER, country=INDIVIDUAL),
    ),
    keyed=True,
)
BANK_ACCOUNT = Section(
    "bank_account",
    (
        Field("holder_name", TEXT, _("Account holder's name"), requires=ALWAYS),
        Field(
            "routing_number", IDENTIFIER, _("Routing number"), _("Nine digits, at the bottom left of a cheque."), ALWAYS
        ),  # fmt: skip
        Field(
            "account_number",
            IDENTIFIER,
            _("Account number"),
            requires=ALWAYS,
            seen_through="account_index",
            sensitive=True,
        ),
        Field("account_type", TEXT, _("Account type")),
    ),
)
TERMINAL = Section(
    "terminals",
    (Field("device_type", TEXT, _("Terminal")), Field("label", TEXT, _("Where it stands (optional)"))),
    keyed=True,
)
STORE = Section(
    "stores",
    (
        Field("name", TEXT, _("Store name"), requires=ALWAYS),
        Field("phone", TEXT, _("Store phone (optional)")),
        *_address(**US_ADDRESS),
    ),  # fmt: skip
    keyed=True,
    nested={"terminals": TERMINAL},
)
WALLET = Section("wallets", (Field("wallet", TEXT, _("Wallet")), Field("channel", TEXT, _("Where customers pay"))))

SECTIONS = {section.name: section for section in (BUSINESS, PARTY, BANK_ACCOUNT, STORE, WALLET)}
