"""Sanctions tables of the examiner's export (``onboarding.services.export``): every hit with what it was
screened against (list version, entry and its content hash, algorithm) and the officer's decision (who,
when, why), the OFAC reports confirmations owe, and the list versions the hits name."""

from __future__ import annotations

from onboarding.services.export import ExportScope, Table, each, row_of
from sanctions.models import OfacReport, SanctionsHit, SanctionsListVersion

HIT_COLUMNS = [
    "public_id", "application", "merchant", "party", "role", "subject_key", "kind", "screened_name",
    "screened_kind", "list_version", "list_published", "uid", "jurisdiction", "entry_hash", "algorithm_version",
    "matched_name", "primary_name", "sdn_type", "programs", "lists", "blocking", "score", "name_score", "reasons",
    "contradicted", "near_miss", "dob_matches", "status", "status_at", "decided_by", "status_reason",
    "is_current", "carried_over_from", "created_at",
]  # fmt: skip


REPORT_COLUMNS = ["public_id", "hit", "application", "merchant", "decision", "confirmed_at", "confirmed_by", "due_on"]
VERSION_COLUMNS = ["public_id", "label", "source", "publish_date", "loaded_at", "content_hash", "entry_count",
                   "status", "status_reason"]  # fmt: skip


def _public(obj) -> str:
    return obj.public_id if obj is not None else ""


def _hit_row(h: SanctionsHit) -> dict:
    return row_of(
        h,
        HIT_COLUMNS,
        application=h.application.public_id,
        merchant=_public(h.merchant),
        party=_public(h.party),
        list_version=h.version.public_id,
        list_published=h.version.publish_date,
        decided_by=h.status_by.get_username() if h.status_by else "",
        carried_over_from=_public(h.carried_over_from),
    )


def sanctions_tables(scope: ExportScope) -> list[Table]:
    hits = scope.rows(SanctionsHit.objects.all(), application="application", time=("created_at", "status_at"))
    hit_rows = (
        _hit_row(h)
        for h in each(
            hits.select_related("application", "merchant", "party", "version", "status_by", "carried_over_from")
            .defer("party__date_of_birth", "party__id_number")
            .order_by("created_at", "id")
        )
    )
    reports = scope.rows(OfacReport.objects.all(), application="application", time="confirmed_at")
    report_rows = (
        row_of(r, REPORT_COLUMNS, hit=r.hit.public_id, application=r.application.public_id,
               merchant=_public(r.merchant), confirmed_by=r.confirmed_by.get_username() if r.confirmed_by else "")
        for r in each(
            reports.select_related("hit", "application", "merchant", "confirmed_by").order_by("due_on", "id")
        )
    )  # fmt: skip
    versions = SanctionsListVersion.objects.filter(pk__in=hits.values("version_id")).order_by("loaded_at", "id")
    return [
        Table("sanctions_hits", HIT_COLUMNS, hit_rows, hits.values("application_id"), hits.values("merchant_id")),
        Table(
            "ofac_reports", REPORT_COLUMNS, report_rows, reports.values("application_id"), reports.values("merchant_id")
        ),  # fmt: skip
        Table("sanctions_list_versions", VERSION_COLUMNS, (row_of(v, VERSION_COLUMNS) for v in each(versions))),
    ]
