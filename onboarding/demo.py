"""Demo data for ``make run``: a merchant with a draft, officers in each role, a partner with a key.

Idempotent: running it again finds what it made before and changes nothing. The passwords and the test
key are fixed so that the README can show them; they are for the embedded demo, never for production.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from onboarding import roles
from onboarding.models import Application, Partner, PartnerApiKey
from onboarding.services.actors import Actor
from onboarding.services.drafts import application_create_draft
from onboarding.services.partners import hash_secret, partner_api_key_create, partner_create

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 (demo data, printed by make run)
DEMO_PARTNER_KEY = "sk_test_demo_" + "WalletBoardPartnerKey2026"
USERS = [
    # email, role group, staff (may use the admin)
    ("merchant@example.com", None, False),
    ("officer@example.com", roles.COMPLIANCE_OFFICER, True),
    ("senior@example.com", roles.SENIOR_COMPLIANCE_OFFICER, True),
    ("support@example.com", roles.SUPPORT, True),
    ("admin@example.com", roles.ADMINISTRATOR, True),
]

DEMO_DRAFT = {
    "business": {
        "legal_name": "Golden Gate Tea House LLC",
        "dba": "Golden Gate Tea House",
        "entity_type": "multi_member_llc",
        "tax_id_type": "ein",
        "tax_id": "94-3175283",
        "formation_state": "CA",
        "formation_date": "2016-04-12",
        "website": "https://goldengateteahouse.example",
        "phone": "+1 415 555 0142",
        "mcc": "5812",
        "product_description": "Tea house and bakery near Union Square serving many visitors from China.",
        "monthly_volume_cents": 4_500_000,
        "average_ticket_cents": 2_800,
        "address_line1": "660 Grant Avenue",
        "address_city": "San Francisco",
        "address_state": "CA",
        "address_postal_code": "94108",
    },
    "parties": [
        {
            "first_name": "Mei",
            "last_name": "Lin",
            "date_of_birth": "1979-08-21",
            "ownership_percent": 60,
            "is_control_person": True,
            "title": "Managing member",
            "id_number_type": "ssn",
            "id_number": "536-90-4399",
            "nationalities": ["US"],
            "citizenships": ["US"],
            "place_of_birth": "Guangzhou, China",
            "address_line1": "1450 Jackson Street",
            "address_city": "San Francisco",
            "address_state": "CA",
            "address_postal_code": "94109",
        },
        {
            "first_name": "Daniel",
            "last_name": "Ortega",
            "date_of_birth": "1983-02-02",
            "ownership_percent": 40,
            "id_number_type": "ssn",
            "id_number": "541-22-7816",
            "nationalities": ["US"],
            "citizenships": ["US"],
            "address_line1": "88 Howard Street",
            "address_city": "San Francisco",
            "address_state": "CA",
            "address_postal_code": "94105",
        },
    ],
    "bank_account": {
        "holder_name": "Golden Gate Tea House LLC",
        "routing_number": "121000358",
        "account_number": "000123456789",
        "account_type": "checking",
    },
    "stores": [
        {
            "name": "Grant Avenue",
            "address_line1": "660 Grant Avenue",
            "address_city": "San Francisco",
            "address_state": "CA",
            "address_postal_code": "94108",
            "terminals": [{"device_type": "stripe_s700", "label": "Front counter"}],
        }
    ],
    "wallets": [{"wallet": "wechat_pay", "channel": "in_store"}, {"wallet": "alipay", "channel": "online"}],
}


@transaction.atomic
def load_demo_data() -> dict:
    roles.ensure_role_groups()
    User = get_user_model()
    users = {}
    for email, group, staff in USERS:
        user = User.objects.filter(username=email).first()
        if user is None:
            user = User.objects.create_user(username=email, email=email, password=DEMO_PASSWORD, is_staff=staff)
        if group:
            user.groups.add(Group.objects.get(name=group))
        users[email] = user

    merchant = users["merchant@example.com"]
    draft = Application.objects.filter(applicant=merchant).first()
    if draft is None:
        draft = application_create_draft(actor=Actor.for_user(merchant), **DEMO_DRAFT)

    partner = Partner.objects.filter(name="Bay Area Payments ISO").first()
    setup = Actor.system("demo-data")
    if partner is None:
        partner = partner_create(
            actor=setup, name="Bay Area Payments ISO", kind="iso", contact_email="partners@bayareapayments.example"
        )
    if not PartnerApiKey.objects.filter(secret_hash=hash_secret(DEMO_PARTNER_KEY)).exists():
        partner_api_key_create(partner=partner, actor=setup, mode="test", label="Demo key", secret=DEMO_PARTNER_KEY)
    return {"users": [(email, group or "Merchant") for email, group, _ in USERS], "draft": draft, "partner": partner}
