"""``{% reveal_control obj "field" %}``: a "Reveal" link beside a masked value, for holders of the reveal
permission only (for everyone else it renders nothing). The link leads to the reveal page, which asks
why and writes the access event; it never carries the value."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from onboarding.admin.reveal import holder_ref
from onboarding.errors import DomainError
from onboarding.services.reveal import REVEAL_PERM, revealable

register = template.Library()


@register.simple_tag(takes_context=True)
def reveal_control(context, obj, field: str) -> str:
    request = context.get("request")
    if obj is None or request is None or not request.user.has_perm(REVEAL_PERM):
        return ""
    try:
        target = revealable(obj, field)
    except DomainError:
        return ""  # masked, but not among what may be revealed
    kind, ref = holder_ref(obj)
    url = reverse("officer:reveal", args=[kind, ref, field]) + "?" + urlencode({"next": request.get_full_path()})
    return format_html('<a class="reveal-control" href="{}" title="Reveal {}">Reveal</a>', url, target.label)
