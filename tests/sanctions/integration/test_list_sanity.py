"""A broken or suspicious list never becomes the active one: bad files and cut-short transfers are refused
with a one-line error recorded on the attempt, folders need a publish date, and no hit moves."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sanctions import loading, ofac
from sanctions.check import SanctionsCheck
from sanctions.freshness import active_version, health_probe
from sanctions.gateway import UrllibGateway
from sanctions.models import RefreshAttempt, SanctionsEntry, SanctionsHit, SanctionsListVersion
from tests.sanctions.integration.helpers import (
    DATA,
    SAMPLE,
    application_with,
    list_server,
    ofac_site,
    person,
    today,
)

pytestmark = pytest.mark.django_db

MAINTENANCE_PAGE = (
    b"<!DOCTYPE html>\r\n<html><head><title>Scheduled maintenance</title></head>\r\n"
    b"<body><h1>This site is undergoing maintenance</h1><p>Please try again later.</p></body></html>\r\n"
)
HEADER = b"ent_num,SDN_name,SDN_type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n"


def load(*args) -> str:
    out = StringIO()
    call_command("load_sanctions", *args, stdout=out)
    return out.getvalue()


def latest_attempt() -> RefreshAttempt:
    return RefreshAttempt.objects.order_by("-id").first()


def test_no_broken_or_cut_short_download_ever_becomes_active(tmp_path):
    """The real 2021 SDN list and the 2025 Consolidated list are active, with an open hit on a listed person;
    then sdn.csv is broken in every way seen in the wild, and each download is refused."""
    root = ofac_site(tmp_path / "www", DATA / "sdn_full_2021-07")
    with list_server(root) as url:
        load("--source", url, "--no-rescreen")
    good = active_version()
    assert good.entry_count == 9414
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True))
    SanctionsCheck().run(application)
    hit = SanctionsHit.objects.get(application=application, uid=15102, status="open", is_current=True)

    sdn = (root / "sdn.csv").read_bytes()
    rows = sdn.split(b"\r\n")
    middle_quote = sdn.index(b'"DOB', len(sdn) // 2)
    broken = {
        "an HTML maintenance page": (MAINTENANCE_PAGE, "HTML page"),
        "an empty file": (b"", "is empty"),
        "a header row only": (HEADER, "no data rows"),
        "UTF-16": (sdn.decode("ascii").encode("utf-16"), "UTF-16"),
        "cut at a row boundary at 40%": (b"\r\n".join(rows[: int(len(rows) * 0.4)]) + b"\r\n", "40% of the 8,976"),
        "cut inside a quoted field": (sdn[: middle_quote + 12], "ends inside a quoted field"),
    }
    for what, (content, expected) in broken.items():
        (root / "sdn.csv").write_bytes(content)
        with list_server(root) as url, pytest.raises(CommandError) as failure:
            load("--source", url, "--rescreen-now")
        message = str(failure.value)
        assert "sdn.csv" in message and expected in message, (what, message)
        assert "\n" not in message and "Traceback" not in message, what
        assert active_version() == good, what
        hit.refresh_from_db()
        assert hit.status == "open" and hit.is_current, what
        attempt = latest_attempt()
        assert attempt.status == "failed" and "sdn.csv" in attempt.error and attempt.finished_at, what
        probe = health_probe()
        assert probe["status"] == "degraded" and expected in probe["last_refresh_failure"]["error"], what

    # The good bytes again, but the transfer stops halfway although the server announced the full length.
    (root / "sdn.csv").write_bytes(sdn)
    with list_server(root, cut_short={"sdn.csv": len(sdn) // 2}) as url, pytest.raises(CommandError) as failure:
        load("--source", url, "--rescreen-now")
    assert "sdn.csv (transfer cut short" in str(failure.value)
    assert latest_attempt().status == "failed" and latest_attempt().finished_at
    assert active_version() == good and SanctionsListVersion.objects.count() == 1
    hit.refresh_from_db()
    assert hit.status == "open" and hit.is_current

    # Whole again: the same content as the active version, nothing to do, and the failure is cleared.
    with list_server(root) as url:
        assert "Unchanged" in load("--source", url, "--rescreen-now")
    assert health_probe()["last_refresh_failure"] is None


def test_a_file_that_lost_rows_is_refused_against_the_active_version(tmp_path, small_lists):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    load("--source", str(folder), "--publish-date", str(today()), "--no-rescreen")
    good = active_version()
    rows = (folder / "add.csv").read_bytes().split(b"\r\n")
    (folder / "add.csv").write_bytes(b"\r\n".join(rows[:20]) + b"\r\n")  # 20 of 28 rows, each whole
    refused = r"add.csv holds 20 rows, 71% of the 28 rows of the active .*; at least 90% are required"
    with pytest.raises(CommandError, match=refused):
        load("--source", str(folder), "--publish-date", str(today()))
    assert active_version() == good and SanctionsListVersion.objects.count() == 1


def test_a_first_load_needs_a_real_list_size(tmp_path, settings):
    assert settings.SANCTIONS_MIN_PRIMARY_ROWS >= 1000  # the 17-row sample is no list to screen against
    with pytest.raises(CommandError, match="a first load needs at least .* primary rows .* hold 17"):
        load("--source", str(SAMPLE), "--publish-date", str(today()))
    assert active_version() is None and not SanctionsEntry.objects.exists()
    assert latest_attempt().status == "failed" and "primary rows" in latest_attempt().error


def test_a_bad_folder_is_a_one_line_error_recorded_on_the_attempt(tmp_path, small_lists):
    folder = tmp_path / "utf16"
    shutil.copytree(SAMPLE, folder)
    (folder / "alt.csv").write_bytes((SAMPLE / "alt.csv").read_text().encode("utf-16"))
    with pytest.raises(CommandError) as failure:
        load("--source", str(folder), "--publish-date", str(today()))
    assert "alt.csv holds NUL bytes" in str(failure.value) and "\n" not in str(failure.value)
    assert latest_attempt().status == "failed" and "alt.csv" in latest_attempt().error
    assert latest_attempt().finished_at is not None and active_version() is None

    with pytest.raises(CommandError, match="is not a folder"):
        load("--source", str(tmp_path / "nowhere"), "--publish-date", str(today()))


def test_a_folder_without_a_publish_date_is_refused_whatever_its_files_modification_times(tmp_path, small_lists):
    folder = tmp_path / "copied_today"
    shutil.copytree(SAMPLE, folder)  # fresh modification times on a 2025 list
    with pytest.raises(CommandError, match="carries no publish date: give --publish-date"):
        load("--source", str(folder))
    assert active_version() is None and latest_attempt().finished_at is not None

    (folder / "PUBLISH_DATE").write_text("2025-05-16\n")
    load("--source", str(folder), "--no-rescreen")
    assert str(active_version().publish_date) == "2025-05-16"


def test_a_bundled_manifest_in_the_folder_gives_the_publish_date(tmp_path, small_lists):
    folder = tmp_path / "with_manifest"
    shutil.copytree(SAMPLE, folder)
    (folder / "bundled.json").write_text('{"parts": [{"folder": ".", "publish_date": "2025-05-16", "files": []}]}')
    load("--source", str(folder), "--no-rescreen")
    assert str(active_version().publish_date) == "2025-05-16"


def test_an_unexpected_loader_failure_is_recorded_with_its_error_and_finish_time(tmp_path, small_lists, monkeypatch):
    def broken(list_set):
        raise RuntimeError("programs table unavailable")

    monkeypatch.setattr(loading, "_record_programs", broken)
    with pytest.raises(RuntimeError):
        load("--source", str(SAMPLE), "--publish-date", str(today()))
    attempt = latest_attempt()
    assert attempt.status == "failed" and attempt.finished_at is not None
    assert attempt.error == "RuntimeError: programs table unavailable"
    assert active_version() is None and not SanctionsListVersion.objects.exists()  # the transaction rolled back


class ChunkedCutHandler(BaseHTTPRequestHandler):
    """Every file as a chunked body that stops mid-chunk: urllib raises IncompleteRead."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the handler's protocol)
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"400\r\n" + ROW_START * 4)  # announces 1,024 bytes, sends fewer, closes
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002
        pass


ROW_START = b'15102,"MORENO, Daniel","individual","SDNTK",'


def test_a_chunked_transfer_cut_short_is_a_missing_file_not_an_error_of_the_gateway():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ChunkedCutHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        download = UrllibGateway(timeout=10).fetch(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert download.files == {}
    assert set(download.missing) == set(ofac.FILES)
    assert all(why.startswith("transfer cut short") for why in download.missing.values()), download.missing
