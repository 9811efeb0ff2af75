"""DRF serializers built from the one declaration of the sections (``onboarding/sections.py``).

A field declared there appears in the API's requests, responses and schema with no edit here: its type
from its input kind, its length and choices from its model column, its label as its description.
Personal data is write-only: a sensitive field is accepted in requests and never returned; responses
carry its last four digits where the model keeps them (``tax_id_last4``, ``id_number_last4``,
``account_last4``) and otherwise only whether it was given (``date_of_birth_provided``).

These serializers shape and document; they do not validate: the draft service checks every value and
answers field by field with its own paths (``parties[1].date_of_birth``)."""

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onboarding import input as kinds
from onboarding import sections
from onboarding.models import Application, BankAccount, Party, Store, TerminalRequest, WalletRequest

#: items of keyed collections are named by ``id`` in the API (``public_id`` in the services)
ITEM_ID = "id"


def _model_field(model: type[models.Model], name: str):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _input_field(model: type[models.Model], declared: sections.Field) -> serializers.Field:
    column = _model_field(model, declared.name)
    options = {"required": False, "help_text": str(declared.help or declared.label) or None}
    if declared.sensitive:
        options["write_only"] = True
    if declared.kind in (kinds.TEXT, kinds.MULTILINE_TEXT, kinds.IDENTIFIER):
        max_length = kinds.IDENTIFIER_MAX_LENGTH if declared.kind == kinds.IDENTIFIER else None
        max_length = max_length or getattr(column, "max_length", None) or kinds.TEXT_MAX_LENGTH
        if column is not None and column.choices and not declared.sensitive:
            return serializers.ChoiceField(choices=column.choices, allow_blank=True, **options)
        return serializers.CharField(allow_blank=True, max_length=max_length, trim_whitespace=False, **options)
    if declared.kind == kinds.CENTS:
        return serializers.IntegerField(min_value=0, allow_null=True, **options)
    if declared.kind == kinds.BOOLEAN:
        return serializers.BooleanField(**options)
    if declared.kind == kinds.PERCENT:
        return serializers.FloatField(min_value=0, max_value=100, **options)
    if declared.kind == kinds.DATE:
        return serializers.DateField(allow_null=True, **options)
    if declared.kind == kinds.COUNTRY_CODES:
        child = serializers.CharField(min_length=2, max_length=2)
        return serializers.ListField(child=child, max_length=kinds.COUNTRY_CODES_MAX, **options)
    raise ValueError(f"no API field for kind {declared.kind!r}")


def _masked_column(model: type[models.Model], name: str) -> str | None:
    """The column that keeps a sensitive field's last four digits, if there is one."""
    for candidate in (f"{name}_last4", f"{name.rsplit('_', 1)[0]}_last4"):
        if _model_field(model, candidate) is not None:
            return candidate
    return None


def masked_columns(section: sections.Section, model: type[models.Model]) -> tuple[str, ...]:
    """The sensitive fields answers show only by their last four digits: an answer never reads them."""
    return tuple(f.name for f in section.fields if f.sensitive and _masked_column(model, f.name))


@extend_schema_field(OpenApiTypes.BOOL)
class _Provided(serializers.Field):
    """Whether a write-only value was given (never the value)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> bool:
        return value not in (None, "")


def section_fields(section: sections.Section, model: type[models.Model]) -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {}
    if section.keyed:
        fields[ITEM_ID] = serializers.CharField(
            source="public_id",
            required=False,
            help_text="The item's id. Send it back to change the item in place; leave it out to add an item.",
        )
    for declared in section.fields:
        fields[declared.name] = _input_field(model, declared)
        if declared.sensitive:
            masked = _masked_column(model, declared.name)
            if masked:
                fields[masked] = serializers.CharField(
                    read_only=True, help_text=f"The last four digits of {declared.name} (the value is write-only)."
                )
            else:
                fields[f"{declared.name}_provided"] = _Provided(
                    source=declared.name, help_text=f"Whether {declared.name} was given (the value is write-only)."
                )
    return fields


def section_serializer(name: str, section: sections.Section, model: type[models.Model], **extra) -> type:
    """A serializer class named ``name`` for ``section`` on ``model`` (``extra``: nested serializers)."""
    attrs = {**section_fields(section, model), **extra}
    return type(name, (serializers.Serializer,), {**attrs, "__doc__": f"The application's {section.name}."})


TerminalRequestSerializer = section_serializer("TerminalRequest", sections.TERMINAL, TerminalRequest)
StoreSerializer = section_serializer(
    "Store", sections.STORE, Store, terminals=TerminalRequestSerializer(many=True, required=False)
)
PartySerializer = section_serializer("Party", sections.PARTY, Party)
BankAccountSerializer = section_serializer("BankAccount", sections.BANK_ACCOUNT, BankAccount)
WalletRequestSerializer = section_serializer("WalletRequest", sections.WALLET, WalletRequest)
BusinessSerializer = section_serializer(
    "Business",
    sections.BUSINESS,
    Application,
    currency=serializers.CharField(read_only=True, help_text="The currency of every amount in cents (ISO 4217)."),
)

#: the application's sections as the draft service takes them, and their API serializers
SECTION_NAMES = ("business", "parties", "bank_account", "stores", "wallets")
COLLECTIONS = {"parties": (), "stores": ("terminals",)}


def items_from_api(name: str, value):
    """A collection's items as the service takes them (``id`` → ``public_id``); anything else unchanged,
    for the service to refuse with its own message."""
    if name not in COLLECTIONS or not isinstance(value, list):
        return value
    shaped = []
    for item in value:
        if isinstance(item, dict):
            item = {("public_id" if key == ITEM_ID else key): inner for key, inner in item.items()}
            for nested in COLLECTIONS[name]:
                if isinstance(item.get(nested), list):
                    item[nested] = [
                        {("public_id" if k == ITEM_ID else k): v for k, v in t.items()} if isinstance(t, dict) else t
                        for t in item[nested]
                    ]
        shaped.append(item)
    return shaped


def path_to_api(path: str) -> str:
    """A service field path as the API names it (``parties[0].public_id`` → ``parties[0].id``)."""
    return path[: -len("public_id")] + ITEM_ID if path.endswith("].public_id") else path
