"""The bundled list copies are byte-for-byte copies and their manifest is consistent."""

from __future__ import annotations

import json
from pathlib import Path

from sanctions import ofac

ROOT = Path(__file__).resolve().parents[3]
BUNDLED = ROOT / "sanctions" / "data"
TEST_DATA = ROOT / "tests" / "data" / "ofac"


def test_manifest_lists_existing_files():
    manifest = json.loads((BUNDLED / "bundled.json").read_text())
    assert {p["folder"] for p in manifest["parts"]} == {
        "sdn_2024-06",
        "alias_supplement_2026",
        "cons_2025-12",
    }
    for part in manifest["parts"]:
        assert part["list"] in {"SDN", "CONS"} and part["publish_date"] and part["label"]
        for name in part["files"]:
            assert (BUNDLED / part["folder"] / name).is_file()


def test_bundled_copies_equal_test_copies():
    for name in ("sdn.csv", "add.csv"):
        assert (BUNDLED / "sdn_2024-06" / name).read_bytes() == (TEST_DATA / "sdn_2024-06" / name).read_bytes()
    for path in (BUNDLED / "cons_2025-12").iterdir():
        assert path.read_bytes() == (TEST_DATA / "cons_2025-12" / path.name).read_bytes()


def test_alias_supplement_only_references_2024_entries():
    sdn = ofac.load_folder(BUNDLED / "sdn_2024-06")
    supplement = (BUNDLED / "alias_supplement_2026" / "alt.csv").read_bytes()
    assert supplement.endswith(b"\r\n\x1a")
    rows = ofac.read_rows(ofac.decode_bytes(supplement))
    assert len(rows) == 17844
    assert all(int(row[0]) in sdn.entries for row in rows)
    combined = ofac.load_folders(BUNDLED / "sdn_2024-06", BUNDLED / "alias_supplement_2026")
    assert combined.files["alt.csv"].orphan_rows == 0
    assert combined.files["sdn_comments.csv"].status == "not_supplied"
