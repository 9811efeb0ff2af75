"""Decision forms on the officers' pages."""

from django import template

register = template.Library()


@register.filter
def forms_for(target_forms: dict, public_id: str) -> list:
    """The decision forms offered for one target (``{public id: forms}``, as the case page builds them)."""
    return (target_forms or {}).get(public_id, [])
