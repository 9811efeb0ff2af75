"""``/_local/…``: the local acquirer's control and inspection endpoints (JSON, loopback only, no key).

POST /_local/faults, GET /_local/faults, POST /_local/reset, POST /_local/verify ({"account": …} or all),
POST /_local/review ({"account": …, "outcome": "restrict" | "reject" | "restore", "requirement": …}),
GET /_local/objects (counts and duplicates), GET /_local/requests (?path=prefix&limit=n),
GET /_local/events (events and their delivery attempts).
"""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import parse_qs

# kind → what makes two of them the same thing of ours (None: one per account is expected).
DUPLICATE_KEYS = {
    "account": ("accounts", "merchant"),
    "payment_method_configuration": ("configurations", None),
    "person": ("persons", "party"),
    "terminal.location": ("locations", "store"),
    "terminal.reader": ("readers", "terminal"),
}


def objects_summary(store) -> dict:
    counts = {
        row["kind"]: row["n"]
        for row in store.rows("SELECT kind, COUNT(*) AS n FROM objects WHERE deleted = 0 GROUP BY kind")
    }
    duplicates, which = {}, {}
    for kind, (name, metadata_key) in DUPLICATE_KEYS.items():
        groups: Counter = Counter()
        for row in store.rows("SELECT owner, data FROM objects WHERE kind = ? AND deleted = 0", (kind,)):
            data = json.loads(row["data"])
            if metadata_key is None:
                if row["owner"]:
                    groups[row["owner"]] += 1
                continue
            mine = (data.get("metadata") or {}).get(metadata_key)
            if mine:
                groups[(row["owner"], mine)] += 1
        duplicates[name] = sum(n - 1 for n in groups.values() if n > 1)
        which[name] = [str(group[-1] if isinstance(group, tuple) else group) for group, n in groups.items() if n > 1]
    return {"counts": counts, "duplicates": duplicates, "duplicated": which}


def requests_log(store, *, path: str = "", limit: int = 1000) -> list[dict]:
    rows = store.rows(
        "SELECT * FROM (SELECT * FROM requests WHERE path LIKE ? ORDER BY seq DESC LIMIT ?) ORDER BY seq",
        (f"{path}%", limit),
    )
    return [
        {
            "request_id": r["request_id"],
            "at": r["at"],
            "method": r["method"],
            "path": r["path"],
            "params": json.loads(r["params"]),
            "idempotency_key": r["idempotency_key"],
            "stripe_account": r["stripe_account"],
            "status": r["status"],
            "livemode": None if r["livemode"] is None else bool(r["livemode"]),
            "replayed": bool(r["replayed"]),
        }
        for r in rows
    ]


def events_log(store) -> list[dict]:
    attempts: dict = {}
    for row in store.rows("SELECT * FROM attempts ORDER BY seq"):
        attempts.setdefault(row["event_id"], []).append(
            {"at": row["at"], "status": row["status"], "error": row["error"]}
        )
    return [
        {
            "id": r["id"],
            "type": r["type"],
            "account": r["account"],
            "livemode": bool(r["livemode"]),
            "delivery": r["delivery"],
            "attempts": attempts.get(r["id"], []),
            "event": json.loads(r["payload"]),
        }
        for r in store.rows("SELECT * FROM events ORDER BY seq")
    ]


def control(acquirer, method: str, path: str, query: str, raw: str) -> tuple[int, dict]:
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return 400, {"error": {"type": "invalid_request_error", "message": "The body must be JSON."}}
    args = {k: v[-1] for k, v in parse_qs(query).items()}
    name = path.removeprefix("/_local/").strip("/")
    if (method, name) == ("POST", "faults"):
        return 200, acquirer.faults.configure(body)
    if (method, name) == ("GET", "faults"):
        return 200, acquirer.faults.describe()
    if (method, name) == ("POST", "reset"):
        acquirer.reset()
        return 200, {"reset": True}
    if (method, name) == ("POST", "verify"):
        return 200, {"verified": acquirer.verify(account=body.get("account"))}
    if (method, name) == ("POST", "review"):
        try:
            account = acquirer.review(account=body.get("account", ""), outcome=body.get("outcome", ""),
                                      requirement=body.get("requirement", ""))  # fmt: skip
        except ValueError as exc:
            return 400, {"error": {"type": "invalid_request_error", "message": str(exc)}}
        return 200, {"account": account["id"], "requirements": account["requirements"]}
    if (method, name) == ("GET", "objects"):
        return 200, objects_summary(acquirer.store)
    if (method, name) == ("GET", "requests"):
        return 200, {
            "data": requests_log(acquirer.store, path=args.get("path", ""), limit=int(args.get("limit", 1000)))
        }
    if (method, name) == ("GET", "events"):
        return 200, {"data": events_log(acquirer.store)}
    return 404, {"error": {"type": "invalid_request_error", "message": f"No control endpoint {method} {path}."}}
