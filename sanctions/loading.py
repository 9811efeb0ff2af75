"""Loading a list version: from the bundled files, a folder, or OFAC's download address; activating one.

``list_version_load`` is the one service that stores a version. It guarantees:

* sanity before anything is written: every supplied file is to the letter of OFAC's specification
  (:func:`sanctions.ofac.file_problem`: no HTML page, UTF-16, NUL byte, cut-short file, short row or
  non-integer id), holds at least ``SANCTIONS_MIN_ROW_SHARE`` of the rows the active version had for it
  (the spillover files excepted: a few dozen rows that come and go with the remarks' length), and a
  first load holds at least ``SANCTIONS_MIN_PRIMARY_ROWS`` primary rows; otherwise :class:`LoadFailed`
  names the file and the problem, and the active version stays;
* a version that would remove more than ``SANCTIONS_MAX_REMOVAL_SHARE`` of the active version's entries
  is stored but held for a senior officer, never activated by the load; nothing is re-screened against it
  and no hit is closed while it is held;
* atomicity: the version, its entries, new programs, the status change and the audit event are written
  in one transaction, with the re-screen that an activation owes (:func:`rescreen_owe`);
* idempotency: content already loaded (same content hash) is stored once; loading it again changes
  nothing unless asked to make it active again (``activate_if_stored``, with a reason);
* versions are never changed after load, except their status;
* the delta against the previous active version comes from :func:`sanctions.ofac.diff`, which compares
  only what both versions supplied (a version without ``alt.csv`` does not remove every alias).

``list_version_activate`` is the one way a held or earlier version becomes active: a senior officer (or
the system actor of the command) with a reason, an internal event with both versions, and a re-screen
owed: a delta one when the version's delta was taken against the version it replaces, otherwise (going
back, or a delta against another version) a full one, which never supersedes or closes hits raised by
a newer version.

An official refresh (a download) that lacks any of the eight files, or whose transfer was cut short, has
failed: the attempt is recorded with its error and finish time, an error is logged, and the active
version stays. So does any other failure of a refresh, expected or not.
"""

from __future__ import annotations

import csv
import json
import logging
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass, replace
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from onboarding.errors import ConcurrentChange, DomainError, PermissionDenied
from onboarding.services.actors import SECOND_APPROVAL_PERM, Actor
from onboarding.services.events import event_record
from onboarding.work import owed_work_pending, owed_work_record
from sanctions import ofac
from sanctions.models import RefreshAttempt, SanctionsEntry, SanctionsListVersion, SanctionsProgram
from sanctions.sources import ListSource, LoadFailed, source_for

logger = logging.getLogger(__name__)
LOADER = Actor.system("sanctions-loader")
BATCH_SIZE = 2000


@dataclass
class Activation:
    """A version made active by :func:`list_version_activate`, and the re-screen that it owes."""

    version: SanctionsListVersion
    previous: SanctionsListVersion | None
    going_back: bool
    full: bool

    def summary(self) -> str:
        return (
            f"Activated {self.version.public_id} (active before: "
            f"{self.previous.public_id if self.previous else 'none'})"
            + ("; going back to an earlier version" if self.going_back else "")
            + f"; a {'full' if self.full else 'delta'} re-screen is owed."
        )


@dataclass
class LoadResult:
    version: SanctionsListVersion
    created: bool
    previous: SanctionsListVersion | None = None
    added: frozenset[int] = frozenset()
    changed: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()
    #: stored but held for a senior officer (too many removals), and why
    held: bool = False
    hold_reason: str = ""
    #: already stored, and made active again on request
    activation: Activation | None = None

    def summary(self) -> str:
        version = self.version
        if not self.created:
            text = f"Unchanged: this content is already loaded as {version.public_id}."
            if self.activation is not None:
                return f"{text} {self.activation.summary()}"
            if not version.is_active:
                text += (
                    f" It is not the active version (it is {version.status}); make it active with "
                    f'--activate-if-stored --reason "…" (or --activate {version.public_id} --reason "…").'
                )
            return text
        counts = (
            f"{version.entry_count} entries, published {version.publish_date}; added {len(self.added)}, "
            f"changed {len(self.changed)}, removed {len(self.removed)} against "
            f"{self.previous.public_id if self.previous else 'no previous version'}"
        )
        if self.held:
            return (
                f"Held {version.public_id}: {counts}. It is NOT active: it {self.hold_reason}. A senior officer "
                f'can activate it (load_sanctions --activate {version.public_id} --reason "…").'
            )
        return f"Loaded {version.public_id}: {counts}."


# --------------------------------------------------------------------------- entries as JSON


def entry_to_data(entry: ofac.Entry) -> dict:
    data = asdict(entry)
    data["lists"] = sorted(entry.lists)
    return data


def entry_from_data(data: dict) -> ofac.Entry:
    return ofac.Entry(
        uid=data["uid"],
        name=data["name"],
        sdn_type=data["sdn_type"],
        programs=tuple(data["programs"]),
        title=data.get("title"),
        remarks=data.get("remarks"),
        lists=frozenset(data["lists"]),
        aliases=tuple(ofac.Alias(**a) for a in data.get("aliases", ())),
        addresses=tuple(ofac.Address(**a) for a in data.get("addresses", ())),
        dobs=tuple(ofac.BirthDate(**d) for d in data.get("dobs", ())),
        pobs=tuple(data.get("pobs", ())),
        nationalities=tuple(data.get("nationalities", ())),
        citizenships=tuple(data.get("citizenships", ())),
        gender=data.get("gender"),
        ids=tuple(ofac.IdentityNumber(**i) for i in data.get("ids", ())),
        weak_aliases=tuple(ofac.Alias(**a) for a in data.get("weak_aliases", ())),
        call_sign=data.get("call_sign"),
        vessel_type=data.get("vessel_type"),
        tonnage=data.get("tonnage"),
        grt=data.get("grt"),
        vessel_flag=data.get("vessel_flag"),
        vessel_owner=data.get("vessel_owner"),
        remarks_spillover=data.get("remarks_spillover"),
    )


def _files_payload(list_set: ofac.ListSet, labels: dict[str, str]) -> dict:
    out = {}
    for name, status in sorted(list_set.files.items()):
        out[name] = {
            "status": status.status,
            "list": status.list,
            "part": status.part,
            "sha256": status.sha256,
            "rows": status.rows,
            "orphan_rows": status.orphan_rows,
            "label": labels.get(name, ""),
        }
    return out


def _file_statuses(files: dict) -> dict[str, ofac.FileStatus]:
    return {
        name: ofac.FileStatus(
            name=name,
            list=info["list"],
            part=info["part"],
            supplied=info["status"] == "supplied",
            sha256=info.get("sha256"),
            rows=info.get("rows", 0),
            orphan_rows=info.get("orphan_rows", 0),
        )
        for name, info in files.items()
    }


# A few parsed versions per process, keyed by content hash: the matcher's index and deltas use them.
_LIST_SETS: OrderedDict[str, ofac.ListSet] = OrderedDict()
_LIST_SETS_KEPT = 3


def remember_list_set(content_hash: str, list_set: ofac.ListSet) -> None:
    _LIST_SETS[content_hash] = list_set
    _LIST_SETS.move_to_end(content_hash)
    while len(_LIST_SETS) > _LIST_SETS_KEPT:
        _LIST_SETS.popitem(last=False)


def list_set_for(version: SanctionsListVersion) -> ofac.ListSet:
    """The stored version as a ListSet (from the process cache, or rebuilt from the entry rows)."""
    cached = _LIST_SETS.get(version.content_hash)
    if cached is not None:
        return cached
    entries = {}
    for uid, data in SanctionsEntry.objects.filter(version=version).values_list("uid", "data").iterator(2000):
        if isinstance(data, str):  # some backends hand back JSON text from values_list
            data = json.loads(data)
        entries[uid] = entry_from_data(data)
    list_set = ofac.ListSet(entries=dict(sorted(entries.items())), files=_file_statuses(version.files))
    remember_list_set(version.content_hash, list_set)
    return list_set


# --------------------------------------------------------------------------- the service


def _counts(list_set: ofac.ListSet) -> dict:
    by_type = Counter(e.sdn_type for e in list_set.entries.values())
    by_list: Counter[str] = Counter()
    for entry in list_set.entries.values():
        by_list["+".join(sorted(entry.lists))] += 1
    return {"by_type": dict(sorted(by_type.items())), "by_list": dict(sorted(by_list.items()))}


def _record_programs(list_set: ofac.ListSet) -> None:
    on_sdn: set[str] = set()
    seen: set[str] = set()
    for entry in list_set.entries.values():
        seen.update(entry.programs)
        if "SDN" in entry.lists:
            on_sdn.update(entry.programs)
    existing = dict(SanctionsProgram.objects.values_list("code", "blocking"))
    SanctionsProgram.objects.bulk_create(
        [SanctionsProgram(code=code, blocking=code in on_sdn) for code in sorted(seen - set(existing))]
    )
    # A program first seen only on the Consolidated list blocks once it names an SDN entry.
    upgrade = [code for code, blocking in existing.items() if not blocking and code in on_sdn]
    if upgrade:
        SanctionsProgram.objects.filter(code__in=upgrade).update(blocking=True)


def version_delta(old: ofac.ListSet, new: ofac.ListSet) -> ofac.Delta:
    """``ofac.diff``, plus the entries of a list that the old version did not supply at all: for
    re-screening they are new (a list first supplied must be screened), never a reason to close hits."""
    delta = ofac.diff(old, new)
    comparable = {n for n in ("SDN", "CONS") if old.supplied(n, "primary") and new.supplied(n, "primary")}
    added, changed = set(delta.added), set(delta.changed)
    for uid, entry in new.entries.items():
        if entry.lists & comparable:
            continue
        before = old.entries.get(uid)
        if before is None:
            added.add(uid)
        elif before.content_hash() != entry.content_hash():
            changed.add(uid)
    return replace(delta, added=frozenset(added), changed=frozenset(changed))


def list_set_problems(list_set: ofac.ListSet, previous: SanctionsListVersion | None) -> list[str]:
    """Why a parsed set must not be stored, file by file (empty when it is sane)."""
    problems = [f"{name} {problem}" for name, problem in list_set.problems.items()]
    if problems:
        return problems
    if previous is None:
        floor = settings.SANCTIONS_MIN_PRIMARY_ROWS
        primary = sum(s.rows for s in list_set.files.values() if s.supplied and s.part == "primary")
        if primary < floor:
            problems.append(
                f"a first load needs at least {floor:,} primary rows (sdn.csv and cons_prim.csv together; "
                f"SANCTIONS_MIN_PRIMARY_ROWS); these files hold {primary:,}"
            )
        return problems
    share = settings.SANCTIONS_MIN_ROW_SHARE
    for name, status in sorted(list_set.files.items()):
        before = previous.files.get(name) or {}
        if status.part == "comments" or not status.supplied or before.get("status") != "supplied":
            continue
        rows_before = before.get("rows", 0)
        if rows_before and status.rows < share * rows_before:
            problems.append(
                f"{name} holds {status.rows:,} rows, {status.rows / rows_before:.0%} of the {rows_before:,} rows of "
                f"the active version {previous.public_id}; at least {share:.0%} are required "
                "(SANCTIONS_MIN_ROW_SHARE): is it cut short?"
            )
    return problems


def removal_hold_reason(delta: ofac.Delta, previous: SanctionsListVersion | None) -> str:
    """Why a version must wait for a senior officer instead of becoming active, or "" when it need not."""
    if previous is None or not previous.entry_count:
        return ""
    limit = settings.SANCTIONS_MAX_REMOVAL_SHARE
    share = len(delta.removed) / previous.entry_count
    if share <= limit:
        return ""
    return (
        f"would remove {len(delta.removed):,} of the {previous.entry_count:,} entries of the active version "
        f"{previous.public_id} ({share:.1%}; more than SANCTIONS_MAX_REMOVAL_SHARE, {limit:.0%})"
    )


def _version_order(version: SanctionsListVersion) -> Q:
    """Versions loaded before ``version``."""
    return Q(loaded_at__lt=version.loaded_at) | Q(loaded_at=version.loaded_at, pk__lt=version.pk)


def _make_active(version: SanctionsListVersion, current: SanctionsListVersion | None, reason: str) -> None:
    """Inside a transaction: ``version`` becomes the active one, ``current`` inactive, and every version held
    before ``version`` was loaded inactive (a later list supersedes it). Of two racing activations exactly
    one wins; the other gets ConcurrentChange."""
    now = timezone.now()
    Status = SanctionsListVersion.Status
    try:
        with transaction.atomic():
            superseded = f"{version.public_id} was made active"
            if current is not None:
                SanctionsListVersion.objects.filter(pk=current.pk, is_active=True).update(
                    is_active=False, status=Status.INACTIVE, status_at=now, status_reason=superseded
                )
            SanctionsListVersion.objects.filter(_version_order(version), status=Status.HELD).exclude(
                pk=version.pk
            ).update(status=Status.INACTIVE, status_at=now, status_reason=f"Superseded while held: {superseded}")
            SanctionsListVersion.objects.filter(pk=version.pk).update(
                is_active=True, status=Status.ACTIVE, status_at=now, status_reason=reason
            )
    except IntegrityError:
        raise ConcurrentChange(
            "Another list version was made active at the same time; look again and retry.",
            code="list_version_concurrent_activation",
        ) from None
    version.is_active, version.status, version.status_at, version.status_reason = True, Status.ACTIVE, now, reason


def list_version_load(
    *,
    source: ListSource,
    actor: Actor = LOADER,
    rescreen: bool = True,
    activate_if_stored: bool = False,
    reason: str = "",
) -> LoadResult:
    """Store a sane version and make it the active one, or hold it when it removes too much.

    Content already stored is not stored again; with ``activate_if_stored`` (and a ``reason``) it is made
    active again through :func:`list_version_activate`."""
    list_set = source.list_set
    content_hash = list_set.content_hash
    existing = SanctionsListVersion.objects.filter(content_hash=content_hash).first()
    if existing is not None:
        activation = None
        if activate_if_stored and not existing.is_active:
            activation = list_version_activate(version=existing, actor=actor, reason=reason, rescreen=rescreen)
        return LoadResult(version=existing, created=False, activation=activation)
    previous = SanctionsListVersion.objects.filter(is_active=True).first()
    problems = list_set_problems(list_set, previous)
    if problems:
        raise LoadFailed("; ".join(problems))
    if previous is not None:
        delta = version_delta(list_set_for(previous), list_set)
    else:
        delta = ofac.Delta(added=frozenset(list_set.entries), changed=frozenset(), removed=frozenset())
    hold_reason = removal_hold_reason(delta, previous)
    Status = SanctionsListVersion.Status
    with transaction.atomic():
        current = SanctionsListVersion.objects.select_for_update().filter(is_active=True).first()
        if (current and current.pk) != (previous and previous.pk):
            raise LoadFailed(
                f"the active version changed during the load (now {current.public_id if current else 'none'}); "
                "load again"
            )
        version = SanctionsListVersion.objects.create(
            source=source.source,
            source_detail=source.source_detail[:500],
            label=source.label[:300],
            content_hash=content_hash,
            publish_date=source.publish_date,
            files=_files_payload(list_set, source.file_labels),
            entry_count=len(list_set),
            counts=_counts(list_set),
            delta={
                "previous": previous.public_id if previous else None,
                "added": sorted(delta.added),
                "changed": sorted(delta.changed),
                "removed": sorted(delta.removed),
                "notes": list(delta.notes),
            },
            status=Status.HELD if hold_reason else Status.INACTIVE,
            status_at=timezone.now(),
            status_reason=hold_reason,
        )
        SanctionsEntry.objects.bulk_create(
            (
                SanctionsEntry(
                    version=version,
                    uid=entry.uid,
                    lists=sorted(entry.lists),
                    sdn_type=entry.sdn_type,
                    name=entry.name[:350],
                    programs=list(entry.programs),
                    content_hash=entry.content_hash(),
                    data=entry_to_data(entry),
                )
                for entry in list_set.entries.values()
            ),
            batch_size=BATCH_SIZE,
        )
        _record_programs(list_set)
        details = {
            "label": version.label,
            "publish_date": version.publish_date.isoformat(),
            "entries": version.entry_count,
            "previous": previous.public_id if previous else None,
            "added": len(delta.added),
            "changed": len(delta.changed),
            "removed": len(delta.removed),
            "not_supplied": sorted(n for n, s in list_set.files.items() if not s.supplied),
        }
        if hold_reason:
            # A newer held version supersedes an older one: one decision waits for the officer, not a pile.
            SanctionsListVersion.objects.filter(_version_order(version), status=Status.HELD).update(
                status=Status.INACTIVE,
                status_at=timezone.now(),
                status_reason=f"Superseded while held: {version.public_id} was loaded and held",
            )
            event_record(
                actor=actor,
                subject=version,
                action="list_held",
                to_state=Status.HELD,
                details={**details, "why": hold_reason},
            )
        else:
            _make_active(version, previous, "")
            event_record(actor=actor, subject=version, action="list_loaded", to_state=Status.ACTIVE, details=details)
            if rescreen:
                rescreen_owe(version=version, full=previous is None)
    remember_list_set(content_hash, list_set)
    if hold_reason:
        logger.warning("sanctions list %s held: it %s", version.public_id, hold_reason)
    else:
        logger.info("sanctions list %s loaded (%d entries)", version.public_id, version.entry_count)
    return LoadResult(
        version=version,
        created=True,
        previous=previous,
        added=delta.added,
        changed=delta.changed,
        removed=delta.removed,
        notes=delta.notes,
        held=bool(hold_reason),
        hold_reason=hold_reason,
    )


def list_version_activate(
    *, version: SanctionsListVersion, actor: Actor, reason: str, rescreen: bool = True
) -> Activation:
    """Make a held version, or an earlier one, the active version (a senior officer, or the system actor of
    the command, with a reason). Writes an internal event with both versions and the reason, and owes the
    re-screen: a delta one when the version's delta was taken against the version it replaces, else a full
    one. ``rescreen=False`` when the caller re-screens in its own process at once."""
    if not (actor.is_system or actor.has_perm(SECOND_APPROVAL_PERM)):
        raise PermissionDenied("Only a senior compliance officer can activate a sanctions list version.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for activating this list version.", code="reason_required")
    with transaction.atomic():
        target = SanctionsListVersion.objects.select_for_update().filter(pk=version.pk).first()
        if target is None:
            raise DomainError("No such sanctions list version.", code="not_found")
        current = SanctionsListVersion.objects.select_for_update().filter(is_active=True).first()
        if current is not None and current.pk == target.pk:
            raise DomainError(f"{target.public_id} is already the active version.", code="list_version_active")
        going_back = current is not None and current.is_newer_than(target)
        full = going_back or current is None or (target.delta or {}).get("previous") != current.public_id
        from_status = target.status
        _make_active(target, current, reason)
        event_record(
            actor=actor,
            subject=target,
            action="list_activated",
            from_state=from_status,
            to_state=target.status,
            reason_code="list_version_activated",
            details={
                "from": current.public_id if current else None,
                "to": target.public_id,
                "reason": reason,
                "was": from_status,
                "going_back": going_back,
                "full_rescreen": full,
            },
        )
        if rescreen:
            rescreen_owe(version=target, full=full)
    version.refresh_from_db()
    logger.info(
        "sanctions list %s activated by %s (was %s; active before: %s)",
        target.public_id,
        actor,
        from_status,
        current.public_id if current else None,
    )
    return Activation(version=version, previous=current, going_back=going_back, full=full)


RESCREEN = "sanctions_rescreen"


def rescreen_owe(*, version: SanctionsListVersion, full: bool) -> None:
    """The one place where a load or an activation records the re-screen it owes against ``version`` (a delta
    one, or with ``full`` the whole list): owed work, written in the transaction of the activation, so a
    broker that is down or a process that dies after the commit loses nothing (the sweeper publishes it)."""
    pending = owed_work_pending(subject=version, kind=RESCREEN)
    full = full or bool(pending and pending.payload.get("full"))
    owed_work_record(subject=version, kind=RESCREEN, payload={"full": full})


#: failures of a source's files or of the transfer: the command answers them with one line
EXPECTED_FAILURES = (LoadFailed, OSError, ValueError, UnicodeError, csv.Error)


def list_refresh(
    *,
    spec: str | None = None,
    publish_date: date | None = None,
    actor: Actor = LOADER,
    rescreen: bool = True,
    activate_if_stored: bool = False,
    reason: str = "",
) -> LoadResult:
    """Load from a source and record the attempt. Every failure is recorded on the attempt (error text and
    finish time) and logged; the expected ones (bad files, a failed transfer) are raised as LoadFailed, any
    other is raised as it is."""
    source_name = spec or "bundled"
    attempt = RefreshAttempt.objects.create(source=source_name[:500], status=RefreshAttempt.Status.FAILED)

    def failed(error: str) -> None:
        RefreshAttempt.objects.filter(pk=attempt.pk).update(error=error[:4000], finished_at=timezone.now())

    try:
        result = list_version_load(
            source=source_for(spec, publish_date),
            actor=actor,
            rescreen=rescreen,
            activate_if_stored=activate_if_stored,
            reason=reason,
        )
    except EXPECTED_FAILURES as exc:
        failed(str(exc) or type(exc).__name__)
        logger.error("sanctions list refresh from %s failed: %s", source_name, exc)
        raise LoadFailed(str(exc)) from exc
    except Exception as exc:
        failed(f"{type(exc).__name__}: {exc}")
        logger.exception("sanctions list refresh from %s failed unexpectedly", source_name)
        raise
    if result.held:
        status = RefreshAttempt.Status.HELD
    elif result.created:
        status = RefreshAttempt.Status.OK
    else:
        status = RefreshAttempt.Status.UNCHANGED
    RefreshAttempt.objects.filter(pk=attempt.pk).update(
        status=status, version=result.version, error=result.hold_reason, finished_at=timezone.now()
    )
    return result
