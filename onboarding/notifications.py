"""Emails to the merchant about their application: submitted, information requested, documents that need
attention, approved, declined; other apps register their own (``register_merchant_email``: boarding's
"boarded", "terminal active", "terminal failed"), with what their templates need to know.

Each email is owed work (``owed_work_record``, in the transaction of the change it tells of), so none is
lost to a crash or a broker outage; a worker sends it, in the merchant's language, as text and HTML. They
say what a merchant may know, in the neutral words of the status page: no personal data beyond masked
values, never a reason for a decline. An information request's due date counts from when its email was
sent. Sending is at least once: a worker that dies between sending and recording may send it again.
Applications from partners get no email: their partner is told through its own channel.

The account emails of django-allauth (verify the address, reset the password) are owed work too: the
request records the rendered email and sends it at once (the person is waiting for it); when sending
fails or the process dies, the sweeper hands it to a worker, and the link never travels through the broker.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts import user_language
from onboarding.models import Application, InfoRequest
from onboarding.work import owed_work_done, owed_work_record, register_owed_work

EMAILS = ("submitted", "info_requested", "documents_attention", "approved", "declined")
TASK = "onboarding.tasks.send_merchant_email"
ContextFor = Callable[[Application], dict]
_REGISTERED: dict[str, ContextFor | None] = {}


def email_kind(email: str) -> str:
    return f"email_{email}"


def register_merchant_email(email: str, context: ContextFor | None = None) -> None:
    """An email about an application, with templates ``emails/{email}[_subject].txt|.html``; ``context``
    adds what they show beyond the application."""
    _REGISTERED[email] = context
    register_owed_work(email_kind(email), TASK)


def register_emails() -> None:
    for email in EMAILS:
        register_merchant_email(email)


def registered_emails() -> tuple[str, ...]:
    return tuple(_REGISTERED)


def merchant_email_owe(*, application: Application, email: str) -> None:
    """Owe the merchant an email about ``application``; call inside the transaction of the change."""
    if email not in _REGISTERED:
        raise ValueError(f"unknown email {email!r}")
    if application.applicant_id is None:
        return
    owed_work_record(subject=application, kind=email_kind(email), payload={"email": email})


def _context(application: Application, email: str) -> dict:
    status_url = settings.PORTAL_BASE_URL + reverse("application-detail", args=[application.public_id])
    context = {
        "application": application,
        "name": application.display_name,
        "status_url": status_url,
        "expiry_days": settings.INFO_REQUEST_EXPIRY_DAYS,
    }
    if email == "info_requested":
        context["request"] = application.info_requests.filter(answered_at__isnull=True).first()
        if context["request"] is not None:
            context["expiry_days"] = context["request"].due_days
    if email in ("info_requested", "documents_attention"):
        # An information request may be about a document (rejected in review): its email names it.
        context["documents"] = application.documents.filter(status__in=("rejected", "revision_requested"))
    extra = _REGISTERED.get(email)
    return {**context, **extra(application)} if extra else context


def merchant_email_send(*, application: Application, email: str) -> bool:
    """Send the email now (a worker's job); returns whether one was sent."""
    recipient = application.applicant.email if application.applicant_id else ""
    if not recipient:
        with transaction.atomic():
            owed_work_done(subject=application, kind=email_kind(email))
        return False
    language = user_language(application.applicant) or settings.LANGUAGE_CODE
    context = _context(application, email)
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{email}_subject.txt", context).split())
        text = render_to_string(f"emails/{email}.txt", context)
        html = render_to_string(f"emails/{email}.html", {**context, "language": language})
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient])
    message.attach_alternative(html, "text/html")
    message.send()
    sent_at = timezone.now()
    with transaction.atomic():
        if email == "info_requested":
            for request in InfoRequest.objects.filter(application=application, answered_at__isnull=True):
                request.email_sent_at, request.due_at = sent_at, sent_at + timedelta(days=request.due_days)
                request.save(update_fields=["email_sent_at", "due_at"])
        owed_work_done(subject=application, kind=email_kind(email))
    return True


# --------------------------------------------------------------------------- account emails (allauth)

ACCOUNT_EMAIL = "account_email"
ACCOUNT_TASK = "onboarding.tasks.send_account_email"


def register_account_emails() -> None:
    # Private: a verification or password-reset link stays in the database, never in a broker message.
    register_owed_work(ACCOUNT_EMAIL, ACCOUNT_TASK, private=True)


def account_email_owe(*, user, template_prefix: str, message: EmailMultiAlternatives):
    """Keep a rendered account email (verify the address, reset the password) as owed work of its user."""
    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    payload = {"to": list(message.to), "from": message.from_email, "subject": message.subject,
               "body": message.body, "html": html}  # fmt: skip
    kind = f"{ACCOUNT_EMAIL}:{template_prefix.rsplit('/', 1)[-1]}"
    with transaction.atomic():
        return owed_work_record(subject=user, kind=kind, payload=payload, publish=False)


def account_email_deliver(*, work) -> bool:
    """Send an owed account email and forget its content (the link in it is a credential)."""
    from onboarding.models import OwedWork

    payload = work.payload or {}
    if not payload.get("to"):
        return False
    message = EmailMultiAlternatives(subject=payload["subject"], body=payload["body"],
                                     from_email=payload["from"], to=payload["to"])  # fmt: skip
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    message.send()
    with transaction.atomic():
        OwedWork.objects.filter(pk=work.pk, status=OwedWork.Status.PENDING).update(
            status=OwedWork.Status.DONE, finished_at=timezone.now(), payload={}
        )
    return True
