"""What the command line and the fast start share: who signs, and opening the TUI.

Below both reader.cli and reader.launch, so neither imports the other.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.errors import ReaderError
from reader.store import Store
from reader.text.sanitize import clean_line


def annotator_name(option: str | None) -> str:
    """--annotator, else $READER_ANNOTATOR, else the login name."""
    name = clean_line(option or os.environ.get("READER_ANNOTATOR") or _login_name())
    if not name:
        raise ReaderError("the annotator name is empty; give one with --annotator NAME")
    return name


def _login_name() -> str:
    # getuser() raises when the uid has no passwd entry (containers) and no
    # LOGNAME/USER is set; a name is still needed to sign annotations.
    try:
        return getpass.getuser()
    except Exception:
        return "anonymous"


def open_tui(
    store: Store,
    annotator: str,
    refs: Sequence[str],
    warn: Callable[[str], None],
    review: tuple[str, str, str] | None = None,
) -> None:
    """The library ([]), one article ([ref]) or two side by side; an empty
    database gets the bundled seeds first, so a new user sees articles at once
    (not a read-only one: it is shown as it is, and nothing syncs into it).
    With `review` (a, b, gold) and one ref, the adjudication of that article: the
    names are checked (after the sync, which may bring them) before the screen opens."""
    from reader.tui.app import run_app

    _sync_hook(store, annotator, warn)
    if store.article_count() == 0 and not store.read_only:
        from reader.importing import import_seeds

        for result in import_seeds(store):
            if result.status == "failed":
                warn(f"reader: seed {Path(result.path).name}: {clean_line(result.message)}")
    articles = [store.find_article(ref) for ref in refs]
    if len(articles) == 2 and articles[0].id == articles[1].id:
        # one article beside itself: a tag in one pane would not show in the other,
        # and every sentence would be its own counterpart
        article = articles[0]
        raise ReaderError(
            f"compare needs two different articles; both are {article.id} "
            f"{clean_line(article.title, 40)}"
        )
    if review is not None:
        from reader.review import check_pair

        check_pair(store, articles[0], *review)
        run_app(store, annotator, [], (articles[0].id, *review))
    else:
        run_app(store, annotator, [a.id for a in articles])
    _sync_hook(store, annotator, warn)


def _sync_hook(store: Store, annotator: str, warn: Callable[[str], None]) -> None:
    """`sync = "auto"` in the workspace's annotations/reader.toml: sync on start and
    quit. Without that file (the common case) this costs one stat, no import."""
    if (store.path.parent / "reader.toml").is_file() and not store.read_only:
        from reader.sync import tui_sync

        tui_sync(store, annotator, warn)


NO_TERMINAL = (
    "reader: the reading screens need a terminal on stdout; "
    "use `reader list`, `reader export` or `reader stats` in scripts"
)


def has_terminal() -> bool:
    """Is stdout a terminal the TUI can draw on (without one it would hang writing escapes)?"""
    try:
        return os.isatty(1)
    except OSError:
        return False


def unexpected(exc: BaseException) -> str:
    """The one line for an error nobody foresaw (the CLI's --debug shows the traceback)."""
    return (
        f"reader: unexpected error: {type(exc).__name__}: {clean_line(exc)} "
        "(run again with --debug for the traceback)"
    )
