"""The examiner's export from the admin: an action on selected applications, and a form for a date range.
Both hand the ZIP over as a download that no cache keeps, streamed from the file the service wrote (never
read whole into memory); the service checks the permission and records it."""

import datetime
from typing import BinaryIO

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from onboarding.errors import DomainError
from onboarding.errors import PermissionDenied as DomainPermissionDenied
from onboarding.services.actors import Actor
from onboarding.services.export import EXPORT_PERM, ExportScope, audit_export_build

MAX_RANGE_DAYS = 366


def zip_response(archive: BinaryIO, name: str) -> FileResponse:
    """Streams ``archive`` a block at a time and closes it when done (or when the client goes away)."""
    response = FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@admin.action(description="Export for an examiner (ZIP of CSV and JSON)", permissions=["review"])
def export_for_examiner(modeladmin, request, queryset):
    applications = list(queryset.order_by("id"))
    try:
        archive = audit_export_build(actor=Actor.for_user(request.user), scope=ExportScope(applications=applications))
    except DomainError as exc:
        modeladmin.message_user(request, exc.message, messages.ERROR)
        return None
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name = applications[0].public_id if len(applications) == 1 else f"{len(applications)}-applications"
    return zip_response(archive, f"audit-{name}-{stamp}.zip")


class DateRangeForm(forms.Form):
    since = forms.DateField(label="From (UTC, inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To (UTC, inclusive)", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until:
            if until < since:
                raise forms.ValidationError("The end of the range comes before its start.")
            if (until - since).days >= MAX_RANGE_DAYS:
                raise forms.ValidationError(f"Export at most {MAX_RANGE_DAYS} days at a time.")
        return cleaned

    def window(self) -> tuple[datetime.datetime, datetime.datetime]:
        start = datetime.datetime.combine(self.cleaned_data["since"], datetime.time.min, tzinfo=datetime.UTC)
        end = datetime.datetime.combine(self.cleaned_data["until"], datetime.time.min, tzinfo=datetime.UTC)
        return start, end + datetime.timedelta(days=1)


@never_cache
def export_range_view(request):
    if not request.user.has_perm(EXPORT_PERM):
        raise PermissionDenied
    form = DateRangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        since, until = form.window()
        try:
            archive = audit_export_build(
                actor=Actor.for_user(request.user), scope=ExportScope(since=since, until=until)
            )
        except DomainPermissionDenied as exc:
            raise PermissionDenied from exc
        name = f"audit-{form.cleaned_data['since']:%Y%m%d}-{form.cleaned_data['until']:%Y%m%d}.zip"
        return zip_response(archive, name)
    context = {**admin.site.each_context(request), "title": "Export the audit trail for a date range", "form": form}
    return TemplateResponse(request, "admin/onboarding/export_range.html", context)
