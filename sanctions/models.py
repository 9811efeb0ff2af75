"""Sanctions list versions, their entries, programs and embargoed jurisdictions, refresh attempts and hits.

A list version is kept unchanged once loaded (screening records are kept ten years, OFAC): only its
status moves (active, held for an officer, inactive), the ``is_active`` flag follows it (a check
constraint), and a partial unique constraint keeps at most one version active. A hit records
what was screened (a keyed hash of the screened values, never the values' ciphertext) against what
(list version, entry uid and the entry's content hash, algorithm version), so an examiner can replay it.

Model names match the subjects that the event-retention purge keeps for ten years
(``sanctionslistversion``, ``sanctionsentry``, ``sanctionsprogram``, ``sanctionshit``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from onboarding.ids import PublicIdField


class SanctionsListVersion(models.Model):
    class Source(models.TextChoices):
        BUNDLED = "bundled", "Bundled with the portal"
        FOLDER = "folder", "Files in a folder"
        URL = "url", "Downloaded"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        HELD = "held", "Held for a senior officer"
        INACTIVE = "inactive", "Inactive"

    public_id = PublicIdField(prefix="slv")
    source = models.CharField(max_length=10, choices=Source.choices)
    source_detail = models.CharField(max_length=500, blank=True, help_text="Folder or base address")
    label = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64, unique=True, help_text="sha256 over the supplied files' digests")
    publish_date = models.DateField(help_text="The list's publication date (this old or older for stale copies)")
    loaded_at = models.DateTimeField(auto_now_add=True)
    #: file name -> {"status": supplied|not_supplied, "list", "part", "sha256", "rows", "orphan_rows", "label"}
    files = models.JSONField(default=dict)
    entry_count = models.PositiveIntegerField(default=0)
    #: {"by_type": {...}, "by_list": {...}}
    counts = models.JSONField(default=dict)
    #: against the version active before: {"previous", "added", "changed", "removed", "notes"} (uid lists)
    delta = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INACTIVE)
    status_at = models.DateTimeField(null=True, blank=True, help_text="When the status last changed")
    status_reason = models.TextField(
        blank=True, help_text="Why it is held, or the senior officer's reason for activating it"
    )

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = "sanctions list version"
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_list_version"),
            models.CheckConstraint(
                condition=Q(is_active=True, status="active") | Q(is_active=False, status__in=["held", "inactive"]),
                name="list_version_status_matches_active_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.public_id})"

    def is_newer_than(self, other: "SanctionsListVersion") -> bool:
        """Loaded after ``other`` (the load order, not the publish date, says which list came later)."""
        return (self.loaded_at, self.pk) > (other.loaded_at, other.pk)


class SanctionsEntry(models.Model):
    """One listed person, entity, vessel or aircraft as it stood in one version."""

    version = models.ForeignKey(SanctionsListVersion, on_delete=models.PROTECT, related_name="entries")
    uid = models.IntegerField(help_text="OFAC entry number (ent_num)")
    lists = models.JSONField(default=list, help_text="SDN, CONS or both")
    sdn_type = models.CharField(max_length=10)
    name = models.CharField(max_length=350)
    programs = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)
    #: the parsed entry: aliases, addresses, dates and places of birth, nationalities, identity numbers
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "uid"]
        verbose_name = "sanctions list entry"
        verbose_name_plural = "sanctions list entries"
        constraints = [models.UniqueConstraint(fields=["version", "uid"], name="one_entry_per_uid_per_version")]

    def __str__(self) -> str:
        return f"{self.uid} {self.name}"


class SanctionsProgram(models.Model):
    """A sanctions program code. SDN programs block; Consolidated (non-SDN) ones restrict (review only).

    An entry that is only on the Consolidated list never blocks, whatever its programs."""

    code = models.CharField(max_length=60, unique=True)
    blocking = models.BooleanField(default=True)
    description = models.CharField(max_length=300, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "sanctions program"

    def __str__(self) -> str:
        return f"{self.code} ({'blocking' if self.blocking else 'restricting'})"


class EmbargoedJurisdiction(models.Model):
    """A jurisdiction under a comprehensive US embargo (or one that was, with its end date)."""

    key = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    country_code = models.CharField(max_length=2, blank=True)
    program = models.CharField(max_length=60)
    legal_basis = models.CharField(max_length=300, blank=True)
    since = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True, help_text="When the comprehensive embargo ended")
    source = models.CharField(max_length=500)
    as_of = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "embargoed jurisdiction"

    def __str__(self) -> str:
        return self.name + (f" (ended {self.ended})" if self.ended else "")


class RefreshAttempt(models.Model):
    """One attempt to load a list version (beat refresh or command), kept so a failure is shown."""

    class Status(models.TextChoices):
        OK = "ok", "Loaded"
        HELD = "held", "Loaded and held for a senior officer"
        UNCHANGED = "unchanged", "Unchanged (same content)"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.TextField(blank=True)
    version = models.ForeignKey(SanctionsListVersion, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.source}: {self.status}"


class SanctionsHit(models.Model):
    """A possible match of one screened party (or business name, account holder, address) and one list entry
    (or embargoed jurisdiction). Hits are current until superseded by a change either side, or closed when
    their list entry is removed; superseded hits stay as the record of what was screened."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLEARED = "cleared", "Cleared (false positive)"
        CONFIRMED = "confirmed", "Confirmed match"
        CLOSED = "closed", "Closed (list entry removed)"

    class Kind(models.TextChoices):
        NAME = "name", "Name"
        GEOGRAPHY = "geography", "Geography"

    class Role(models.TextChoices):
        PARTY = "party", "Owner or control person"
        LEGAL_NAME = "legal_name", "Legal name"
        DBA = "dba", "DBA"
        BANK_ACCOUNT_HOLDER = "bank_account_holder", "Bank account holder"
        BUSINESS_ADDRESS = "business_address", "Business address"
        STORE = "store", "Store address"

    public_id = PublicIdField(prefix="hit")
    application = models.ForeignKey("onboarding.Application", on_delete=models.PROTECT, related_name="sanctions_hits")
    merchant = models.ForeignKey(
        "onboarding.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions_hits"
    )
    party = models.ForeignKey(
        "onboarding.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions_hits"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    #: the party's or store's public id, or the role: what the hit is about within the application
    subject_key = models.CharField(max_length=40)
    #: "uid:<n>" for a list entry, "geo:<key>" for a jurisdiction
    target_key = models.CharField(max_length=40)
    party_index = models.CharField(max_length=64, blank=True, help_text="The party's id-number blind index")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NAME)
    screened_name = models.CharField(max_length=300)
    screened_kind = models.CharField(max_length=10, blank=True, help_text="person or business")
    screened_hash = models.CharField(max_length=64, help_text="Keyed hash of the normalised screened values")
    version = models.ForeignKey(SanctionsListVersion, on_delete=models.PROTECT, related_name="hits")
    uid = models.IntegerField(null=True, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)
    jurisdiction = models.CharField(max_length=20, blank=True)
    algorithm_version = models.CharField(max_length=200)
    score = models.FloatField()
    name_score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    matched_name = models.CharField(max_length=350)
    primary_name = models.CharField(max_length=350, blank=True)
    sdn_type = models.CharField(max_length=10, blank=True)
    programs = models.JSONField(default=list)
    lists = models.JSONField(default=list)
    blocking = models.BooleanField(default=False, help_text="On the SDN list under a blocking program")
    contradicted = models.BooleanField(default=False, help_text="Date of birth or country contradicts the entry")
    near_miss = models.BooleanField(default=False, help_text="Below the review threshold: a risk signal only")
    dob_matches = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    status_at = models.DateTimeField(null=True, blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_reason = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)
    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_over_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "sanctions hit"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "subject_key", "target_key"],
                condition=Q(is_current=True),
                name="one_current_hit_per_subject_and_target",
            ),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="hit_score_0_to_1"),
        ]
        indexes = [models.Index(fields=["uid", "is_current"]), models.Index(fields=["party_index", "status"])]

    def __str__(self) -> str:
        return f"{self.screened_name} ~ {self.matched_name} ({self.score:.2f}, {self.status})"

    @property
    def needs_review(self) -> bool:
        return self.status == self.Status.OPEN and not self.near_miss


class OfacReport(models.Model):
    """What a confirmed match obliges us to report to OFAC, and by when (internal only).

    A match on the SDN list under a blocking program means the relationship is blocked: a report of
    blocked property is due within ten business days (31 CFR 501.603). Any other confirmed match is a
    rejection (31 CFR 501.604), due in the same time. The due date counts business days after the
    confirmation, weekends and US federal holidays excluded (``sanctions.reporting``)."""

    class Decision(models.TextChoices):
        BLOCKED = "blocked", "Blocked (report of blocked property)"
        REJECTED = "rejected", "Rejected (report of a rejected transaction)"

    public_id = PublicIdField(prefix="ofr")
    hit = models.ForeignKey(SanctionsHit, on_delete=models.PROTECT, related_name="ofac_reports")
    application = models.ForeignKey("onboarding.Application", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(
        "onboarding.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    confirmed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(help_text="Ten business days after the confirmation")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "OFAC report due"

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.hit.public_id}, due {self.due_on}"
