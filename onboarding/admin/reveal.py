"""The reveal page: one personal-data value shown to a holder of the reveal permission, for a reason.

The value is shown once, in a response no cache may keep, and the page hides it again after
``REVEAL_SECONDS``; asking again writes another event. Other pages put ``{% reveal_control obj "field" %}``
(``onboarding.templatetags.reveal``) beside a masked value; the link shows only to holders of the permission.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from onboarding import crypto
from onboarding.errors import DomainError
from onboarding.errors import PermissionDenied as DomainPermissionDenied
from onboarding.models import Application, BankAccount, Party
from onboarding.services.actors import Actor
from onboarding.services.reveal import REVEAL_PERM, owner_of, personal_data_reveal, revealable

REVEAL_SECONDS = 30
# How each kind of holder is found from the address: its own public id, or its application's.
HOLDERS = {
    "application": lambda ref: get_object_or_404(Application, public_id=ref),
    "party": lambda ref: get_object_or_404(Party, public_id=ref),
    "bankaccount": lambda ref: get_object_or_404(BankAccount, application__public_id=ref),
}


class RevealForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=500, strip=True, label="Why you need it"
    )


def holder_ref(obj) -> tuple[str, str]:
    """The (kind, reference) that addresses ``obj`` on the reveal page."""
    kind = obj._meta.model_name
    return kind, obj.application.public_id if kind == "bankaccount" else obj.public_id


def masked(obj, field: str) -> str:
    value = getattr(obj, field)
    if value in (None, ""):
        return ""
    return crypto.MASK if field == "date_of_birth" else crypto.mask(str(value))


def readable(obj, field: str, value: str) -> str:
    """Nine stored digits as people write them: an EIN 12-3456789, an SSN or ITIN 123-45-6789."""
    if field not in ("tax_id", "id_number") or len(value) != 9 or not value.isdigit():
        return value
    if field == "tax_id" and obj.tax_id_type == "ein":
        return f"{value[:2]}-{value[2:]}"
    return f"{value[:3]}-{value[3:5]}-{value[5:]}"


@never_cache
def reveal_view(request, kind: str, ref: str, field: str):
    if kind not in HOLDERS:
        raise Http404
    if not request.user.has_perm(REVEAL_PERM):
        raise PermissionDenied
    obj = HOLDERS[kind](ref)
    try:
        target = revealable(obj, field)
    except DomainError as exc:
        raise Http404 from exc
    subject, application = owner_of(obj)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {
        **admin.site.each_context(request),
        "title": f"Reveal: {target.label}",
        "target": target,
        "subject": subject,
        "application": application,
        "masked": masked(obj, field),
        "back": back,
        "seconds": REVEAL_SECONDS,
        "value": None,
    }
    form = RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            value = personal_data_reveal(
                actor=Actor.for_user(request.user), obj=obj, field=field, reason=form.cleaned_data["reason"]
            )
            context["value"] = readable(obj, field, value)
        except DomainPermissionDenied as exc:
            raise PermissionDenied from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
    context["form"] = form
    return TemplateResponse(request, "admin/onboarding/reveal.html", context)
