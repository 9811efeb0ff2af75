"""What a complete US company sends, and a helper that boards one through the gateway."""

ADDRESS = {"line1": "1 Grant Ave", "city": "San Francisco", "state": "CA", "postal_code": "94108", "country": "US"}


def profile(*, mcc="5812", tax_id="000000000") -> dict:
    return {
        "business_profile": {"mcc": mcc, "name": "Golden Dragon", "product_description": "Dim sum restaurant"},
        "tos_acceptance": {"date": 1767225600, "ip": "203.0.113.9", "user_agent": "Mozilla/5.0"},
        "company": {
            "name": "Golden Dragon LLC",
            "tax_id": tax_id,
            "address": ADDRESS,
            "phone": "+14155550100",
            "structure": "single_member_llc",
            "owners_provided": True,
        },
    }


def representative() -> dict:
    return {
        "first_name": "Mei",
        "last_name": "Chen",
        "email": "mei@example.com",
        "phone": "+14155550101",
        "address": ADDRESS,
        "dob": {"day": 2, "month": 3, "year": 1980},
        "id_number": "000000000",
        "relationship": {
            "owner": True,
            "percent_ownership": 100.0,
            "representative": True,
            "executive": True,
            "title": "Owner",
        },
    }


BANK = {
    "routing_number": "110000000",
    "account_number": "000123456789",
    "account_holder_name": "Golden Dragon LLC",
    "account_holder_type": "company",
}


def board(gateway, *, merchant="mer_1", mcc="5812", tax_id="000000000", wallets=("alipay", "wechat_pay")):
    """Everything boarding sends, complete: returns (account, configuration)."""
    account = gateway.account_create(key=f"acct:{merchant}", merchant_id=merchant, business_type="company")
    gateway.account_update(key=f"profile:{merchant}", account=account, params=profile(mcc=mcc, tax_id=tax_id))
    person = gateway.person_create(key=f"person:{merchant}", account=account, party_id=f"{merchant}-owner")
    gateway.person_update(key=f"person-details:{merchant}", account=account, person=person, params=representative())
    gateway.external_account_create(key=f"ext:{merchant}", account=account, bank_account=BANK, application_id="app_1")
    configuration = gateway.wallets_create(
        key=f"pmc:{merchant}",
        account=account,
        merchant_id=merchant,
        preferences={w: "on" if w in wallets else "off" for w in ("alipay", "wechat_pay")},
    )
    return account, configuration


def register(gateway, *, account, location, key, code="simulated-wpe", terminal="") -> str:
    return gateway.reader_register(
        key=key, account=account, location=location, registration_code=code, label="Till", terminal_id=terminal or key
    )
