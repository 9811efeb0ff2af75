"""Django's ``makemessages``, collecting ``_t(...)`` too.

The merchant pages' views import ``gettext`` as ``_t`` where ``_`` is already the lazy one (a module-level
label and a message built in a request side by side). xgettext knows ``_`` and ``gettext`` but not ``_t``:
without this keyword their texts would never reach the catalogue and would stay English in every language.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]
