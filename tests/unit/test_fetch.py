"""`reader import URL`: a local HTTP server in a thread stands in for the web."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import fetch as fetch_module
from reader.cli import cli
from reader.fetch import FetchError, fetch, is_url
from reader.importing import import_paths
from reader.store import Store

PAGE = (Path(__file__).resolve().parents[1] / "data" / "news_page.html").read_bytes()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client gave up
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/news":
            self._send(200, PAGE)
        elif path == "/latin1":
            body = PAGE.replace(b'<meta charset="utf-8">', b"")
            body = body.replace(b"Oracle", "Orâcle".encode("latin-1"))
            self._send(200, body, "text/html; charset=ISO-8859-1")
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/news")
            self.end_headers()
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path == "/missing":
            self._send(404, b"<h1>Not found</h1>")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", "application/pdf")
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 5000 + b"</p>")
        elif path == "/big-unsized":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>" + b"x" * 5000 + b"</p>")
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, PAGE)
        elif path == "/empty":
            self._send(200, b"<html><head><title>Nothing</title></head><body></body></html>")


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def refused(url: str, **limits: float) -> str:
    with pytest.raises(FetchError) as info:
        fetch(url, **limits)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    return message


def test_is_url() -> None:
    assert is_url("http://x.example/a") and is_url("HTTPS://x.example")
    assert not is_url("page.html") and not is_url("ftp://x") and not is_url("http:/x")


def test_a_page_is_fetched_after_redirects(server: str) -> None:
    page = fetch(f"{server}/moved")
    assert page.url == f"{server}/news" and page.data == PAGE and page.charset == "utf-8"


def test_errors_are_one_clear_line(server: str) -> None:
    assert refused(f"{server}/missing") == "the server answered 404 Not Found"
    assert refused(f"{server}/pdf") == "not an HTML page (the server says application/pdf)"
    assert "too many redirects" in refused(f"{server}/loop")
    assert "larger than the" in refused(f"{server}/big", max_bytes=1000)
    assert "larger than the" in refused(f"{server}/big-unsized", max_bytes=1000)
    assert "no answer" in refused(f"{server}/slow", timeout=0.3)


def test_refused_and_unresolvable() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert "refused" in refused(f"http://127.0.0.1:{port}/")
    assert "could not be resolved" in refused("http://no-such-host.invalid/")


def test_url_import_records_the_url(server: str, tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        first = import_paths(store, [f"{server}/moved", f"{server}/missing", f"{server}/news"])
        assert [r.status for r in first] == ["imported", "failed", "present"]
        article = first[0].article
        assert article is not None
        assert article.url == article.path == f"{server}/news"
        assert article.title == "Microsoft Loses Its Exclusive Cloud Role for OpenAI"
        assert article.source == "The Harbour Ledger" and article.published == "2025-01-22"
        assert article.author == "Priya Raman"
        assert store.article(article.id).author == "Priya Raman"  # stored
        assert "Share on" not in article.text
        assert first[1].message == "the server answered 404 Not Found"


def test_server_charset_is_used(server: str, tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        (result,) = import_paths(store, [f"{server}/latin1"])
    assert result.article is not None and "Orâcle" in result.article.text


def test_cli_url_import(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_module, "TIMEOUT_S", 0.3)
    result = CliRunner().invoke(
        cli, ["import", f"{server}/news", f"{server}/slow", f"{server}/empty", f"{server}/pdf"]
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"imported         {server}/news  ")
    assert lines[-1] == "1 imported, 0 already present, 3 failed"
    failed = result.stderr.splitlines()  # failures on stderr, one line each
    assert failed[0].startswith(f"reader: {server}/slow: no answer")
    assert failed[1] == f"reader: {server}/empty: no article text found in the page"
    assert failed[2].startswith(f"reader: {server}/pdf: not an HTML page")
    assert "Traceback" not in result.output
