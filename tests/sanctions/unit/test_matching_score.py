"""Pairwise scoring: what must score high, what must not, and secondary factors."""

from __future__ import annotations

import pytest

from sanctions.matching import DEFAULT_THRESHOLDS, adjust, score_names
from sanctions.ofac import BirthDate, Entry

REVIEW = DEFAULT_THRESHOLDS.review


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Ismail Abdul Salah Haniya", "HANIYA, Ismail Abdul Salah"),  # order and comma form
        ("ismail abdul salah haniya", "HANIYA, Ismail Abdul Salah"),  # case
        ("Ismaïl Abdul Salah Haniyà", "HANIYA, Ismail Abdul Salah"),  # diacritics
        ("Ismail Abdul-Salah Haniya", "HANIYA, Ismail Abdul Salah"),  # punctuation
        ("Ismail A. S. Haniya", "HANIYA, Ismail Abdul Salah"),  # initials
        ("Ismail Salah Haniya", "HANIYA, Ismail Abdul Salah"),  # middle name dropped
        ("Ismail Abdul Salah Haniyya", "HANIYA, Ismail Abdul Salah"),  # doubled letter
        ("Ismial Abdul Salah Haniya", "HANIYA, Ismail Abdul Salah"),  # transposition
        ("Ismail Abdul Salah Hanuya", "HANIYA, Ismail Abdul Salah"),  # typo
        ("Ismail Abdul Salah Hny", "HANIYA, Ismail Abdul Salah"),  # dropped vowels
        ("Mr Ismail Abdul Salah Haniya", "HANIYA, Ismail Abdul Salah"),  # honorific
        ("Mohamed Abdelrahman Alshanti", "AL-SHANTI, Muhammad Abd al-Rahman"),  # romanisation, spacing
        ("Banco Nacional de Cuba S.A.", "BANCO NACIONAL DE CUBA"),
        ("BANC0 NAC1ONAL DE CUBA", "BANCO NACIONAL DE CUBA"),  # OCR
        ("BANCO NACIONAL DE CUB", "BANCO NACIONAL DE CUBA"),  # truncation
        ("Yevgeny Viktorovich Prigozhin", "PRIGOZHIN, Yevgeniy Viktorovich"),
        ("Kim Jong Un", "KIM, Jong Un"),
    ],
)
def test_variants_score_at_least_review(query, listed):
    kind = "business" if "BANCO" in listed else "person"
    match = score_names(query, listed, kind)
    assert match.score >= REVIEW, (query, listed, match)
    assert match.reasons


@pytest.mark.parametrize(
    ("query", "listed", "kind"),
    [
        ("John Smith", "John Doe", "person"),
        ("Wei Zhang", "Wei Chen", "person"),
        ("Golden Dragon Restaurant", "Golden Star Trading", "business"),
        ("Maria Garcia", "Maria Lopez", "person"),
        ("Kim Min-jun", "Park Min-jun", "person"),
        ("Pacific Trading LLC", "Atlantic Trading LLC", "business"),
    ],
)
def test_one_shared_common_token_is_not_a_match(query, listed, kind):
    assert score_names(query, listed, kind).score < DEFAULT_THRESHOLDS.near_miss


def test_unmatched_token_is_explained():
    match = score_names("John Smith", "John Doe", "person")
    assert any("not matched" in r and "smith" in r for r in match.reasons)


def _person(dobs=(), nationalities=(), citizenships=()) -> Entry:
    return Entry(
        uid=1,
        name="X, Y",
        sdn_type="individual",
        programs=("SDGT",),
        title=None,
        remarks=None,
        lists=frozenset({"SDN"}),
        dobs=tuple(dobs),
        nationalities=tuple(nationalities),
        citizenships=tuple(citizenships),
    )


def test_adjust_dob_and_country():
    entry = _person([BirthDate(1962, 1, 12)], ["Iran"])
    up, reasons, contradicted = adjust(0.88, "1962-01-12", "IR", entry)
    assert up > 0.88 and not contradicted and len(reasons) == 2
    down, reasons, contradicted = adjust(0.88, "1990-05-01", "US", entry)
    assert down < 0.88 - 0.1 and contradicted
    near, _, contradicted = adjust(0.88, "1963", None, entry)
    assert near == 0.88 and not contradicted  # within two years: neither raised nor contradicted


@pytest.mark.parametrize(
    ("query_dob", "expected"),
    [
        ("1972-10-12", "date of birth matches"),
        ("1972-03-04", "year of birth matches"),
        ("1974-10-12", "year of birth within 2 years of a listed date of birth"),
        ("1990-10-12", "date of birth contradicts the listed dates of birth"),
    ],
)
def test_hit_reasons_name_no_date(query_dob, expected):
    """Reasons are stored on hits and shown in the admin: the applicant's date of birth is personal data."""
    entry = _person([BirthDate(1972, 10, 12), BirthDate(1970, year_to=1971)])
    _, reasons, _ = adjust(0.9, query_dob, None, entry)
    assert reasons == [expected]
    assert not any(ch.isdigit() for ch in reasons[0].replace("2 years", ""))


def test_adjust_dob_range_and_missing_data():
    entry = _person([BirthDate(1958, year_to=1962)])
    assert adjust(0.9, 1961, None, entry)[0] > 0.9
    assert adjust(0.9, None, None, entry) == (0.9, [], False)
    assert adjust(0.9, "1990", "US", _person()) == (0.9, [], False)


def test_adjust_country_by_name_or_code():
    entry = _person(citizenships=["Korea, North"])
    assert adjust(0.9, None, "KP", entry)[0] > 0.9
    assert adjust(0.9, None, "North Korea", entry)[0] > 0.9
    assert adjust(0.9, None, "US", entry)[0] < 0.9
