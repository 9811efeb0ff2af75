"""The officers' admin, one module per subject; importing the package registers them all."""

from onboarding.admin import applications, cases, events, merchants, partners, rules, work  # noqa: F401
