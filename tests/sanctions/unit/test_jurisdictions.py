"""Embargoed jurisdictions from ISO codes and free text."""

from __future__ import annotations

import pytest

from sanctions.jurisdictions import AS_OF, JURISDICTIONS, SOURCE, embargo_hits, ended_programs


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("CU", None, "CU"),
        ("ir", None, "IR"),
        ("KP", None, "KP"),
        (None, "Iran", "IR"),
        (None, "Islamic Republic of Iran", "IR"),
        (None, "Tehran 15946", "IR"),
        (None, "Cuba", "CU"),
        (None, "La Habana", "CU"),
        (None, "Havana", "CU"),
        (None, "DPRK", "KP"),
        (None, "Korea, North", "KP"),
        (None, "North Korea", "KP"),
        (None, "Pyongyang", "KP"),
        (None, "Simferopol, Crimea, Ukraine", "UA-CRIMEA"),
        (None, "Sevastopol", "UA-CRIMEA"),
        (None, "Donetsk, Ukraine", "UA-DNR"),
        (None, "Luhansk", "UA-LNR"),
        (None, "Lugansk region", "UA-LNR"),
    ],
)
def test_embargo_hits(code, text, expected):
    assert [j.key for j, _ in embargo_hits(code, text)] == [expected]


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("US", "New York"),
        ("UA", "Kyiv, Ukraine"),
        ("KR", "Seoul, Korea, South"),
        (None, "Syria"),
        (None, "Damascus"),
        (None, "Irani Street, Mumbai"),
        (None, "Cubano Imports, Miami"),
    ],
)
def test_no_hit(code, text):
    assert embargo_hits(code, text) == []


def test_reasons_and_table():
    [(jurisdiction, reason)] = embargo_hits(None, "12 Kirova St, Yalta")
    assert jurisdiction.key == "UA-CRIMEA" and "yalta" in reason
    assert {j.key for j in JURISDICTIONS} == {"CU", "IR", "KP", "UA-CRIMEA", "UA-DNR", "UA-LNR"}
    assert SOURCE and AS_OF.isoformat() == "2025-07-01"


def test_syria_recorded_as_ended():
    [syria] = [p for p in ended_programs() if p["key"] == "SY"]
    assert syria["ended"] == "2025-07-01"
