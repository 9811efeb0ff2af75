"""Identifier validators (python-stdnum underneath) and address formats."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onboarding import validation


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("ein", "46-2811507", True),
        ("ein", "00-2811507", False),
        ("ein", "46281150", False),
        ("ssn", "212-54-3321", True),
        ("ssn", "000-54-3321", False),
        ("ssn", "666-12-3456", False),
        ("ssn", "078-05-1120", False),
        ("ssn", "212-00-3321", False),
        ("itin", "912-70-1234", True),
        ("itin", "912-40-1234", False),
        ("unknown", "123456789", False),
    ],
)
def test_tax_ids(kind, value, ok):
    assert (validation.tax_id_errors(kind, value) == []) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("021000021", True), ("121000358", True), ("021000022", False), ("12345", False), ("", False)]
)
def test_routing_numbers(value, ok):
    assert (validation.routing_number_errors(value) == []) is ok


@given(st.from_regex(r"\d{9}", fullmatch=True))
def test_routing_checksum_is_enforced(digits):
    weights = [3, 7, 1] * 3
    checksum_ok = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0
    if not checksum_ok:
        assert validation.routing_number_errors(digits)


@given(st.from_regex(r"[0-9]{5}(-[0-9]{4})?", fullmatch=True))
def test_any_zip_shape_is_accepted(zip_code):
    assert validation.zip_errors(zip_code) == []


@given(st.text().filter(lambda s: not validation.ZIP_RE.match(s)))
def test_anything_else_is_not_a_zip(text):
    assert validation.zip_errors(text)


def test_states_and_countries():
    assert validation.us_state_errors("CA") == [] and validation.us_state_errors("XX")
    assert validation.country_errors("US") == [] and validation.country_errors("usa")
