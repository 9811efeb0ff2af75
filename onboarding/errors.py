"""Domain errors: one base class that web forms, the admin and the API turn into messages."""


class DomainError(Exception):
    """A business rule refused the action. ``code`` is stable; the message is for people."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class InvalidTransition(DomainError):
    code = "invalid_transition"


class ConcurrentChange(DomainError):
    """Someone else changed the object between our read and our write: reload and try again."""

    code = "concurrent_change"


class PermissionDenied(DomainError):
    code = "permission_denied"


class ValidationFailed(DomainError):
    """Input failed validation; ``fields`` maps each field to its messages."""

    code = "validation_failed"
