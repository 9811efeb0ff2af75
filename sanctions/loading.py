"""Loading a list version: from the bundled files, a folder, or OFAC's download address.

``list_version_load`` is the one service that stores a version. It guarantees:

* atomicity: the version, its entries, new programs, the active pointer and the audit event are written
  in one transaction; the delta re-screening task is published after commit;
* idempotency: content already loaded (same content hash) is a no-op;
* versions are never changed after load, except the active flag;
* the delta against the previous active version comes from :func:`sanctions.ofac.diff`, which compares
  only what both versions supplied (a version without ``alt.csv`` does not remove every alias).

An official refresh (a download) that lacks any of the eight files has failed: the attempt is recorded,
an error is logged, and the active version stays.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from sanctions import ofac
from sanctions.gateway import GatewayError, ListGateway, get_gateway
from sanctions.models import RefreshAttempt, SanctionsEntry, SanctionsListVersion, SanctionsProgram

logger = logging.getLogger(__name__)
LOADER = Actor.system("sanctions-loader")
DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000


class LoadFailed(Exception):
    """The files could not be loaded as a version (the active version is kept)."""


@dataclass
class ListSource:
    """A parsed list set with what the version row records about where it came from."""

    list_set: ofac.ListSet
    source: str
    source_detail: str
    label: str
    publish_date: date
    #: file name -> label of the part that supplied it (e.g. the alias supplement)
    file_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadResult:
    version: SanctionsListVersion
    created: bool
    previous: SanctionsListVersion | None = None
    added: frozenset[int] = frozenset()
    changed: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        if not self.created:
            return f"Unchanged: this content is already loaded as {self.version.public_id}."
        return (
            f"Loaded {self.version.public_id}: {self.version.entry_count} entries, published "
            f"{self.version.publish_date}; added {len(self.added)}, changed {len(self.changed)}, "
            f"removed {len(self.removed)} against "
            f"{self.previous.public_id if self.previous else 'no previous version'}."
        )


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


# --------------------------------------------------------------------------- sources


def bundled_source() -> ListSource:
    """The offline default: 2024-06 SDN + the 2026 alias supplement + the 2025-12 Consolidated list."""
    manifest = json.loads((DATA_DIR / "bundled.json").read_text())
    folders, labels, primary_dates = [], {}, []
    for part in manifest["parts"]:
        folders.append(DATA_DIR / part["folder"])
        for name in part["files"]:
            labels[name] = part["label"]
        if "joins_onto" not in part:
            primary_dates.append(date.fromisoformat(part["publish_date"]))
    list_set = ofac.load_folders(*folders)
    for name, status in list_set.files.items():
        if not status.supplied:
            labels[name] = "not supplied by the bundled copy"
    return ListSource(
        list_set=list_set,
        source=SanctionsListVersion.Source.BUNDLED,
        source_detail="sanctions/data (" + ", ".join(p["folder"] for p in manifest["parts"]) + ")",
        label="Bundled OFAC lists: " + "; ".join(p["label"] for p in manifest["parts"]),
        # The oldest list in the set decides its age.
        publish_date=min(primary_dates),
        file_labels=labels,
    )


def folder_source(path: str | Path, publish_date: date | None = None) -> ListSource:
    """Files in a folder. The publish date: given, else a ``bundled.json``/``PUBLISH_DATE`` file, else the
    newest file's modification date."""
    folder = Path(path)
    if not folder.is_dir():
        raise LoadFailed(f"{folder} is not a folder")
    list_set = ofac.load_folder(folder)
    if not any(s.supplied for s in list_set.files.values() if s.part == "primary"):
        raise LoadFailed(f"{folder} holds no sdn.csv or cons_prim.csv")
    if publish_date is None and (folder / "PUBLISH_DATE").is_file():
        publish_date = date.fromisoformat((folder / "PUBLISH_DATE").read_text().strip())
    if publish_date is None:
        newest = max(
            (child.stat().st_mtime for child in folder.iterdir() if child.name.lower() in ofac.FILES),
            default=timezone.now().timestamp(),
        )
        publish_date = timezone.datetime.fromtimestamp(newest, tz=timezone.utc).date()
    return ListSource(
        list_set=list_set,
        source=SanctionsListVersion.Source.FOLDER,
        source_detail=str(folder),
        label=f"OFAC lists from {folder.name}",
        publish_date=publish_date,
    )


def url_source(base_url: str, gateway: ListGateway | None = None, publish_date: date | None = None) -> ListSource:
    """An official download: every one of the eight files must be there, or the refresh has failed."""
    try:
        download = (gateway or get_gateway()).fetch(base_url)
    except GatewayError as exc:
        raise LoadFailed(f"download from {base_url} failed: {exc}") from exc
    missing = sorted(set(ofac.FILES) - set(download.files))
    if missing:
        why = ", ".join(f"{name} ({download.missing.get(name, 'absent')})" for name in missing)
        raise LoadFailed(f"download from {base_url} lacks {why}")
    list_set = ofac.load_files(download.files)
    return ListSource(
        list_set=list_set,
        source=SanctionsListVersion.Source.URL,
        source_detail=base_url,
        label=f"OFAC lists downloaded from {base_url}",
        publish_date=publish_date or download.last_modified or timezone.now().date(),
    )


def source_for(spec: str | None, publish_date: date | None = None) -> ListSource:
    if not spec:
        return bundled_source()
    if spec.startswith(("http://", "https://")):
        return url_source(spec, publish_date=publish_date)
    return folder_source(spec, publish_date)


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


def list_version_load(*, source: ListSource, actor: Actor = LOADER, rescreen: bool = True) -> LoadResult:
    """Store a version and make it the active one; a no-op for content already loaded."""
    list_set = source.list_set
    content_hash = list_set.content_hash
    existing = SanctionsListVersion.objects.filter(content_hash=content_hash).first()
    if existing is not None:
        return LoadResult(version=existing, created=False)
    previous = SanctionsListVersion.objects.filter(is_active=True).first()
    if previous is not None:
        delta = version_delta(list_set_for(previous), list_set)
    else:
        delta = ofac.Delta(added=frozenset(list_set.entries), changed=frozenset(), removed=frozenset())
    with transaction.atomic():
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
        SanctionsListVersion.objects.filter(is_active=True).update(is_active=False)
        SanctionsListVersion.objects.filter(pk=version.pk).update(is_active=True)
        version.is_active = True
        event_record(
            actor=actor,
            subject=version,
            action="list_loaded",
            details={
                "label": version.label,
                "publish_date": version.publish_date.isoformat(),
                "entries": version.entry_count,
                "previous": previous.public_id if previous else None,
                "added": len(delta.added),
                "changed": len(delta.changed),
                "removed": len(delta.removed),
                "not_supplied": sorted(n for n, s in list_set.files.items() if not s.supplied),
            },
        )
        if rescreen:
            public_id = version.public_id
            transaction.on_commit(lambda: publish_rescreen(public_id))
    remember_list_set(content_hash, list_set)
    logger.info("sanctions list %s loaded (%d entries)", version.public_id, version.entry_count)
    return LoadResult(
        version=version,
        created=True,
        previous=previous,
        added=delta.added,
        changed=delta.changed,
        removed=delta.removed,
        notes=delta.notes,
    )


def publish_rescreen(version_public_id: str) -> bool:
    from portal.celery import app

    try:
        app.send_task("sanctions.tasks.rescreen_after_load", args=[version_public_id])
    except Exception as exc:  # the broker is down: `rescreen --version` does it by hand
        logger.error("publish of the re-screening for %s failed: %s", version_public_id, type(exc).__name__)
        return False
    return True


def list_refresh(
    *,
    spec: str | None = None,
    publish_date: date | None = None,
    actor: Actor = LOADER,
    rescreen: bool = True,
) -> LoadResult:
    """Load from a source and record the attempt; raises LoadFailed (recorded, logged) on failure."""
    source_name = spec or "bundled"
    attempt = RefreshAttempt.objects.create(source=source_name[:500], status=RefreshAttempt.Status.FAILED)
    try:
        result = list_version_load(source=source_for(spec, publish_date), actor=actor, rescreen=rescreen)
    except (LoadFailed, OSError, ValueError) as exc:
        RefreshAttempt.objects.filter(pk=attempt.pk).update(error=str(exc)[:4000], finished_at=timezone.now())
        logger.error("sanctions list refresh from %s failed: %s", source_name, exc)
        raise LoadFailed(str(exc)) from exc
    RefreshAttempt.objects.filter(pk=attempt.pk).update(
        status=RefreshAttempt.Status.OK if result.created else RefreshAttempt.Status.UNCHANGED,
        version=result.version,
        finished_at=timezone.now(),
    )
    return result
