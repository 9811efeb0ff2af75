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
        acquirer = LocalAcquirer(port=port, host=host, db_path=db)
        self.stdout.write(
            f"Local acquirer on http://{host}:{port} (state in {db}; webhooks to "
            f"{acquirer.webhook_url or 'nowhere'}; verification after {acquirer.verification_seconds:g} s)"
        )
        try:
            acquirer.serve_forever()
        except KeyboardInterrupt:
            pass
