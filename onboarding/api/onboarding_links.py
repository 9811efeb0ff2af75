"""Hosted onboarding links (docs/onboarding_links.md): a partner asks for a single-use URL to hand an
application it started to its merchant, who finishes, signs and submits it in their own account.

The URL holds the link's token: it is in the 201 answer only (and, for a replay of the same request,
encrypted in the stored answer), never in a log line."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from onboarding.api.base import PartnerView, object_body
from onboarding.api.serializers import OnboardingLinkCreateSerializer, OnboardingLinkSerializer
from onboarding.services.onboarding_links import onboarding_link_create

REQUEST_EXAMPLE = OpenApiExample(
    "A link for the applicant",
    request_only=True,
    value={"email": "mei@example.com", "expires_in_minutes": 30},
)
RESPONSE_EXAMPLE = OpenApiExample(
    "The link",
    response_only=True,
    status_codes=["201"],
    value={
        "id": "obl_3kVb8QwErTy5UiOp7AsD",
        "object": "onboarding_link",
        "application": "app_Vb1x2y3z4A5B6C7D8E9F",
        "url": "https://portal.example/onboard/Xq3…/",
        "email": "mei@example.com",
        "created": "2026-12-01T09:30:00Z",
        "expires_at": "2026-12-01T10:00:00Z",
    },
)


class OnboardingLinkCreateView(PartnerView):
    serializer_class = OnboardingLinkSerializer

    @extend_schema(
        tags=["Applications"],
        operation_id="applications_onboarding_links_create",
        summary="Make an onboarding link for the applicant",
        description=(
            "While the application is `draft` or `info_requested` (otherwise `409`). Give the URL to the "
            "merchant: it opens once, until `expires_at`, and leads to the application only in an account "
            "that has confirmed `email`; there the merchant reviews it, adds documents, signs the agreement "
            "and submits. The URL is in this answer only. Each call makes a new link; earlier ones stay valid "
            "until they are used or expire."
        ),
        request=OnboardingLinkCreateSerializer,
        responses={201: OnboardingLinkSerializer},
        examples=[REQUEST_EXAMPLE, RESPONSE_EXAMPLE],
    )
    def post(self, request, public_id: str):
        def perform():
            application = self.application_or_404(public_id)
            body = object_body(request.data, OnboardingLinkCreateSerializer)
            link, url = onboarding_link_create(
                application=application,
                email=body.get("email"),
                actor=self.actor,
                expires_in_minutes=body.get("expires_in_minutes"),
            )
            data = OnboardingLinkSerializer(link, context={"url": url}).data
            return Response(data, status=status.HTTP_201_CREATED)

        return self.idempotent(perform, sealed=("url",))
