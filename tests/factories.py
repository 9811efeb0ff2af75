"""Test data: valid application sections, users in each role, and applications in any state."""

import copy
import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from PIL import Image
from pypdf import PdfWriter

from onboarding import roles
from onboarding.models import Application
from onboarding.services.actors import Actor
from onboarding.services.agreements import application_sign_agreement
from onboarding.services.documents import document_upload
from onboarding.services.drafts import application_create_draft

VALID_DRAFT = {
    "business": {
        "legal_name": "Pearl River Noodle Bar LLC",
        "dba": "Pearl River Noodles",
        "entity_type": "multi_member_llc",
        "tax_id_type": "ein",
        "tax_id": "46-2811507",
        "formation_state": "NY",
        "formation_date": "2018-09-03",
        "website": "https://pearlrivernoodles.example",
        "phone": "+1 212 555 0199",
        "mcc": "5812",
        "product_description": "Hand-pulled noodles, dine-in and takeaway.",
        "monthly_volume_cents": 3_200_000,
        "average_ticket_cents": 2_400,
        "address_line1": "41 Mott Street",
        "address_city": "New York",
        "address_state": "NY",
        "address_postal_code": "10013",
    },
    "parties": [
        {
            "first_name": "Wen",
            "last_name": "Zhao",
            "date_of_birth": "1980-05-17",
            "ownership_percent": 70,
            "is_control_person": True,
            "title": "Managing member",
            "email": "wen.zhao@pearlriver.example",
            "phone": "+1 212 555 0148",
            "id_number_type": "ssn",
            "id_number": "212-54-3321",
            "nationalities": ["US"],
            "citizenships": ["US"],
            "address_line1": "12 Bayard Street",
            "address_city": "New York",
            "address_state": "NY",
            "address_postal_code": "10013",
        },
        {
            "first_name": "Rosa",
            "last_name": "Delgado",
            "date_of_birth": "1975-11-30",
            "ownership_percent": 30,
            "email": "rosa.delgado@pearlriver.example",
            "id_number_type": "ssn",
            "id_number": "318-60-9912",
            "nationalities": ["US"],
            "address_line1": "300 Grand Street",
            "address_city": "New York",
            "address_state": "NY",
            "address_postal_code": "10002",
        },
    ],
    "bank_account": {
        "holder_name": "Pearl River Noodle Bar LLC",
        "routing_number": "021000021",
        "account_number": "482910337765",
        "account_type": "checking",
    },
    "stores": [
        {
            "name": "Mott Street",
            "address_line1": "41 Mott Street",
            "address_city": "New York",
            "address_state": "NY",
            "address_postal_code": "10013",
            "terminals": [{"device_type": "stripe_s700", "label": "Counter"}],
        }
    ],
    "wallets": [{"wallet": "wechat_pay", "channel": "in_store"}, {"wallet": "alipay", "channel": "online"}],
}


def valid_draft(**overrides) -> dict:
    data = copy.deepcopy(VALID_DRAFT)
    for section, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(section), dict):
            data[section].update(value)
        else:
            data[section] = value
    return data


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.LazyAttribute(lambda u: u.username)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            roles.ensure_role_groups()
            self.groups.add(Group.objects.get(name=extracted))
            self.is_staff = True
        self.save()


def officer(role: str = roles.COMPLIANCE_OFFICER):
    return UserFactory(role=role)


def pdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    """A real PDF (blank US Letter pages), as a scanner or a browser would produce one."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (32, 24), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, format=image_format)
    return buffer.getvalue()


PDF = pdf_bytes()


def upload_documents(application: Application) -> Application:
    """The documents a complete application carries: articles, a bank letter, each person's ID."""
    if application.applicant_id:
        actor = Actor.for_user(application.applicant)
    else:
        actor = Actor.for_partner(application.partner)
    if application.entity_type != "sole_proprietorship":
        document_upload(application=application, actor=actor, kind="articles_of_organization", content=PDF)
    document_upload(application=application, actor=actor, kind="bank_letter", content=PDF)
    for party in application.parties.filter(kind="individual"):
        document_upload(application=application, actor=actor, kind="passport", content=PDF, party=party)
    return application


def draft_application(user=None, documents: bool = True, livemode: bool = True, **overrides) -> Application:
    """A complete, signed draft (with its documents unless ``documents=False``), live unless ``livemode=False``."""
    user = user or UserFactory()
    application = application_create_draft(actor=Actor.for_user(user), livemode=livemode, **valid_draft(**overrides))
    if documents:
        upload_documents(application)
    application_sign_agreement(
        application=application,
        actor=Actor.for_user(user),
        signer_name="Wen Zhao",
        signer_title="Managing member",
        ip_address="203.0.113.7",
        user_agent="pytest",
    )
    return application


def application_in_state(state: str, **fields) -> Application:
    """An application placed directly in a state (for state-machine tests, not a journey)."""
    application = draft_application()
    Application.objects.filter(pk=application.pk).update(state=state, **fields)
    application.refresh_from_db()
    return application
