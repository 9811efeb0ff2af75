"""Delta between two list versions, honouring parts that one side did not supply."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sanctions import ofac


def test_diff_2021_to_2024_is_plausible(sdn_2021, sdn_2024):
    delta = ofac.diff(sdn_2021, sdn_2024)
    # 15,402 entries in 2024 against 8,976 in 2021.
    assert len(sdn_2024) - len(sdn_2021) == len(delta.added) - len(delta.removed)
    assert 6000 < len(delta.added) < 8000
    assert 500 < len(delta.removed) < 1500
    assert 300 < len(delta.changed) < 2000
    assert any("aliases not supplied" in note for note in delta.notes)


def test_aliases_not_supplied_are_not_reported_as_removed(sdn_2021, sdn_2024):
    delta = ofac.diff(sdn_2021, sdn_2024)
    unchanged = [
        uid
        for uid in set(sdn_2021.entries) & set(sdn_2024.entries)
        if uid not in delta.changed and sdn_2021.entries[uid].aliases
    ]
    # thousands of 2021 entries had aliases; 2024 supplies none, and they are not all "changed".
    assert len(unchanged) > 2000
    aerocaribbean = 36
    assert sdn_2021.entries[aerocaribbean].aliases and not sdn_2024.entries[aerocaribbean].aliases
    assert aerocaribbean not in delta.changed


def test_diff_sees_alias_changes_when_both_supply_them(sdn_2021):
    uid = 36
    entries = dict(sdn_2021.entries)
    entries[uid] = replace(entries[uid], aliases=())
    changed = ofac.ListSet(entries=entries, files=sdn_2021.files)
    delta = ofac.diff(sdn_2021, changed)
    assert delta.changed == {uid} and not delta.added and not delta.removed


def test_diff_of_identical_versions_is_empty(sdn_2024):
    delta = ofac.diff(sdn_2024, ofac.load_folder(sdn_2024_path()))
    assert not delta.added and not delta.changed and not delta.removed


def test_list_not_supplied_on_one_side_is_not_removed(sdn_2024, sdn_and_cons):
    delta = ofac.diff(sdn_and_cons, sdn_2024)
    assert not delta.removed and not delta.added  # CONS entries are not "removed": CONS was not supplied
    assert any("CONS" in note for note in delta.notes)


def sdn_2024_path() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "ofac" / "sdn_2024-06"
