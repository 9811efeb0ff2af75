"""Who does a thing: a user (merchant or officer), a partner, or a named system process."""

from dataclasses import dataclass

from onboarding.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    kind: str  # "user" | "partner" | "system"
    user: object | None = None
    partner: object | None = None
    label: str = ""

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls(kind="user", user=user)

    @classmethod
    def for_partner(cls, partner) -> "Actor":
        return cls(kind="partner", partner=partner)

    @classmethod
    def system(cls, label: str) -> "Actor":
        return cls(kind="system", label=label)

    @property
    def is_system(self) -> bool:
        return self.kind == "system"

    def has_perm(self, perm: str) -> bool:
        return self.kind == "user" and self.user.is_active and self.user.has_perm(perm)

    def require_perm(self, perm: str, action: str) -> None:
        if not self.has_perm(perm):
            raise PermissionDenied(f"You do not have permission to {action}.")

    def __str__(self) -> str:
        if self.kind == "user":
            return f"user:{self.user.pk}"
        if self.kind == "partner":
            return f"partner:{self.partner.public_id}"
        return f"system:{self.label}"


REVIEW_PERM = "onboarding.review_application"
SECOND_APPROVAL_PERM = "onboarding.second_approve_application"
