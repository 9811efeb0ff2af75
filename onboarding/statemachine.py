"""State machines as tables of data, and the one function that applies a move.

A move is applied under a row lock with a conditional update (``… WHERE id = … AND state = old``) and its
event row is written in the same transaction: of two racing attempts exactly one wins, and the loser
gets a domain error, never a silent overwrite.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from onboarding.errors import ConcurrentChange, InvalidTransition


@dataclass(frozen=True)
class StateMachine:
    name: str
    transitions: Mapping[str, frozenset[str]]

    @property
    def states(self) -> frozenset[str]:
        targets = {target for targets in self.transitions.values() for target in targets}
        return frozenset(self.transitions) | targets

    def allows(self, source: str, target: str) -> bool:
        return target in self.transitions.get(source, frozenset())

    def ensure_allowed(self, source: str, target: str) -> None:
        if not self.allows(source, target):
            allowed = ", ".join(sorted(self.transitions.get(source, ()))) or "none"
            raise InvalidTransition(
                f"A {self.name} cannot move from '{source}' to '{target}' (allowed from '{source}': {allowed})."
            )


def apply_transition(
    instance: models.Model,
    *,
    machine: StateMachine,
    target: str,
    guard: Callable[[models.Model], None] | None = None,
    updates: Mapping[str, object] | None = None,
    on_applied: Callable[[models.Model, str], None],
    state_field: str = "state",
) -> str:
    """Move ``instance`` to ``target``; returns the state it left.

    ``guard`` sees the freshly locked row and raises a domain error to refuse; ``on_applied`` writes the
    event (and anything else that must commit with the move) inside the same transaction.
    """
    model = type(instance)
    with transaction.atomic():
        # FOR NO KEY UPDATE: a move changes no key, so rows that reference this one (events, a terminal's
        # request) can still be written meanwhile; FOR UPDATE would block their foreign-key checks and
        # deadlock a worker moving an application against a merchant typing a terminal's code.
        current = model.objects.select_for_update(no_key=True).get(pk=instance.pk)
        source = getattr(current, state_field)
        machine.ensure_allowed(source, target)
        if guard:
            guard(current)
        fields = {state_field: target, "state_changed_at": timezone.now(), **(updates or {})}
        changed = model.objects.filter(pk=instance.pk, **{state_field: source}).update(**fields)
        if changed != 1:
            raise ConcurrentChange(f"The {machine.name} changed while this action ran; reload and try again.")
        for name, value in fields.items():
            setattr(instance, name, value)
        on_applied(instance, source)
    return source
