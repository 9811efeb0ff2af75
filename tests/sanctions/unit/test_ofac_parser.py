"""The OFAC legacy CSV parser, on the real list files in tests/data/ofac."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from sanctions import ofac
from sanctions.ofac import BirthDate, IdentityNumber

DATA = Path(__file__).resolve().parents[2] / "data" / "ofac"


def test_row_counts_match_the_source_notes(sdn_2021, sdn_2024, cons_2025, sample_2025):
    # SOURCE.md: data rows per file (header rows not counted).
    assert {n: f.rows for n, f in sdn_2021.files.items() if f.supplied} == {
        "sdn.csv": 8976,
        "add.csv": 13837,
        "alt.csv": 11910,
        "sdn_comments.csv": 5,
    }
    assert {n: f.rows for n, f in sdn_2024.files.items() if f.supplied} == {
        "sdn.csv": 15402,
        "add.csv": 20871,
    }
    assert {n: f.rows for n, f in cons_2025.files.items() if f.supplied} == {
        "cons_prim.csv": 442,
        "cons_add.csv": 574,
        "cons_alt.csv": 1073,
        "cons_comments.csv": 10,
    }
    assert {n: f.rows for n, f in sample_2025.files.items() if f.supplied} == {
        "sdn.csv": 17,
        "add.csv": 28,
        "alt.csv": 18,
        "sdn_comments.csv": 1,
    }


def test_entry_types_and_minus_zero_entity(sdn_2021, sdn_2024, cons_2025):
    assert Counter(e.sdn_type for e in sdn_2021.entries.values()) == {
        "individual": 4620,
        "entity": 3673,
        "vessel": 406,
        "aircraft": 277,
    }
    assert Counter(e.sdn_type for e in sdn_2024.entries.values()) == {
        "individual": 6915,
        "entity": 7252,
        "vessel": 861,
        "aircraft": 374,
    }
    assert Counter(e.sdn_type for e in cons_2025.entries.values()) == {"individual": 79, "entity": 363}
    # "-0- " in the type column means entity; nulls elsewhere are None, never "-0-".
    cuba = sdn_2024.entries[306]
    assert cuba.sdn_type == "entity" and cuba.name == "BANCO NACIONAL DE CUBA"
    assert cuba.title is None and cuba.call_sign is None
    assert all("-0-" not in (e.title or "") for e in sdn_2024.entries.values())


def test_alias_types(sdn_2021):
    counts = Counter(a.alt_type for e in sdn_2021.entries.values() for a in e.aliases)
    assert counts == {"aka": 11523, "fka": 369, "nka": 18}
    assert sum(1 for e in sdn_2021.entries.values() if e.aliases) == 4139


def test_every_2021_entry_has_an_address_row(sdn_2021):
    assert all(e.addresses for e in sdn_2021.entries.values())
    havana = sdn_2021.entries[36].addresses[0]
    assert (havana.address, havana.city_state_zip, havana.country) == (None, "Havana", "Cuba")


def test_programs_are_split(sample_2025):
    assert sample_2025.entries[11195].programs == ("NPWMD", "IFSR", "IRAN-CON-ARMS-EO")


def test_split_programs_function():
    assert ofac.split_programs("SDGT] [IFSR") == ("SDGT", "IFSR")
    assert ofac.split_programs("CUBA") == ("CUBA",)
    assert ofac.split_programs(None) == ()


def test_header_row_is_skipped_and_eof_line_ignored(sdn_2024):
    raw = (DATA / "sdn_2024-06" / "sdn.csv").read_bytes()
    assert raw.startswith(b"ent_num,") and raw.endswith(b"\x1a")
    assert min(sdn_2024.entries) == 36  # the header is not an entry


def test_parser_handles_minimal_synthetic_variants():
    header = b"ent_num,SDN_name,SDN_type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n"
    row = b'1,"DOE, John","individual","SDGT] [IFSR",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1960; cut he'
    files = {
        "SDN.CSV": header + row + b'"\r\n2,"ACME, LTD.",-0-,"CUBA",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n\x1a',
        "sdn_comments.csv": b'1,"re; nationality Iran."\r\n',
    }
    listed = ofac.load_files(files)
    doe = listed.entries[1]
    assert doe.programs == ("SDGT", "IFSR")
    assert doe.remarks == "DOB 1960; cut here; nationality Iran."  # joined with no separator
    assert doe.nationalities == ("Iran",)
    assert listed.entries[2].sdn_type == "entity" and listed.entries[2].remarks is None
    assert listed.files["alt.csv"].status == "not_supplied"


def test_decoding_falls_back_to_cp1252():
    data = '1,"CAF\u00c9 NOIR",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'.encode("cp1252")
    assert ofac.load_files({"sdn.csv": data}).entries[1].name == "CAF\u00c9 NOIR"


def test_comments_join_with_no_separator(sdn_2021):
    raw = (DATA / "sdn_full_2021-07" / "sdn_comments.csv").read_text()
    uid = 12300
    entry = sdn_2021.entries[uid]
    spill = raw.split(f"{uid},", 1)[1].split('"')[1]
    assert entry.remarks.endswith(spill)
    assert entry.remarks_spillover == spill
    assert len(entry.remarks) == 1000 + len(spill) or len(entry.remarks) > 1000


def test_remarks_parsing_on_real_entries(sample_2025, sdn_2024):
    logan = sample_2025.entries[10278]
    assert logan.dobs == (BirthDate(1963, 7, 28),)
    assert logan.pobs == ("Toledo District, Belize",)
    assert IdentityNumber("Passport", "P0017003", "Belize") in logan.ids
    assert IdentityNumber("SSN", "561-77-9011", "United States") in logan.ids
    assert [a.name for a in logan.weak_aliases] == ["BURTON BURGESS"]
    assert all(a.weak for a in logan.weak_aliases)
    haniya = ofac.load_folder(DATA / "cons_2025-12").entries[9639]
    assert haniya.dobs == (BirthDate(1962),) and haniya.pobs == ("Shati",)
    genders = Counter(e.gender for e in sdn_2024.entries.values() if e.gender)
    assert genders["Male"] > 3000 and genders["Female"] > 400
    assert sum(1 for e in sdn_2024.entries.values() if e.dobs) > 6000
    assert sum(1 for e in sdn_2024.entries.values() if "Iran" in e.nationalities) > 400


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        ("DOB 12 Jan 1960", BirthDate(1960, 1, 12)),
        ("DOB 1960", BirthDate(1960)),
        ("DOB circa 1960", BirthDate(1960, circa=True)),
        ("DOB 1958 to 1962", BirthDate(1958, year_to=1962)),
        ("DOB Jan 1960", BirthDate(1960, 1)),
        ("alt. DOB 01 Jan 1958 to 31 Dec 1962", BirthDate(1958, 1, 1, year_to=1962)),
    ],
)
def test_dob_forms(segment, expected):
    assert ofac.parse_remarks(segment + ".").dobs == (expected,)


def test_remarks_fields():
    parsed = ofac.parse_remarks(
        "DOB 12 Jan 1960; alt. DOB 1961; POB Tehran, Iran; nationality Iran; citizen Iraq; Gender Male; "
        "Passport A123456 (Iran) expires 01 Jan 2030; National ID No. 0012345678 (Iran); "
        "Tax ID No. 7701 (Russia); "
        "Registration Number 1027700 (Russia); a.k.a. 'ABU X'; a.k.a., 'THE OLD'."
    )
    assert parsed.dobs == (BirthDate(1960, 1, 12), BirthDate(1961))
    assert parsed.pobs == ("Tehran, Iran",)
    assert parsed.nationalities == ("Iran",) and parsed.citizenships == ("Iraq",)
    assert parsed.gender == "Male"
    assert [(i.kind, i.number, i.country) for i in parsed.ids] == [
        ("Passport", "A123456", "Iran"),
        ("National ID No.", "0012345678", "Iran"),
        ("Tax ID No.", "7701", "Russia"),
        ("Registration Number", "1027700", "Russia"),
    ]
    assert parsed.weak_aliases == ("ABU X", "THE OLD")


def test_weak_aliases_with_apostrophes():
    assert ofac.extract_weak_aliases("a.k.a. 'ABU 'ABDALLAH'; a.k.a. 'MERA'I'.") == (
        "ABU 'ABDALLAH",
        "MERA'I",
    )


def test_weak_alias_count_2024(sdn_2024):
    # SOURCE.md counts 3,705 "a.k.a. '" occurrences over 2,158 entries; 3 of them are cut by the
    # 1,000-character remarks limit and this version has no sdn_comments.csv to complete them.
    assert sum(len(e.weak_aliases) for e in sdn_2024.entries.values()) == 3702
    assert sum(1 for e in sdn_2024.entries.values() if e.weak_aliases) == 2158


def test_entries_on_both_lists_are_merged(sdn_and_cons):
    both = [e for e in sdn_and_cons.entries.values() if e.lists == {"SDN", "CONS"}]
    assert len(both) == 62
    haniya = sdn_and_cons.entries[9647]
    assert set(haniya.programs) == {"SDGT", "NS-PLC"}
    assert len(sdn_and_cons) == 15402 + 442 - 62


def test_not_supplied_is_recorded(sdn_2024):
    status = {n: f.status for n, f in sdn_2024.files.items()}
    assert status["sdn.csv"] == status["add.csv"] == "supplied"
    assert status["alt.csv"] == status["sdn_comments.csv"] == "not_supplied"
    assert status["cons_prim.csv"] == "not_supplied"
    assert (
        sdn_2024.files["sdn.csv"].sha256 == hashlib.sha256((DATA / "sdn_2024-06" / "sdn.csv").read_bytes()).hexdigest()
    )


def test_orphan_rows_are_counted_not_loaded(sample_2025):
    assert sample_2025.files["alt.csv"].orphan_rows == 5  # e.g. ent 10416 has an alias but no sdn row
    assert 10416 not in sample_2025.entries


def test_content_hashes_are_stable(sdn_2024):
    again = ofac.load_folder(DATA / "sdn_2024-06")
    assert again.content_hash == sdn_2024.content_hash
    assert again.entries[306].content_hash() == sdn_2024.entries[306].content_hash()
    assert sdn_2024.entries[306].content_hash() != sdn_2024.entries[36].content_hash()


def test_load_files_equals_load_folder(sample_2025):
    folder = DATA / "sample_2025-05"
    from_bytes = ofac.load_files({p.name: p.read_bytes() for p in folder.iterdir()})
    assert from_bytes.content_hash == sample_2025.content_hash
    assert from_bytes.entries.keys() == sample_2025.entries.keys()
