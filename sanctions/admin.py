"""Thin officer screens: list versions with their age, status (active, held and why, inactive), counts against
the previous version and file status, and for senior officers an action that activates a held or earlier
version (through the service, with a reason); entries (read-only), hits with clear and confirm actions
(through the services, with a reason), refresh attempts. The full officer UI comes later and calls the
same services."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html_join

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.errors import DomainError
from onboarding.services.actors import SECOND_APPROVAL_PERM, Actor
from sanctions import review_panel  # noqa: F401 (the hits on the officers' review page)
from sanctions.freshness import delta_counts, held_version, list_age_days, list_is_stale
from sanctions.hits import hit_clear, hit_confirm
from sanctions.loading import list_version_activate
from sanctions.models import (
    EmbargoedJurisdiction,
    RefreshAttempt,
    SanctionsEntry,
    SanctionsHit,
    SanctionsListVersion,
    SanctionsProgram,
)
from sanctions.programs import REASON_MAX_LENGTH, hits_in_program, program_set_blocking


@admin.register(SanctionsListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "public_id",
        "label",
        "source",
        "publish_date",
        "age_days",
        "stale",
        "entry_count",
        "status",
        "delta_counts",
        "loaded_at",
        "status_at",
        "status_reason",
    )
    list_filter = ("status", "source")
    exclude = ("delta",)
    readonly_fields = ("file_status", "delta_counts")
    actions = ["activate_version"]

    def changelist_view(self, request, extra_context=None):
        held = held_version()
        if held is not None and request.method == "GET":
            counts = delta_counts(held)
            self.message_user(
                request,
                f"{held.public_id} (loaded {held.loaded_at:%Y-%m-%d %H:%M} UTC) is held, not active: it "
                f"{held.status_reason}. Against {counts['previous']}: added {counts['added']}, changed "
                f"{counts['changed']}, removed {counts['removed']}. A senior officer decides whether to activate it.",
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def has_activate_permission(self, request) -> bool:
        return request.user.has_perm(SECOND_APPROVAL_PERM)

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
        counts = delta_counts(obj)
        return (
            f"previous {counts['previous']}: added {counts['added']}, changed {counts['changed']}, "
            f"removed {counts['removed']}"
        )

    @admin.action(description="Activate this version (with a reason)", permissions=["activate"])
    def activate_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one version to activate.", messages.ERROR)
            return None
        version = queryset.get()
        if "reason" not in request.POST:
            return TemplateResponse(
                request,
                "sanctions/list_version_activate.html",
                {
                    **self.admin_site.each_context(request),
                    "version": version,
                    "counts": delta_counts(version),
                    "action": request.POST["action"],
                    "opts": self.model._meta,
                },
            )
        try:
            activation = list_version_activate(
                version=version, actor=Actor.for_user(request.user), reason=request.POST["reason"]
            )
        except DomainError as exc:
            self.message_user(request, f"{version.public_id}: {exc.message}", messages.ERROR)
            return None
        self.message_user(request, activation.summary())
        return None


@admin.register(SanctionsEntry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("uid", "name", "sdn_type", "lists", "programs", "version")
    list_filter = ("sdn_type",)
    search_fields = ("=uid", "name")
    list_select_related = ("version",)


class ProgramChangeForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), max_length=REASON_MAX_LENGTH)


@admin.register(SanctionsProgram)
class ProgramAdmin(ReadOnlyAdmin):
    """Read-only: whether a program blocks changes only through the service (a reason, an event, the
    re-screen of the affected hits)."""

    list_display = ("code", "blocking", "description")
    list_filter = ("blocking",)
    search_fields = ("code",)
    actions = ["make_blocking", "make_restricting"]

    def has_change_blocking_permission(self, request) -> bool:
        return request.user.has_perm(SECOND_APPROVAL_PERM)

    def _change(self, request, queryset, blocking: bool):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one program.", messages.ERROR)
            return None
        program = queryset.get()
        form = ProgramChangeForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "sanctions/program_blocking.html",
                {
                    **self.admin_site.each_context(request),
                    "program": program,
                    "blocking": blocking,
                    "affected": len(hits_in_program(program.code)[1]),
                    "form": form,
                    "action": request.POST["action"],
                    "opts": self.model._meta,
                },
            )
        try:
            program_set_blocking(
                program=program,
                blocking=blocking,
                actor=Actor.for_user(request.user),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            self.message_user(request, f"{program.code}: {exc.message}", messages.ERROR)
            return None
        self.message_user(request, f"{program.code} is now {'blocking' if blocking else 'restricting'}; "
                                   "the applications with hits on its entries are being screened again.")  # fmt: skip
        return None

    @admin.action(description="Make blocking (with a reason)", permissions=["change_blocking"])
    def make_blocking(self, request, queryset):
        return self._change(request, queryset, True)

    @admin.action(description="Make restricting (with a reason)", permissions=["change_blocking"])
    def make_restricting(self, request, queryset):
        return self._change(request, queryset, False)


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
