"""Fetching a web page for `reader import URL`: bounded in time, size and redirects.

Every way a fetch can fail becomes one FetchError line a person can act on
(the name did not resolve, the connection was refused, the server said 404,
the page is a PDF, it is larger than the import limit...), never a traceback.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from reader import __version__
from reader.errors import ReaderError

TIMEOUT_S = 20.0  # to connect, and for each read
TOTAL_S = 60.0  # for the whole page: a server trickling bytes is not waited for
MAX_BYTES = 20 * 1024 * 1024  # the same limit as for files
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
_URL = re.compile(r"https?://", re.IGNORECASE)
_MB = 1024 * 1024
_CHUNK = 256 * 1024


class FetchError(ReaderError):
    """Why a page could not be fetched, in one line, without the URL."""


@dataclass(frozen=True)
class Page:
    url: str  # where it was fetched from, after redirects
    data: bytes
    charset: str | None  # declared by the server, if any


def is_url(value: str) -> bool:
    """An http(s) address, as opposed to a path."""
    return bool(_URL.match(value))


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def,unused-ignore]
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchError(f"redirected to a non-web address ({urlsplit(newurl).scheme}:)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str,
    timeout: float | None = None,
    max_bytes: int | None = None,
    total: float | None = None,
) -> Page:
    """GET an HTML page (limits default to the module's). Raises FetchError."""
    timeout = TIMEOUT_S if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    total = TOTAL_S if total is None else total
    if not is_url(url):
        raise FetchError("not an http or https address")
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"reader/{__version__} (article import)",
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        },
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
            kind = headers.get_content_type()
            if kind not in HTML_TYPES:
                raise FetchError(f"not an HTML page (the server says {kind})")
            declared = headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(_too_big(int(declared), max_bytes))
            data = _read(response, max_bytes, time.monotonic() + max(total, timeout))
            return Page(response.geturl(), data, headers.get_content_charset())
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})") from None
        raise FetchError(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(_reason(exc.reason)) from None
    except TimeoutError:
        raise FetchError(f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:  # a reset connection, a malformed address
        raise FetchError(_reason(exc)) from None
    except Exception as exc:  # http.client's own errors (a broken status line...)
        raise FetchError(f"the server's answer could not be read ({type(exc).__name__})") from None


def _read(response: Any, max_bytes: int, deadline: float) -> bytes:
    """The body, in chunks, up to one byte past the limit (a server may not say its size)."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if time.monotonic() > deadline:
            raise FetchError("the page took too long to arrive")
    raise FetchError(f"the page is larger than the {max_bytes // _MB} MB limit")


def _too_big(size: int, limit: int) -> str:
    return f"the page is {size / _MB:.1f} MB, larger than the {limit // _MB} MB limit"


def _reason(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return "the host name could not be resolved (check the address, or the network)"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused (is the server running?)"
    if isinstance(reason, TimeoutError):
        return "no answer in time (the server is slow or unreachable)"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed ({getattr(reason, 'reason', None) or reason})"
    if isinstance(reason, ConnectionError):
        return "the connection was closed by the server"
    text = " ".join(str(getattr(reason, "strerror", None) or reason).split())
    return f"the page could not be fetched ({text})"
