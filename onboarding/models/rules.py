"""Rules as versioned data: wallet eligibility, risk scoring and the decision policy.

A version is never changed once stored: an edit (through ``onboarding.services.kyc_rules``) stores a
new version, and results (check results, risk scores) name the version they used, so any of them can
be explained and replayed later. The highest version of each is the one in force.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from onboarding.models.application import Application, RiskBand


class EligibilityOutcome(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    REVIEW = "review", "Needs review"
    INELIGIBLE = "ineligible", "Not eligible"


class VersionedRuleSet(models.Model):
    version = models.PositiveIntegerField(unique=True)
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} v{self.version}"


class EligibilityRuleSet(VersionedRuleSet):
    digest = models.CharField(max_length=64, help_text="SHA-256 of the rules, to tell an unchanged table")

    class Meta(VersionedRuleSet.Meta):
        verbose_name = "eligibility rule set"


class EligibilityRule(models.Model):
    """One row: where wallet, channel, acquirer, MCC and state match, the outcome applies (blank = any)."""

    class MccMatch(models.TextChoices):
        IN = "in", "MCC in the list (empty list: any MCC)"
        NOT_IN = "not_in", "MCC not in the list"

    rule_set = models.ForeignKey(EligibilityRuleSet, on_delete=models.PROTECT, related_name="rules")
    position = models.PositiveIntegerField(default=0)
    wallet = models.CharField(max_length=12, blank=True)
    channel = models.CharField(max_length=8, blank=True)
    acquirer = models.CharField(max_length=20, blank=True)
    mccs = models.JSONField(default=list, blank=True)
    mcc_match = models.CharField(max_length=6, choices=MccMatch.choices, default=MccMatch.IN)
    states = models.JSONField(default=list, blank=True, help_text="US state codes; empty: any state")
    outcome = models.CharField(max_length=10, choices=EligibilityOutcome.choices)
    reason = models.CharField(max_length=400)
    source = models.CharField(max_length=400)

    class Meta:
        ordering = ["rule_set", "position"]

    def __str__(self) -> str:
        return f"{self.wallet or 'any wallet'} / {self.channel or 'any channel'}: {self.outcome}"


class RiskRuleSet(VersionedRuleSet):
    medium_from = models.PositiveSmallIntegerField(help_text="Scores from here are medium risk")
    high_from = models.PositiveSmallIntegerField(help_text="Scores from here are high risk")

    class Meta(VersionedRuleSet.Meta):
        verbose_name = "risk rule set"
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_from__gt=0) & Q(high_from__gt=F("medium_from")) & Q(high_from__lte=100),
                name="risk_bands_ordered",
            )
        ]


class RiskField(models.TextChoices):
    MCC = "mcc", "Merchant category code"
    CATEGORY_RISK = "category_risk", "Category risk (low, medium, high)"
    ENTITY_TYPE = "entity_type", "Entity type"
    MONTHLY_VOLUME_USD = "monthly_volume_usd", "Expected monthly volume (USD)"
    AVERAGE_TICKET_USD = "average_ticket_usd", "Average ticket (USD)"
    BUSINESS_AGE_MONTHS = "business_age_months", "Business age in months"
    SANCTIONS_NEAR_MISSES = "sanctions_near_misses", "Sanctions near misses"
    NAME_MISMATCH = "name_mismatch", "Bank holder name mismatch"
    DUPLICATES_FOUND = "duplicates_found", "Duplicates found elsewhere"
    HIGHER_RISK_JURISDICTION_COUNT = "higher_risk_jurisdiction_count", "Higher-risk jurisdictions linked"
    HIGHER_RISK_JURISDICTIONS = "higher_risk_jurisdictions", "Higher-risk jurisdictions (codes)"
    STATE = "state", "Business state"


class RiskOperator(models.TextChoices):
    EQ = "eq", "equals"
    NE = "ne", "does not equal"
    GT = "gt", "greater than"
    GTE = "gte", "at least"
    LT = "lt", "less than"
    LTE = "lte", "at most"
    IN = "in", "one of"
    NOT_IN = "not_in", "none of"
    BETWEEN = "between", "between (inclusive)"


class RiskRule(models.Model):
    rule_set = models.ForeignKey(RiskRuleSet, on_delete=models.PROTECT, related_name="rules")
    position = models.PositiveIntegerField(default=0)
    field = models.CharField(max_length=40, choices=RiskField.choices)
    operator = models.CharField(max_length=8, choices=RiskOperator.choices)
    value = models.JSONField(blank=True, null=True)
    weight = models.SmallIntegerField()
    reason = models.CharField(max_length=300, help_text="What the officer reads when the rule applies")

    class Meta:
        ordering = ["rule_set", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=-100) & Q(weight__lte=100), name="risk_weight_in_range")
        ]

    def __str__(self) -> str:
        return f"{self.field} {self.operator} {self.value!r}: {self.weight:+d}"


class RiskScore(models.Model):
    """A score with the rule-set version and the exact inputs it used, so it can be replayed."""

    Band = RiskBand

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="risk_scores")
    rule_set = models.ForeignKey(RiskRuleSet, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=6, choices=Band.choices)
    inputs = models.JSONField()
    factors = models.JSONField(default=list)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(is_current=True), name="one_current_risk_score"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="risk_score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.score} ({self.band})"


class DecisionPolicy(VersionedRuleSet):
    auto_approve_enabled = models.BooleanField(
        default=True, help_text="Off: every application goes to an officer, however clean"
    )
    decline_on_fail = models.BooleanField(
        default=False, help_text="A failed declining check declines; off: it goes to an officer"
    )
    declining_checks = models.JSONField(
        default=list, blank=True, help_text="Checks whose fail declines (when decline_on_fail is on)"
    )

    class Meta(VersionedRuleSet.Meta):
        verbose_name = "decision policy"
        verbose_name_plural = "decision policies"
