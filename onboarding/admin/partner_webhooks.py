"""Partners' webhook endpoints (the signing secret is shown once, on the page after creating one or rolling
its secret) and the delivery log: every event owed to every endpoint, with its attempts, and sending again."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.errors import DomainError, ValidationFailed
from onboarding.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from onboarding.services.actors import Actor
from onboarding.services.webhook_deliveries import RESEND_PERM, webhook_delivery_resend
from onboarding.services.webhook_endpoints import (
    MAX_ROLL_OVERLAP_HOURS,
    webhook_endpoint_check,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_ping,
    webhook_endpoint_roll_secret,
    webhook_endpoint_update,
)
from onboarding.webhooks_out.event_types import partner_event_types


def _type_choices() -> list[tuple[str, str]]:
    return [("*", "Every event type"), *((name, name) for name in sorted(partner_event_types()))]


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    event_types = forms.MultipleChoiceField(choices=_type_choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookEndpoint
        fields = ("partner", "livemode", "url", "event_types", "description", "enabled")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the partner and the mode are fixed once created
            for name in ("partner", "livemode"):
                self.fields.pop(name, None)
        else:
            self.fields.pop("enabled", None)

    def clean(self):
        data = super().clean()
        livemode = data.get("livemode") if not self.instance.pk else self.instance.livemode
        try:
            webhook_endpoint_check(
                url=data.get("url"),
                event_types=data.get("event_types"),
                description=data.get("description", ""),
                livemode=bool(livemode),
            )
        except ValidationFailed as exc:
            for field, problems in exc.fields.items():
                name = field.split("[", 1)[0]
                self.add_error(name if name in self.fields else None, problems)
        return data

    def _post_clean(self):
        pass  # the services write the row; the model's own validation would refuse the encrypted secret's absence


class RollSecretForm(forms.Form):
    expires_in_hours = forms.IntegerField(
        label="Hours the current secret keeps signing beside the new one",
        min_value=0,
        max_value=MAX_ROLL_OVERLAP_HOURS,
        initial=24,
        help_text=f"0 stops it at once; {MAX_ROLL_OVERLAP_HOURS} (a week) at most.",
    )


def secret_page(request, admin_site, endpoint: WebhookEndpoint, secret: str, *, rolled: bool) -> TemplateResponse:
    """The one page that shows a secret: rendered, never redirected to, so the secret is in no message store
    or URL (the admin's views are never cached: no-store, this page with them)."""
    context = {
        **admin_site.each_context(request),
        "title": "Signing secret rolled" if rolled else "Webhook endpoint created",
        "endpoint": WebhookEndpoint.objects.select_related("partner").get(pk=endpoint.pk),
        "secret": secret,
        "rolled": rolled,
        "back": reverse("admin:onboarding_webhookendpoint_changelist"),
    }
    return TemplateResponse(request, "admin/onboarding/webhookendpoint/secret.html", context)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("public_id", "partner", "url", "livemode", "enabled", "event_types", "created_at", "deleted_at")
    list_filter = ("livemode", "enabled")
    search_fields = ("public_id", "url", "partner__name", "partner__public_id")
    actions = ["ping", "roll_secret", "delete_endpoints"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("public_id", "partner", "livemode", "previous_secret_expires_at", "created_at", "deleted_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("partner", "livemode", "url", "event_types", "description")
        return ("public_id", "partner", "livemode", "url", "event_types", "description", "enabled",
                "previous_secret_expires_at", "created_at", "deleted_at")  # fmt: skip

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        return False  # deleting keeps the row (see the action)

    def save_model(self, request, obj, form, change):
        actor = Actor.for_user(request.user)
        data = form.cleaned_data
        if change:
            webhook_endpoint_update(
                endpoint=obj,
                actor=actor,
                url=data["url"],
                event_types=list(data["event_types"]),
                description=data.get("description", ""),
                enabled=data.get("enabled"),
            )
            return
        endpoint, secret = webhook_endpoint_create(
            partner=data["partner"],
            actor=actor,
            url=data["url"],
            event_types=list(data["event_types"]),
            livemode=data.get("livemode", False),
            description=data.get("description", ""),
        )
        obj.pk, obj.public_id = endpoint.pk, endpoint.public_id
        request.webhook_endpoint_secret = secret

    def save_related(self, request, form, formsets, change):
        pass  # no relations beyond the partner, which the service wrote

    def response_add(self, request, obj, post_url_continue=None):
        return secret_page(request, self.admin_site, obj, request.webhook_endpoint_secret, rolled=False)

    @admin.action(description="Send a test ping", permissions=["change"])
    def ping(self, request, queryset):
        for endpoint in queryset:
            try:
                delivery = webhook_endpoint_ping(endpoint=endpoint, actor=Actor.for_user(request.user))
            except DomainError as exc:
                self.message_user(request, f"{endpoint.public_id}: {exc.message}", level=messages.ERROR)
                continue
            answer = delivery.last_status_code or delivery.last_error or "no answer"
            level = messages.SUCCESS if delivery.status == WebhookDelivery.Status.SUCCEEDED else messages.WARNING
            self.message_user(request, f"{endpoint.public_id}: ping answered {answer}", level=level)

    @admin.action(description="Roll the signing secret (the new one is shown once)", permissions=["change"])
    def roll_secret(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one endpoint: its new secret is shown once.", messages.ERROR)
            return None
        endpoint = queryset.select_related("partner").get()
        form = RollSecretForm(request.POST if "expires_in_hours" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Roll the signing secret",
                "endpoint": endpoint,
                "earlier_secret_valid": len(endpoint.signing_secrets()) > 1,
                "form": form,
                "action": request.POST["action"],
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/onboarding/webhookendpoint/roll_secret.html", context)
        try:
            endpoint, secret = webhook_endpoint_roll_secret(
                endpoint=endpoint,
                actor=Actor.for_user(request.user),
                expires_in_hours=form.cleaned_data["expires_in_hours"],
            )
        except DomainError as exc:
            self.message_user(request, f"{endpoint.public_id}: {exc.message}", level=messages.ERROR)
            return None
        return secret_page(request, self.admin_site, endpoint, secret, rolled=True)

    @admin.action(description="Delete (it receives nothing more; its log stays)", permissions=["change"])
    def delete_endpoints(self, request, queryset):
        for endpoint in queryset:
            webhook_endpoint_delete(endpoint=endpoint, actor=Actor.for_user(request.user))
        self.message_user(request, f"{queryset.count()} endpoint(s) deleted.")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "type", "partner", "livemode", "object_id", "created_at")
    list_filter = ("type", "livemode")
    search_fields = ("public_id", "object_id", "partner__name")
    readonly_fields = ("public_id", "type", "partner", "livemode", "object_id", "application", "created_at", "data")
    actions = None


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "started_at", "outcome", "response_status", "duration_ms", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "event_type", "endpoint", "status", "attempt_count", "last_status_code",
                    "next_attempt_at", "delivered_at", "created_at")  # fmt: skip
    list_filter = ("status", "event__type", "endpoint__livemode")
    search_fields = ("public_id", "event__public_id", "event__object_id", "endpoint__public_id", "endpoint__url")
    list_select_related = ("event", "endpoint")
    fields = ("public_id", "event", "endpoint", "status", "attempt_count", "last_status_code", "last_error",
              "retry_from", "next_attempt_at", "delivered_at", "created_at")  # fmt: skip
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["resend"]

    @admin.display(description="event type", ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.type

    @admin.action(description="Send again now", permissions=["resend"])
    def resend(self, request, queryset):
        for delivery in queryset:
            try:
                webhook_delivery_resend(delivery=delivery, actor=Actor.for_user(request.user))
                self.message_user(request, f"{delivery.public_id} is sent again.")
            except DomainError as exc:
                self.message_user(request, f"{delivery.public_id}: {exc.message}", level=messages.ERROR)

    def has_resend_permission(self, request):
        return request.user.has_perm(RESEND_PERM)
