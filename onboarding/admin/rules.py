"""Admin for the versioned KYC rules. Stored versions are read-only; "Add" opens a copy of the version in
force, and saving it stores the next version through the services (never by editing old rows)."""

from django import forms
from django.contrib import admin, messages

from onboarding.errors import DomainError
from onboarding.kyc import eligibility, policy, risk
from onboarding.models import (
    DecisionPolicy,
    EligibilityRule,
    EligibilityRuleSet,
    RiskRule,
    RiskRuleSet,
    RiskScore,
)
from onboarding.services import kyc_rules
from onboarding.services.actors import Actor

RISK_RULE_FIELDS = ("field", "operator", "value", "weight", "reason")


class VersionReadOnly(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    fields = ("wallet", "channel", "acquirer", "mcc_match", "mccs", "states", "outcome", "reason", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EligibilityRuleSet)
class EligibilityRuleSetAdmin(VersionReadOnly):
    list_display = ("version", "note", "created_at", "created_by")
    readonly_fields = ("version", "digest", "note", "created_at", "created_by")
    inlines = [EligibilityRuleInline]

    def has_add_permission(self, request):
        return False  # the table changes in its data file: `manage.py apply_eligibility_changes`

    def get_queryset(self, request):
        eligibility.rule_set_current()
        return super().get_queryset(request)


class RiskRuleForm(forms.ModelForm):
    """Shows a bad rule's problems beside it, before anything is stored."""

    class Meta:
        model = RiskRule
        fields = RISK_RULE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.has_changed() and not self.initial:
            return cleaned
        for message in kyc_rules.risk_rule_errors({name: cleaned.get(name) for name in RISK_RULE_FIELDS}):
            self.add_error(None, message)
        return cleaned


class RiskRuleSetForm(forms.ModelForm):
    class Meta:
        model = RiskRuleSet
        fields = ("medium_from", "high_from", "note")

    def clean(self):
        cleaned = super().clean()
        for message in kyc_rules.threshold_errors(cleaned.get("medium_from"), cleaned.get("high_from")):
            self.add_error(None, message)
        return cleaned


class RiskRuleInline(admin.TabularInline):
    model = RiskRule
    form = RiskRuleForm
    fields = RISK_RULE_FIELDS
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None  # rows are only written as part of a new version

    def has_delete_permission(self, request, obj=None):
        return obj is None


@admin.register(RiskRuleSet)
class RiskRuleSetAdmin(VersionReadOnly):
    form = RiskRuleSetForm
    list_display = ("version", "medium_from", "high_from", "note", "created_at", "created_by")
    fields = ("medium_from", "high_from", "note")
    inlines = [RiskRuleInline]

    def get_queryset(self, request):
        risk.rule_set_current()
        return super().get_queryset(request)

    def get_changeform_initial_data(self, request):
        current = risk.rule_set_current()
        return {"medium_from": current.medium_from, "high_from": current.high_from}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is None or obj.pk is None:
            kwargs["initial"] = risk.rules_as_data(risk.rule_set_current())
        return kwargs

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is None:
            for inline in inlines:
                inline.extra = len(risk.rules_as_data(risk.rule_set_current()))
        return inlines

    def save_model(self, request, obj, form, change):
        pass  # stored with its rules in save_related, through the service

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"added": {}}]  # the rows were written by the service, not by the formsets

    def save_related(self, request, form, formsets, change):
        rules = [
            {name: f.cleaned_data.get(name) for name in RISK_RULE_FIELDS}
            for formset in formsets
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            new = kyc_rules.risk_rules_revise(
                actor=Actor.for_user(request.user),
                rules=rules,
                medium_from=form.cleaned_data["medium_from"],
                high_from=form.cleaned_data["high_from"],
                note=form.cleaned_data.get("note") or "",
            )
        except DomainError as error:
            messages.error(request, str(error))
            raise
        form.instance.pk, form.instance.version = new.pk, new.version


@admin.register(RiskScore)
class RiskScoreAdmin(VersionReadOnly):
    list_display = ("application", "score", "band", "rule_set", "is_current", "created_at")
    list_filter = ("band", "is_current")
    readonly_fields = ("application", "rule_set", "score", "band", "inputs", "factors", "is_current", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(DecisionPolicy)
class DecisionPolicyAdmin(VersionReadOnly):
    list_display = ("version", "auto_approve_enabled", "decline_on_fail", "declining_checks", "created_at")
    fields = ("auto_approve_enabled", "decline_on_fail", "declining_checks", "note")

    def get_queryset(self, request):
        policy.policy_current()
        return super().get_queryset(request)

    def get_changeform_initial_data(self, request):
        current = policy.policy_current()
        return {name: getattr(current, name) for name in policy.POLICY_FIELDS}

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in policy.POLICY_FIELDS}
        new = kyc_rules.decision_policy_revise(
            actor=Actor.for_user(request.user), note=form.cleaned_data.get("note") or "", **values
        )
        obj.pk, obj.version = new.pk, new.version
