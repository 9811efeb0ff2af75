"""Other apps add their routes to the partner API here (payments adds its terminals), so onboarding never
imports them: call ``register_api_routes([path(...), ...])`` from the app's ``ready()``."""

from django.urls import URLPattern

_ROUTES: list[URLPattern] = []


def register_api_routes(patterns: list[URLPattern]) -> None:
    for pattern in patterns:
        if not any(existing.pattern.regex.pattern == pattern.pattern.regex.pattern for existing in _ROUTES):
            _ROUTES.append(pattern)


def registered_api_routes() -> list[URLPattern]:
    return list(_ROUTES)
