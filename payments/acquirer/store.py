"""The local acquirer's state in its own SQLite file (WAL): objects, idempotent answers, the request log,
events and their delivery attempts.

One connection behind one re-entrant lock: a request's reads and writes happen as one transaction, so
32 client threads never meet "database is locked" and an object and its idempotent answer are stored
together. Personal data is never kept: identifiers are reduced to "provided" flags, and the request log
masks them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, livemode INTEGER NOT NULL,
    owner TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
    private TEXT NOT NULL DEFAULT '{}', due_at REAL
);
CREATE INDEX IF NOT EXISTS objects_due ON objects (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_scope ON objects (kind, livemode, owner, seq);
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, created REAL NOT NULL,
    status INTEGER, body TEXT, PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, request_id TEXT NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, params TEXT NOT NULL, idempotency_key TEXT NOT NULL, stripe_account TEXT NOT NULL,
    status INTEGER NOT NULL, livemode INTEGER, replayed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, type TEXT NOT NULL, livemode INTEGER NOT NULL,
    account TEXT NOT NULL, created INTEGER NOT NULL, payload TEXT NOT NULL, delivery TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_due ON events (delivery, next_attempt_at);
CREATE TABLE IF NOT EXISTS attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, at REAL NOT NULL, status INTEGER,
    error TEXT NOT NULL DEFAULT ''
);
"""
TABLES = ("objects", "idempotency", "requests", "events", "attempts")


class Store:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=20)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        # An answer still in flight when the server stopped will never be written: forget it.
        self.db.execute("DELETE FROM idempotency WHERE status IS NULL")
        self._depth = 0

    @contextmanager
    def transaction(self):
        with self.lock:
            outer = self._depth == 0
            if outer:
                self.db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self.db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.db.execute("COMMIT")

    def execute(self, sql: str, args=()):
        with self.lock:
            return self.db.execute(sql, args)

    def rows(self, sql: str, args=()) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    def reset(self) -> None:
        with self.transaction():
            for table in TABLES:
                self.db.execute(f"DELETE FROM {table}")  # noqa: S608 (a fixed list of names)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # ------------------------------------------------------------------ objects

    def insert(self, obj: dict, *, kind: str, owner: str, private: dict | None = None) -> dict:
        private = private or {}
        self.execute(
            "INSERT INTO objects (id, kind, livemode, owner, created, data, private, due_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (obj["id"], kind, int(obj["livemode"]), owner, obj["created"], json.dumps(obj), json.dumps(private),
             private.get("due_at")),
        )  # fmt: skip
        return obj

    def save(self, obj: dict, *, private: dict | None = None, deleted: bool = False) -> dict:
        if private is None:
            sql, args = (
                "UPDATE objects SET data = ?, deleted = ? WHERE id = ?",
                (json.dumps(obj), int(deleted), obj["id"]),
            )
        else:
            sql = "UPDATE objects SET data = ?, private = ?, due_at = ?, deleted = ? WHERE id = ?"
            args = (json.dumps(obj), json.dumps(private), private.get("due_at"), int(deleted), obj["id"])
        self.execute(sql, args)
        return obj

    def due(self, now: float | None) -> list[str]:
        """Accounts whose verification is waiting (and due by ``now``, when given)."""
        sql = "SELECT id FROM objects WHERE kind = 'account' AND due_at IS NOT NULL"
        if now is None:
            return [row["id"] for row in self.rows(sql)]
        return [row["id"] for row in self.rows(sql + " AND due_at <= ?", (now,))]

    def get(self, kind: str, object_id: str, *, livemode: bool, owner: str | None = None):
        """(object, private, deleted) of an object in this mode and scope, or None."""
        sql = "SELECT data, private, deleted FROM objects WHERE id = ? AND kind = ? AND livemode = ?"
        args: list = [object_id, kind, int(livemode)]
        if owner is not None:
            sql += " AND owner = ?"
            args.append(owner)
        found = self.rows(sql, args)
        if not found:
            return None
        return json.loads(found[0]["data"]), json.loads(found[0]["private"]), bool(found[0]["deleted"])

    def page(
        self,
        kind: str,
        *,
        livemode: bool,
        owner: str | None,
        limit: int,
        after_seq: int | None,
        include_deleted: bool = False,
    ) -> list[dict]:
        sql = "SELECT data FROM objects WHERE kind = ? AND livemode = ?"
        args: list = [kind, int(livemode)]
        if owner is not None:
            sql += " AND owner = ?"
            args.append(owner)
        if not include_deleted:
            sql += " AND deleted = 0"
        if after_seq is not None:
            sql += " AND seq < ?"
            args.append(after_seq)
        sql += " ORDER BY seq DESC LIMIT ?"
        args.append(limit)
        return [json.loads(row["data"]) for row in self.rows(sql, args)]

    def all(self, kind: str, *, owner: str | None = None, livemode: bool | None = None, deleted: bool = False):
        sql, args = "SELECT data, private FROM objects WHERE kind = ? AND deleted = ?", [kind, int(deleted)]
        if owner is not None:
            sql, args = sql + " AND owner = ?", [*args, owner]
        if livemode is not None:
            sql, args = sql + " AND livemode = ?", [*args, int(livemode)]
        return [(json.loads(r["data"]), json.loads(r["private"])) for r in self.rows(sql + " ORDER BY seq", args)]

    def seq_of(self, object_id: str) -> int | None:
        found = self.rows("SELECT seq FROM objects WHERE id = ?", (object_id,))
        return found[0]["seq"] if found else None

    # ------------------------------------------------------------------ idempotency

    def idempotent(self, scope: str, key: str, *, lifetime: float):
        found = self.rows("SELECT * FROM idempotency WHERE scope = ? AND key = ?", (scope, key))
        if found and found[0]["created"] < time.time() - lifetime:
            self.execute("DELETE FROM idempotency WHERE scope = ? AND key = ?", (scope, key))
            return None
        return found[0] if found else None

    def idempotent_claim(self, scope: str, key: str, fingerprint: str) -> None:
        self.execute(
            "INSERT INTO idempotency (scope, key, fingerprint, created) VALUES (?, ?, ?, ?)",
            (scope, key, fingerprint, time.time()),
        )

    def idempotent_answer(self, scope: str, key: str, status: int, body: dict) -> None:
        self.execute(
            "UPDATE idempotency SET status = ?, body = ? WHERE scope = ? AND key = ?",
            (status, json.dumps(body), scope, key),
        )

    def idempotent_forget(self, scope: str, key: str) -> None:
        self.execute("DELETE FROM idempotency WHERE scope = ? AND key = ? AND status IS NULL", (scope, key))
