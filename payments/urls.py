from django.urls import path

from payments import web, webhooks

urlpatterns = [
    path("terminals/<str:public_id>/device/", web.terminal_device, name="terminal-device"),
    path("webhooks/acquirer/", webhooks.acquirer_webhook, name="acquirer-webhook"),
]
