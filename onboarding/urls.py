from django.urls import path

from onboarding import views

urlpatterns = [
    path("", views.merchant_home, name="merchant-home"),
    path("applications/<str:public_id>/", views.application_detail, name="application-detail"),
]
