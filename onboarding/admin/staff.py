"""Staff accounts, role groups and authenticators.

Access (active, staff, superuser, role groups) changes only through ``staff_accounts.user_access_update``,
which records who changed whose access and refuses a change of one's own; on one's own account those fields
are shown read-only, with the reason. An account made here is a staff account; merchants' accounts are
read-only here to all but a superuser. Rights come from the role groups alone: no per-user permissions here,
and the groups' permissions are read-only for everyone but a superuser (``onboarding.roles`` defines them).
Authenticators are listed without their secrets, and nobody edits one here.
"""

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.errors import DomainError
from onboarding.services.actors import Actor
from onboarding.services.staff_accounts import OWN_ACCESS_REFUSED, Access, access_change_refusal, user_access_update

ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "groups")
STAFF_WITHOUT_ROLE = Access(is_active=True, is_staff=True, is_superuser=False, groups=frozenset())


def wanted_access(user, cleaned: dict) -> Access:
    """The access a submitted form asks for; a field the form did not offer keeps its current value."""
    current = Access.of(user)
    groups = cleaned.get("groups")
    return Access(
        is_active=cleaned.get("is_active", current.is_active),
        is_staff=cleaned.get("is_staff", current.is_staff),
        is_superuser=cleaned.get("is_superuser", current.is_superuser),
        groups=current.groups if groups is None else frozenset(group.name for group in groups),
    )


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ACCESS_FIELDS}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    filter_horizontal = ("groups",)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += ACCESS_FIELDS
        elif not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    def has_change_permission(self, request, obj=None):
        # Only a superuser touches a superuser's account (its password included), or a merchant's: a
        # merchant's email address and password are theirs to change (allauth verifies the new address).
        if obj is not None and not request.user.is_superuser and (obj.is_superuser or not obj.is_staff):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # staff leave by being deactivated: their name stays on the decisions they made

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and str(request.user.pk) == str(object_id):
            messages.warning(request, OWN_ACCESS_REFUSED)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form  # the add form holds the name and password only; access is given afterwards
        actor = Actor.for_user(request.user)

        class AccessCheckedForm(form):
            def clean(self):
                cleaned = super().clean()
                refusal = access_change_refusal(actor=actor, user=self.instance, wanted=wanted_access(obj, cleaned))
                if refusal:
                    raise forms.ValidationError(refusal)
                return cleaned

        return AccessCheckedForm

    def save_model(self, request, obj, form, change):
        if change:
            # The form set the access fields on obj; they are stored by the service in save_related.
            stored = type(obj).objects.get(pk=obj.pk)
            obj.is_active, obj.is_staff, obj.is_superuser = stored.is_active, stored.is_staff, stored.is_superuser
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        # An account made here is a staff account, without a role until one is given on its change page.
        wanted = wanted_access(form.instance, form.cleaned_data) if change else STAFF_WITHOUT_ROLE
        try:
            user_access_update(actor=Actor.for_user(request.user), user=form.instance, wanted=wanted)
        except DomainError as error:
            messages.error(request, error.message)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = AllauthAuthenticatorAdmin.list_display
    list_filter = AllauthAuthenticatorAdmin.list_filter
    list_select_related = ("user",)
    search_fields = ("user__username",)
    exclude = ("data",)
