"""The one adapter from the services' field errors to a step's forms.

The services answer ``ValidationFailed.fields`` keyed like ``business.legal_name``,
``parties[1].date_of_birth`` or ``stores[0].terminals[1].device_type``. A step names which form (or which
form of a formset) holds each section, and how its form fields are named where they differ from the
service's (dollars on the form, cents in the service). Keys that no form field holds become the form's
non-field errors, so no message is ever lost, and the summary at the top of the step lists them all.

A rename may name a whole key (``stores[0].terminals[1].device_type``) where the form field holding it
depends on the item (a store's count of one kind of reader). A service that takes one form's fields
directly (``signer_name``, ``file``) answers bare keys: they go on the ``fallback`` form's field of that
name.
"""

import re
from collections.abc import Mapping

from django import forms

from onboarding.errors import ValidationFailed

KEY_RE = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>.+))?$")


def split_key(key: str) -> tuple[str, int | None, str]:
    """``parties[1].date_of_birth`` → ("parties", 1, "date_of_birth"); unknown shapes → (key, None, "")."""
    match = KEY_RE.match(key)
    if not match:
        return key, None, ""
    index = match.group("index")
    return match.group("section"), int(index) if index is not None else None, match.group("rest") or ""


def _target(holder, index: int | None):
    """(the collection, the form) a key points at. A holder is a form, a formset, or a formset with the
    forms that were sent, in the order sent (removed ones left out), so that ``parties[1]`` is the second
    person sent, whichever form shows it."""
    if isinstance(holder, tuple):
        formset, sent = holder
    elif isinstance(holder, forms.BaseFormSet):
        formset, sent = holder, holder.forms
    else:
        return holder, holder
    if index is None or index >= len(sent):
        return formset, None
    return formset, sent[index]


def form_errors(
    error: ValidationFailed,
    *,
    sections: Mapping[str, forms.Form | forms.BaseFormSet | tuple[forms.BaseFormSet, list[forms.Form]]],
    renames: Mapping[str, str] | None = None,
    fallback: forms.Form | None = None,
) -> list[str]:
    """Put every message of ``error`` on the field that caused it; returns the messages no form holds.

    ``sections`` maps a section name (``business``, ``parties``) to its form or formset; ``renames`` maps a
    service field name (or a whole key) to the form's (``monthly_volume_cents`` → ``monthly_volume``)."""
    renames = renames or {}
    stray: list[str] = []
    for key, messages in error.fields.items():
        section, index, rest = split_key(key)
        holder = sections.get(section)
        if holder is None:
            target = fallback
            name = renames.get(key, key)
        else:
            formset_or_form, target = _target(holder, index)
            name = renames.get(key) or renames.get(rest, rest) or None
            if target is None:  # a whole collection's message ("parties": one control person)
                if isinstance(formset_or_form, forms.BaseFormSet):
                    formset_or_form._non_form_errors = formset_or_form.error_class(
                        [*formset_or_form.non_form_errors(), *messages]
                    )
                    continue
                target = fallback
        if target is None:
            stray.extend(messages)
            continue
        if name and name in target.fields:
            for message in messages:
                target.add_error(name, message)
        else:
            for message in messages:
                target.add_error(None, message)
    return stray
