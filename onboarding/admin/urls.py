"""The officers' pages under /admin/ that are not one model's: reveal, documents, the examiner's export.
Each goes through the admin site's own gate (staff, signed in) before its permission check."""

from django.contrib import admin
from django.urls import path

from onboarding.admin.documents import document_view
from onboarding.admin.export import export_range_view
from onboarding.admin.reveal import reveal_view

app_name = "officer"

urlpatterns = [
    path("reveal/<str:kind>/<str:ref>/<str:field>/", admin.site.admin_view(reveal_view), name="reveal"),
    path("documents/<str:public_id>/", admin.site.admin_view(document_view), name="document"),
    path("export/", admin.site.admin_view(export_range_view), name="export"),
]
