"""Documents open only here: for officers, inline, never cached, never sniffed, each opening an event."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from onboarding.errors import PermissionDenied as DomainPermissionDenied
from onboarding.models import Document
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.reveal import document_open

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@never_cache
def document_view(request, public_id: str):
    if not request.user.has_perm(REVIEW_PERM):
        raise PermissionDenied  # before the lookup: whether a document exists is not for support to learn
    document = get_object_or_404(Document.objects.select_related("application"), public_id=public_id)
    try:
        content = document_open(actor=Actor.for_user(request.user), document=document)
    except DomainPermissionDenied as exc:
        raise PermissionDenied from exc
    response = HttpResponse(content, content_type=document.content_type)
    # The stored name and the merchant's file name say nothing; the public id is the name shown.
    name = f"{document.public_id}.{EXTENSIONS.get(document.content_type, 'bin')}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
