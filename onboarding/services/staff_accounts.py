"""A staff account's access: whether it is active, may use the admin, is a superuser, and its role groups.

Every change of access goes through ``user_access_update``, which writes an internal event naming who
changed whose access, from what to what. Nobody changes their own access (an administrator cannot widen,
or quietly keep, their own powers: another administrator does it), only a superuser makes or unmakes a
superuser, and a staff account's rights come from its role groups alone (``onboarding.roles``).
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from onboarding.errors import PermissionDenied
from onboarding.services.actors import Actor
from onboarding.services.events import event_record

CHANGE_USER_PERM = "auth.change_user"
OWN_ACCESS_REFUSED = (
    "You cannot change your own groups, or your own active, staff or superuser status: "
    "ask another administrator to do it."
)
SUPERUSER_REFUSED = "Only a superuser can make or unmake a superuser."


@dataclass(frozen=True)
class Access:
    is_active: bool
    is_staff: bool
    is_superuser: bool
    groups: frozenset[str]

    @classmethod
    def of(cls, user) -> "Access":
        groups = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        return cls(user.is_active, user.is_staff, user.is_superuser, groups)

    def as_data(self) -> dict:
        return {
            "is_active": self.is_active,
            "is_staff": self.is_staff,
            "is_superuser": self.is_superuser,
            "groups": sorted(self.groups),
        }


def access_change_refusal(*, actor: Actor, user, wanted: Access) -> str | None:
    """Why ``actor`` may not give ``user`` the access ``wanted`` (None when they may). Forms call it to show
    the refusal beside the fields before anything is saved; ``user_access_update`` enforces it."""
    if not actor.has_perm(CHANGE_USER_PERM):
        return "You do not have permission to change staff accounts."
    current = Access.of(user)
    if wanted == current:
        return None
    if user.pk is not None and user.pk == actor.user.pk:
        return OWN_ACCESS_REFUSED
    if wanted.is_superuser != current.is_superuser and not actor.user.is_superuser:
        return SUPERUSER_REFUSED
    return None


def user_access_update(*, actor: Actor, user, wanted: Access) -> bool:
    """Give ``user`` the access ``wanted``; True when anything changed. Refusals raise PermissionDenied."""
    refusal = access_change_refusal(actor=actor, user=user, wanted=wanted)
    if refusal:
        raise PermissionDenied(refusal)
    with transaction.atomic():
        user = type(user).objects.select_for_update().get(pk=user.pk)
        before = Access.of(user)
        if before == wanted:
            return False
        user.is_active, user.is_staff, user.is_superuser = wanted.is_active, wanted.is_staff, wanted.is_superuser
        user.save(update_fields=["is_active", "is_staff", "is_superuser"])
        groups = list(Group.objects.filter(name__in=wanted.groups))
        if len(groups) != len(wanted.groups):
            raise PermissionDenied("Choose existing role groups only.")
        user.groups.set(groups)
        event_record(
            actor=actor,
            subject=user,
            action="staff_access_changed",
            details={"from": before.as_data(), "to": wanted.as_data()},
        )
    return True
