"""Panels on the merchant's status page, added by the apps that own what they show.

An app registers a panel once (in its ``AppConfig.ready``, or at import of its web module):
``register_panel("terminals", "onboarding/panels/terminals.html", terminals_context)``. For each status
page the context function is called with the application; it returns the template's context, or None when
the panel has nothing to show for that application. Onboarding never imports the apps that add panels:
they plug in here, as the sanctions check plugs into the pipeline.

Panels are shown in the order given (then by name), and registering a name again replaces it. A panel is
inside the part of the page that refreshes itself, so its context function runs on every refresh: keep it
to a query or two, scoped to the application it is given.
"""

from collections.abc import Callable
from dataclasses import dataclass

from onboarding.models import Application

ContextFunction = Callable[[Application], dict | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context_function: ContextFunction
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    context: dict


_PANELS: dict[str, Panel] = {}


def register_panel(name: str, template: str, context_function: ContextFunction, *, order: int = 100) -> None:
    _PANELS[name] = Panel(name, template, context_function, order)


def registered_panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name))


def panels_for(application: Application) -> list[ShownPanel]:
    """The panels that have something to show for ``application``, in order, with their context."""
    shown = []
    for panel in registered_panels():
        context = panel.context_function(application)
        if context is not None:
            shown.append(ShownPanel(panel.name, panel.template, {"application": application, **context}))
    return shown
