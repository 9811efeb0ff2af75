"""The sanctions tests' list fixtures, for the onboarding tests that screen against a real (small) list."""

from tests.sanctions.integration.helpers import fresh_list, sample_with_cons, small_lists, stale_list  # noqa: F401
