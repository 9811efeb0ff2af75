"""An application's documents: list them, and upload one (multipart) with the web's own checks
(onboarding.services.documents: the type from the content, the size, the file opening as what it is)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from onboarding.api.base import PartnerView, plausible_id
from onboarding.api.serializers import DocumentSerializer, DocumentUploadSerializer
from onboarding.errors import ValidationFailed
from onboarding.models import Document
from onboarding.services.documents import document_upload

TAG = ["Documents"]


class DocumentListView(PartnerView):
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        application = self.application_or_404(self.kwargs["public_id"])
        return Document.objects.filter(application=application).select_related("party")

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "-uploaded_at"
        return super().paginate_queryset(queryset)

    @extend_schema(
        tags=TAG,
        operation_id="documents_list",
        summary="List an application's documents",
        responses=DocumentSerializer(many=True),
    )
    def get(self, request, public_id: str):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        operation_id="documents_upload",
        summary="Upload a document",
        description=(
            "While the application is `draft` or `info_requested`. PDF, JPEG or PNG, judged by the content; "
            f"at most {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB. An identity document names its party."
        ),
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def post(self, request, public_id: str):
        def perform():
            application = self.application_or_404(public_id)
            upload = request.FILES.get("file")
            # Read no more than one byte past the limit: the service answers an oversized file by its size.
            content = upload.read(settings.DOCUMENT_MAX_BYTES + 1) if upload is not None else None
            party = None
            party_id = request.data.get("party")
            if party_id:
                party = application.parties.filter(public_id=party_id).first() if plausible_id(party_id) else None
                if party is None:
                    raise ValidationFailed(
                        "The document could not be accepted.", fields={"party": ["No such party on this application."]}
                    )
            document = document_upload(
                application=application,
                actor=self.actor,
                kind=request.data.get("kind"),
                content=content,
                original_name=upload.name if upload is not None else "",
                party=party,
            )
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

        # The upload commits its file and row in its own transaction; its answer is stored right after.
        return self.idempotent(perform, atomic=False)
