"""Fixtures for the sanctions tests that use the database (helpers live in helpers.py)."""

from tests.sanctions.integration.helpers import fresh_list, sample_with_cons, small_lists, stale_list  # noqa: F401
