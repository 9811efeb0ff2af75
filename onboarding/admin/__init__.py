"""The officers' admin, one module per subject; importing the package registers them all."""

from onboarding.admin import applications, events, merchants, partners, rules, second_approval, work  # noqa: F401
