from django.urls import include, path

from onboarding import views
from onboarding.web import status

urlpatterns = [
    path("", views.merchant_home, name="merchant-home"),
    path("", include("onboarding.web.urls")),
    path("applications/<str:public_id>/", status.application_detail, name="application-detail"),
]
