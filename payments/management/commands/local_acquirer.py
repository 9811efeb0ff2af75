"""``manage.py local_acquirer [--port 12111]``: the local acquirer, until interrupted."""

from django.conf import settings
from django.core.management.base import BaseCommand

from payments.acquirer import LocalAcquirer


class Command(BaseCommand):
    help = "Run the local acquirer (Stripe's wire protocol for the endpoints the gateway uses)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=12111)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--db", default=settings.LOCAL_ACQUIRER_DB, help="its SQLite file")

    def handle(self, *args, port, host, db, **options):
        acquirer = LocalAcquirer(port=port, host=host, db_path=db).start()
        self.stdout.write(
            f"Local acquirer on {acquirer.url} (state in {db}; webhooks to {acquirer.webhook_url or 'nowhere'}; "
            f"verification after {acquirer.verification_seconds:g} s)"
        )
        self.stdout.flush()
        try:
            acquirer.wait()
        except KeyboardInterrupt:
            pass
        finally:
            acquirer.stop()
