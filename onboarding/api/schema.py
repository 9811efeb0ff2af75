"""The OpenAPI schema's conventions, added to every operation in one place: the bearer key, the
``Idempotency-Key`` that every POST needs, ``Request-Id`` on every response, and the error answers each
operation can give, all in the one error shape of ``onboarding.api.errors``."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": "Invalid request: `validation_error` lists each field by its path in `attr` (`parties[1].date_of_birth`).",
    "401": "No API key, a malformed header, or a key that is unknown or revoked.",
    "403": "The key may not do this.",
    "404": "No such object for this key: another partner's, or of the other mode (test or live).",
    "409": "The object's state does not allow this now, or a request with the same Idempotency-Key is in flight.",
    "412": "If-Match does not match the object's current ETag: read it again and reapply the change.",
    "415": "Send JSON (`application/json`), or `multipart/form-data` for uploads.",
    "429": "Too many requests for this key: wait for the seconds in `Retry-After`.",
}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code, such as `invalid`, `not_found`, `invalid_transition`.")
    detail = serializers.CharField(help_text="What went wrong, for people.")
    attr = serializers.CharField(
        allow_null=True, help_text="The field path, as the requirements name it (`business.tax_id`), or null."
    )


class ErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["validation_error", "client_error", "server_error"])
    errors = ErrorDetailSerializer(many=True)


VALIDATION_EXAMPLE = OpenApiExample(
    "Validation error",
    value={
        "type": "validation_error",
        "errors": [
            {"code": "validation_failed", "detail": "Please correct the errors below.", "attr": None},
            {"code": "invalid", "detail": "The date of birth must be in the past.", "attr": "parties[1].date_of_birth"},
        ],
    },
    status_codes=["400"],
    response_only=True,
)

REQUEST_ID = OpenApiParameter(
    "Request-Id",
    type=str,
    location=OpenApiParameter.HEADER,
    response=True,
    description="This request's id: quote it to support.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description=(
        "A unique value per request (a UUID). A retry with the same key and body replays the first answer, "
        "errors included, for 24 hours; the same key with another body is refused."
    ),
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag you read: the change is refused (412) if the object changed since.",
)
PUBLIC_ID = OpenApiParameter(
    "public_id",
    type=str,
    location=OpenApiParameter.PATH,
    description="The object's id (`app_…` for an application, `mer_…` for a merchant, `we_…` for a webhook endpoint).",
)
ETAG = OpenApiParameter(
    "ETag",
    type=str,
    location=OpenApiParameter.HEADER,
    response=["200", "201"],
    description="The object's current version, for If-Match.",
)


class PartnerAutoSchema(AutoSchema):
    """Adds the API's headers and error answers to each operation (``error_codes`` on a view adds more)."""

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), REQUEST_ID]
        if "{public_id}" in self.path:
            parameters.append(PUBLIC_ID)
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        if getattr(self.view, "uses_etag", False):
            parameters.append(ETAG)
            if self.method in ("PATCH", "POST"):
                parameters.append(IF_MATCH)
        return parameters

    def _error_codes(self) -> list[str]:
        codes = {"401", "429"}
        if self.method in ("POST", "PATCH"):
            codes |= {"400", "409", "415"}
        if self.method == "GET" and self._is_list_view():
            codes.add("400")
        if "{" in self.path:
            codes.add("404")
        if self.method in ("POST", "PATCH") and getattr(self.view, "uses_etag", False):
            codes.add("412")
        codes |= set(getattr(self.view, "error_codes", ()))
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorResponseSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def get_examples(self):
        examples = list(super().get_examples())
        if self.method in ("POST", "PATCH"):
            examples.append(VALIDATION_EXAMPLE)
        return examples


class PartnerKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "onboarding.api.authentication.PartnerKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer sk_test_…` for test data, `sk_live_…` for live data.",
        }
