"""Review admin benchmark: the queue, a filtered queue, a search and a review page over 100,000 applications.

Run with ``.venv/bin/python bench/admin.py`` (or ``make bench-admin``). It uses its own PostgreSQL
database (``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/portal_bench``; the role
must be able to create it), migrates it and fills it once with 100,000 applications and their parties,
wallets, check results, risk scores, sanctions hits and events in realistic proportions (COPY, seeded, about
a minute or two). A database already filled with the same ``FILL_VERSION`` is reused.

Business names are a coined word and two of 26 common ones ("Kalomiren Lotus LLC"): a search for the coined
word is an officer's usual search, one for two common words ("Lotus Garden", about 1% of all applications)
the unselective worst case; both are measured.

Each page is requested through Django's test client as a signed-in compliance officer: first to count its
queries (the same for every page size), then ``REPEATS`` times for p50/p95 in milliseconds. Where p95 is
over the target, one request is profiled (cProfile) and the top of the profile and the SQL share printed.
Readable figures first; the last line is one JSON object with the same figures.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.copy_rows import Copier  # noqa: E402 (after the path is set)

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

APPLICATIONS = 100_000
FILL_VERSION = "4"
SEED = 16
REPEATS = 30
TARGET_P95_MS = 300
OFFICERS = 40
PARTNERS = 25
NOW = datetime.now(UTC).replace(microsecond=0)

# Where an application stands, as in a portal that has boarded merchants for a few years.
STATE_WEIGHTS = {
    "boarded": 52, "declined": 8, "withdrawn": 4, "expired": 2, "approved": 2, "boarding": 0.5,
    "boarding_failed": 0.3, "draft": 11, "submitted": 0.4, "screening": 0.6, "in_review": 12,
    "info_requested": 5, "awaiting_second_approval": 2.2,
}  # fmt: skip
DECIDED = {"boarded", "declined", "approved", "boarding", "boarding_failed"}
WAITING = {"in_review", "awaiting_second_approval"}
BANDS = {"low": 70, "medium": 22, "high": 8}
FIRST = "Wen Rosa Ivan Maria James Li Chen Aiko Omar Sara David Mei Juan Fatima Peter Hana Luis Grace Noah Ava"
LAST = "Zhao Delgado Smith Garcia Nguyen Kim Patel Johnson Lee Brown Wang Lopez Khan Miller Davis Chen Tanaka Wilson"
WORDS = ("Pearl River Golden Gate Lotus Jade Dragon Harbor Bay Sunrise Maple Cedar Silk Road Tea House Noodle "
         "Garden Market Bakery Travel Pharmacy Electronics Boutique Kitchen Express")  # fmt: skip
FIRST, LAST, WORDS = FIRST.split(" "), LAST.split(" "), WORDS.split(" ")
SUFFIX = ["LLC", "Inc", "Corp", "Co", "Ltd"]
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "zi", "an", "bo", "chu", "da", "el", "fa", "gu", "ho"]


def coined(rng: random.Random) -> str:
    """A made-up distinctive word ("Kalomiren"): real business names are mostly distinct, not 26 words."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def ensure_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django():
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def filled_version(cursor) -> str | None:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_fill (version text, applications int, filled_at timestamptz)")
    cursor.execute("SELECT version, applications FROM bench_fill ORDER BY filled_at DESC LIMIT 1")
    row = cursor.fetchone()
    return row[0] if row and row[1] == APPLICATIONS else None


# -- the fill -------------------------------------------------------------------------------------


def public_id(rng: random.Random, prefix: str) -> str:
    return f"{prefix}_" + "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", k=20))


def fill() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from onboarding import crypto, roles
    from onboarding.kyc import risk
    from onboarding.kyc.registry import registered_checks
    from onboarding.models import (
        RISK_BAND_RANK,
        Application,
        CheckResult,
        Event,
        Partner,
        Party,
        RiskScore,
        WalletRequest,
    )
    from sanctions.models import SanctionsHit, SanctionsListVersion

    rng = random.Random(SEED)
    started = time.perf_counter()
    User = get_user_model()
    roles.ensure_role_groups()
    officer_group = Group.objects.get(name=roles.COMPLIANCE_OFFICER)
    officers = []
    for n in range(OFFICERS):
        user = User.objects.create(username=f"officer{n}@bench.example", email=f"officer{n}@bench.example",
                                   first_name=rng.choice(FIRST), last_name=rng.choice(LAST), is_staff=True)  # fmt: skip
        user.groups.add(officer_group)
        officers.append(user.pk)
    partners = [Partner.objects.create(name=f"{rng.choice(WORDS)} Payments {n}", kind="iso").pk
                for n in range(PARTNERS)]  # fmt: skip
    version = SanctionsListVersion.objects.create(source="bundled", label="bench list", content_hash="bench" * 12,
                                                  publish_date=NOW.date() - timedelta(days=2), is_active=True,
                                                  status="active")  # fmt: skip
    old_version = f"slv_{'old' * 6}xx"
    rule_set = risk.rule_set_current()
    checks = [c.name for c in registered_checks()]
    encrypted_ein = crypto.encrypt("46-2811507")  # one token reused: the list never decrypts it

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no history triggers while filling
        copier = Copier(cursor, NOW)
        app_ids = copier.next_ids(Application, APPLICATIONS)
        web_users = copier.next_ids(User, APPLICATIONS)
        users, apps, parties, wallets, results, scores, hits, events = [], [], [], [], [], [], [], []
        states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
        bands, band_weights = list(BANDS), list(BANDS.values())
        for i, app_id in enumerate(app_ids):
            state = rng.choices(states, weights)[0]
            submitted = None if state == "draft" else NOW - timedelta(days=rng.uniform(0.5, 720))
            if state in WAITING or state in {"submitted", "screening", "info_requested"}:
                submitted = NOW - timedelta(days=rng.uniform(0.2, 45))
            decided = submitted + timedelta(days=rng.uniform(0.05, 9)) if state in DECIDED else None
            if decided and decided > NOW:
                decided = NOW
            waiting = NOW - timedelta(days=rng.expovariate(1 / 4)) if state in WAITING else None
            scored = submitted is not None and state not in {"submitted", "screening"}
            band = rng.choices(bands, band_weights)[0] if scored else ""
            score = {"low": rng.randint(0, 29), "medium": rng.randint(30, 59), "high": rng.randint(60, 100)}.get(band)
            partner = rng.choice(partners) if rng.random() < 0.3 else None
            first, last = rng.choice(FIRST), rng.choice(LAST)
            applicant = None
            if partner is None:
                applicant = web_users[i]
                users.append((applicant, f"{first}.{last}.{i}@merchant.example".lower(), "!", NOW))
            open_hits = rng.choice([1, 1, 2]) if state in WAITING and rng.random() < 0.06 else 0
            name = f"{coined(rng)} {rng.choice(WORDS)} {rng.choice(SUFFIX)}"
            dba = f"{rng.choice(WORDS)} {rng.choice(WORDS)}" if rng.random() < 0.6 else ""
            assigned = rng.choice(officers) if state in WAITING and rng.random() < 0.4 else None
            apps.append((
                app_id, public_id(rng, "app"), partner, applicant, "api" if partner else "web", state, submitted,
                submitted or NOW, decided, "declined_risk" if state == "declined" else "",
                state in WAITING or state in DECIDED, band == "high", name, dba, "multi_member_llc", "ein",
                encrypted_ein, f"{i % 10000:04d}", rng.choice(["5812", "5411", "5999", "4722", "5732"]),
                score, band, RISK_BAND_RANK[band], open_hits, assigned, waiting - timedelta(hours=1)
                if assigned and waiting else None, waiting, "Main Street", "New York", "NY", "10013", "US",
                submitted or NOW, NOW,
            ))  # fmt: skip
            for p in range(rng.choice([1, 1, 2, 2, 3])):
                pfirst, plast = (first, last) if p == 0 else (rng.choice(FIRST), rng.choice(LAST))
                parties.append((public_id(rng, "pty"), app_id, "individual", 100 // (p + 1), p == 0, pfirst, plast,
                                "ssn", f"{rng.randint(0, 9999):04d}", p, "US"))  # fmt: skip
            for wallet in rng.choice([["alipay"], ["wechat_pay"], ["alipay", "wechat_pay"]]):
                eligibility = "pending" if submitted is None else rng.choice(["eligible"] * 9 + ["ineligible"])
                wallets.append((app_id, wallet, rng.choice(["in_store", "online"]), eligibility, ""))
            if submitted is None:
                continue
            for check in checks:
                outcome = rng.choices(["pass", "review", "fail"], [90, 8, 2])[0]
                details = {"summary": f"{check} {outcome}"}
                if check == "sanctions":
                    stale = rng.random() < 0.02
                    details = {"list_version": old_version if stale else version.public_id, "list_stale": False,
                               "open_hits": open_hits, "hits": []}  # fmt: skip
                results.append((app_id, check, "1", outcome, json.dumps(details), "f" * 64, True, submitted))
                if rng.random() < 0.1:
                    results.append((app_id, check, "1", "review", json.dumps(details), "e" * 64, False, submitted))
            if band:
                scores.append((app_id, rule_set.pk, score, band, "{}", "[]", True, submitted))
            for h in range(open_hits + (1 if rng.random() < 0.03 else 0)):
                status = "open" if h < open_hits else "cleared"
                hits.append((public_id(rng, "hit"), app_id, "party", f"party{h}", f"uid:{1000 + h}", "name",
                             f"{first} {last}", "x" * 64, version.pk, 1000 + h, "e" * 64, "bench", 0.9, "[]",
                             f"{first.upper()} {last.upper()}", "[]", "[]", status, True, submitted))  # fmt: skip
            for n, action in enumerate(["created", "submitted", "screening_started", "checks_run", state]):
                events.append((public_id(rng, "evt"), submitted + timedelta(minutes=n), "system", "bench",
                               "application", apps[-1][1], app_id, partner, action, "", state, "", "{}",
                               "internal" if n % 2 else "shared"))  # fmt: skip
        counts = {
            "users": copier.copy(User, ["id", "username", "email", "password", "date_joined"], [
                (pk, email, email, pw, joined) for pk, email, pw, joined in users]),  # fmt: skip
            "applications": copier.copy(Application, [
                "id", "public_id", "partner", "applicant", "channel", "state", "submitted_at", "state_changed_at",
                "decided_at", "decline_reason_code", "has_been_in_review", "requires_second_approval", "legal_name",
                "dba", "entity_type", "tax_id_type", "tax_id", "tax_id_last4", "mcc", "risk_score", "risk_band",
                "risk_rank", "open_hit_count", "assigned_to", "assigned_at", "waiting_since", "address_line1",
                "address_city", "address_state", "address_postal_code", "address_country", "created_at",
                "updated_at"], apps),  # fmt: skip
            "parties": copier.copy(Party, [
                "public_id", "application", "kind", "ownership_percent", "is_control_person", "first_name",
                "last_name", "id_number_type", "id_number_last4", "position", "address_country"], parties),
            "wallet_requests": copier.copy(WalletRequest, [
                "application", "wallet", "channel", "eligibility", "eligibility_reason"], wallets),
            "check_results": copier.copy(CheckResult, [
                "application", "check_name", "check_version", "outcome", "details", "fingerprint", "is_current",
                "created_at"], results),
            "risk_scores": copier.copy(RiskScore, [
                "application", "rule_set", "score", "band", "inputs", "factors", "is_current", "created_at"],
                scores),
            "sanctions_hits": copier.copy(SanctionsHit, [
                "public_id", "application", "role", "subject_key", "target_key", "kind", "screened_name",
                "screened_hash", "version", "uid", "entry_hash", "algorithm_version", "score", "reasons",
                "matched_name", "programs", "lists", "status", "is_current", "created_at"], hits),
            "events": copier.copy(Event, [
                "public_id", "occurred_at", "actor_type", "actor_label", "subject_type", "subject_id",
                "application", "partner", "action", "from_state", "to_state", "reason_code", "details",
                "visibility"], events),
        }  # fmt: skip
        cursor.execute("INSERT INTO bench_fill VALUES (%s, %s, now())", [FILL_VERSION, APPLICATIONS])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def reset_database() -> None:
    """A database filled by another fill version is dropped and made again (it is the benchmark's own)."""
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# -- the measurements ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class QueryLog:
    """Every query the request runs, with its time (an execute wrapper: independent of DEBUG)."""

    def __init__(self):
        self.times: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append(time.perf_counter() - start)


def measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    log = QueryLog()
    setup_test_environment()  # this response carries its template context (the rows listed) …
    with connection.execute_wrapper(log):
        response = client.get(url)
    teardown_test_environment()  # … and the timed ones render as in production (no context copies)
    assert response.status_code == 200, (url, response.status_code)
    rows = len(response.context["cl"].result_list) if response.context and "cl" in response.context else None
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "url": url,
        "rows": rows,
        "queries": len(log.times),
        "sql_ms": round(sum(log.times) * 1000, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
    }


def profile(client, url: str) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
    return out.getvalue()


def main() -> None:
    ensure_database()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        have = filled_version(cursor)
    fill_counts = None
    if have != FILL_VERSION:
        if have is not None:
            connection.close()
            reset_database()
            call_command("migrate", verbosity=0)
            with connection.cursor() as cursor:
                filled_version(cursor)
        print(f"filling {APPLICATIONS:,} applications (fill version {FILL_VERSION}) …", flush=True)
        fill_counts = fill()
        print("filled:", ", ".join(f"{k} {v:,}" for k, v in fill_counts.items()), flush=True)
    else:
        print(f"reusing the filled database (fill version {FILL_VERSION})")

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from onboarding.models import Application
    from tests.staff import staff_login

    officer = get_user_model().objects.filter(username__startswith="officer", is_staff=True).order_by("pk").first()
    client = Client()
    staff_login(client, officer)
    queue = reverse("admin:onboarding_application_changelist")
    sample = Application.objects.filter(state="in_review").order_by("pk").first()
    owner = sample.parties.order_by("position").first()
    pages = {
        "queue": queue,
        "queue_filtered": f"{queue}?risk=high&assignee=nobody&waiting_days=3",
        "queue_stale_list": f"{queue}?screening=stale",
        "search_name": f"{queue}?q={sample.legal_name.split(' ')[0]}",
        "search_common_words": f"{queue}?q=Lotus+Garden",
        "search_owner": f"{queue}?q={owner.last_name}",
        "search_public_id": f"{queue}?q={sample.public_id}",
        "review_page": reverse("admin:onboarding_application_change", args=[sample.pk]),
    }
    for url in pages.values():  # warm the caches (templates, the connection) once
        client.get(url)
    figures = {name: measure(client, url) for name, url in pages.items()}

    print(f"\n{'page':<18} {'rows':>5} {'queries':>8} {'sql ms':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, f in figures.items():
        rows = "" if f["rows"] is None else f["rows"]
        print(f"{name:<18} {rows!s:>5} {f['queries']:>8} {f['sql_ms']:>8} {f['p50_ms']:>8} {f['p95_ms']:>8}")
    # The same code path with a full page and with one row: the query count must not depend on the rows.
    full, one = figures["queue"], figures["search_public_id"]
    constant = full["queries"] == one["queries"]
    print(f"\nqueries for {full['rows']} rows: {full['queries']}, for {one['rows']} row: {one['queries']} "
          f"(constant: {constant})")  # fmt: skip
    load = [round(x, 1) for x in os.getloadavg()]
    print(f"load average while measuring (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    slow = [name for name, f in figures.items() if f["p95_ms"] > TARGET_P95_MS]
    print(f"target p95 <= {TARGET_P95_MS} ms: {'met' if not slow else 'missed by ' + ', '.join(slow)}")
    for name in slow:
        print(f"\nprofile of one {name} request:\n{profile(client, pages[name])}")
    print(json.dumps({
        "applications": Application.objects.count(),
        "fill": fill_counts,
        "repeats": REPEATS,
        "target_p95_ms": TARGET_P95_MS,
        "queries_constant": constant,
        "load_average": load,
        "slow": slow,
        "pages": figures,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
