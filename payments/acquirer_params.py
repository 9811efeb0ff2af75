"""What we send the acquirer, built from the approved application (Stripe's parameter names).

Nothing here is logged: these dictionaries carry personal data (dates of birth, SSNs, account numbers)."""

from __future__ import annotations

from onboarding.models import Application, EntityType, Party, Store

# Stripe's company structures for our entity types; a sole proprietor boards as an individual.
COMPANY_STRUCTURE = {
    EntityType.SINGLE_MEMBER_LLC: "single_member_llc",
    EntityType.MULTI_MEMBER_LLC: "multi_member_llc",
    EntityType.CORPORATION: "private_corporation",
    EntityType.PARTNERSHIP: "limited_liability_partnership",
    EntityType.NONPROFIT: "incorporated_non_profit",
}


def business_type(application: Application) -> str:
    if application.entity_type == EntityType.SOLE_PROPRIETORSHIP:
        return "individual"
    if application.entity_type == EntityType.NONPROFIT:
        return "non_profit"
    return "company"


def address(holder) -> dict:
    values = {
        "line1": holder.address_line1,
        "line2": holder.address_line2,
        "city": holder.address_city,
        "state": holder.address_state,
        "postal_code": holder.address_postal_code,
        "country": holder.address_country or "US",
    }
    return {name: value for name, value in values.items() if value}


def _dob(party: Party) -> dict | None:
    born = party.date_of_birth
    return {"day": born.day, "month": born.month, "year": born.year} if born else None


def account_profile(application: Application) -> dict:
    """The account's update after creation: business profile, the company, the terms accepted."""
    params: dict = {
        "business_profile": {
            "mcc": application.mcc,
            "name": application.dba or application.legal_name,
            "product_description": application.product_description[:500],
            **({"url": application.website} if application.website else {}),
        },
    }
    agreement = getattr(application, "agreement", None)
    if agreement is not None:
        # The merchant's own acceptance, as recorded when they signed; a partner never accepts for them.
        params["tos_acceptance"] = {
            "date": int(agreement.signed_at.timestamp()),
            **({"ip": agreement.ip_address} if agreement.ip_address else {}),
            **({"user_agent": agreement.user_agent[:500]} if agreement.user_agent else {}),
        }
    if business_type(application) == "individual":
        owner = application.parties.filter(kind=Party.Kind.INDIVIDUAL).order_by("position").first()
        if owner is not None:
            params["individual"] = person_details(owner, relationship=False)
            if not owner.phone and application.phone:
                # A sole proprietor is the business: the business phone is theirs (Stripe requires individual.phone).
                params["individual"]["phone"] = application.phone
    else:
        company = {
            "name": application.legal_name,
            "tax_id": application.tax_id,
            "address": address(application),
            **({"phone": application.phone} if application.phone else {}),
        }
        if application.entity_type in COMPANY_STRUCTURE:
            company["structure"] = COMPANY_STRUCTURE[application.entity_type]
        params["company"] = company
    return params


def owners_provided() -> dict:
    """Sent once every owner is a person on the account: Stripe keeps ``company.owners_provided`` due until then."""
    return {"company": {"owners_provided": True}}


def person_details(party: Party, *, relationship: bool = True) -> dict:
    details: dict = {
        "first_name": party.first_name,
        "last_name": party.last_name,
        "address": address(party),
    }
    if party.email:
        details["email"] = party.email
    if party.phone:
        details["phone"] = party.phone
    dob = _dob(party)
    if dob:
        details["dob"] = dob
    if party.id_number and party.id_number_type in ("ssn", "itin"):
        details["id_number"] = party.id_number
    if relationship:
        percent = float(party.ownership_percent or 0)
        details["relationship"] = {
            "owner": percent >= 25,
            "percent_ownership": percent,
            "representative": bool(party.is_control_person),
            "executive": bool(party.is_control_person),
            **({"title": party.title} if party.title else {}),
        }
    return details


def bank_account(application: Application) -> dict:
    account = application.bank_account
    return {
        "routing_number": account.routing_number,
        "account_number": account.account_number,
        "account_holder_name": account.holder_name,
        "account_holder_type": "individual" if business_type(application) == "individual" else "company",
    }


def location(store: Store) -> dict:
    return {"display_name": store.name, "address": address(store)}
