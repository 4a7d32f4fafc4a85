"""Files and web pages -> articles: read or fetch, decode, normalize, convert Markdown
or HTML, guess metadata, store.

Importing is idempotent: an article's id is the hash of its text, and the store
ignores a text it already has. Bad files never stop an import: each becomes a
"failed" result with one line saying why, and the good files are stored.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import regex

from reader.errors import ReaderError
from reader.metadata import guess_metadata
from reader.models import Article, Style
from reader.processes import worker_count, worker_pool
from reader.store import Store, article_id_for
from reader.store.passages import PassageBatch, passage_batch
from reader.text.normalize import DecodeError, decode, normalize
from reader.text.sanitize import clean_line
from reader.text.words import WORD, count_words

MAX_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
_KNOWN = ", ".join(FORMATS)
# Articles per transaction: large enough that commits cost little, small
# enough that a failure half-way keeps most of the work.
BATCH = 500
# SQLite's page cache for the whole import (64 MB): the articles' full-text
# index and the passage index take rows all over their B-trees, and shrinking
# the cache between batches made each one read their pages again.
CACHE_KIB = 65536


@dataclass
class ImportResult:
    path: Path | str  # a str is a URL, or "-" (stdin)
    status: str  # "imported" | "present" | "failed"
    article: Article | None
    message: str


# count_words (the `regex` module) costs half of an import. The stdlib `re`
# runs the same pattern about twice as fast and finds the same words whenever
# both engines agree on `\w` for every character of the text, which is checked
# per distinct non-ASCII character (and remembered).
_FAST_WORD = re.compile(WORD.pattern)
_NON_ASCII = re.compile(r"[\x00-\x7f]+")
_AGREES: dict[str, bool] = {}
_RE_W = re.compile(r"\w")
_REGEX_W = regex.compile(r"\w")


def words_in(text: str) -> int:
    """Exactly count_words(text), faster."""
    for ch in set(_NON_ASCII.sub("", text)):
        agrees = _AGREES.get(ch)
        if agrees is None:
            agrees = _AGREES[ch] = bool(_RE_W.match(ch)) == bool(_REGEX_W.match(ch))
        if not agrees:
            return count_words(text)
    return len(_FAST_WORD.findall(text))


class _Refused(Exception):
    """Why a file cannot be imported, without the file's name."""


STDIN = "-"  # `reader import -`: one article from standard input


@dataclass(frozen=True)
class _Given:
    """What was read from stdin, sent to a worker like a path (picklable)."""

    data: bytes


def read_stdin() -> bytes:
    """Standard input's bytes, at most MAX_BYTES (`import -`, `import --from T -`)."""
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReaderError(f"stdin: is larger than the {MAX_BYTES // _MB} MB limit")
    return data


def sniff_kind(data: bytes) -> str:
    """What stdin holds: HTML when it starts with a tag, Markdown when it starts
    with front matter (`---`), else plain text."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"---"):
        return "md"
    return "txt"


def load_file(path: Path) -> Article:
    """Read one .txt or .md file into an Article (not stored). Raises ReaderError."""
    path = Path(path)
    try:
        return _load(path)
    except _Refused as exc:
        raise ReaderError(f"{path}: {exc}") from None


def import_paths(store: Store, paths: Iterable[Path | str]) -> list[ImportResult]:
    """Import files, folders (recursively) and http(s) URLs; one result per file, in order."""
    expanded = list(_expand(paths))
    items: list[Path | str | _Given] = [path for path, problem in expanded if problem is None]
    if STDIN in items:  # read here, once: a worker must not read our stdin
        data = read_stdin()
        items = [_Given(data) if item == STDIN else item for item in items]
    loaded = _load_all(items)
    results: list[ImportResult] = []
    pending: list[ImportResult] = []  # loaded, waiting for the next store write

    def loaded_next() -> Article | str:
        item = next(loaded)
        while isinstance(item, PassageBatch):
            _index(store, pending, item)
            item = next(loaded)
        return item

    # on an error, stop the workers at once
    with contextlib.closing(loaded), store.index_cache(CACHE_KIB):
        for path, problem in expanded:
            outcome = problem if problem is not None else loaded_next()
            if isinstance(outcome, str):
                results.append(ImportResult(path, "failed", None, outcome))
                continue
            result = ImportResult(path, "failed", outcome, "not stored yet")
            results.append(result)
            pending.append(result)
            if len(pending) >= BATCH:
                _store(store, pending)
        for rest in loaded:  # the last files' passages
            if isinstance(rest, PassageBatch):
                _index(store, pending, rest)
        if pending:
            _store(store, pending)
    return results


def results_json(results: Sequence[ImportResult]) -> dict[str, Any]:
    """`import --json`: the counts and one object per file, in order."""
    counts = Counter(result.status for result in results)
    return {
        "imported": counts["imported"],
        "present": counts["present"],
        "failed": counts["failed"],
        "files": [file_json(r.path, r.status, r.article, r.message) for r in results],
    }


def file_json(
    where: Path | str, status: str, article: Article | None, message: str
) -> dict[str, Any]:
    """One imported file as `--json` shows it (plain and `--from` imports alike)."""
    failed = status == "failed"
    return {
        "path": clean_line(where),
        "status": status,
        "id": article.id if article and not failed else None,
        "title": article.title if article and not failed else None,
        "message": clean_line(message) if failed else None,
    }


def _store(store: Store, pending: list[ImportResult]) -> None:
    """One transaction for the batch; each result says whether it was new."""
    stored = store.add_articles([r.article for r in pending if r.article is not None])
    for result, (article, new) in zip(pending, stored, strict=True):
        result.article = article
        result.status = "imported" if new else "present"
        result.message = "imported" if new else "already present"
    pending.clear()


def _index(store: Store, pending: list[ImportResult], batch: PassageBatch) -> None:
    """The library-wide passage index ("also in N of M") of articles loaded: the
    passages the loading workers found, stored once their articles are (a
    transaction of its own: should the import stop between the two, the
    articles are indexed the first time the index is asked)."""
    from reader.passage_store import store_passages

    if pending:
        _store(store, pending)
    store_passages(store, batch)


def import_seeds(store: Store) -> list[ImportResult]:
    """The bundled sample corpus (see reader/seeds.py)."""
    from reader.seeds import seed_files

    return import_paths(store, seed_files())


# -- loading, in parallel when it pays --------------------------------------


def _load_all(
    files: list[Path | str | _Given],
) -> Generator[Article | str | PassageBatch, None, None]:
    """Each file's Article, or why it was refused, in order; after every CHUNK
    files, the passage index's batch of their articles' passages."""
    workers = _workers(len(files))
    # Four tasks a worker at least (so that none waits long on the last), else
    # as large as CHUNK: a batch's index rows are one per term it has.
    size = CHUNK if workers < 2 else min(CHUNK, max(64, -(-len(files) // (4 * workers))))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    if workers < 2:
        for chunk in chunks:
            yield from _flat(_load_chunk(chunk))
        return
    # Loading is pure CPU work (decode, normalize, count, guess, find the
    # passages' terms): worker processes (that end with this one) do it while
    # this one stores what they send back.
    with worker_pool(workers) as pool:
        for done in pool.map(_load_chunk, chunks):
            yield from _flat(done)


_workers = worker_count  # tests patch it here
# Files loaded by one worker task at most, and the passage batch their articles
# make: large, so that the index's rows (one per term and batch) stay few.
CHUNK = 1000


def _flat(done: tuple[list[Article | str], PassageBatch]) -> Iterator[Article | str | PassageBatch]:
    yield from done[0]
    yield done[1]


def _load_chunk(files: list[Path | str | _Given]) -> tuple[list[Article | str], PassageBatch]:
    """The files' outcomes and the passage batch of their articles (for a worker).

    An article's words are counted as its passages are found, with the same
    search for words (counting them apart cost a tenth of an import)."""
    from reader.passage_store import passages_and_words

    outcomes = [_try_load(path, count_words=False) for path in files]
    found = []
    for article in outcomes:
        if isinstance(article, Article):
            passages, article.words = passages_and_words(article.text)
            found.append((article.id, passages))
    return outcomes, passage_batch(found)


def _try_load(path: Path | str | _Given, *, count_words: bool = True) -> Article | str:
    """The file's Article, or one line saying why not: any failure of one file (a
    YAML date that is no date, 5000-deep nesting, a 5000-digit number) is that
    file's, and the import goes on with the others."""
    try:
        if isinstance(path, _Given):
            kind = sniff_kind(path.data)
            return _article_of(path.data, kind, "stdin", STDIN, "stdin", count_words)
        if isinstance(path, str):
            return _load_url(path, count_words)
        return _load(path, count_words)
    except _Refused as exc:
        return str(exc)
    except RecursionError:
        return "cannot be read (nested too deeply)"
    except Exception as exc:  # a parser's surprise (yaml's !!timestamp): this file only
        return f"cannot be read ({type(exc).__name__}: {clean_line(exc, 200)})"


# -- one file ---------------------------------------------------------------


def _load(path: Path, count_words: bool = True) -> Article:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        if path.is_dir():
            raise _Refused("is a folder")
        shown = path.suffix or "no extension"
        raise _Refused(f"unsupported file type ({shown}); use {_KNOWN}")
    data = _read(path)
    return _article_of(data, kind, path.name, str(path.absolute()), path.stem, count_words)


def _article_of(
    data: bytes, kind: str, name: str, where: str, fallback_title: str, count_words: bool = True
) -> Article:
    """The article of a file's bytes: `name` for messages, `where` its stored path;
    its words counted unless count_words is false (the caller counts them)."""
    if kind == "html":
        return _html_article(data, name, where, fallback_title, count_words=count_words)
    try:
        text = decode(data, name)
    except DecodeError as exc:
        raise _Refused(str(exc).removeprefix(f"{name}: ")) from None
    text = normalize(text)
    if not text.strip():
        raise _Refused("file is empty")
    styles: list[Style] = []
    front: dict[str, object] = {}
    if kind == "md":
        # Imported here: markdown-it and YAML are only needed for .md files.
        from reader.text.markdown import MarkdownError, parse_markdown

        try:
            parsed = parse_markdown(text)  # strips, like .txt, keeping styles in place
        except MarkdownError as exc:
            raise _Refused(str(exc)) from None
        text, styles, front = parsed.text, parsed.styles, parsed.front_matter
        if not text:
            raise _Refused("has no text besides its front matter")
    else:
        text = text.strip()
    return article_from_text(text, styles, front, where, kind, fallback_title, count_words)


def article_from_text(
    text: str,
    styles: list[Style],
    front: dict[str, object],
    path: str,
    kind: str,
    fallback_title: str,
    count_words: bool = True,
) -> Article:
    """An article of an imported text (already normalized and stripped); `front`
    holds the metadata its file gave, the rest is guessed from the text (its
    words left at 0 when count_words is false: the caller counts them)."""
    meta = guess_metadata(text, front, fallback_title=fallback_title)
    article_id, sha = article_id_for(text)
    return Article(
        id=article_id,
        title=meta.title,
        author=meta.author,
        text=text,
        source=meta.source,
        url=meta.url,
        published=meta.published,
        path=path,
        format=kind,
        styles=styles,
        sha256=sha,
        words=words_in(text) if count_words else 0,
    )


def _load_url(url: str, count_words: bool = True) -> Article:
    """Fetch a page and read its article; the URL fetched (after redirects) is its url."""
    from reader.fetch import FetchError, fetch

    try:
        page = fetch(url)
    except FetchError as exc:
        raise _Refused(str(exc)) from None
    article = _html_article(
        page.data, "page", page.url, "", page.charset, page.url, count_words=count_words
    )
    return replace(article, url=page.url)


def _html_article(
    data: bytes,
    name: str,
    where: str,
    fallback_title: str,
    charset: str | None = None,
    url: str | None = None,
    *,
    count_words: bool = True,
) -> Article:
    """An HTML page's article, its metadata (title, author, site, date, canonical
    url) as front matter."""
    # Imported here: trafilatura and lxml are only needed for web pages.
    from reader.text.html import HtmlError, decode_html, parse_html

    try:
        parsed = parse_html(decode_html(data, name, charset), url)
    except DecodeError as exc:
        raise _Refused(str(exc).removeprefix(f"{name}: ")) from None
    except HtmlError as exc:
        raise _Refused(str(exc)) from None
    fallback = fallback_title or _url_title(url or where)
    return article_from_text(
        parsed.text, parsed.styles, dict(parsed.metadata), where, "html", fallback, count_words
    )


def _url_title(url: str) -> str:
    """A title for a page that names none: its address without the scheme."""
    return url.split("://", 1)[-1][:120]


def _read(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device never end
            raise _Refused("is not a regular file (a FIFO, socket or device); not read")
        size = info.st_size
        if size > MAX_BYTES:
            raise _Refused(f"{size / _MB:.1f} MB is larger than the {MAX_BYTES // _MB} MB limit")
        with path.open("rb") as handle:
            # Read at most one byte past the limit: the file may grow after stat().
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        if path.is_symlink():
            raise _Refused("is a symbolic link to nothing (dangling)") from None
        raise _Refused("no such file") from None
    except PermissionError:
        raise _Refused("permission denied") from None
    except IsADirectoryError:
        raise _Refused("is a folder") from None
    except OSError as exc:
        raise _Refused(f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise _Refused(f"is larger than the {MAX_BYTES // _MB} MB limit")
    return data


# -- paths ------------------------------------------------------------------


def _expand(paths: Iterable[Path | str]) -> Iterator[tuple[Path | str, str | None]]:
    """Each file or URL to import, or a path with the reason it cannot be."""
    from reader.fetch import is_url

    for given in paths:
        if isinstance(given, str) and is_url(given):
            yield given, None
            continue
        if str(given) == STDIN:
            yield STDIN, None
            continue
        path = Path(given)
        if path.is_dir():
            files, unreadable = _files_in(path)
            for folder in unreadable:
                yield folder, "folder cannot be read (permission denied); skipped"
            if not files and not unreadable:
                yield path, f"folder has no {_KNOWN} files"
            for file in files:
                yield file, None
        elif path.exists() or path.is_symlink():
            yield path, None  # unsupported types are reported by _load
        else:
            yield path, "no such file or folder"


def _files_in(folder: Path) -> tuple[list[Path], list[Path]]:
    """(the files to import, the folders that could not be read). An entry with a
    known extension that is not a regular file (a dangling link, a FIFO) is kept,
    to be reported by _read rather than skipped in silence."""
    found: list[Path] = []
    unreadable: list[Path] = []

    def refused(error: OSError) -> None:
        unreadable.append(Path(error.filename or folder))

    for root, dirs, names in os.walk(folder, onerror=refused):
        # Hidden files and folders (.git, editor backups) are not articles.
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            file = Path(root) / name
            if not name.startswith(".") and file.suffix.lower() in FORMATS:
                found.append(file)
    return sorted(found), sorted(unreadable)
