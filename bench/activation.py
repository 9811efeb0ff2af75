"""Boarding and terminal activation benchmark: 500 approved merchants with 3 terminals each, boarded and
activated through the local acquirer with 50 ms added to every call and the gateway's shared rate limit at
100 calls a second, by one Celery worker with the pool the README recommends (threads, 32).

Run with ``.venv/bin/python bench/activation.py`` (or ``make bench-activation``). It needs PostgreSQL and a
broker: the PostgreSQL server of ``DATABASE_URL`` (default ``127.0.0.1:5432``, user postgres) with a database
of its own, ``portal_bench_activation``, dropped and created again (``BENCH_DATABASE_URL`` names another)
and ``CELERY_BROKER_URL`` (default ``redis://127.0.0.1:6379/0``, on a queue of its own); the shared limiter
lives in Redis (``ACQUIRER_RATE_LIMIT_URL``, default db 2 of the local Redis). Everything stays on loopback.

What is timed: from the moment the 500 boarding tasks are published until the last of the 1,500 terminals
is ``active``. Meanwhile this process does what a merchant and beat would: it types the simulated
registration code of every terminal that waits for its device, and publishes owed work that comes due
(the poll of an account still in verification, every second here, a retry), after the product's default
grace (``PENDING_WORK_GRACE_SECONDS``: with a shorter one, a task that only waits in a long queue is
published again and done twice). The acquirer's asynchronous verification is left
to its own clock (``VERIFICATION_SECONDS``); its webhooks are off during that phase and timed apart
afterwards: one signed ``account.updated`` per merchant posted to the portal's webhook endpoint (gunicorn),
its answer time, and the time until the worker has processed every event.

``duplicates`` counts every extra account, configuration, person, location or reader the acquirer holds
(the target is zero); ``calls_per_second`` is the API calls the acquirer answered over the timed phase
(target: at least 80% of the limit). Readable figures first; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.own_database import free_port, migrated  # noqa: E402 (after the path is set)

_SERVER = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
# Never the database DATABASE_URL names: this one is dropped.
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or urlunsplit(_SERVER._replace(path="/portal_bench_activation"))
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
LIMITER_URL = os.environ.get("ACQUIRER_RATE_LIMIT_URL", "redis://127.0.0.1:6379/2")
QUEUE = f"bench-activation-{uuid.uuid4().hex[:8]}"
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR") or tempfile.mkdtemp(prefix="bench-activation-"))
VERIFICATION_SECONDS = 2.0
TYPISTS = 8  # merchants typing registration codes at the same time
TIME_LIMIT_SECONDS = 900
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    CELERY_BROKER_URL=BROKER_URL,
    CELERY_TASK_DEFAULT_QUEUE=QUEUE,
    PORTAL_VAR_DIR=str(VAR_DIR),
    DJANGO_SETTINGS_MODULE="portal.settings",
    LOG_LEVEL="WARNING",
)


class Acquirer:
    """The local acquirer in a process of its own (``manage.py local_acquirer``), as ``make run`` starts it,
    so that its work does not share this process's interpreter; driven through its ``/_local`` endpoints."""

    def __init__(self, log_path: Path):
        self.url = f"http://127.0.0.1:{free_port()}"
        env = {**os.environ, "LOCAL_ACQUIRER_WEBHOOK_URL": "",
               "LOCAL_ACQUIRER_VERIFICATION_SECONDS": str(VERIFICATION_SECONDS)}  # fmt: skip
        command = [sys.executable, "manage.py", "local_acquirer", "--port", self.url.rsplit(":", 1)[1],
                   "--db", str(VAR_DIR / "bench-acquirer.sqlite3")]  # fmt: skip
        self.log = open(log_path, "w")  # noqa: SIM115 (the acquirer writes it until it stops)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self._call("GET", "faults")
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the local acquirer did not start")

    def _call(self, method: str, name: str, body: dict | None = None, query: str = "") -> dict:
        import urllib.request

        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/_local/{name}{query}", data=data, method=method)
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read())

    def inject(self, **faults) -> dict:
        return self._call("POST", "faults", faults)

    def objects(self) -> dict:
        return self._call("GET", "objects")

    def requests(self, path: str = "", limit: int = 1000) -> list[dict]:
        return self._call("GET", "requests", query=f"?path={path}&limit={limit}")["data"]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def seed(merchants: int, terminals: int) -> list[str]:
    """Approved test-mode companies (two owners, the first the control person), each with its merchant and
    one store of ``terminals`` terminals, owing their boarding (recorded, not yet published)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from onboarding.models import Application
    from onboarding.services.actors import Actor
    from onboarding.services.agreements import application_sign_agreement
    from onboarding.services.drafts import application_create_draft
    from onboarding.services.merchants import merchant_create_for
    from onboarding.states import AppState
    from onboarding.work import owed_work_record
    from payments.boarding import BOARDING_WORK
    from tests.factories import valid_draft

    user_model = get_user_model()
    store = valid_draft()["stores"][0]
    store["terminals"] = [{"device_type": "bbpos_wisepos_e", "label": f"Till {n + 1}"} for n in range(terminals)]
    ids = []
    for index in range(merchants):
        user = user_model.objects.create_user(username=f"bench{index}@example.com", email=f"bench{index}@example.com")
        actor = Actor.for_user(user)
        draft = valid_draft(
            business={"legal_name": f"Bench Noodles {index} LLC", "dba": f"Bench Noodles {index}",
                      "tax_id": f"12-{3_000_000 + index:07d}"},
            stores=[store],
            parties=[{**party, "email": f"owner{index}.{n}@example.com"}
                     for n, party in enumerate(valid_draft()["parties"])],
        )  # fmt: skip
        with transaction.atomic():
            application = application_create_draft(actor=actor, livemode=False, **draft)
            application_sign_agreement(application=application, actor=actor, signer_name="Wen Zhao",
                                       signer_title="Managing member", ip_address="203.0.113.7",
                                       user_agent="bench")  # fmt: skip
            merchant = merchant_create_for(application=application, actor=Actor.system("bench"))
            Application.objects.filter(pk=application.pk).update(state=AppState.APPROVED, merchant=merchant)
            owed_work_record(subject=application, kind=BOARDING_WORK, publish=False)
        ids.append(application.public_id)
    return ids


def start_worker(acquirer_url: str, concurrency: int, rate_limit: float, log_path: Path, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "ACQUIRER_API_BASE": acquirer_url,
        "ACQUIRER_RATE_LIMIT_PER_SECOND": str(rate_limit),
        "ACQUIRER_RATE_LIMIT_URL": LIMITER_URL,
        "BOARDING_POLL_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", QUEUE, "--pool", "threads",
               "--concurrency", str(concurrency), "-n", f"{name}@%h", "--without-mingle", "--without-gossip",
               "--without-heartbeat", "--loglevel", "WARNING"]  # fmt: skip
    log = open(log_path, "w")  # noqa: SIM115 (the worker writes it until it stops)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(workers: list[subprocess.Popen]) -> None:
    from portal.celery import app

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if any(worker.poll() is not None for worker in workers):
            raise SystemExit("a worker exited; see its log")
        replies = app.control.inspect(timeout=1).ping() or {}
        if len(replies) >= len(workers):
            return
    raise SystemExit("the worker did not start in time")


def run_activation(ids: list[str], expected_terminals: int) -> float:
    """Publish the boarding of every application; type each device code as soon as its terminal waits for
    it; sweep due owed work as beat would. Returns the seconds until every terminal is active."""
    from django.db import connection
    from django.db.models import Count

    from onboarding.models import Application
    from onboarding.services.actors import Actor
    from onboarding.work import publish_task, sweep_owed_work
    from payments.activation import terminal_register_device
    from payments.models import Terminal
    from payments.states import TerminalState

    def type_code(terminal) -> None:
        applicant = Application.objects.select_related("applicant").get(pk=terminal.request.store.application_id)
        try:
            terminal_register_device(terminal=terminal, actor=Actor.for_user(applicant.applicant),
                                     registration_code="simulated-wpe")  # fmt: skip
        finally:
            connection.close()

    started = time.monotonic()
    for public_id in ids:  # what the approvals' commits publish
        publish_task("payments.tasks.board_application", [public_id])
    typed: set[int] = set()
    typing: list = []
    boarded_at = None
    progress_at = 10.0
    # Many merchants type their codes at once: one after another from this loop, the typing itself (a
    # transaction each on a loaded machine) would be what the benchmark measures.
    typists = ThreadPoolExecutor(max_workers=TYPISTS)
    while True:
        if time.monotonic() - started > TIME_LIMIT_SECONDS:
            raise SystemExit(f"not done within {TIME_LIMIT_SECONDS} s")
        waiting = Terminal.objects.filter(state=TerminalState.AWAITING_DEVICE).select_related("request__store")
        for terminal in waiting.exclude(pk__in=typed):
            typed.add(terminal.pk)
            typing.append(typists.submit(type_code, terminal))
        for future in [f for f in typing if f.done()]:
            typing.remove(future)
            if future.exception() is not None:
                raise SystemExit(f"typing a registration code failed: {future.exception()!r}")
        sweep_owed_work(limit=1000)
        active = Terminal.objects.filter(state=TerminalState.ACTIVE).count()
        failed = Terminal.objects.filter(state=TerminalState.FAILED).count()
        if failed:
            example = Terminal.objects.filter(state=TerminalState.FAILED).first()
            raise SystemExit(f"{failed} terminal(s) failed, for example: {example.last_error}")
        if boarded_at is None and not Application.objects.exclude(state="boarded").exists():
            boarded_at = time.monotonic() - started
            print(f"  every application boarded after {boarded_at:.1f} s")
        if active == expected_terminals:
            typists.shutdown()
            return time.monotonic() - started
        if time.monotonic() - started >= progress_at:  # where the time goes, as it goes
            progress_at = time.monotonic() - started + 10
            states = dict(Terminal.objects.values_list("state").annotate(n=Count("pk")).order_by())
            boarded = Application.objects.filter(state="boarded").count()
            shown = (TerminalState.REQUESTED, TerminalState.AWAITING_DEVICE, TerminalState.ACTIVATING,
                     TerminalState.ACTIVE)  # fmt: skip
            print(f"  {time.monotonic() - started:5.0f} s: {boarded} boarded; terminals "
                  + ", ".join(f"{states.get(state, 0)} {state}" for state in shown))  # fmt: skip
        time.sleep(0.25)


def webhook_phase(ids: list[str]) -> dict:
    """One signed account.updated per merchant posted to the portal's webhook endpoint (gunicorn, 4 threads
    of the bench posting at once); the answer times, then the time until the worker processed them all."""
    import hashlib
    import hmac

    import requests
    from django.conf import settings

    from onboarding.models import Merchant
    from onboarding.work import sweep_owed_work
    from payments.models import AcquirerEvent

    port = free_port()
    web = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "LOG_LEVEL": "WARNING"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/webhooks/acquirer/"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        accounts = list(
            Merchant.objects.exclude(acquirer_account_id=None).values_list("acquirer_account_id", flat=True)
        )
        secret = settings.STRIPE_TEST_WEBHOOK_SECRET

        def post(account: str) -> float:
            body = json.dumps({"id": f"evt_bench_{uuid.uuid4().hex}", "object": "event", "type": "account.updated",
                               "account": account, "created": int(time.time()), "livemode": False,
                               "data": {"object": {"id": account, "object": "account"}}}).encode()  # fmt: skip
            stamp = int(time.time())
            signature = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
            began = time.perf_counter()
            headers = {"Stripe-Signature": f"t={stamp},v1={signature}", "Content-Type": "application/json"}
            answer = requests.post(url, data=body, headers=headers, timeout=30)
            assert answer.status_code == 200, answer.text
            return (time.perf_counter() - began) * 1000

        began = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            times = sorted(pool.map(post, accounts))
        posted = time.monotonic() - began
        while AcquirerEvent.objects.filter(processed_at__isnull=True).exists():
            if time.monotonic() - began > 300:
                raise SystemExit("the webhook events were not processed within 300 s")
            sweep_owed_work(limit=1000)  # as beat does: an event whose re-read is retried waits for it
            time.sleep(0.2)
        processed = time.monotonic() - began
    finally:
        web.terminate()
        web.wait(timeout=20)
    return {
        "webhook_events": len(times),
        "webhook_answer_p50_ms": round(statistics.median(times), 1),
        "webhook_answer_p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "webhook_post_seconds": round(posted, 1),
        "webhook_processed_seconds": round(processed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--merchants", type=int, default=500)
    parser.add_argument("--terminals", type=int, default=3, help="terminals per merchant")
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--rate-limit", type=float, default=100, help="the gateway's limit, calls a second")
    parser.add_argument("--concurrency", type=int, default=32, help="threads of each worker process")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    args = parser.parse_args()

    migrated(DATABASE_URL)
    began = time.monotonic()
    ids = seed(args.merchants, args.terminals)
    print(f"seeded {len(ids)} approved merchants with {args.terminals} terminals each in "
          f"{time.monotonic() - began:.1f} s")  # fmt: skip

    acquirer = Acquirer(VAR_DIR / "acquirer.log")
    # The acquirer enforces the same limit the gateway paces itself to: a call over it would be a 429.
    acquirer.inject(latency_ms=args.latency_ms, rate_limit=args.rate_limit)
    workers = [start_worker(acquirer.url, args.concurrency, args.rate_limit, VAR_DIR / f"worker-{n}.log",
                            f"bench{n}") for n in range(args.workers)]  # fmt: skip
    try:
        wait_ready(workers)
        seconds = run_activation(ids, args.merchants * args.terminals)
        log = acquirer.requests("/v1/", limit=10**7)
        objects = acquirer.objects()
        throttled = sum(1 for r in log if r["status"] == 429)
        webhooks = webhook_phase(ids)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        acquirer.stop()

    calls = len(log)
    by_path: dict[str, int] = {}
    for request in log:
        head = "/".join(request["path"].split("/")[:3]) if not request["path"].startswith("/v1/terminal") else (
            "/".join(request["path"].split("/")[:4]))  # fmt: skip
        by_path[f"{request['method']} {head}"] = by_path.get(f"{request['method']} {head}", 0) + 1
    figures = {
        "seconds": round(seconds, 1),
        "merchants": args.merchants,
        "terminals": args.merchants * args.terminals,
        "calls": calls,
        "calls_per_second": round(calls / seconds, 1),
        "rate_limit": args.rate_limit,
        "share_of_limit": round(calls / seconds / args.rate_limit, 3),
        "throttled_429": throttled,
        "duplicates": sum(objects["duplicates"].values()),
        "latency_ms": args.latency_ms,
        "worker_processes": args.workers,
        "worker_threads": args.concurrency,
        **webhooks,
    }
    print(f"boarded {args.merchants} merchants and activated {figures['terminals']} terminals in {seconds:.1f} s")
    print(f"{calls} acquirer calls: {figures['calls_per_second']}/s against a limit of {args.rate_limit:g}/s "
          f"({figures['share_of_limit']:.0%}); {throttled} answered 429")  # fmt: skip
    for name, count in sorted(by_path.items(), key=lambda item: -item[1]):
        print(f"  {count:6d}  {name}")
    first = log[0]["at"] if log else 0
    windows: dict[int, int] = {}
    for request in log:
        windows[int((request["at"] - first) // 10)] = windows.get(int((request["at"] - first) // 10), 0) + 1
    print("  calls a second, by 10-second window: " + " ".join(f"{windows.get(w, 0) / 10:.0f}" for w in
                                                             range(max(windows) + 1 if windows else 0)))  # fmt: skip
    print(f"duplicates on the acquirer: {figures['duplicates']} {objects['duplicates']}")
    print(f"webhooks: {webhooks['webhook_events']} events answered in p50 {webhooks['webhook_answer_p50_ms']} ms / "
          f"p95 {webhooks['webhook_answer_p95_ms']} ms; all processed {webhooks['webhook_processed_seconds']} s "
          "after the first was posted")  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
