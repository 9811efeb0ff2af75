"""``LocalAcquirer``: the server, its verification clock and its webhook deliverer in one process, started
by ``manage.py local_acquirer`` or in-process by tests and benchmarks (``port=0`` picks a free port).

    with LocalAcquirer(port=0, db_path=tmp / "acquirer.sqlite3", webhook_url="") as acquirer:
        settings.ACQUIRER_API_BASE = acquirer.url
"""

from __future__ import annotations

import json
import threading
import time

from payments.acquirer import control
from payments.acquirer.accounts import account_later_review, account_refresh
from payments.acquirer.events import Deliverer
from payments.acquirer.faults import Faults
from payments.acquirer.server import Server
from payments.acquirer.store import Store

WEBHOOK_BACKOFF = (1.0, 4.0, 16.0, 60.0)  # seconds before each retry: five tries in all


class LocalAcquirer:
    def __init__(
        self,
        *,
        port: int = 12111,
        host: str = "127.0.0.1",
        db_path=None,
        webhook_url: str | None = None,
        verification_seconds: float | None = None,
        live_reader_codes=None,
        api_keys: dict | None = None,
        webhook_secrets: dict | None = None,
        webhook_backoff: tuple[float, ...] = WEBHOOK_BACKOFF,
    ):
        from django.conf import settings

        self.host, self.port = host, port
        self.db_path = db_path or settings.LOCAL_ACQUIRER_DB
        self.webhook_url = settings.LOCAL_ACQUIRER_WEBHOOK_URL if webhook_url is None else webhook_url
        self.verification_seconds = (
            settings.LOCAL_ACQUIRER_VERIFICATION_SECONDS if verification_seconds is None else verification_seconds
        )
        self.live_reader_codes = frozenset(live_reader_codes or settings.LOCAL_ACQUIRER_LIVE_READER_CODES)
        # API key → livemode
        self.api_keys = api_keys or {settings.STRIPE_API_KEY: True, settings.STRIPE_TEST_API_KEY: False}
        self.webhook_secrets = webhook_secrets or {
            True: settings.STRIPE_WEBHOOK_SECRET,
            False: settings.STRIPE_TEST_WEBHOOK_SECRET,
        }
        self.webhook_backoff = tuple(webhook_backoff)
        self.faults = Faults()
        self.store: Store | None = None
        self._server: Server | None = None
        self._threads: list = []
        self._stopping = threading.Event()

    @property
    def delivering(self) -> bool:
        return bool(self.webhook_url)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def mode_of(self, api_key: str) -> bool | None:
        return self.api_keys.get(api_key) if api_key else None

    # ------------------------------------------------------------------ life

    def start(self) -> LocalAcquirer:
        self.store = Store(self.db_path)
        self._server = Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._stopping.clear()
        self._threads = [
            threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="local-acquirer-http",
                daemon=True,
            ),
            threading.Thread(target=self._verify_loop, name="local-acquirer-verification", daemon=True),
        ]
        if self.delivering:
            self._threads.append(
                Deliverer(self.store, url=self.webhook_url, secrets=self.webhook_secrets, backoff=self.webhook_backoff)
            )
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            if isinstance(thread, Deliverer):
                thread.stop()
            thread.join(timeout=5)
        if self.store:
            self.store.close()

    def __enter__(self) -> LocalAcquirer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait(self) -> None:
        """Until ``stop()`` (or an interrupt): the management command's main thread."""
        while not self._stopping.wait(1.0):
            pass

    # ------------------------------------------------------------------ verification

    def _verify_loop(self) -> None:
        while not self._stopping.wait(0.05):
            try:
                self.verify(due_only=True)
            except Exception:  # noqa: BLE001 (the clock keeps running; the next tick tries again)
                time.sleep(0.5)

    def verify(self, *, account: str | None = None, due_only: bool = False) -> list[str]:
        """Finish the verification of every account waiting for it (or of one), at once."""
        done = []
        for found in self.store.due(time.time() if due_only else None):
            if account and found != account:
                continue
            with self.store.transaction():
                account_refresh(self.store, self, found, finish=True)
            done.append(found)
        return done

    def review(self, *, account: str, outcome: str, requirement: str = "") -> dict:
        """A later review of a verified account: ``restrict``, ``reject`` or ``restore`` (announced by webhook)."""
        with self.store.transaction():
            return account_later_review(self.store, self, account, outcome=outcome, requirement=requirement)

    # ------------------------------------------------------------------ control and inspection

    def inject(self, **settings) -> dict:
        """Faults, as ``POST /_local/faults`` takes them (see ``payments.acquirer.faults``)."""
        return self.faults.configure(settings)

    def clear_faults(self) -> None:
        self.faults.clear()

    def reset(self) -> None:
        self.faults.clear()
        self.store.reset()

    def objects(self) -> dict:
        return control.objects_summary(self.store)

    def requests(self, path: str = "", limit: int = 1000) -> list[dict]:
        return control.requests_log(self.store, path=path, limit=limit)

    def events(self) -> list[dict]:
        return control.events_log(self.store)

    def log_request(self, request_id: str, log: dict, *, status: int) -> None:
        self.store.execute(
            "INSERT INTO requests (at, request_id, method, path, params, idempotency_key, stripe_account, status,"
            " livemode, replayed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                time.time(),
                request_id,
                log["method"],
                log["path"],
                json.dumps(log["params"]),
                log["idempotency_key"],
                log["stripe_account"],
                status,
                None if log["livemode"] is None else int(log["livemode"]),
                int(log["replayed"]),
            ),
        )
