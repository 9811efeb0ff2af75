"""Real services for integration tests: a Celery worker process on the test database, a throwaway
redis-server, and waiting on observable state (never on a fixed sleep)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parents[1]


def wait_for(predicate, *, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def purge_queue(broker_url: str, queue: str) -> None:
    with app.connection_for_write(broker_url) as conn:
        try:
            conn.default_channel.queue_purge(queue)
        except Exception:  # the queue does not exist yet: nothing to purge
            conn.close()


@contextmanager
def celery_worker(*, broker_url: str, queue: str, log_path: Path, pool: str = "prefork", concurrency: int = 1):
    """A real worker process consuming ``queue`` from ``broker_url`` against the test database (``threads``:
    one process, which a test can SIGKILL with the task it runs)."""
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue, "--pool", pool,
               "--concurrency", str(concurrency), "--without-mingle", "--without-gossip", "--without-heartbeat",
               "--loglevel", "INFO", "--hostname", f"test-{queue}@%h"]  # fmt: skip
    with open(log_path, "a") as log:
        start = log.tell()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "ready." in log_path.read_text()[start:] or process.poll() is not None, timeout=90,
                 what="the worker to be ready")  # fmt: skip
        assert process.poll() is None, log_path.read_text()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_sweeping(predicate, *, what: str, timeout: float = 90, diagnosis=None):
    """Wait for ``predicate``, doing what beat does meanwhile: publishing the owed work that is due; on a
    timeout, ``diagnosis()`` says what the test's world looked like."""
    from onboarding.work import sweep_owed_work

    def swept():
        sweep_owed_work()
        return predicate()

    try:
        return wait_for(swept, timeout=timeout, what=what)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{diagnosis() if diagnosis else ''}") from None


class RestartableWorker:
    """A one-process worker a test starts, stops and kills (SIGKILL: no shutdown and no acknowledgement, the
    task it held vanishes with it) and starts again, as a crash and a restart would.

    One thread of the ``threads`` pool, not ``solo``: with RabbitMQ (celery and kombu 5.7) a solo worker
    stalls about ten seconds at a time while messages wait in the queue."""

    def __init__(self, *, broker_url: str, queue: str, log_path: Path):
        self.broker_url, self.queue, self.log_path = broker_url, queue, log_path
        self._worker = None
        self.process = None

    def start_worker(self) -> None:
        self._worker = celery_worker(broker_url=self.broker_url, queue=self.queue, log_path=self.log_path,
                                     pool="threads")  # fmt: skip
        self.process = self._worker.__enter__()

    def stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.__exit__(None, None, None)
            self._worker = self.process = None

    def kill_worker(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        self.stop_worker()


@contextmanager
def redis_server(port: int, workdir: Path):
    """A throwaway redis-server on ``port`` that the test may stop and start again."""
    binary = shutil.which("redis-server")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: _accepts(port), timeout=20, what=f"redis-server on port {port}")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def publishing_to(broker_url: str):
    """Point this process's Celery app at another broker (its pools are rebuilt for the new address).

    Celery reads CELERY_BROKER_URL from the environment before its own configuration, so both change.
    """
    keys = ("broker_url", "broker_write_url", "broker_read_url")
    previous = {key: app.conf.get(key) for key in keys}
    previous_env = os.environ.get("CELERY_BROKER_URL")

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.update(dict.fromkeys(keys, broker_url))
    reset()
    try:
        yield
    finally:
        if previous_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous_env
        app.conf.update(previous)
        reset()
