"""The event types partners can subscribe to. Onboarding declares the application's and the merchant's;
other apps register theirs (payments: the terminals'), as they register their emails."""

APPLICATION_SUBMITTED = "application.submitted"
APPLICATION_INFO_REQUESTED = "application.info_requested"
APPLICATION_APPROVED = "application.approved"
APPLICATION_DECLINED = "application.declined"
APPLICATION_BOARDED = "application.boarded"
APPLICATION_REQUIREMENTS_UPDATED = "application.requirements_updated"
MERCHANT_SUSPENDED = "merchant.suspended"
#: sent only to the endpoint it tests, on request; never listed among the events
PING = "ping"

_TYPES: dict[str, str] = {
    APPLICATION_SUBMITTED: "The application was submitted and its checks started.",
    APPLICATION_INFO_REQUESTED: "An officer asked for information; see the application's requirements.",
    APPLICATION_APPROVED: "The application was approved; boarding with the acquirer follows.",
    APPLICATION_DECLINED: "The application was declined.",
    APPLICATION_BOARDED: "The merchant is boarded with the acquirer.",
    APPLICATION_REQUIREMENTS_UPDATED: "What the application still needs changed.",
    MERCHANT_SUSPENDED: "The merchant was suspended.",
}


def register_partner_event_type(name: str, description: str) -> None:
    _TYPES[name] = description


def partner_event_types() -> dict[str, str]:
    """Every type a partner may subscribe to, with what it means."""
    return dict(_TYPES)


def is_partner_event_type(name: str) -> bool:
    return name in _TYPES
