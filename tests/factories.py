"""Articles and exported records for tests, built the way the importer and export build them."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from reader.models import Article, context_of
from reader.store import Store, article_id_for


def add_article(
    store: Store,
    text: str,
    title: str = "A title",
    source: str | None = "Wire",
    published: str | None = None,
) -> Article:
    """Store `text` (already normalized) as an article and return it as stored."""
    article_id, sha = article_id_for(text)
    store.add_articles(
        [
            Article(
                id=article_id,
                title=title,
                text=text,
                source=source,
                published=published,
                sha256=sha,
                words=len(text.split()),
            )
        ]
    )
    return store.article(article_id)


def record(article: Article, start: int, end: int, /, **changes: Any) -> dict[str, Any]:
    """An exported `annotations` line of article.text[start:end]; `changes` override any
    field, `start` and `end` included (a record whose offsets went stale)."""
    quote, prefix, suffix = context_of(article.text, start, end)
    data = {
        "id": f"rec-{start}-{end}",
        "article_id": article.id,
        "article_title": article.title,
        "article_source": article.source,
        "article_sha256": article.sha256,
        "start": start,
        "end": end,
        "text": quote,
        "prefix": prefix,
        "suffix": suffix,
        "label": "claim",
        "note": None,
        "annotator": "ann",
        "created_at": "2025-01-01T00:00:00.000000Z",
        "updated_at": "2025-01-01T00:00:00.000000Z",
        "origin": "manual",
    }
    data.update(changes)
    return data


def write_jsonl(path: Path, records: list[Any]) -> Path:
    """records as a JSONL file, one JSON value per line."""
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def table_dump(path: Path) -> list[str]:
    """Every row of the database as SQL, read without writing anything."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def drop_kept_counts(conn: sqlite3.Connection) -> None:
    """Undo schema 4 (and 7) on an open database: the counts table, its triggers,
    the listing index."""
    conn.execute("DROP TABLE annotation_counts")
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'annotation_counts%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP INDEX IF EXISTS articles_listing")


def without_root_powers() -> list[str] | None:
    """A command prefix under which file permissions bind, or None.

    chmod does not stop root (CAP_DAC_OVERRIDE). As root we drop the
    capabilities that bypass permissions from the bounding set (setpriv), so
    the child runs as root but meets permission bits like any user.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
