"""Load the demo data (idempotent) and print how to sign in."""

from django.core.management.base import BaseCommand

from onboarding.demo import DEMO_PARTNER_KEY, DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo_data


class Command(BaseCommand):
    help = "Create the demo merchants, officers, partner and applications (safe to run again)."

    def handle(self, *args, **options):
        demo = load_demo_data()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/"))
        for email, role in demo["users"]:
            self.stdout.write(f"  {role:<26} {email:<24} password: {DEMO_PASSWORD}")
        self.stdout.write(f"  Merchant's draft application: {demo['draft'].public_id}")
        following = demo["next_application"]
        if following is not None:
            self.stdout.write(f"  Gift shop (approved) applying for a second store: {following.public_id}")
        else:
            self.stdout.write(
                "  Gift shop: in review (load a sanctions list first for its approval and next application)"
            )
        self.stdout.write(
            f"  Partner {demo['partner'].name} ({demo['partner'].public_id}) test API key: {DEMO_PARTNER_KEY}"
        )
        self.stdout.write("  Officers: http://127.0.0.1:8000/admin/ (a password, then an authenticator code)")
        self.stdout.write(f"    demo staff TOTP secret: {DEMO_TOTP_SECRET} (add it to an authenticator app), or run")
        self.stdout.write("    .venv/bin/python manage.py demo_totp officer@example.com   for the current code")
