"""The export's last guard: every stretch of text that a known value covers is masked, and nothing else."""

import pytest

from onboarding.crypto import MASK
from onboarding.services.export_guard import PersonalDataGuard


def guard_of(*values: str) -> PersonalDataGuard:
    guard = PersonalDataGuard()
    guard._add(set(values))
    return guard


@pytest.mark.parametrize(
    ("values", "text", "expected"),
    [
        ((), "SSN 212-54-3321", "SSN 212-54-3321"),
        (("212543321", "212-54-3321"), "SSN 212-54-3321 or 212543321.", f"SSN {MASK} or {MASK}."),
        (("212543321",), "x212543321212543321y", f"x{MASK}y"),  # two in a row: one stretch
        (("12345678", "5678901"), "1234567890123", f"{MASK}23"),  # overlapping: both covered whole
        (("abcd", "cdefgh"), "abcdefgh!", f"{MASK}!"),  # a shorter one first, a longer one inside it
        (("1980-05-17",), "born 1980-05-18", "born 1980-05-18"),
        (("123",), "code 123", "code 123"),  # too short to mask without masking ordinary numbers
    ],
)
def test_text_is_masked_where_a_value_covers_it(values, text, expected):
    assert guard_of(*values).text(text) == expected


def test_rows_are_masked_all_through():
    guard = guard_of("482910337765")
    row = {"details": {"account": "482910337765", "list": ["acct 482910337765", 482910337765]}, "n": 1}
    assert guard.scrub(row) == {"details": {"account": MASK, "list": [f"acct {MASK}", 482910337765]}, "n": 1}
