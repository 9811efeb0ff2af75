"""The examiner's export: a ZIP of CSV and JSON that explains every decision without the portal.

For some applications (all of their time) or for a date range (everything that happened in it), it holds
every event, every check result with the versions it used (check version, list version, matching
algorithm, rule set, thresholds), the risk scores with their rule-set version and thresholds, the decision
policy and rule versions, the documents' record (never their files), the review cases, the field history
(django-pghistory, PostgreSQL only) and what other apps register (sanctions: every hit with its decision,
actor and reason; the OFAC reports owed). Each table is ``<name>.csv`` and ``<name>.json``; ``manifest.json``
says what the export covers, who made it and when.

No unmasked personal data: the encrypted columns are never read into a table, blind indexes and
fingerprints of personal data stay out, and as a last guard every text written is searched for the
scope's own SSNs, ITINs, dates of birth, tax ids and account numbers, which are replaced by a mask.
Making an export writes an internal event.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from onboarding import crypto
from onboarding.models import (
    Application,
    BankAccount,
    CheckResult,
    DecisionPolicy,
    Document,
    Event,
    Merchant,
    Party,
    ReviewCase,
    RiskRuleSet,
    RiskScore,
    Store,
)
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record

EXPORT_PERM = REVIEW_PERM
#: Keys in check details that name a version or a threshold the check used.
VERSION_KEYS = ("list_version", "algorithm", "rule_version", "thresholds", "list_age_days", "list_stale")
#: History columns left out: keyed hashes of personal data (they link people across records).
HISTORY_LEFT_OUT = ("tax_id_index", "id_number_index", "account_index")
RISK_RULE_COLUMNS = ["field", "operator", "value", "weight", "reason"]


@dataclass
class ExportScope:
    """Either ``applications`` (their whole record) or a window ``since`` ≤ t < ``until``."""

    applications: list[Application] | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None

    @property
    def application_ids(self) -> list[int] | None:
        return None if self.applications is None else [a.pk for a in self.applications]

    @property
    def merchant_ids(self) -> list[int] | None:
        if self.applications is None:
            return None
        return sorted({a.merchant_id for a in self.applications if a.merchant_id})

    def rows(self, queryset: models.QuerySet, *, application: str, time: str | Iterable[str]) -> models.QuerySet:
        """``queryset`` limited to the scope: by its application field, or by its time field(s)."""
        if self.applications is not None:
            return queryset.filter(**{f"{application}__in": self.application_ids})
        times = [time] if isinstance(time, str) else list(time)
        window = Q()
        for name in times:
            window |= Q(**{f"{name}__gte": self.since, f"{name}__lt": self.until})
        return queryset.filter(window)

    def describe(self) -> dict:
        if self.applications is not None:
            return {"applications": [a.public_id for a in self.applications]}
        return {"since": self.since.isoformat(), "until": self.until.isoformat()}


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[dict] = field(default_factory=list)


Section = Callable[[ExportScope], list[Table]]
_sections: list[Section] = []


def register_export_section(section: Section) -> None:
    """Another app's tables (sanctions registers its hits and OFAC reports)."""
    if section not in _sections:
        _sections.append(section)


def _user(user) -> str:
    return user.get_username() if user is not None else ""


def _public(obj) -> str:
    return getattr(obj, "public_id", "") if obj is not None else ""


def row_of(obj, columns: list[str], **computed) -> dict:
    """One row: each column from ``computed`` when given there, else the object's attribute of that name."""
    return {name: computed[name] if name in computed else getattr(obj, name) for name in columns}


EVENT_COLUMNS = ["public_id", "occurred_at", "actor_type", "actor", "subject_type", "subject_id", "application",
                 "merchant", "action", "from_state", "to_state", "reason_code", "visibility", "details"]  # fmt: skip


def events_table(scope: ExportScope) -> Table:
    queryset = Event.objects.select_related("actor_user", "actor_partner", "application", "merchant")
    if scope.applications is not None:
        queryset = queryset.filter(Q(application_id__in=scope.application_ids) | Q(merchant_id__in=scope.merchant_ids))
    else:
        queryset = scope.rows(queryset, application="application", time="occurred_at")
    rows = [
        row_of(
            e, EVENT_COLUMNS, actor=e.actor_display, application=_public(e.application), merchant=_public(e.merchant)
        )
        for e in queryset.order_by("occurred_at", "id")
    ]
    return Table("events", EVENT_COLUMNS, rows)


def check_results_table(scope: ExportScope) -> Table:
    queryset = scope.rows(
        CheckResult.objects.select_related("application"), application="application", time="created_at"
    )
    columns = ["application", "check_name", "check_version", "outcome", "is_current", "created_at", *VERSION_KEYS,
               "fingerprint", "details"]  # fmt: skip
    rows = []
    for result in queryset.order_by("application_id", "check_name", "created_at", "id"):
        details = result.details or {}
        versions = {key: details.get(key) for key in VERSION_KEYS}
        rows.append(row_of(result, columns, application=result.application.public_id, details=details, **versions))
    return Table("check_results", columns, rows)


def risk_scores_table(scope: ExportScope) -> Table:
    queryset = scope.rows(
        RiskScore.objects.select_related("application", "rule_set"), application="application", time="created_at"
    )
    columns = ["application", "score", "band", "rule_set_version", "medium_from", "high_from", "is_current",
               "created_at", "factors", "inputs"]  # fmt: skip
    rows = [
        row_of(
            s,
            columns,
            application=s.application.public_id,
            rule_set_version=s.rule_set.version,
            medium_from=s.rule_set.medium_from,
            high_from=s.rule_set.high_from,
        )  # fmt: skip
        for s in queryset.order_by("application_id", "created_at", "id")
    ]
    return Table("risk_scores", columns, rows)


def rule_versions_tables(scope: ExportScope) -> list[Table]:
    """Every version of the decision policy and the risk rules (few rows; each decision names its version)."""
    policy_columns = ["version", "auto_approve_enabled", "decline_on_fail", "declining_checks", "note", "created_at",
                      "created_by"]  # fmt: skip
    policies = DecisionPolicy.objects.select_related("created_by").order_by("version")
    rule_columns = ["version", "medium_from", "high_from", "note", "created_at", "created_by", "rules"]
    rule_sets = RiskRuleSet.objects.select_related("created_by").prefetch_related("rules").order_by("version")
    return [
        Table(
            "decision_policies",
            policy_columns,
            [row_of(p, policy_columns, created_by=_user(p.created_by)) for p in policies],
        ),  # fmt: skip
        Table(
            "risk_rule_sets",
            rule_columns,
            [
                row_of(
                    r,
                    rule_columns,
                    created_by=_user(r.created_by),
                    rules=[row_of(rule, RISK_RULE_COLUMNS) for rule in r.rules.all()],
                )
                for r in rule_sets
            ],
        ),  # fmt: skip
    ]


def documents_table(scope: ExportScope) -> Table:
    queryset = scope.rows(
        Document.objects.select_related("application", "party", "decided_by"),
        application="application",
        time=("uploaded_at", "decided_at"),
    )
    columns = ["public_id", "application", "kind", "party", "content_type", "size", "sha256", "uploaded_at",
               "status", "decided_by", "decided_at", "decision_reason"]  # fmt: skip
    rows = [
        row_of(d, columns, application=d.application.public_id, party=_public(d.party), decided_by=_user(d.decided_by))
        for d in queryset.order_by("uploaded_at", "id")
    ]
    return Table("documents", columns, rows)


def review_cases_table(scope: ExportScope) -> Table:
    queryset = ReviewCase.objects.select_related("merchant", "application", "closed_by")
    if scope.applications is not None:
        queryset = queryset.filter(Q(application_id__in=scope.application_ids) | Q(merchant_id__in=scope.merchant_ids))
    else:
        queryset = scope.rows(queryset, application="application", time=("opened_at", "closed_at"))
    columns = ["public_id", "merchant", "application", "reason_code", "summary", "status", "opened_at",
               "closed_at", "closed_by", "resolution", "details"]  # fmt: skip
    rows = [
        row_of(
            c, columns, merchant=c.merchant.public_id, application=_public(c.application), closed_by=_user(c.closed_by)
        )  # fmt: skip
        for c in queryset.order_by("opened_at", "id")
    ]
    return Table("review_cases", columns, rows)


#: Tracked models and the column of their history rows that ties a row to an application (or merchant).
HISTORY = ((Application, "pgh_obj_id"), (Party, "application_id"), (BankAccount, "application_id"),
           (Store, "application_id"), (Document, "application_id"), (Merchant, "pgh_obj_id"))  # fmt: skip


def field_history_table(scope: ExportScope) -> Table:
    """Each change of a tracked row: its changed fields, old and new (the encrypted columns are not tracked)."""
    rows = []
    for model, link in HISTORY:
        history = model._meta.get_field("history").related_model
        queryset = history.objects.all()
        if scope.applications is not None:
            ids = scope.merchant_ids if model is Merchant else scope.application_ids
            queryset = queryset.filter(**{f"{link}__in": ids})
        else:
            queryset = queryset.filter(pgh_created_at__gte=scope.since, pgh_created_at__lt=scope.until)
        tracked = [f.attname for f in history._meta.fields if not f.attname.startswith("pgh_")]
        tracked = [name for name in tracked if name not in HISTORY_LEFT_OUT]
        previous: dict[int, dict] = {}
        for row in queryset.order_by("pgh_obj_id", "pgh_id").values("pgh_id", "pgh_created_at", "pgh_label",
                                                                       "pgh_obj_id", *tracked):  # fmt: skip
            values = {name: row[name] for name in tracked}
            before = previous.get(row["pgh_obj_id"], {})
            changes = {name: [before.get(name), value] for name, value in values.items() if before.get(name) != value}
            previous[row["pgh_obj_id"]] = values
            rows.append({
                "model": model._meta.model_name, "object": values.get("public_id") or row["pgh_obj_id"],
                "history_id": row["pgh_id"], "at": row["pgh_created_at"], "label": row["pgh_label"],
                "changes": changes,
            })  # fmt: skip
    rows.sort(key=lambda r: (r["at"], r["model"], r["history_id"]))
    return Table("field_history", ["model", "object", "history_id", "at", "label", "changes"], rows)


def _personal_values(scope: ExportScope, tables: list[Table]) -> set[str]:
    """The scope's own personal data in the forms it is written in, to be masked wherever it turns up."""
    if scope.applications is not None:
        applications = Application.objects.filter(pk__in=scope.application_ids)
    else:
        named = {row.get("application") for table in tables for row in table.rows} - {"", None}
        applications = Application.objects.filter(public_id__in=named)
    values: set[str] = set()
    for application in applications.prefetch_related("parties").select_related("bank_account"):
        values |= _forms(application.tax_id)
        for party in application.parties.all():
            values |= _forms(party.id_number)
            if party.date_of_birth:
                dob = party.date_of_birth
                values |= {dob.isoformat(), dob.strftime("%m/%d/%Y"), dob.strftime("%Y%m%d")}
        bank = getattr(application, "bank_account", None)
        if bank is not None:
            values |= _forms(bank.account_number)
    merchants = {row.get("merchant") for table in tables for row in table.rows} - {"", None}
    for merchant in Merchant.objects.filter(public_id__in=merchants):
        values |= _forms(merchant.tax_id)
    return {value for value in values if len(value) >= 4}


def _forms(value: str | None) -> set[str]:
    digits = crypto.digits(value or "")
    if not digits:
        return set()
    forms = {digits, value}
    if len(digits) == 9:
        forms |= {f"{digits[:2]}-{digits[2:]}", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"}
    return forms


def _scrub(value, secrets: list[str]):
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, crypto.MASK)
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    return value


def _cell(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, extrasaction="ignore")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({name: _cell(row.get(name)) for name in table.columns})
    return buffer.getvalue()


def audit_export_tables(scope: ExportScope) -> list[Table]:
    tables = [events_table(scope), check_results_table(scope), risk_scores_table(scope),
              *rule_versions_tables(scope), documents_table(scope), review_cases_table(scope),
              field_history_table(scope)]  # fmt: skip
    for section in _sections:
        tables += section(scope)
    # Longest first, so that a number containing another is masked whole.
    secrets = sorted(_personal_values(scope, tables), key=len, reverse=True)
    for table in tables:
        table.rows = [_scrub(row, secrets) for row in table.rows]
    return tables


def audit_export_build(*, actor: Actor, scope: ExportScope) -> bytes:
    """The ZIP for ``scope``; requires the review permission, and records the export as an internal event."""
    actor.require_perm(EXPORT_PERM, "export the audit trail")
    generated_at = timezone.now()
    tables = audit_export_tables(scope)
    manifest = {
        "generated_at": generated_at.isoformat(),
        "generated_by": _user(actor.user),
        "scope": scope.describe(),
        "tables": {
            t.name: {"rows": len(t.rows), "columns": t.columns, "files": [f"{t.name}.csv", f"{t.name}.json"]}
            for t in tables
        },  # fmt: skip
        "notes": [
            "Times are UTC. Personal data (SSN, ITIN, date of birth, tax id, account number) is never included.",
            "Field history comes from PostgreSQL triggers; a database without them keeps none.",
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for table in tables:
            archive.writestr(f"{table.name}.csv", _csv(table))
            archive.writestr(
                f"{table.name}.json",
                json.dumps(table.rows, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False, sort_keys=True),
            )
    with transaction.atomic():
        details = {"scope": scope.describe(), "rows": {t.name: len(t.rows) for t in tables}}
        for application in scope.applications or []:
            event_record(actor=actor, subject=application, action="audit_exported", details=details)
        if scope.applications is None:
            event_record(actor=actor, subject=actor.user, action="audit_exported", details=details)
    return buffer.getvalue()
