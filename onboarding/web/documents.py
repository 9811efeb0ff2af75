"""The step "documents": one upload slot for each document the application needs (``required_documents``:
the company's articles, a voided cheque or bank letter, an identity document for each owner of 25% or more
and for the control person), and a slot for any other document.

Uploads go through ``document_upload``, which judges the file (type sniffed from the content, size, opens
as what it claims); its field errors are shown on the slot. A new copy in a slot replaces the copies there
that were not accepted, so a document an officer rejected or asked to revise is answered by uploading just
that one again. A document is removed with ``document_remove``; an accepted one stays. Each document is
shown through ``document_file``, which serves it only to the merchant it belongs to and records that it
was viewed.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onboarding.errors import DomainError, ValidationFailed
from onboarding.kyc.kyc_checks import required_documents
from onboarding.models import IDENTITY_DOCUMENT_KINDS, Application, Document, DocumentKind, Party
from onboarding.selectors import applications_for_user
from onboarding.services.actors import Actor
from onboarding.services.documents import REMOVABLE_STATUSES, document_remove, document_upload
from onboarding.services.events import event_record
from onboarding.web import progress
from onboarding.web.base import FINISH_LATER, StepView
from onboarding.web.errors import form_errors

UPLOAD = "upload"
REMOVE = "remove_document"
K = DocumentKind
KIND_LABELS = {
    K.ARTICLES_OF_INCORPORATION: _("Articles of incorporation"),
    K.ARTICLES_OF_ORGANIZATION: _("Articles of organization"),
    K.PARTNERSHIP_AGREEMENT: _("Partnership agreement"),
    K.EIN_LETTER: _("IRS letter confirming your EIN (CP 575 or 147C)"),
    K.BUSINESS_LICENSE: _("Business licence"),
    K.VOIDED_CHECK: _("Voided cheque"),
    K.BANK_LETTER: _("Letter from your bank"),
    K.BANK_STATEMENT: _("Bank statement"),
    K.PASSPORT: _("Passport"),
    K.DRIVERS_LICENSE: _("Driver's licence"),
    K.STATE_ID: _("State ID card"),
    K.PROOF_OF_ADDRESS: _("Proof of address"),
    K.OTHER: _("Other document"),
}
STATUS_WORDS = {
    Document.Status.PENDING: _("Received"),
    Document.Status.ACCEPTED: _("Accepted"),
    Document.Status.REJECTED: _("Rejected"),
    Document.Status.REVISION_REQUESTED: _("Revision requested"),
}
COMPANY_KINDS = frozenset({K.ARTICLES_OF_INCORPORATION, K.ARTICLES_OF_ORGANIZATION, K.PARTNERSHIP_AGREEMENT})
BANK_KINDS = frozenset({K.VOIDED_CHECK, K.BANK_LETTER})
OTHER_KINDS = (K.OTHER, K.EIN_LETTER, K.BUSINESS_LICENSE, K.BANK_STATEMENT, K.PROOF_OF_ADDRESS)
ATTENTION = frozenset({Document.Status.REJECTED, Document.Status.REVISION_REQUESTED})
ACCEPTS = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def status_words(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


@dataclass
class Slot:
    """One place on the page to upload a document, and the documents already there."""

    key: str
    title: str
    help: str
    kinds: tuple[str, ...]
    party: Party | None = None
    optional: bool = False
    documents: list[Document] = field(default_factory=list)

    @property
    def attention(self) -> list[Document]:
        return [d for d in self.documents if d.status in ATTENTION]

    @property
    def state(self) -> str:
        """missing | attention | received | accepted (what the slot needs from the merchant)."""
        if self.attention:
            return "attention"
        if any(d.status == Document.Status.ACCEPTED for d in self.documents):
            return "accepted"
        if self.documents:
            return "received"
        return "missing"

    @property
    def replaces(self) -> bool:
        """A new copy here takes the place of the copies not accepted (every slot but "other")."""
        return not self.optional

    def takes(self, document: Document) -> bool:
        if self.party is not None:
            return document.party_id == self.party.pk and document.kind in IDENTITY_DOCUMENT_KINDS
        return document.kind in self.kinds


def slots_for(application: Application) -> list[Slot]:
    parties = {party.public_id: party for party in application.parties.all()}
    slots = []
    for need in required_documents(application):
        kinds = tuple(need["kinds"])
        if need.get("party"):
            party = parties[need["party"]]
            title = _t("Identity document: %(name)s") % {"name": party.name or _t("unnamed person")}
            slots.append(
                Slot(
                    f"id-{party.public_id}",
                    title,
                    _t("A passport, driver's licence or state ID card, with the photo and the name readable."),
                    kinds,
                    party=party,
                )
            )
        elif set(kinds) <= BANK_KINDS:
            slots.append(
                Slot(
                    "bank",
                    _t("Voided cheque or bank letter"),
                    _t(
                        "For the settlement account: it must show the account holder's name and the account "
                        "and routing numbers."
                    ),
                    kinds,
                )
            )
        else:
            slots.append(
                Slot(
                    "company",
                    _t("Articles of organization or incorporation"),
                    _t("The document your state issued when the business was formed."),
                    kinds,
                )
            )
    other = Slot(
        "other",
        _t("Other document (optional)"),
        _t("Anything else that helps us, for example your EIN letter or a business licence."),
        OTHER_KINDS,
        optional=True,
    )
    for document in application.documents.select_related("party").order_by("uploaded_at", "id"):
        home = next((slot for slot in slots if slot.takes(document)), other)
        home.documents.append(document)
    order = {"attention": 0, "missing": 1, "received": 2, "accepted": 3}
    slots.sort(key=lambda slot: order[slot.state])
    return [*slots, other]


class SlotForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTS}),
    )

    def __init__(self, *args, slot: Slot, **kwargs):
        super().__init__(*args, prefix=slot.key, **kwargs)
        self.slot = slot
        self.fields["kind"].choices = [(kind, kind_label(kind)) for kind in slot.kinds]
        self.fields["kind"].initial = slot.kinds[0]
        size = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = _t("A PDF, JPEG or PNG file, up to %(size)s MB.") % {"size": size}
        if len(slot.kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()
        if slot.state != "missing":
            self.fields["file"].label = _("New copy") if slot.replaces else _("File")

    @property
    def chooses_kind(self) -> bool:
        return len(self.slot.kinds) > 1


class DocumentsStep(StepView):
    slug = "documents"
    template_name = "onboarding/steps/documents.html"

    def build_forms(self, application, data=None, files=None):
        self.slots = slots_for(application)
        return {slot.key: SlotForm(data=data, files=files, slot=slot) for slot in self.slots}

    def sections(self, forms):
        return {}

    def extra_context(self, application, forms):
        slots = slots_for(application)  # after any upload, what is there now
        rows = []
        for slot in slots:
            if slot.key not in forms:
                continue
            documents = [
                {
                    "document": document,
                    "kind": kind_label(document.kind),
                    "status": status_words(document.status),
                    "removable": document.status in REMOVABLE_STATUSES,
                    "url": reverse("application-document", args=[application.public_id, document.public_id]),
                }
                for document in slot.documents
            ]
            rows.append({"slot": slot, "form": forms[slot.key], "documents": documents})
        return {"rows": rows, "attention": [slot for slot in slots if slot.state == "attention"]}

    def post(self, request, public_id=None):
        application = self.application
        if REMOVE in request.POST:
            return self._remove(application, request.POST[REMOVE])
        forms = self.build_forms(application, request.POST, request.FILES)
        uploaded, failed = [], False
        for slot in self.slots:
            form = forms[slot.key]
            if not form.is_valid():
                failed = True
                continue
            upload = form.cleaned_data.get("file")
            if not upload:
                continue
            # Read no more than the service could take: one byte over is enough for its size message.
            content = upload.read(settings.DOCUMENT_MAX_BYTES + 1)
            try:
                document = document_upload(
                    application=application,
                    actor=self.actor,
                    kind=form.cleaned_data.get("kind") or slot.kinds[0],
                    content=content,
                    original_name=upload.name or "",
                    party=slot.party,
                )
            except ValidationFailed as exc:
                form_errors(exc, sections={}, renames={"original_name": "file", "party": "file"}, fallback=form)
                failed = True
                continue
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect("application-detail", application.public_id)
            uploaded.append(document)
            if slot.replaces:
                self._replace(slot, document)
        if uploaded:
            names = ", ".join(d.original_name or kind_label(d.kind) for d in uploaded)
            messages.success(request, _t("Uploaded: %(names)s.") % {"names": names})
        if failed:
            return self.render_step(forms, status=400)
        if UPLOAD in request.POST:
            return redirect("application-step", application.public_id, self.slug)
        if FINISH_LATER in request.POST:
            messages.success(request, _t("Saved. You can continue any time, from any device."))
            return redirect("application-detail", application.public_id)
        return redirect("application-step", application.public_id, progress.next_step(self.slug))

    def _replace(self, slot: Slot, new: Document) -> None:
        for old in slot.documents:
            if old.pk != new.pk and old.status in REMOVABLE_STATUSES:
                try:
                    document_remove(document=old, actor=self.actor)
                except DomainError as exc:
                    messages.warning(self.request, exc.message)

    def _remove(self, application: Application, document_id: str):
        document = get_object_or_404(application.documents, public_id=document_id)
        name = document.original_name or kind_label(document.kind)
        try:
            document_remove(document=document, actor=self.actor)
        except DomainError as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(self.request, _t("Removed: %(name)s.") % {"name": name})
        return redirect("application-step", application.public_id, self.slug)


def _download_name(document: Document) -> str:
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[document.content_type]
    name = document.original_name or document.public_id
    return name if name.lower().endswith(extension) or "." in name else name + extension


@never_cache
@require_GET
@login_required
def document_file(request, public_id: str, document_id: str):
    """A document of the merchant's own application, shown in the browser (never sniffed as another type),
    never cached, and recorded as viewed. Anyone else's document is not found."""
    application = get_object_or_404(applications_for_user(user=request.user), public_id=public_id)
    document = get_object_or_404(application.documents, public_id=document_id)
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    with transaction.atomic():
        event_record(
            actor=Actor.for_user(request.user), subject=document, application=application, action="document_viewed"
        )
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(False, _download_name(document))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(content))
    return response
