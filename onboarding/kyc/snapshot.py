"""The application's data by section, as the checks' fingerprints see it.

Personal data never appears in clear: identifiers are replaced by their blind index and dates of birth by
a keyed hash, so a fingerprint changes when they change but reveals nothing.
"""

from onboarding import crypto
from onboarding.models import Application

BUSINESS = (
    "legal_name",
    "dba",
    "entity_type",
    "tax_id_type",
    "tax_id_index",
    "formation_state",
    "website",
    "phone",
    "mcc",
    "product_description",
    "monthly_volume_cents",
    "average_ticket_cents",
    "address_line1",
    "address_line2",
    "address_city",
    "address_state",
    "address_postal_code",
    "address_country",
)
PARTY = (
    "public_id",
    "kind",
    "is_control_person",
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "place_of_birth",
    "nationalities",
    "citizenships",
    "id_number_type",
    "id_number_index",
    "company_name",
    "company_country",
    "registration_number",
    "address_line1",
    "address_line2",
    "address_city",
    "address_state",
    "address_postal_code",
    "address_country",
)
ADDRESS = ("address_line1", "address_line2", "address_city", "address_state", "address_postal_code", "address_country")


def _fields(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def section(application: Application, name: str):
    if name == "business":
        data = _fields(application, BUSINESS)
        data["formation_date"] = application.formation_date.isoformat() if application.formation_date else None
        return data
    if name == "parties":
        rows = []
        for party in application.parties.all():
            row = _fields(party, PARTY)
            row["ownership_percent"] = str(party.ownership_percent)
            dob = party.date_of_birth
            row["date_of_birth"] = crypto.keyed_fingerprint(f"dob:{dob.isoformat()}") if dob else None
            rows.append(row)
        return rows
    if name == "bank_account":
        account = getattr(application, "bank_account", None)
        if account is None:
            return None
        return _fields(account, ("holder_name", "routing_number", "account_index", "account_type"))
    if name == "stores":
        return [
            {
                **_fields(store, ("public_id", "name", *ADDRESS)),
                "terminals": [t.device_type for t in store.terminals.all()],
            }
            for store in application.stores.all()
        ]
    if name == "wallets":
        return sorted(f"{w.wallet}:{w.channel}" for w in application.wallet_requests.all())
    if name == "agreement":
        agreement = getattr(application, "agreement", None)
        return agreement and {"version": agreement.version, "signed_at": agreement.signed_at.isoformat()}
    if name == "documents":
        return [
            {"kind": d.kind, "sha256": d.sha256, "status": d.status, "party": d.party and d.party.public_id}
            for d in application.documents.all()
        ]
    if name == "submission":
        return {
            "channel": application.channel,
            "submitted_ip": application.submitted_ip,
            "partner": application.partner and application.partner.public_id,
        }
    raise KeyError(f"unknown application section {name!r}")
