"""The officers' admin, one module per subject; importing the package registers them all."""

from onboarding.admin import (  # noqa: F401
    applications,
    cases,
    documents,
    events,
    export,
    merchants,
    partner_webhooks,
    partners,
    reveal,
    rules,
    second_approval,
    staff,
    work,
)
