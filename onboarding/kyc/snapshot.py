"""The application's data by section, as the checks' fingerprints see it: every field the sections
declare (onboarding/sections.py), so no field can be left out by mistake.

Personal data never appears in clear: identifiers are replaced by their blind index and dates of birth by
a keyed hash, so a fingerprint changes when they change but reveals nothing.
"""

from onboarding.models import Application
from onboarding.sections import BANK_ACCOUNT, BUSINESS, PARTY, STORE, TERMINAL


def section(application: Application, name: str):
    if name == "business":
        return BUSINESS.snapshot(application)
    if name == "parties":
        return [PARTY.snapshot(party) for party in application.parties.all()]
    if name == "bank_account":
        account = getattr(application, "bank_account", None)
        return BANK_ACCOUNT.snapshot(account) if account is not None else None
    if name == "stores":
        return [
            {**STORE.snapshot(store), "terminals": [TERMINAL.snapshot(t) for t in store.terminals.all()]}
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
