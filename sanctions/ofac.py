"""Parser for OFAC's legacy delimited (CSV) sanctions list files.

OFAC publishes the SDN list and the Consolidated (non-SDN) list as four CSV files each
(primary names, addresses, alternate names, remarks spillover).  The format is described
in OFAC's ``dat_spec.txt``; this module follows it to the letter and tolerates the small
deviations found in copies in the wild (a header row, a missing Ctrl-Z line, non-ASCII
bytes).

The module is pure Python on purpose: a Django loader, a downloader and the offline
benchmark all use it, and none of them should need a database to read a list.

A part that was not supplied (file absent) is never treated as empty: :func:`diff` compares
only what both versions supplied, so a version without ``alt.csv`` does not look as if
every alias had been removed.

:func:`file_problem` says why a file's bytes are not an OFAC CSV file to the letter of the
specification (an HTML page, UTF-16, a cut-short file, a short row, a non-integer id...).
:func:`load_files` records the problem on the file's status and does not read its rows, so a
loader can refuse the whole set before anything is stored, while offline tools still read good
files as before.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

NULL_MARKER = "-0-"
EOF_CHAR = "\x1a"

SdnType = Literal["individual", "entity", "vessel", "aircraft"]
ListName = Literal["SDN", "CONS"]
Part = Literal["primary", "addresses", "aliases", "comments"]

#: file name -> (list, part).  These are OFAC's own file names, lower-cased.
FILES: dict[str, tuple[ListName, Part]] = {
    "sdn.csv": ("SDN", "primary"),
    "add.csv": ("SDN", "addresses"),
    "alt.csv": ("SDN", "aliases"),
    "sdn_comments.csv": ("SDN", "comments"),
    "cons_prim.csv": ("CONS", "primary"),
    "cons_add.csv": ("CONS", "addresses"),
    "cons_alt.csv": ("CONS", "aliases"),
    "cons_comments.csv": ("CONS", "comments"),
}
#: the number of columns of each part (dat_spec.txt; a spillover file holds ent_num and the remarks text)
COLUMNS: dict[Part, int] = {"primary": 12, "addresses": 6, "aliases": 5, "comments": 2}
#: the columns of each part that hold numbers: (index, the specification's name)
NUMBER_COLUMNS: dict[Part, tuple[tuple[int, str], ...]] = {
    "primary": ((0, "ent_num"),),
    "addresses": ((0, "Ent_num"), (1, "Add_num")),
    "aliases": ((0, "ent_num"), (1, "alt_num")),
    "comments": ((0, "ent_num"),),
}
#: other spellings seen in OFAC's own documents ("SDN COMMENTS.CSV") and on mirrors.
_FILE_NAME_ALIASES = {"sdn comments.csv": "sdn_comments.csv", "cons_alt_names.csv": "cons_alt.csv"}


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class BirthDate:
    """One date of birth from the remarks: a day, a month, a year, or a range of years.

    ``DOB 1958 to 1962`` gives ``year=1958, year_to=1962``; ``DOB circa 1960`` sets ``circa``.
    """

    year: int
    month: int | None = None
    day: int | None = None
    year_to: int | None = None
    circa: bool = False

    @property
    def last_year(self) -> int:
        return self.year_to if self.year_to is not None else self.year

    def covers_year(self, year: int, tolerance: int = 0) -> bool:
        """True when ``year`` falls in this date's year range, widened by ``tolerance``."""
        slack = tolerance + (2 if self.circa else 0)
        return self.year - slack <= year <= self.last_year + slack


@dataclass(frozen=True)
class IdentityNumber:
    """An identity document or registration number parsed out of the remarks."""

    kind: str
    number: str
    country: str | None = None


@dataclass(frozen=True)
class Alias:
    """An alternate name: a strong alias from alt.csv, or a weak one found in the remarks."""

    alt_num: int | None
    alt_type: Literal["aka", "fka", "nka"]
    name: str
    remarks: str | None = None
    weak: bool = False


@dataclass(frozen=True)
class Address:
    add_num: int
    address: str | None
    city_state_zip: str | None
    country: str | None
    remarks: str | None = None


@dataclass(frozen=True)
class Entry:
    """One listed person, entity, vessel or aircraft, with everything the files say about it."""

    uid: int
    name: str
    sdn_type: SdnType
    programs: tuple[str, ...]
    title: str | None
    remarks: str | None
    lists: frozenset[str]
    aliases: tuple[Alias, ...] = ()
    addresses: tuple[Address, ...] = ()
    dobs: tuple[BirthDate, ...] = ()
    pobs: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    gender: str | None = None
    ids: tuple[IdentityNumber, ...] = ()
    weak_aliases: tuple[Alias, ...] = ()
    call_sign: str | None = None
    vessel_type: str | None = None
    tonnage: str | None = None
    grt: str | None = None
    vessel_flag: str | None = None
    vessel_owner: str | None = None
    #: the part of ``remarks`` that came from the comments (spillover) file, if any.
    remarks_spillover: str | None = None

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country the entry is linked to: nationality, citizenship, addresses, POB."""
        seen: dict[str, None] = {}
        for value in (*self.nationalities, *self.citizenships):
            seen[value] = None
        for address in self.addresses:
            if address.country:
                seen[address.country] = None
        for pob in self.pobs:
            seen[pob.rsplit(",", 1)[-1].strip()] = None
        return tuple(seen)

    def section_payloads(self) -> dict[str, object]:
        """The entry split into the sections a delta compares one by one."""
        primary_remarks = self.remarks
        if self.remarks_spillover and primary_remarks is not None:
            primary_remarks = primary_remarks[: len(primary_remarks) - len(self.remarks_spillover)] or None
        return {
            "core": [
                self.uid,
                self.name,
                self.sdn_type,
                sorted(self.programs),
                self.title,
                sorted(self.lists),
                self.call_sign,
                self.vessel_type,
                self.tonnage,
                self.grt,
                self.vessel_flag,
                self.vessel_owner,
            ],
            "remarks_primary": primary_remarks,
            "remarks": self.remarks,
            "aliases": sorted([a.alt_num or 0, a.alt_type, a.name, a.remarks or ""] for a in self.aliases),
            "addresses": sorted(
                [a.add_num, a.address or "", a.city_state_zip or "", a.country or "", a.remarks or ""]
                for a in self.addresses
            ),
        }

    def content_hash(self) -> str:
        """A stable sha256 over a canonical serialisation, so a loader can tell changed entries."""
        payload = self.section_payloads()
        payload.pop("remarks_primary")
        return _sha256_json(payload)


@dataclass(frozen=True)
class FileStatus:
    """Whether one of the eight files was supplied, and if so its digest and row count."""

    name: str
    list: ListName
    part: Part
    supplied: bool
    sha256: str | None = None
    rows: int = 0
    orphan_rows: int = 0  # rows whose ent_num has no primary row (ignored)
    #: why the file is not to the specification (its rows are then not read); None for a good file
    problem: str | None = None

    @property
    def status(self) -> str:
        return "supplied" if self.supplied else "not_supplied"


@dataclass(frozen=True)
class ListSet:
    """One version of the lists: entries keyed by uid, and the status of each file."""

    entries: Mapping[int, Entry]
    files: Mapping[str, FileStatus]

    def supplied(self, list_name: ListName, part: Part) -> bool:
        return any(f.supplied for f in self.files.values() if f.list == list_name and f.part == part)

    @property
    def content_hash(self) -> str:
        """sha256 over the digests of every supplied file, in a fixed order."""
        parts = [f"{name}:{status.sha256}" for name, status in sorted(self.files.items()) if status.supplied]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def problems(self) -> dict[str, str]:
        """File name -> why it is not to the specification, for every such file supplied."""
        return {name: status.problem for name, status in sorted(self.files.items()) if status.problem}


@dataclass(frozen=True)
class Delta:
    added: frozenset[int]
    changed: frozenset[int]
    removed: frozenset[int]
    #: human-readable notes on parts compared only partly because one side did not supply them.
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- low-level reading


def decode_bytes(data: bytes) -> str:
    """Decode as UTF-8 (the spec says ASCII), falling back to cp1252 and then latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _null(value: str) -> str | None:
    stripped = value.strip()
    if stripped == NULL_MARKER or stripped == "":
        return None
    return stripped


def _is_int(value: str) -> bool:
    return value.strip().isdigit()


def read_rows(text: str) -> list[list[str | None]]:
    """CSV rows with nulls as ``None``; the Ctrl-Z line and any non-data row are skipped.

    A row is data when its first field is an integer: that drops an added header row and
    the lone 0x1A end-of-file line alike.
    """
    text = text.replace(EOF_CHAR, "")
    rows: list[list[str | None]] = []
    for raw in csv.reader(io.StringIO(text, newline=""), strict=False):
        if not raw or not _is_int(raw[0]):
            continue
        rows.append([_null(v) for v in raw])
    return rows


def _strict_decode(data: bytes) -> str | None:
    """The text, if the bytes are ASCII, UTF-8 (the spec's ASCII is a subset) or Windows-1252 (a re-save)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|\?xml)\b", re.I)


def file_problem(name: str, data: bytes) -> str | None:
    """Why ``data`` is not an OFAC CSV file of kind ``name`` (e.g. ``sdn.csv``) to the specification, or None.

    The checks, in order: not empty; not markup (a maintenance or error page served with HTTP 200); no NUL
    bytes (UTF-16 or binary); ASCII, UTF-8 or Windows-1252 text with no control characters but the final
    Ctrl-Z; readable as CSV to the end (an unterminated quote means the file was cut short); every row with
    exactly the specification's number of fields and an integer where a number is due; at least one data
    row. One header row whose first field is ``ent_num`` is allowed (copies in the wild add one).
    """
    list_part = FILES.get(_canonical_name(name))
    if list_part is None:
        return f"is not one of OFAC's files ({', '.join(FILES)})"
    part = list_part[1]
    if not data.strip().strip(EOF_CHAR.encode()).strip():
        return "is empty"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return "holds NUL bytes: it is UTF-16 or binary, not the specification's ASCII text"
    text = _strict_decode(data)
    if text is None:
        return "is not ASCII text (nor UTF-8 or Windows-1252), the specification's encoding"
    head = text.lstrip()[:4096]
    if head.startswith("<") or _MARKUP.search(head):
        return "is an HTML page (or other markup), not a CSV file"
    body = text.rstrip()
    if body.endswith(EOF_CHAR):
        body = body[:-1]
    control = _CONTROL.search(body)
    if control:
        line = body.count("\n", 0, control.start()) + 1
        return f"holds the control character {ord(control.group()):#04x} on line {line}"
    columns = COLUMNS[part]
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    data_rows = 0
    first = True
    try:
        for row in reader:
            if not row:
                continue
            if first and row[0].strip().lower() == "ent_num":
                first = False
                continue  # a header row added by whoever copied the file
            first = False
            if len(row) != columns:
                return f"line {reader.line_num} has {len(row)} fields; the specification has {columns}"
            for index, column in NUMBER_COLUMNS[part]:
                if not _is_int(row[index]):
                    return f"line {reader.line_num}: {column} {row[index].strip()[:40]!r} is not an integer"
            data_rows += 1
    except csv.Error as exc:
        line = reader.line_num
        if "unexpected end of data" in str(exc):
            return f"line {line} ends inside a quoted field: the file is cut short"
        if "field larger than field limit" in str(exc):
            return f"line {line}: a field is longer than {csv.field_size_limit():,} characters"
        return f"line {line} is not valid CSV ({exc})"
    if data_rows == 0:
        return "holds no data rows"
    return None


def _field(row: list[str | None], index: int) -> str | None:
    return row[index] if index < len(row) else None


def split_programs(value: str | None) -> tuple[str, ...]:
    """``'SDGT] [IFSR'`` -> ``('SDGT', 'IFSR')``: the file keeps OFAC's bracketed list."""
    if not value:
        return ()
    parts = re.split(r"\]\s*\[", value.strip().strip("[]"))
    return tuple(p.strip() for p in parts if p.strip())


_SDN_TYPES: dict[str, SdnType] = {"individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}


def _sdn_type(value: str | None) -> SdnType:
    return _SDN_TYPES.get((value or "").strip().lower(), "entity")


# --------------------------------------------------------------------------- remarks parsing

_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_DATE = r"(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})"
_DOB_RE = re.compile(
    rf"^(?:alt\.\s*)?DOB:?\s+(circa\s+|c\.\s*|approximately\s+)?{_DATE}(?:\s*(?:to|-)\s*{_DATE})?", re.I
)
_WEAK_AKA_RE = re.compile(r"a\.k\.a\.?,?\s*'(.+?)'(?=\s*(?:;|\.\s*$|\.?\s*$|,\s*a\.k\.a))", re.S)
_COUNTRY_IN_PARENS = re.compile(r"\(([^()]*)\)")

#: identity-number labels seen in the remarks, longest first so that prefixes do not win.
ID_KINDS: tuple[str, ...] = tuple(
    sorted(
        {
            "Passport",
            "Diplomatic Passport",
            "National ID No.",
            "Tax ID No.",
            "Registration Number",
            "SSN",
            "Cedula No.",
            "C.U.R.P.",
            "C.U.R.P. #",
            "R.F.C.",
            "R.F.C. #",
            "NIT #",
            "RUC #",
            "RIF #",
            "D.N.I.",
            "Identification Number",
            "Business Registration Number",
            "Business Registration Document #",
            "Business Number",
            "Registration ID",
            "Company Number",
            "UK Company Number",
            "Folio Mercantil No.",
            "Commercial Registry Number",
            "Unified Social Credit Code (USCC)",
            "Legal Entity Number",
            "V.A.T. Number",
            "Economic Register Number (CBLS)",
            "C.R. No.",
            "Trade License No.",
            "Chamber of Commerce Number",
            "D-U-N-S Number",
            "Central Registration System Number",
            "Istanbul Chamber of Comm. No.",
            "Birth Certificate Number",
            "Driver's License No.",
            "Electoral Registry No.",
            "National Foreign ID Number",
            "Personal ID Card",
            "Italian Fiscal Code",
            "Public Registration Number",
            "Residency Number",
            "Chinese Commercial Code",
            "Permit Number",
            "Registered Charity No.",
            "Dubai Chamber of Commerce Membership No.",
            "Branch Unit Number",
            "Turkish Identification Number",
            "LE Number",
            "Certificate of Incorporation Number",
            "Citizen's Card Number",
            "United Social Credit Code Certificate (USCCC)",
            "Kenyan ID No.",
            "Travel Document Number",
            "Government Gazette Number",
            "Enterprise Number",
            "Organization Code",
            "Matricula Mercantil No",
            "Refugee ID Card",
            "Tazkira National ID Card",
            "Immigration No.",
            "Military Registration Number",
            "Pilot License Number",
            "Moroccan Personal ID No.",
            "Bosnian Personal ID No.",
            "National ID",
            "Tax ID",
            "Credencial electoral",
            "Serial No.",
            "Vessel Registration Identification",
            "Identification Number IMO",
            "MMSI",
            "Company Number IMO",
            "Aircraft Manufacturer's Serial Number (MSN)",
            "Aircraft Tail Number",
            "Stateless Person ID Card",
            "Stateless Person Passport",
            "Afghan Money Service Provider License Number",
            "File Number",
            "Public Security and Immigration No.",
            "VisaNumberID",
            "SRE Permit No.",
            "Aircraft Mode S Transponder Code",
        },
        key=len,
        reverse=True,
    )
)
_ID_RE = re.compile(
    r"^(?:alt\.\s*)?(" + "|".join(re.escape(k) for k in ID_KINDS) + r")[:\s]\s*"
    r"(.+?)(?:\s+\(([^()]+)\))?(?:\s+(?:issued|expires|\().*)?\.?$",
    re.I,
)


@dataclass(frozen=True)
class ParsedRemarks:
    dobs: tuple[BirthDate, ...] = ()
    pobs: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    gender: str | None = None
    ids: tuple[IdentityNumber, ...] = ()
    weak_aliases: tuple[str, ...] = ()


def _parse_dob(segment: str) -> BirthDate | None:
    m = _DOB_RE.match(segment)
    if not m:
        return None
    circa, d1, mon1, y1, _d2, _mon2, y2 = m.groups()
    month = _MONTHS.get(mon1[:3].lower()) if mon1 else None
    year_to = int(y2) if y2 and int(y2) != int(y1) else None
    return BirthDate(
        year=int(y1),
        month=month,
        day=int(d1) if d1 and month else None,
        year_to=year_to,
        circa=bool(circa),
    )


def _segment_value(segment: str, label: str) -> str | None:
    m = re.match(rf"^(?:alt\.\s*)?{label}:?\s+(.+?)\.?$", segment, re.I)
    return m.group(1).strip() if m else None


def _parse_id(segment: str) -> IdentityNumber | None:
    m = _ID_RE.match(segment)
    if not m:
        return None
    kind_text, number, country = m.groups()
    kind = next((k for k in ID_KINDS if k.lower() == kind_text.lower()), kind_text)
    number = number.strip().rstrip(".")
    if not number or not re.search(r"\d", number) and len(number) < 4:
        return None
    return IdentityNumber(kind=kind, number=number, country=country.strip() if country else None)


def extract_weak_aliases(remarks: str | None) -> tuple[str, ...]:
    """Names in ``a.k.a. 'X'`` (also ``a.k.a., 'X'``): OFAC's weak aliases, kept in the remarks."""
    if not remarks:
        return ()
    names: dict[str, None] = {}
    for m in _WEAK_AKA_RE.finditer(remarks):
        name = m.group(1).strip()
        if name:
            names[name] = None
    return tuple(names)


def parse_remarks(remarks: str | None) -> ParsedRemarks:
    """Pull dates and places of birth, nationality, citizenship, gender and identity numbers.

    Remarks are ``;``-separated segments such as ``DOB 12 Jan 1960``, ``POB Tehran, Iran``,
    ``nationality Iran``, ``Passport A123 (Iran)``; the patterns come from the real files.
    """
    if not remarks:
        return ParsedRemarks()
    dobs: list[BirthDate] = []
    pobs: list[str] = []
    nationalities: list[str] = []
    citizenships: list[str] = []
    ids: list[IdentityNumber] = []
    gender: str | None = None
    for raw_segment in remarks.split(";"):
        segment = raw_segment.strip().rstrip(".").strip()
        if not segment or segment.lower().startswith("a.k.a"):
            continue
        lowered = segment.lower()
        if "dob" in lowered[:9]:
            dob = _parse_dob(segment)
            if dob:
                dobs.append(dob)
            continue
        if (value := _segment_value(segment, "POB")) is not None:
            pobs.append(value)
        elif (value := _segment_value(segment, "nationality")) is not None:
            nationalities.append(value)
        elif (value := _segment_value(segment, "citizen")) is not None:
            citizenships.append(value)
        elif (value := _segment_value(segment, "Gender")) is not None:
            gender = value.capitalize()
        elif (ident := _parse_id(segment)) is not None:
            ids.append(ident)
    return ParsedRemarks(
        dobs=tuple(dict.fromkeys(dobs)),
        pobs=tuple(dict.fromkeys(pobs)),
        nationalities=tuple(dict.fromkeys(nationalities)),
        citizenships=tuple(dict.fromkeys(citizenships)),
        gender=gender,
        ids=tuple(dict.fromkeys(ids)),
        weak_aliases=extract_weak_aliases(remarks),
    )


# --------------------------------------------------------------------------- loading


def _sha256_json(payload: object) -> str:
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class _Draft:
    uid: int
    name: str
    sdn_type: SdnType
    programs: list[str]
    title: str | None
    remarks: str | None
    lists: set[str]
    vessel: tuple[str | None, ...]
    spillover: str | None = None
    aliases: dict[tuple[int | None, str], Alias] = field(default_factory=dict)
    addresses: dict[int, Address] = field(default_factory=dict)


def _canonical_name(name: str) -> str:
    key = name.strip().lower()
    return _FILE_NAME_ALIASES.get(key, key)


def load_files(files: Mapping[str, bytes]) -> ListSet:
    """Build a :class:`ListSet` from file contents keyed by file name (e.g. bytes from HTTP).

    Names are OFAC's (``sdn.csv``, ``cons_prim.csv``...), case-insensitive.  A file missing
    from ``files`` is recorded as ``not_supplied``; unknown names are ignored.  A file that
    :func:`file_problem` refuses is supplied, with its problem recorded and no rows.
    """
    contents = {_canonical_name(name): data for name, data in files.items()}
    rows: dict[str, list[list[str | None]]] = {}
    statuses: dict[str, FileStatus] = {}
    for name, (list_name, part) in FILES.items():
        if name not in contents:
            statuses[name] = FileStatus(name=name, list=list_name, part=part, supplied=False)
            continue
        data = contents[name]
        problem = file_problem(name, data)
        # A file that is not to the specification is not read at all: half a file is worse than none.
        rows[name] = [] if problem else read_rows(decode_bytes(data))
        statuses[name] = FileStatus(
            name=name,
            list=list_name,
            part=part,
            supplied=True,
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(rows[name]),
            problem=problem,
        )

    drafts: dict[int, _Draft] = {}
    for name, (list_name, part) in FILES.items():
        if part != "primary" or name not in rows:
            continue
        for row in rows[name]:
            _add_primary(drafts, row, list_name)

    for name, (_list_name, part) in FILES.items():
        if part == "primary" or name not in rows:
            continue
        orphans = 0
        for row in rows[name]:
            uid = int(row[0] or 0)
            draft = drafts.get(uid)
            if draft is None:
                orphans += 1
                continue
            if part == "comments":
                _add_comment(draft, row)
            elif part == "aliases":
                _add_alias(draft, row)
            else:
                _add_address(draft, row)
        statuses[name] = replace(statuses[name], orphan_rows=orphans)

    entries = {uid: _finish(draft) for uid, draft in sorted(drafts.items())}
    return ListSet(entries=entries, files=statuses)


def _add_primary(drafts: dict[int, _Draft], row: list[str | None], list_name: str) -> None:
    uid = int(row[0] or 0)
    name = _field(row, 1) or ""
    programs = list(split_programs(_field(row, 3)))
    vessel = tuple(_field(row, i) for i in range(5, 11))
    remarks = _field(row, 11)
    existing = drafts.get(uid)
    if existing is None:
        drafts[uid] = _Draft(
            uid=uid,
            name=name,
            sdn_type=_sdn_type(_field(row, 2)),
            programs=programs,
            title=_field(row, 4),
            remarks=remarks,
            lists={list_name},
            vessel=vessel,
        )
        return
    # The same uid on both lists: one entry, on both lists, with the union of programs.
    existing.lists.add(list_name)
    existing.programs.extend(p for p in programs if p not in existing.programs)
    if not existing.remarks and remarks:
        existing.remarks = remarks


def _add_comment(draft: _Draft, row: list[str | None]) -> None:
    text = _field(row, 1)
    if not text:
        return
    if draft.spillover and draft.remarks and draft.remarks.endswith(text):
        return  # the same spillover supplied by both lists
    # The spillover carries on mid-word: join with no separator.
    draft.remarks = (draft.remarks or "") + text
    draft.spillover = (draft.spillover or "") + text


def _alt_type(value: str | None) -> Literal["aka", "fka", "nka"]:
    lowered = (value or "aka").strip().lower().replace(".", "")
    return lowered if lowered in ("aka", "fka", "nka") else "aka"  # type: ignore[return-value]


def _add_alias(draft: _Draft, row: list[str | None]) -> None:
    name = _field(row, 3)
    if not name:
        return
    alt_num = int(row[1]) if _field(row, 1) and (row[1] or "").isdigit() else None
    draft.aliases[(alt_num, name)] = Alias(
        alt_num=alt_num,
        alt_type=_alt_type(_field(row, 2)),
        name=name,
        remarks=_field(row, 4),
    )


def _add_address(draft: _Draft, row: list[str | None]) -> None:
    add_num = int(row[1]) if _field(row, 1) and (row[1] or "").isdigit() else 0
    draft.addresses[add_num] = Address(
        add_num=add_num,
        address=_field(row, 2),
        city_state_zip=_field(row, 3),
        country=_field(row, 4),
        remarks=_field(row, 5),
    )


def _finish(draft: _Draft) -> Entry:
    parsed = parse_remarks(draft.remarks)
    weak = tuple(Alias(alt_num=None, alt_type="aka", name=n, weak=True) for n in parsed.weak_aliases)
    aliases = tuple(sorted(draft.aliases.values(), key=lambda a: (a.alt_num or 0, a.name)))
    addresses = tuple(sorted(draft.addresses.values(), key=lambda a: a.add_num))
    call_sign, vessel_type, tonnage, grt, vessel_flag, vessel_owner = draft.vessel
    return Entry(
        uid=draft.uid,
        name=draft.name,
        sdn_type=draft.sdn_type,
        programs=tuple(draft.programs),
        title=draft.title,
        remarks=draft.remarks,
        lists=frozenset(draft.lists),
        aliases=aliases,
        addresses=addresses,
        dobs=parsed.dobs,
        pobs=parsed.pobs,
        nationalities=parsed.nationalities,
        citizenships=parsed.citizenships,
        gender=parsed.gender,
        ids=parsed.ids,
        weak_aliases=weak,
        call_sign=call_sign,
        vessel_type=vessel_type,
        tonnage=tonnage,
        grt=grt,
        vessel_flag=vessel_flag,
        vessel_owner=vessel_owner,
        remarks_spillover=draft.spillover,
    )


def load_folder(path: str | Path, names: Iterable[str] | None = None) -> ListSet:
    """Load the OFAC files found in a folder; files that are absent are ``not_supplied``."""
    folder = Path(path)
    wanted = {_canonical_name(n) for n in names} if names is not None else None
    files: dict[str, bytes] = {}
    for child in sorted(folder.iterdir()):
        key = _canonical_name(child.name)
        if child.is_file() and key in FILES and (wanted is None or key in wanted):
            files[key] = child.read_bytes()
    return load_files(files)


def load_folders(*paths: str | Path) -> ListSet:
    """Load several folders as one version (e.g. a primary list plus an alias supplement).

    When two folders hold the same file name, the later folder wins.
    """
    files: dict[str, bytes] = {}
    for path in paths:
        for child in sorted(Path(path).iterdir()):
            key = _canonical_name(child.name)
            if child.is_file() and key in FILES:
                files[key] = child.read_bytes()
    return load_files(files)


# --------------------------------------------------------------------------- delta


def _comparable_lists(old: ListSet, new: ListSet) -> set[str]:
    return {name for name in ("SDN", "CONS") if old.supplied(name, "primary") and new.supplied(name, "primary")}


def _both_supplied(old: ListSet, new: ListSet, lists: frozenset[str], part: Part) -> bool:
    """True when, for every list the entry is on, both versions supplied ``part``."""
    return all(old.supplied(name, part) and new.supplied(name, part) for name in lists)


def diff(old: ListSet, new: ListSet) -> Delta:
    """Entries added, changed and removed between two versions.

    Only lists whose primary file both versions supplied are compared.  For a part that one
    side did not supply (aliases, addresses, remarks spillover), that part is left out of the
    comparison instead of being read as empty.
    """
    comparable = _comparable_lists(old, new)
    notes: list[str] = []
    for list_name in ("SDN", "CONS"):
        if list_name not in comparable and (old.supplied(list_name, "primary") or new.supplied(list_name, "primary")):
            notes.append(f"{list_name}: primary file not supplied in both versions; list not compared")
        for part in ("aliases", "addresses", "comments"):
            if list_name in comparable and not (old.supplied(list_name, part) and new.supplied(list_name, part)):
                notes.append(f"{list_name}: {part} not supplied in both versions; compared without them")

    def in_scope(entry: Entry) -> bool:
        return bool(entry.lists & comparable)

    old_ids = {uid for uid, e in old.entries.items() if in_scope(e)}
    new_ids = {uid for uid, e in new.entries.items() if in_scope(e)}
    changed: set[int] = set()
    for uid in old_ids & new_ids:
        a, b = old.entries[uid], new.entries[uid]
        lists = frozenset((a.lists | b.lists) & comparable)
        pa, pb = a.section_payloads(), b.section_payloads()
        sections = ["core"]
        if _both_supplied(old, new, lists, "aliases"):
            sections.append("aliases")
        if _both_supplied(old, new, lists, "addresses"):
            sections.append("addresses")
        sections.append("remarks" if _both_supplied(old, new, lists, "comments") else "remarks_primary")
        if any(pa[s] != pb[s] for s in sections):
            changed.add(uid)
    return Delta(
        added=frozenset(new_ids - old_ids),
        changed=frozenset(changed),
        removed=frozenset(old_ids - new_ids),
        notes=tuple(notes),
    )
