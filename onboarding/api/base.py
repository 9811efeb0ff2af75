"""What every partner API view shares: the key's authentication, its throttle, JSON only, cursor
pagination, lookups through the scoping selectors, idempotent POSTs and ETags."""

import hashlib

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

from onboarding.api.authentication import NotAuthenticated, PartnerKeyAuthentication
from onboarding.api.errors import PreconditionFailed
from onboarding.api.idempotency import run_idempotent
from onboarding.api.throttling import PartnerKeyThrottle
from onboarding.errors import ValidationFailed
from onboarding.input import key_text
from onboarding.selectors import applications_for_partner, merchants_for_partner
from onboarding.services.webhook_endpoints import webhook_endpoints_for_partner


def plausible_id(value) -> bool:
    """Whether a value could be one of our ids at all (a NUL byte, for one, cannot reach a query)."""
    return isinstance(value, str) and 0 < len(value) <= ID_MAX_LENGTH and value.isprintable()


ID_MAX_LENGTH = 40


class PartnerCursorPagination(CursorPagination):
    """Newest first; ``limit`` from 1 to 100 (20 by default); follow ``next`` until it is null."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "limit"
    ordering = "-created_at"

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            # DRF answers a bad cursor with 404; it is a bad parameter, named as such.
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor: pass `next` or `previous` as given.")]})


class PartnerView(generics.GenericAPIView):
    authentication_classes = [PartnerKeyAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [PartnerKeyThrottle]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    pagination_class = PartnerCursorPagination
    # OPTIONS would describe the view (DRF's metadata): the schema does that; here it is not allowed.
    metadata_class = None
    #: whether responses carry an ETag and changes honour If-Match
    uses_etag = False

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise NotAuthenticated()
        super().permission_denied(request, message=message, code=code)

    @property
    def principal(self):
        return self.request.user

    @property
    def actor(self):
        return self.principal.actor

    def partner_applications(self):
        return applications_for_partner(partner=self.principal.partner, livemode=self.principal.livemode)

    def partner_merchants(self):
        return merchants_for_partner(partner=self.principal.partner, livemode=self.principal.livemode)

    def application_or_404(self, public_id: str, *, queryset=None, lock: bool = False):
        if not plausible_id(public_id):
            raise Http404(_("No such application."))
        queryset = self.partner_applications() if queryset is None else queryset
        if lock:
            queryset = queryset.select_for_update(of=("self",), no_key=True)
        found = queryset.filter(public_id=public_id).first()
        if found is None:
            raise Http404(_("No such application."))
        return found

    def merchant_or_404(self, public_id: str):
        if not plausible_id(public_id):
            raise Http404(_("No such merchant."))
        found = self.partner_merchants().filter(public_id=public_id).first()
        if found is None:
            raise Http404(_("No such merchant."))
        return found

    def partner_webhook_endpoints(self):
        return webhook_endpoints_for_partner(partner=self.principal.partner, livemode=self.principal.livemode)

    def webhook_endpoint_or_404(self, public_id: str, *, lock: bool = False):
        if not plausible_id(public_id):
            raise Http404(_("No such webhook endpoint."))
        queryset = self.partner_webhook_endpoints()
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        found = queryset.filter(public_id=public_id).first()
        if found is None:
            raise Http404(_("No such webhook endpoint."))
        return found

    def idempotent(self, perform, *, atomic: bool = True, sealed: tuple[str, ...] = ()):
        return run_idempotent(request=self.request, view=self, perform=perform, atomic=atomic, sealed=sealed)

    @staticmethod
    def etag_of(data) -> str:
        return '"' + hashlib.sha256(JSONRenderer().render(data)).hexdigest()[:32] + '"'

    def check_if_match(self, current_data) -> None:
        """Refuse a change made on a stale read. Called with the object's row locked, inside the
        transaction of the change, so no other write can land between the check and the change."""
        wanted = self.request.headers.get("If-Match")
        if wanted is None:
            return
        current = self.etag_of(current_data)
        offered = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
        if "*" not in offered and current not in offered:
            raise PreconditionFailed()


def object_body(data, serializer_class) -> dict:
    """A JSON object with only the serializer's fields, as sent (the service checks the values): anything
    else, or an unknown field, is refused field by field."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Send a JSON object."]})
    allowed = set(serializer_class().fields)
    unknown = sorted(key_text(key) for key in data if key not in allowed)
    if unknown:
        raise ValidationFailed("Please correct the errors below.", fields=dict.fromkeys(unknown, ["Unknown field."]))
    return data
