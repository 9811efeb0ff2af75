"""Where a list version comes from: the bundled files, a folder, or OFAC's download address, each parsed into
a :class:`ListSource` with its publish date. A folder's publish date is one the files carry (a
``PUBLISH_DATE`` file or a ``bundled.json`` manifest) or one given, never a file's modification time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils import timezone

from sanctions import ofac
from sanctions.gateway import GatewayError, ListGateway, get_gateway
from sanctions.models import SanctionsListVersion

DATA_DIR = Path(__file__).resolve().parent / "data"


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


def manifest_publish_date(manifest: dict) -> date:
    """A ``bundled.json`` manifest's publish date: its own, else the oldest of its lists (a supplement that
    joins onto another list does not count); the oldest list in the set decides its age."""
    if manifest.get("publish_date"):
        return date.fromisoformat(manifest["publish_date"])
    dates = [date.fromisoformat(p["publish_date"]) for p in manifest.get("parts", ()) if "joins_onto" not in p]
    if not dates:
        raise ValueError("the manifest names no publish date")
    return min(dates)


def bundled_source() -> ListSource:
    """The offline default: 2024-06 SDN + the 2026 alias supplement + the 2025-12 Consolidated list."""
    manifest = json.loads((DATA_DIR / "bundled.json").read_text())
    folders, labels = [], {}
    for part in manifest["parts"]:
        folders.append(DATA_DIR / part["folder"])
        for name in part["files"]:
            labels[name] = part["label"]
    list_set = ofac.load_folders(*folders)
    for name, status in list_set.files.items():
        if not status.supplied:
            labels[name] = "not supplied by the bundled copy"
    return ListSource(
        list_set=list_set,
        source=SanctionsListVersion.Source.BUNDLED,
        source_detail="sanctions/data (" + ", ".join(p["folder"] for p in manifest["parts"]) + ")",
        label="Bundled OFAC lists: " + "; ".join(p["label"] for p in manifest["parts"]),
        publish_date=manifest_publish_date(manifest),
        file_labels=labels,
    )


def folder_publish_date(folder: Path) -> date | None:
    """The publish date the files themselves carry: a ``PUBLISH_DATE`` file (YYYY-MM-DD) or a ``bundled.json``
    manifest. Never a file's modification time: that says when the files were copied, not published."""
    marker = folder / "PUBLISH_DATE"
    if marker.is_file():
        text = marker.read_text(errors="replace").strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise LoadFailed(f"{marker} does not hold a date (YYYY-MM-DD): {text[:40]!r}") from None
    manifest = folder / "bundled.json"
    if manifest.is_file():
        try:
            return manifest_publish_date(json.loads(manifest.read_text()))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise LoadFailed(f"{manifest} names no valid publish date ({exc})") from None
    return None


def folder_source(path: str | Path, publish_date: date | None = None) -> ListSource:
    """Files in a folder. The publish date: given, else the folder's ``PUBLISH_DATE`` file or ``bundled.json``
    manifest; without any, the load is refused (a freshly copied old list must not look current)."""
    folder = Path(path)
    if not folder.is_dir():
        raise LoadFailed(f"{folder} is not a folder")
    if publish_date is None:
        publish_date = folder_publish_date(folder)
    if publish_date is None:
        raise LoadFailed(
            f"{folder} carries no publish date: give --publish-date YYYY-MM-DD (OFAC's publication date), or put "
            "a PUBLISH_DATE file in the folder; a file's modification time says when it was copied, not published"
        )
    list_set = ofac.load_folder(folder)
    if not any(s.supplied for s in list_set.files.values() if s.part == "primary"):
        raise LoadFailed(f"{folder} holds no sdn.csv or cons_prim.csv")
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
