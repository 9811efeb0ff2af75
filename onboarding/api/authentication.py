"""``Authorization: Bearer sk_test_…|sk_live_…``: the partner and the mode of its key.

The key decides the mode of everything the request reads and writes: a test key sees and creates only
test data (``livemode`` false), a live key only live data. A missing, malformed, unknown or revoked key is
a 401 whose body says which, without ever echoing the secret."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from onboarding.models import Partner, PartnerApiKey
from onboarding.services.actors import Actor
from onboarding.services.partners import partner_authenticate


@dataclass(frozen=True)
class PartnerPrincipal:
    """What ``request.user`` is on the partner API."""

    partner: Partner
    api_key: PartnerApiKey

    # DRF sets the Django request's user too, which middleware reads: a partner is never staff.
    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    @property
    def livemode(self) -> bool:
        return self.api_key.mode == PartnerApiKey.Mode.LIVE

    @property
    def actor(self) -> Actor:
        return Actor.for_partner(self.partner)


class NotAuthenticated(exceptions.NotAuthenticated):
    default_detail = _("Give your API key as 'Authorization: Bearer sk_test_…' or 'Bearer sk_live_…'.")


class InvalidApiKey(exceptions.AuthenticationFailed):
    default_detail = _("The API key is not valid: it is unknown, revoked, or its partner is inactive.")
    default_code = "invalid_api_key"


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != self.keyword.lower() or not secret.strip() or " " in secret.strip():
            raise exceptions.AuthenticationFailed(
                _("Malformed Authorization header: use 'Authorization: Bearer <your API key>'."),
                code="malformed_authorization",
            )
        found = partner_authenticate(secret=secret.strip())
        if found is None:
            raise InvalidApiKey()
        partner, api_key = found
        # For the request's log line (onboarding.api.request_id): the key's public id, never its secret.
        request._request.partner_api_key = api_key
        return PartnerPrincipal(partner=partner, api_key=api_key), api_key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
