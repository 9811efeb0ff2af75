"""The examiner's export: a ZIP of CSV and JSON that explains every decision without the portal.

For some applications (all of their time) or for a date range (everything that happened in it), it holds
every event, every check result with the versions it used (check version, list version, matching
algorithm, rule set, thresholds), the risk scores with their rule-set version and thresholds, the decision
policy and rule versions, the documents' record (never their files), the review cases, the field history
(django-pghistory, PostgreSQL only) and what other apps register (sanctions: every hit with its decision,
actor and reason; the OFAC reports owed). Each table is ``<name>.csv`` and ``<name>.json``; ``manifest.json``
says what the export covers, who made it and when (it comes last, with the row counts).

Every table is read in chunks and written into the archive as it is read, the archive itself spooled to
disk past a few megabytes: a range over years of events is never whole in memory, and the number of
queries does not grow with the number of rows.

No unmasked personal data: the encrypted columns are never read into a table, blind indexes and
fingerprints of personal data stay out, and as a last guard every text written is searched for the
SSNs, ITINs, dates of birth, tax ids and account numbers of everyone the rows name, which are replaced by
a mask (``export_guard``).
Making an export writes an internal event.
"""

from __future__ import annotations

import csv
import datetime
import heapq
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Q, Window
from django.db.models.functions import Lag
from django.utils import timezone

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
from onboarding.services.export_guard import CHUNK, PersonalDataGuard

EXPORT_PERM = REVIEW_PERM
#: Keys in check details that name a version or a threshold the check used.
VERSION_KEYS = ("list_version", "algorithm", "rule_version", "thresholds", "list_age_days", "list_stale")
#: History columns left out: keyed hashes of personal data (they link people across records).
HISTORY_LEFT_OUT = ("tax_id_index", "id_number_index", "account_index")
RISK_RULE_COLUMNS = ["field", "operator", "value", "weight", "reason"]
#: The archive (and each table's JSON while its CSV is written) stays in memory up to this size, then on disk.
SPOOL_BYTES = 8 * 1024 * 1024
COPY_BYTES = 1024 * 1024


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
    """One table of the export. ``rows`` is read once, as the table is written (a query read in chunks),
    so no table is ever whole in memory. ``applications`` and ``merchants`` are queries of the ids its
    rows name, for the personal-data guard."""

    name: str
    columns: list[str]
    rows: Iterable[dict]
    applications: models.QuerySet | None = None
    merchants: models.QuerySet | None = None


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


def each(queryset: models.QuerySet) -> Iterator:
    """The rows of ``queryset`` read in chunks (a server-side cursor on PostgreSQL), not all at once."""
    return queryset.iterator(chunk_size=CHUNK)


EVENT_COLUMNS = ["public_id", "occurred_at", "actor_type", "actor", "subject_type", "subject_id", "application",
                 "merchant", "action", "from_state", "to_state", "reason_code", "visibility", "details"]  # fmt: skip


def events_table(scope: ExportScope) -> Table:
    queryset = Event.objects.all()
    if scope.applications is not None:
        queryset = queryset.filter(Q(application_id__in=scope.application_ids) | Q(merchant_id__in=scope.merchant_ids))
    else:
        queryset = scope.rows(queryset, application="application", time="occurred_at")
    rows = (
        row_of(
            e, EVENT_COLUMNS, actor=e.actor_display, application=_public(e.application), merchant=_public(e.merchant)
        )
        for e in each(
            queryset.select_related("actor_user", "actor_partner", "application", "merchant").order_by(
                "occurred_at", "id"
            )
        )
    )
    return Table(
        "events", EVENT_COLUMNS, rows, queryset.values("application_id"), queryset.values("merchant_id")
    )  # fmt: skip


def check_results_table(scope: ExportScope) -> Table:
    queryset = scope.rows(CheckResult.objects.all(), application="application", time="created_at")
    columns = ["application", "check_name", "check_version", "outcome", "is_current", "created_at", *VERSION_KEYS,
               "fingerprint", "details"]  # fmt: skip

    def rows():
        ordered = queryset.select_related("application").order_by("application_id", "check_name", "created_at", "id")
        for result in each(ordered):
            details = result.details or {}
            versions = {key: details.get(key) for key in VERSION_KEYS}
            yield row_of(result, columns, application=result.application.public_id, details=details, **versions)

    return Table("check_results", columns, rows(), queryset.values("application_id"))


def risk_scores_table(scope: ExportScope) -> Table:
    queryset = scope.rows(RiskScore.objects.all(), application="application", time="created_at")
    columns = ["application", "score", "band", "rule_set_version", "medium_from", "high_from", "is_current",
               "created_at", "factors", "inputs"]  # fmt: skip
    rows = (
        row_of(
            s,
            columns,
            application=s.application.public_id,
            rule_set_version=s.rule_set.version,
            medium_from=s.rule_set.medium_from,
            high_from=s.rule_set.high_from,
        )  # fmt: skip
        for s in each(queryset.select_related("application", "rule_set").order_by("application_id", "created_at", "id"))
    )
    return Table("risk_scores", columns, rows, queryset.values("application_id"))


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
            (row_of(p, policy_columns, created_by=_user(p.created_by)) for p in each(policies)),
        ),  # fmt: skip
        Table(
            "risk_rule_sets",
            rule_columns,
            (
                row_of(
                    r,
                    rule_columns,
                    created_by=_user(r.created_by),
                    rules=[row_of(rule, RISK_RULE_COLUMNS) for rule in r.rules.all()],
                )
                for r in each(rule_sets)  # the rules prefetched a chunk at a time
            ),
        ),  # fmt: skip
    ]


def documents_table(scope: ExportScope) -> Table:
    queryset = scope.rows(Document.objects.all(), application="application", time=("uploaded_at", "decided_at"))
    columns = ["public_id", "application", "kind", "party", "content_type", "size", "sha256", "uploaded_at",
               "status", "decided_by", "decided_at", "decision_reason"]  # fmt: skip
    rows = (
        row_of(d, columns, application=d.application.public_id, party=_public(d.party), decided_by=_user(d.decided_by))
        for d in each(
            queryset.select_related("application", "party", "decided_by")
            .defer("party__id_number", "party__date_of_birth")
            .order_by("uploaded_at", "id")
        )
    )
    return Table("documents", columns, rows, queryset.values("application_id"))


def review_cases_table(scope: ExportScope) -> Table:
    queryset = ReviewCase.objects.all()
    if scope.applications is not None:
        queryset = queryset.filter(Q(application_id__in=scope.application_ids) | Q(merchant_id__in=scope.merchant_ids))
    else:
        queryset = scope.rows(queryset, application="application", time=("opened_at", "closed_at"))
    columns = ["public_id", "merchant", "application", "reason_code", "summary", "status", "opened_at",
               "closed_at", "closed_by", "resolution", "details"]  # fmt: skip
    rows = (
        row_of(
            c, columns, merchant=c.merchant.public_id, application=_public(c.application), closed_by=_user(c.closed_by)
        )  # fmt: skip
        for c in each(queryset.select_related("merchant", "application", "closed_by").order_by("opened_at", "id"))
    )
    return Table("review_cases", columns, rows, queryset.values("application_id"), queryset.values("merchant_id"))


#: Tracked models and the column of their history rows that ties a row to an application (or merchant).
HISTORY = ((Application, "pgh_obj_id"), (Party, "application_id"), (BankAccount, "application_id"),
           (Store, "application_id"), (Document, "application_id"), (Merchant, "pgh_obj_id"))  # fmt: skip
HISTORY_COLUMNS = ["model", "object", "history_id", "at", "label", "changes"]


def _history_rows(model, link: str, scope: ExportScope) -> Iterator[dict]:
    """One model's changes in time order. The value before each change is the previous history row of
    the same object within the scope, read beside it (a window over the object's rows), so rows stream."""
    history = model._meta.get_field("history").related_model
    queryset = history.objects.all()
    if scope.applications is not None:
        ids = scope.merchant_ids if model is Merchant else scope.application_ids
        queryset = queryset.filter(**{f"{link}__in": ids})
    else:
        queryset = queryset.filter(pgh_created_at__gte=scope.since, pgh_created_at__lt=scope.until)
    tracked = [f.attname for f in history._meta.fields if not f.attname.startswith("pgh_")]
    tracked = [name for name in tracked if name not in HISTORY_LEFT_OUT]
    window = {"partition_by": [F("pgh_obj_id")], "order_by": [F("pgh_id").asc()]}
    before = {f"before_{name}": Window(Lag(name), **window) for name in tracked}
    ordered = queryset.annotate(**before).order_by("pgh_created_at", "pgh_id")
    for row in each(ordered.values("pgh_id", "pgh_created_at", "pgh_label", "pgh_obj_id", *tracked, *before)):
        values = {name: row[name] for name in tracked}
        changes = {name: [row[f"before_{name}"], value] for name, value in values.items()
                   if row[f"before_{name}"] != value}  # fmt: skip
        yield {
            "model": model._meta.model_name, "object": values.get("public_id") or row["pgh_obj_id"],
            "history_id": row["pgh_id"], "at": row["pgh_created_at"], "label": row["pgh_label"], "changes": changes,
        }  # fmt: skip


def field_history_table(scope: ExportScope) -> Table:
    """Each change of a tracked row: its changed fields, old and new (the encrypted columns are not tracked),
    all models merged in time order."""
    streams = [_history_rows(model, link, scope) for model, link in HISTORY]
    rows = heapq.merge(*streams, key=lambda r: (r["at"], r["model"], r["history_id"]))
    return Table("field_history", HISTORY_COLUMNS, rows)


def _cell(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _json(value, indent: int = 1) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=indent, ensure_ascii=False, sort_keys=True)


def audit_export_tables(scope: ExportScope) -> tuple[list[Table], PersonalDataGuard]:
    """The tables (not yet read) and the guard that masks the personal data of everyone they name."""
    tables = [events_table(scope), check_results_table(scope), risk_scores_table(scope),
              *rule_versions_tables(scope), documents_table(scope), review_cases_table(scope),
              field_history_table(scope)]  # fmt: skip
    for section in _sections:
        tables += section(scope)
    guard = PersonalDataGuard.gathered(
        application_ids=scope.application_ids,
        applications=[t.applications for t in tables if t.applications is not None],
        merchants=[t.merchants for t in tables if t.merchants is not None],
    )
    return tables, guard


def _write_table(archive: zipfile.ZipFile, table: Table, guard: PersonalDataGuard) -> int:
    """``<name>.csv`` and ``<name>.json`` from one reading of the rows: the CSV goes straight into the
    archive, the JSON into a spooled file copied in after it (an archive takes one member at a time)."""
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        with (
            archive.open(f"{table.name}.csv", "w", force_zip64=True) as member,
            io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
        ):
            writer = csv.DictWriter(text, fieldnames=table.columns, extrasaction="ignore")
            writer.writeheader()
            for row in table.rows:
                row = guard.row(row)
                writer.writerow({name: _cell(row.get(name)) for name in table.columns})
                # The layout of one indented JSON list, written an element at a time.
                spool.write(((",\n " if count else "[\n ") + _json(row).replace("\n", "\n ")).encode())
                count += 1
        spool.write(b"\n]" if count else b"[]")
        spool.seek(0)
        with archive.open(f"{table.name}.json", "w", force_zip64=True) as member:
            shutil.copyfileobj(spool, member, COPY_BYTES)
    return count


def audit_export_build(*, actor: Actor, scope: ExportScope) -> BinaryIO:
    """The ZIP for ``scope``, as a file positioned at its start (the caller streams and closes it); requires
    the review permission, and records the export as an internal event once the archive is complete.

    Each table is read a chunk at a time and written straight into the archive, which is spooled to disk
    beyond ``SPOOL_BYTES``: however long the range, neither the rows nor the archive are held in memory,
    and the number of queries does not grow with the number of rows. ``manifest.json`` comes last, when
    the row counts are known."""
    actor.require_perm(EXPORT_PERM, "export the audit trail")
    generated_at = timezone.now()
    tables, guard = audit_export_tables(scope)
    archive_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
    try:
        with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            counts = {table.name: _write_table(archive, table, guard) for table in tables}
            manifest = {
                "generated_at": generated_at.isoformat(),
                "generated_by": _user(actor.user),
                "scope": scope.describe(),
                "tables": {
                    t.name: {"rows": counts[t.name], "columns": t.columns, "files": [f"{t.name}.csv", f"{t.name}.json"]}
                    for t in tables
                },  # fmt: skip
                "notes": [
                    "Times are UTC. Personal data (SSN, ITIN, date of birth, tax id, account number) is never "
                    "included.",
                    "Field history comes from PostgreSQL triggers; a database without them keeps none.",
                ],
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        with transaction.atomic():
            details = {"scope": scope.describe(), "rows": counts}
            for application in scope.applications or []:
                event_record(actor=actor, subject=application, action="audit_exported", details=details)
            if scope.applications is None:
                event_record(actor=actor, subject=actor.user, action="audit_exported", details=details)
    except BaseException:
        archive_file.close()
        raise
    archive_file.seek(0)
    return archive_file
