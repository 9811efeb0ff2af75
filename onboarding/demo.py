"""Demo data for ``make run``: a merchant with a draft, an established merchant applying for a second store,
officers in each role, a partner with a key.

Idempotent: running it again finds what it made before and changes nothing. The passwords and the test
key are fixed so that the README can show them; they are for the embedded demo, never for production.
Every demo user's email address is verified and primary, so the demo merchant may submit. Demo staff are
enrolled with one fixed TOTP secret (``DEMO_TOTP_SECRET``, printed by ``make run``; ``manage.py demo_totp
EMAIL`` prints its current code), since staff always sign in with an authenticator code. ``check --deploy``
refuses a database that still holds a demo account or that secret (``demo_leftovers``).
"""

import hmac
import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from cryptography.fernet import InvalidToken
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from onboarding import roles
from onboarding.errors import DomainError
from onboarding.kyc.pipeline import application_advance
from onboarding.models import Application, Partner, PartnerApiKey
from onboarding.services.actors import Actor
from onboarding.services.agreements import application_sign_agreement
from onboarding.services.applications import application_approve, application_submit
from onboarding.services.drafts import application_create_draft, application_update_draft
from onboarding.services.merchant_applications import application_create_next, application_sections
from onboarding.services.partners import hash_secret, partner_api_key_create, partner_create
from onboarding.states import AppState

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 (demo data, printed by make run)
DEMO_PARTNER_KEY = "sk_test_demo_" + "WalletBoardPartnerKey2026"
DEMO_TOTP_SECRET = "WALLETBOARDDEMOSTAFFTOTPSECRETXX"  # noqa: S105 (base32; demo staff only, printed by make run)
USERS = [
    # email, role group, staff (may use the admin)
    ("merchant@example.com", None, False),
    ("giftshop@example.com", None, False),
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
            "email": "mei.lin@goldengateteahouse.example",
            "phone": "+1 415 555 0163",
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
            "email": "daniel.ortega@goldengateteahouse.example",
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


GIFT_SHOP = {
    "business": {
        "legal_name": "Jade Garden Gifts LLC",
        "dba": "Jade Garden Gifts",
        "entity_type": "single_member_llc",
        "tax_id_type": "ein",
        "tax_id": "13-4710261",
        "formation_state": "NY",
        "formation_date": "2012-06-18",
        "website": "https://jadegardengifts.example",
        "phone": "+1 718 555 0117",
        "mcc": "5947",
        "product_description": "Gifts, tea sets and souvenirs for visitors in Flushing.",
        "monthly_volume_cents": 1_800_000,
        "average_ticket_cents": 3_500,
        "address_line1": "136-20 Roosevelt Avenue",
        "address_city": "Flushing",
        "address_state": "NY",
        "address_postal_code": "11354",
    },
    "parties": [
        {
            "first_name": "Hui",
            "last_name": "Fang",
            "date_of_birth": "1974-03-09",
            "ownership_percent": 100,
            "is_control_person": True,
            "title": "Owner",
            "email": "giftshop@example.com",
            "phone": "+1 718 555 0117",
            "id_number_type": "ssn",
            "id_number": "123-45-6701",
            "nationalities": ["US"],
            "citizenships": ["US"],
            "address_line1": "41-60 Main Street",
            "address_city": "Flushing",
            "address_state": "NY",
            "address_postal_code": "11355",
        }
    ],
    "bank_account": {
        "holder_name": "Jade Garden Gifts LLC",
        "routing_number": "021000021",
        "account_number": "000987654321",
        "account_type": "checking",
    },
    "stores": [
        {
            "name": "Roosevelt Avenue",
            "address_line1": "136-20 Roosevelt Avenue",
            "address_city": "Flushing",
            "address_state": "NY",
            "address_postal_code": "11354",
            "terminals": [{"device_type": "stripe_s700", "label": "Till"}],
        }
    ],
    "wallets": [{"wallet": "wechat_pay", "channel": "in_store"}],
}
SECOND_STORE = {
    "name": "Main Street",
    "address_line1": "39-07 Main Street",
    "address_city": "Flushing",
    "address_state": "NY",
    "address_postal_code": "11354",
    "terminals": [{"device_type": "stripe_s700", "label": "Counter"}],
}


def established_merchant(users: dict, officers: list) -> Application | None:
    """A gift shop approved by the officers, now applying for a second store: its next application, under
    the same merchant. The approval stands only on the checks' evidence, so without a sanctions list
    (``load_sanctions``) the first application stays with the officers and no next one is started."""
    owner = users["giftshop@example.com"]
    first = Application.objects.filter(applicant=owner).order_by("created_at").first()
    actor = Actor.for_user(owner)
    if first is None:
        # Test mode, like the acquirer's own: its terminals take the simulated readers' codes.
        first = application_create_draft(actor=actor, livemode=False, **GIFT_SHOP)
        application_sign_agreement(application=first, actor=actor, signer_name="Hui Fang", signer_title="Owner")
        application_submit(application=first, actor=actor)
        application_advance(public_id=first.public_id)
        first.refresh_from_db()
    for officer in officers:
        if first.state not in (AppState.IN_REVIEW, AppState.AWAITING_SECOND_APPROVAL):
            break
        try:
            application_approve(application=first, actor=Actor.for_user(officer), note="Demo: evidence reviewed.")
        except DomainError:
            return None  # the evidence does not support an approval here (no list loaded, say)
        first.refresh_from_db()
    if first.state != AppState.APPROVED:
        return None
    following = first.merchant.applications.exclude(pk=first.pk).first()
    if following is None:
        following = application_create_next(merchant=first.merchant, actor=actor)
        stores = application_sections(following)["stores"] + [SECOND_STORE]
        application_update_draft(application=following, actor=actor, stores=stores)
    return following


def totp_secret_of(authenticator: Authenticator) -> str | None:
    """The authenticator's secret; None when no configured key reads it (then nobody can sign in with it)."""
    try:
        return decrypt(authenticator.data["secret"])
    except InvalidToken:
        return None


def is_demo_secret(secret: str | None) -> bool:
    return secret is not None and hmac.compare_digest(secret.encode(), DEMO_TOTP_SECRET.encode())


def demo_totp_enrol(user) -> None:
    """Give a demo staff member the demo secret (and recovery codes), unless they have an authenticator."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


def demo_totp_code(at: float | None = None) -> tuple[str, int]:
    """The demo secret's code now (or at ``at``), and the seconds it stays current."""
    at = time.time() if at is None else at
    period = mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(at) // period)), period - int(at) % period


def demo_leftovers() -> list[str]:
    """What demo data would let a stranger in: demo accounts (their passwords are in the README) and
    authenticators holding the demo TOTP secret (printed by make run)."""
    found = [
        f"the demo account {username}"
        for username in get_user_model()
        .objects.filter(username__in=[email for email, _, _ in USERS])
        .order_by("username")
        .values_list("username", flat=True)
    ]
    totps = Authenticator.objects.filter(type=Authenticator.Type.TOTP).select_related("user")
    found += [
        f"an authenticator of {totp.user.username} with the demo TOTP secret"
        for totp in totps.iterator()
        if is_demo_secret(totp_secret_of(totp))
    ]
    return found


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
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        if staff:
            demo_totp_enrol(user)
        users[email] = user

    merchant = users["merchant@example.com"]
    draft = Application.objects.filter(applicant=merchant).first()
    if draft is None:
        draft = application_create_draft(actor=Actor.for_user(merchant), **DEMO_DRAFT)

    next_application = established_merchant(users, [users["officer@example.com"], users["senior@example.com"]])

    partner = Partner.objects.filter(name="Bay Area Payments ISO").first()
    setup = Actor.system("demo-data")
    if partner is None:
        partner = partner_create(
            actor=setup, name="Bay Area Payments ISO", kind="iso", contact_email="partners@bayareapayments.example"
        )
    if not PartnerApiKey.objects.filter(secret_hash=hash_secret(DEMO_PARTNER_KEY)).exists():
        partner_api_key_create(partner=partner, actor=setup, mode="test", label="Demo key", secret=DEMO_PARTNER_KEY)
    return {
        "users": [(email, group or "Merchant") for email, group, _ in USERS],
        "draft": draft,
        "next_application": next_application,
        "partner": partner,
    }
