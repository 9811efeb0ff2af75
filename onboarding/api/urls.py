"""``/api/v1/``: the partner API, its schema, and the docs (``/api/docs/``, served locally)."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from onboarding.api import applications, documents, events, onboarding_links, reads, webhook_endpoints
from onboarding.api.routes import registered_api_routes

ID = "<str:public_id>"

v1 = [
    path("applications", applications.ApplicationListView.as_view(), name="api-applications"),
    path(f"applications/{ID}", applications.ApplicationDetailView.as_view(), name="api-application"),
    path(f"applications/{ID}/submit", applications.ApplicationSubmitView.as_view(), name="api-application-submit"),
    path(
        f"applications/{ID}/withdraw", applications.ApplicationWithdrawView.as_view(), name="api-application-withdraw"
    ),
    path(
        f"applications/{ID}/information_request/answer",
        applications.ApplicationAnswerView.as_view(),
        name="api-application-answer",
    ),
    path(f"applications/{ID}/documents", documents.DocumentListView.as_view(), name="api-application-documents"),
    path(f"applications/{ID}/requirements", reads.RequirementsView.as_view(), name="api-application-requirements"),
    path(f"applications/{ID}/events", reads.EventListView.as_view(), name="api-application-events"),
    path(
        f"applications/{ID}/onboarding_links",
        onboarding_links.OnboardingLinkCreateView.as_view(),
        name="api-application-onboarding-links",
    ),
    path("merchants", reads.MerchantListView.as_view(), name="api-merchants"),
    path(f"merchants/{ID}", reads.MerchantDetailView.as_view(), name="api-merchant"),
    path("webhook_endpoints", webhook_endpoints.WebhookEndpointListView.as_view(), name="api-webhook-endpoints"),
    path(f"webhook_endpoints/{ID}", webhook_endpoints.WebhookEndpointDetailView.as_view(), name="api-webhook-endpoint"),
    path(
        f"webhook_endpoints/{ID}/ping",
        webhook_endpoints.WebhookEndpointPingView.as_view(),
        name="api-webhook-endpoint-ping",
    ),
    path(
        f"webhook_endpoints/{ID}/deliveries",
        webhook_endpoints.WebhookDeliveryListView.as_view(),
        name="api-webhook-endpoint-deliveries",
    ),
    path("events", events.PartnerEventListView.as_view(), name="api-events"),
]

# Swagger UI and Redoc style their pages inline and Redoc renders in a worker: allowed on these two pages
# only. Their scripts still come from the portal's own static files (drf-spectacular-sidecar).
docs_policy = csp_update({"style-src": ["'self'", "'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("docs/redoc/", docs_policy(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    # Other apps' routes (payments: terminals) are registered from their ready(), before this is imported.
    path("v1/", include(v1 + registered_api_routes())),
]
