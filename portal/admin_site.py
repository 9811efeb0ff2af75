"""The portal's admin site: branded as the portal, for active staff only, signing in through allauth.

Its login page is allauth's (``/accounts/login/``), so the admin shares the portal's rate limits, its
authenticator step and the staff MFA rule (``onboarding.staff_security``); Django's own admin login form,
which knows none of them, is never shown. A signed-in user who is not active staff is refused (403), not
sent round to a sign-in page they have already passed.
"""

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from onboarding.accounts import SITE_NAME


class PortalAdminSite(AdminSite):
    site_header = f"{SITE_NAME} — merchant onboarding compliance"
    site_title = f"{SITE_NAME} compliance"
    index_title = "Compliance review"
    site_url = "/"
    # The queue and the review page need the width at 1280 px; the breadcrumbs and the index lead back.
    enable_nav_sidebar = False

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def login(self, request, extra_context=None):
        wanted = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
            wanted = ""
        wanted = wanted or reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return redirect(wanted)
        if request.user.is_authenticated:
            raise PermissionDenied("The admin is for staff.")
        return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: wanted})}")
