"""Shared fixtures for the pure-Python sanctions tests (no database, no Django)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions import ofac
from sanctions.matching import ScreeningIndex

DATA = Path(__file__).resolve().parents[2] / "data" / "ofac"


@pytest.fixture(scope="session")
def sample_2025() -> ofac.ListSet:
    return ofac.load_folder(DATA / "sample_2025-05")


@pytest.fixture(scope="session")
def sdn_2021() -> ofac.ListSet:
    return ofac.load_folder(DATA / "sdn_full_2021-07")


@pytest.fixture(scope="session")
def sdn_2024() -> ofac.ListSet:
    return ofac.load_folder(DATA / "sdn_2024-06")


@pytest.fixture(scope="session")
def cons_2025() -> ofac.ListSet:
    return ofac.load_folder(DATA / "cons_2025-12")


@pytest.fixture(scope="session")
def sdn_and_cons() -> ofac.ListSet:
    return ofac.load_folders(DATA / "sdn_2024-06", DATA / "cons_2025-12")


@pytest.fixture(scope="session")
def full_index(sdn_2021: ofac.ListSet, cons_2025: ofac.ListSet) -> ScreeningIndex:
    """One index over the complete 2021-07 SDN list (with aliases) plus the consolidated list."""
    return ScreeningIndex.from_list_set(ofac.load_folders(DATA / "sdn_full_2021-07", DATA / "cons_2025-12"))


@pytest.fixture(scope="session")
def index_2024(sdn_and_cons: ofac.ListSet) -> ScreeningIndex:
    """The 2024-06 SDN list (BOUT, KHOROSHEV, LI Fangwei...) with the consolidated list."""
    return ScreeningIndex.from_list_set(sdn_and_cons)
