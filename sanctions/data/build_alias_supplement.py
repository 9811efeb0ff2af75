"""Build the bundled alias supplement: newer alt.csv rows for entries of an older sdn.csv.

The newest complete sdn.csv we bundle (2024-06) came without its alt.csv.  A newer alt.csv
(2026) exists; this script keeps the rows of that alt.csv whose ent_num is present in the
older sdn.csv and drops the rest.  Kept rows are copied byte for byte (CRLF, quoting), and a
trailing Ctrl-Z end-of-file line is kept.  It is a cross-date join: see PROVENANCE.md.

Usage::

    python sanctions/data/build_alias_supplement.py NEW_ALT_CSV OLD_SDN_CSV OUT_ALT_CSV
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

EOF_LINE = b"\x1a"


def records(data: bytes) -> list[bytes]:
    """Split a CRLF file into records, keeping line endings; a quoted CRLF stays inside its record."""
    out: list[bytes] = []
    pending = b""
    for line in data.splitlines(keepends=True):
        pending += line
        if pending.count(b'"') % 2 == 0:
            out.append(pending)
            pending = b""
    if pending:
        out.append(pending)
    return out


def first_field(record: bytes) -> str:
    return record.split(b",", 1)[0].strip().decode("ascii", "replace")


def listed_ent_nums(sdn_csv: bytes) -> set[int]:
    text = sdn_csv.decode("utf-8", "replace").replace("\x1a", "")
    return {int(row[0]) for row in csv.reader(io.StringIO(text, newline="")) if row and row[0].strip().isdigit()}


def build(new_alt: bytes, old_sdn: bytes) -> tuple[bytes, int, int]:
    """Return (supplement bytes, rows kept, rows dropped)."""
    wanted = listed_ent_nums(old_sdn)
    kept: list[bytes] = []
    n_kept = n_dropped = 0
    for record in records(new_alt):
        if record.strip() == EOF_LINE:
            kept.append(record)
            continue
        key = first_field(record)
        if not key.isdigit():
            kept.append(record)  # a header row, if any: not data
            continue
        if int(key) in wanted:
            kept.append(record)
            n_kept += 1
        else:
            n_dropped += 1
    return b"".join(kept), n_kept, n_dropped


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    new_alt, old_sdn, out = (Path(a) for a in argv[1:])
    data, n_kept, n_dropped = build(new_alt.read_bytes(), old_sdn.read_bytes())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"kept {n_kept} rows, dropped {n_dropped} rows -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
