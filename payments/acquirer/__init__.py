"""The local acquirer: Stripe's wire protocol for the endpoints the gateway uses (``docs/local_acquirer.md``)."""

from payments.acquirer.local import LocalAcquirer

__all__ = ["LocalAcquirer"]
