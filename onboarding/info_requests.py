"""What an officer's information request asks for, item by item: a field path (in the services' format,
``business.tax_id``, ``parties[1].date_of_birth``) or a document kind, each with a suggested fix the
merchant can act on. The requirements selector turns the open request's items into ``currently_due``;
the merchant's status page lists them. A few ready-made requests give officers a quick start.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from onboarding.errors import ValidationFailed
from onboarding.models import Application, DocumentKind
from onboarding.sections import SECTIONS

FIX_MAX_LENGTH = 500
MAX_ITEMS = 20
SINGLE = ("business", "bank_account")
INDEXED = re.compile(r"^(?P<section>parties|stores)\[(?P<index>\d+)\]\.(?P<field>\w+)$")
PLAIN = re.compile(r"^(?P<section>business|bank_account)\.(?P<field>\w+)$")
# Where the requirements selector files a document kind (the same paths the merchant's pages read).
COMPANY_DOCUMENT = "documents.company_registration"
BANK_DOCUMENT = "documents.bank_account_proof"
DOCUMENT_PATHS = {
    DocumentKind.ARTICLES_OF_INCORPORATION: COMPANY_DOCUMENT,
    DocumentKind.ARTICLES_OF_ORGANIZATION: COMPANY_DOCUMENT,
    DocumentKind.PARTNERSHIP_AGREEMENT: COMPANY_DOCUMENT,
    DocumentKind.VOIDED_CHECK: BANK_DOCUMENT,
    DocumentKind.BANK_LETTER: BANK_DOCUMENT,
}

# Ready-made requests: a question and its items (officers pick one and adjust it).
READY_MADE = {
    "bank_proof": {
        "label": "Proof of the settlement account",
        "message": "Please send a document from your bank that shows the account holder's name and account number.",
        "items": [
            {"document": DocumentKind.BANK_LETTER, "fix": "Upload a bank letter or a voided cheque for the account."}
        ],
    },
    "owner_identity": {
        "label": "Identity of the control person",
        "message": "We could not verify the identity of the control person.",
        "items": [
            {"field": "parties[0].date_of_birth", "fix": "Check the date of birth against the ID document."},
            {"document": DocumentKind.PASSPORT, "fix": "Upload a clear colour scan of a valid passport."},
        ],
    },
    "business_registration": {
        "label": "Business registration",
        "message": "Please send the document that registered your business with the state.",
        "items": [
            {"document": DocumentKind.ARTICLES_OF_ORGANIZATION, "fix": "Upload the filed articles, every page."},
        ],
    },
    "tax_id": {
        "label": "Tax id",
        "message": "The tax id does not match the IRS records for the legal name.",
        "items": [
            {"field": "business.tax_id", "fix": "Enter the EIN exactly as on the IRS letter."},
            {"document": DocumentKind.EIN_LETTER, "fix": "Upload the IRS CP 575 or 147C letter."},
        ],
    },
}


def _field_problem(application: Application, path: str) -> str | None:
    match = PLAIN.match(path) or INDEXED.match(path)
    if match is None:
        return "Name a field as business.legal_name, bank_account.account_number or parties[0].first_name."
    section = SECTIONS["parties" if match["section"] == "parties" else match["section"]]
    if match["field"] not in section.names:
        return f"{match['section']} has no field {match['field']}."
    if "index" in match.groupdict():
        count = (application.parties if match["section"] == "parties" else application.stores).count()
        if int(match["index"]) >= count:
            return f"The application has no {match['section']}[{match['index']}]."
    return None


def document_path(document_kind: str) -> str:
    return DOCUMENT_PATHS.get(document_kind, f"documents.{document_kind}")


def info_request_items_clean(application: Application, items) -> list[dict]:
    """The items as stored, or ValidationFailed keyed ``items[i].field`` (nothing is written)."""
    if items in (None, ""):
        return []
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise ValidationFailed("Give at most 20 items.", fields={"items": [f"A list of up to {MAX_ITEMS} items."]})
    errors: dict[str, list[str]] = {}
    cleaned = []
    for index, item in enumerate(items):
        key = f"items[{index}]"
        if not isinstance(item, dict):
            errors[key] = ["Each item names a field or a document, with a fix."]
            continue
        field, kind = (item.get("field") or "").strip(), (item.get("document") or "").strip()
        fix = item.get("fix") if isinstance(item.get("fix"), str) else ""
        fix = " ".join(fix.split())
        if bool(field) == bool(kind):
            errors[f"{key}.field"] = ["Name either a field or a document kind."]
        elif field and (problem := _field_problem(application, field)):
            errors[f"{key}.field"] = [problem]
        elif kind and kind not in DocumentKind.values:
            errors[f"{key}.document"] = ["Choose a document kind from the list."]
        if not fix:
            errors[f"{key}.fix"] = ["Say what the merchant should do."]
        elif len(fix) > FIX_MAX_LENGTH:
            errors[f"{key}.fix"] = [f"At most {FIX_MAX_LENGTH} characters."]
        if f"{key}.field" in errors or f"{key}.document" in errors or f"{key}.fix" in errors:
            continue
        cleaned.append(
            {
                "kind": "field" if field else "document",
                "path": field or document_path(kind),
                "document_kind": kind,
                "fix": fix,
            }
        )
    if errors:
        raise ValidationFailed("Some items of the request are not valid.", fields=errors)
    return cleaned


def item_label(item: dict) -> str:
    """What an item is about, in the merchant's words (the field's or the document kind's label)."""
    if item.get("kind") == "document":
        return (
            str(DocumentKind(item["document_kind"]).label)
            if item.get("document_kind") in DocumentKind.values
            else item["path"]
        )
    match = PLAIN.match(item["path"]) or INDEXED.match(item["path"])
    if match is None:
        return item["path"]
    section = SECTIONS[match["section"]]
    label = str(section.get(match["field"]).label) if match["field"] in section.names else match["field"]
    if "index" in match.groupdict():
        noun = _("Person") if match["section"] == "parties" else _("Store")
        return f"{noun} {int(match['index']) + 1}: {label}"
    return label


def info_request_item_rows(request) -> list[dict]:
    """The open request's items with their labels, for the merchant's status page and the officers' page."""
    return [{**item, "label": item_label(item)} for item in (request.items if request else [])]
