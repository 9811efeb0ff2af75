from django.urls import include, path

from onboarding import views

urlpatterns = [
    path("", views.merchant_home, name="merchant-home"),
    path("", include("onboarding.web.urls")),
    path("applications/<str:public_id>/", views.application_detail, name="application-detail"),
]
