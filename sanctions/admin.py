"""Thin officer screens: list versions with their age and file status, entries (read-only), hits with clear
and confirm actions (through the services, with a reason), refresh attempts. The full officer UI comes
later and calls the same services."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html_join

from onboarding.admin import ReadOnlyAdmin
from onboarding.errors import DomainError
from onboarding.services.actors import Actor
from sanctions.freshness import list_age_days, list_is_stale
from sanctions.hits import hit_clear, hit_confirm
from sanctions.models import (
    EmbargoedJurisdiction,
    RefreshAttempt,
    SanctionsEntry,
    SanctionsHit,
    SanctionsListVersion,
    SanctionsProgram,
)


@admin.register(SanctionsListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "label", "source", "publish_date", "age_days", "stale", "entry_count", "is_active")
    list_filter = ("is_active", "source")
    exclude = ("delta",)
    readonly_fields = ("file_status", "delta_counts")

    @admin.display(description="Age (days)")
    def age_days(self, obj):
        return list_age_days(obj)

    @admin.display(description="Stale", boolean=True)
    def stale(self, obj):
        return list_is_stale(obj)

    @admin.display(description="Files")
    def file_status(self, obj):
        return format_html_join(
            "\n",
            "<div>{}: {} {} {}</div>",
            (
                (name, info["status"], f"({info['rows']} rows)" if info["status"] == "supplied" else "", info["label"])
                for name, info in sorted(obj.files.items())
            ),
        )

    @admin.display(description="Against the previous version")
    def delta_counts(self, obj):
        delta = obj.delta or {}
        return (
            f"previous {delta.get('previous')}: added {len(delta.get('added', []))}, "
            f"changed {len(delta.get('changed', []))}, removed {len(delta.get('removed', []))}"
        )


@admin.register(SanctionsEntry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("uid", "name", "sdn_type", "lists", "programs", "version")
    list_filter = ("sdn_type",)
    search_fields = ("=uid", "name")
    list_select_related = ("version",)


@admin.register(SanctionsProgram)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "blocking", "description")
    list_filter = ("blocking",)
    search_fields = ("code",)


@admin.register(EmbargoedJurisdiction)
class JurisdictionAdmin(ReadOnlyAdmin):
    list_display = ("key", "name", "program", "since", "ended", "as_of")


@admin.register(RefreshAttempt)
class RefreshAttemptAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "source", "status", "version", "error")
    list_filter = ("status",)


@admin.register(SanctionsHit)
class HitAdmin(ReadOnlyAdmin):
    list_display = (
        "public_id",
        "application",
        "subject_key",
        "screened_name",
        "matched_name",
        "uid",
        "score",
        "kind",
        "blocking",
        "near_miss",
        "status",
        "is_current",
    )
    list_filter = ("status", "kind", "is_current", "near_miss", "blocking")
    search_fields = ("public_id", "screened_name", "matched_name", "=uid")
    list_select_related = ("application",)
    exclude = ("screened_hash", "party_index")
    actions = ["clear_hits", "confirm_hits"]

    def _decide(self, request, queryset, service, verb):
        if "reason" not in request.POST:
            return TemplateResponse(
                request,
                "sanctions/hit_decision.html",
                {
                    **self.admin_site.each_context(request),
                    "hits": queryset,
                    "verb": verb,
                    "action": request.POST["action"],
                    "opts": self.model._meta,
                },  # fmt: skip
            )
        actor = Actor.for_user(request.user)
        done = 0
        for hit in queryset:
            try:
                service(hit=hit, actor=actor, reason=request.POST["reason"])
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{hit.public_id}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} hit(s) {verb}.")
        return None

    @admin.action(description="Clear as false positive (with a reason)")
    def clear_hits(self, request, queryset):
        return self._decide(request, queryset, hit_clear, "cleared")

    @admin.action(description="Confirm as a true match (with a reason)")
    def confirm_hits(self, request, queryset):
        return self._decide(request, queryset, hit_confirm, "confirmed")
