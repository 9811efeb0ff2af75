"""The sanctions tests' list fixtures, for the KYC tests that screen against a real list."""

from tests.sanctions.integration.helpers import fresh_list, sample_with_cons, stale_list  # noqa: F401
