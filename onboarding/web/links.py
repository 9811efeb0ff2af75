"""The merchant's side of a hosted onboarding link (the service: onboarding/services/onboarding_links.py).

1. ``open_link`` is the URL a partner hands out, the only one that carries the token. It exchanges the
   token for a session value at once and redirects, with ``Referrer-Policy: no-referrer``, to a URL
   without it: the token is on no page, in no Referer header and in no later request. Whatever the token
   (good, used, expired, made up) the answer is a redirect, so Django's request logger, which writes the
   path of every 4xx and 5xx answer, never sees it.
2. ``continue_link`` does the rest from the session: sign in or sign up (back here after), confirm the
   email address, then the application is attached to the user and they land on its review step,
   the merchant web flow every merchant uses.
3. ``link_expired`` is where a used or expired link leads: it says so and offers to sign in, after which a
   user whose account already holds the application is taken to it. Never a dead end.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from onboarding.models import Application, OnboardingLink
from onboarding.selectors import applications_for_user
from onboarding.services.actors import Actor
from onboarding.services.onboarding_links import ClaimRefused, Outcome, onboarding_link_claim, onboarding_link_exchange
from onboarding.states import AppState

#: the public id of the link this browser opened, waiting to be claimed
SESSION_LINK = "onboarding_link"
#: the public id of a used or expired link this browser opened
SESSION_SPENT_LINK = "onboarding_link_spent"
VISITOR = Actor.system("onboarding link visitor")
REFUSAL_PAGES = {
    ClaimRefused.EMAIL_NOT_VERIFIED: "onboarding/links/confirm_email.html",
    ClaimRefused.EMAIL_MISMATCH: "onboarding/links/wrong_account.html",
    ClaimRefused.CLAIMED_BY_ANOTHER: "onboarding/links/claimed.html",
}


def pending_link_url(request) -> str | None:
    """Where a sign-in or a confirmed address should lead while a link waits in this session."""
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_LINK):
        return reverse("onboarding-link-continue")
    return None


def masked_email(email: str) -> str:
    """``j•••@example.com``: enough to recognise one's own address, not enough to learn someone else's."""
    local, _separator, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def _no_referrer(response):
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _application_page(application: Application) -> str:
    if application.state == AppState.DRAFT:
        return reverse("application-step", args=[application.public_id, "review"])
    return reverse("application-detail", args=[application.public_id])


@require_GET
def open_link(request, token: str):
    actor = Actor.for_user(request.user) if request.user.is_authenticated else VISITOR
    exchange = onboarding_link_exchange(token=token, actor=actor)
    request.session.pop(SESSION_SPENT_LINK, None)
    if exchange.outcome == Outcome.EXCHANGED:
        request.session[SESSION_LINK] = exchange.link.public_id
        return _no_referrer(redirect("onboarding-link-continue"))
    if exchange.link is not None and request.session.get(SESSION_LINK) == exchange.link.public_id:
        # Opened again in the browser that opened it first (say, before the address was confirmed).
        return _no_referrer(redirect("onboarding-link-continue"))
    if exchange.link is not None:
        request.session[SESSION_SPENT_LINK] = exchange.link.public_id
    return _no_referrer(redirect("onboarding-link-expired"))


def _link_in_session(request, key: str) -> OnboardingLink | None:
    public_id = request.session.get(key)
    if not public_id:
        return None
    return OnboardingLink.objects.select_related("application__partner").filter(public_id=public_id).first()


def _page(request, template: str, link: OnboardingLink | None, **context):
    application = link.application if link is not None else None
    partner = application.partner if application is not None else None
    context = {
        "invited_email": masked_email(link.email) if link is not None else "",
        "partner_name": partner.name if partner is not None else "",
        "continue_url": request.path,
        "current": (request.user.email or request.user.get_username()) if request.user.is_authenticated else "",
        **context,
    }
    return _no_referrer(render(request, template, context))


@never_cache
@require_GET
def continue_link(request):
    link = _link_in_session(request, SESSION_LINK)
    if link is None:
        return redirect("onboarding-link-expired")
    if not request.user.is_authenticated:
        return _page(request, "onboarding/links/sign_in.html", link)
    try:
        application = onboarding_link_claim(link=link, user=request.user)
    except ClaimRefused as exc:
        template = REFUSAL_PAGES.get(exc.code)
        if template is None:  # not opened: never so for a link in the session, but never a dead end either
            return redirect("onboarding-link-expired")
        return _page(request, template, link)
    # Back to this page later (the browser's back button), the spent link leads to the application again.
    request.session[SESSION_SPENT_LINK] = request.session.pop(SESSION_LINK)
    messages.success(
        request, _("Welcome. Here is the application prepared for you: check it, add what is missing and sign.")
    )
    return redirect(_application_page(application))


@require_POST
def switch_account(request):
    """Sign out and sign in as someone else, keeping the link this browser opened (a sign-out empties
    the session)."""
    kept = {key: request.session[key] for key in (SESSION_LINK, SESSION_SPENT_LINK) if request.session.get(key)}
    logout(request)
    request.session.update(kept)
    following = "onboarding-link-continue" if SESSION_LINK in kept else "onboarding-link-expired"
    return redirect_to_login(reverse(following))


@never_cache
@require_GET
def link_expired(request):
    link = _link_in_session(request, SESSION_SPENT_LINK)
    if link is not None and request.user.is_authenticated:
        application = applications_for_user(user=request.user).filter(pk=link.application_id).first()
        if application is not None:
            request.session.pop(SESSION_SPENT_LINK, None)
            messages.info(
                request,
                _("That link had already been used or had expired, but you are signed in: here is your application."),
            )
            return redirect(_application_page(application))
    return _page(request, "onboarding/links/expired.html", link)
