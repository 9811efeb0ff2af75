"""The merchant's home page: their applications. Each application's status page and its steps live in
onboarding.web."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onboarding.selectors import applications_for_user


@login_required
def merchant_home(request):
    applications = applications_for_user(user=request.user).prefetch_related("wallet_requests", "stores")
    # Staff who sign in here are pointed to the admin, where their work is.
    context = {"applications": applications, "show_admin_link": request.user.is_staff}
    return render(request, "onboarding/home.html", context)
