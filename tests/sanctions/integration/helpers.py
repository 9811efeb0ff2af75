"""Helpers and fixtures for the sanctions tests that use the database: list versions, parties, merchants."""

from __future__ import annotations

import functools
import shutil
import threading
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from onboarding.models import Application, Merchant
from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_create_for
from onboarding.states import MerchantState
from sanctions.loading import list_version_load
from sanctions.sources import folder_source
from tests.factories import draft_application, valid_draft

DATA = Path(__file__).resolve().parents[2] / "data" / "ofac"
SAMPLE = DATA / "sample_2025-05"

#: A Consolidated-only individual (sectoral program): restricts, never blocks.
CONS_ROW = (
    '99001,"PETROVSKY, Ivan Sergeyevich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 01 Feb 1970; nationality Russia; Gender Male."\r\n'
)


def today() -> date:
    return timezone.now().date()


def load_folder(path: Path, *, publish_date: date | None = None, rescreen: bool = False):
    return list_version_load(source=folder_source(path, publish_date or today()), rescreen=rescreen)


@pytest.fixture
def small_lists(settings):
    """The 17-row sample is far below a real list: let it load as a first version, and let removing one of
    its entries (about 6%) activate the version instead of holding it."""
    settings.SANCTIONS_MIN_PRIMARY_ROWS = 10
    settings.SANCTIONS_MAX_REMOVAL_SHARE = 0.2


def sample_plus_cons(parent: Path) -> Path:
    """The 17-row SDN sample plus a one-row Consolidated list, in a folder under ``parent``."""
    folder = parent / "sample_plus_cons"
    shutil.copytree(SAMPLE, folder)
    (folder / "cons_prim.csv").write_bytes(CONS_ROW.encode())
    return folder


@pytest.fixture
def sample_with_cons(tmp_path) -> Path:
    return sample_plus_cons(tmp_path)


@pytest.fixture
def fresh_list(db, small_lists, sample_with_cons):
    """The sample list (plus one CONS entry), published today."""
    return load_folder(sample_with_cons).version


@pytest.fixture
def stale_list(db, small_lists, sample_with_cons):
    return load_folder(sample_with_cons, publish_date=today() - timedelta(days=400)).version


class ListFilesHandler(SimpleHTTPRequestHandler):
    """Serves a folder; a path in ``cut_short`` is announced with its full Content-Length, then the
    connection closes after that many bytes (a transfer cut short)."""

    cut_short: dict[str, int] = {}

    def do_GET(self):  # noqa: N802 (the handler's protocol)
        path = self.path.lstrip("/")
        if path not in self.cut_short:
            return super().do_GET()
        body = (Path(self.directory) / path).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: self.cut_short[path]])
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002
        pass


@contextmanager
def list_server(root: Path, *, cut_short: dict[str, int] | None = None):
    """A real HTTP server on 127.0.0.1 serving ``root`` in OFAC's layout; yields its base address."""
    handler_class = type("Handler", (ListFilesHandler,), {"cut_short": dict(cut_short or {})})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_class, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def ofac_site(root: Path, sdn_folder: Path, cons_folder: Path = DATA / "cons_2025-12") -> Path:
    """A folder laid out like OFAC's download address: SDN files at the base, Consolidated under consolidated/."""
    shutil.copytree(sdn_folder, root)
    shutil.copytree(cons_folder, root / "consolidated")
    return root


def without_entry(folder: Path, uid: int, into: Path) -> Path:
    """A copy of a list folder whose sdn.csv lacks one entry's row."""
    shutil.copytree(folder, into)
    rows = (folder / "sdn.csv").read_bytes().split(b"\n")
    (into / "sdn.csv").write_bytes(b"\n".join(r for r in rows if not r.startswith(f"{uid},".encode())))
    return into


def person(first, last, dob, percent=0, control=False, **extra) -> dict:
    data = {
        "first_name": first,
        "last_name": last,
        "date_of_birth": dob,
        "ownership_percent": percent,
        "is_control_person": control,
        "id_number_type": "ssn",
        "id_number": extra.pop("ssn", "212-54-3321"),
        "nationalities": ["US"],
        "citizenships": ["US"],
        "address_line1": "12 Bayard Street",
        "address_city": "New York",
        "address_state": "NY",
        "address_postal_code": "10013",
    }
    if percent >= 25 or control:
        data["email"] = f"{first}.{last}@example.com".lower().replace(" ", "")
    if control:
        data["title"] = "Managing member"
        data["phone"] = "+1 212 555 0148"
    data.update(extra)
    return data


CLEAN_OWNER = person("Wen", "Zhao", "1980-05-17", 100, True, ssn="212-54-3321")


def application_with(*parties: dict, **sections) -> Application:
    return draft_application(parties=list(parties), **sections)


def live_merchant_for(application: Application, state: str = MerchantState.ACTIVE) -> Merchant:
    merchant = merchant_create_for(application=application, actor=Actor.system("tests"))
    Application.objects.filter(pk=application.pk).update(merchant=merchant)
    Merchant.objects.filter(pk=merchant.pk).update(state=state, current_application=application)
    application.refresh_from_db()
    merchant.refresh_from_db()
    return merchant


__all__ = ["valid_draft"]
