"""The officers' admin, one module per subject; importing the package registers them all."""

from onboarding.admin import (  # noqa: F401
    applications,
    events,
    merchants,
    partners,
    rules,
    second_approval,
    staff,
    work,
)
