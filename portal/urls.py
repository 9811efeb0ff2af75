from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path

from onboarding import accounts
from portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("onboarding.api.urls")),
    path("admin/", include("onboarding.admin.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("accounts/", accounts.account_overview, name="account-overview"),
    path("accounts/", include("allauth.urls")),
    # The names Django's own login views had, for code that still reverses them: allauth's pages.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("", include("payments.urls")),
    path("", include("onboarding.urls")),
]
