"""Print the current authenticator code of a demo staff account, so a newcomer can sign in to the admin of
``make run``. Only for the fixed demo secret: it refuses any other account, whose secret stays secret."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from onboarding.demo import demo_totp_code, is_demo_secret, totp_secret_of


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (demo secret only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the demo staff member's email address, e.g. officer@example.com")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(username__iexact=email.strip()).first()
        totp = None
        if user is not None:
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None or not is_demo_secret(totp_secret_of(totp)):
            raise CommandError(
                f"{email} has no authenticator with the demo secret: demo_totp prints codes for the demo "
                "staff of `make run` only."
            )
        code, seconds = demo_totp_code()
        self.stdout.write(f"{code}  (current for {seconds} more seconds, usable once)")
