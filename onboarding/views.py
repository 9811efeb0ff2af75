"""The merchant's pages. The multi-step forms come with the merchant web issue; these show status."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from onboarding.selectors import applications_for_user, shared_timeline


@login_required
def merchant_home(request):
    applications = applications_for_user(user=request.user).prefetch_related("wallet_requests", "stores")
    # Staff who sign in here are pointed to the admin, where their work is.
    context = {"applications": applications, "show_admin_link": request.user.is_staff}
    return render(request, "onboarding/home.html", context)


@login_required
def application_detail(request, public_id: str):
    application = get_object_or_404(applications_for_user(user=request.user), public_id=public_id)
    context = {
        "application": application,
        "parties": application.parties.all(),
        "stores": application.stores.prefetch_related("terminals"),
        "wallets": application.wallet_requests.all(),
        "bank_account": getattr(application, "bank_account", None),
        "timeline": shared_timeline(application=application),
        "open_request": application.info_requests.filter(answered_at__isnull=True).first(),
    }
    return render(request, "onboarding/application_detail.html", context)
