"""The articles table: adding, finding, editing, deleting, full-text search."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from reader.errors import NotFound, ReaderError
from reader.models import Article, ArticleSummary, SearchHit, Style, utc_now
from reader.store.labels import LabelQueries
from reader.store.schema import AUTHOR_SINCE, COUNTS_FROM
from reader.text.sanitize import clean_line

_METADATA = ("title", "author", "source", "url", "published", "path")
_EDITABLE = frozenset({"title", "author", "source", "url", "published"})


def clean_metadata(article: Article) -> Article:
    """The article with its metadata (front matter, file name, edits) cleaned as
    one line each, after any decoding (YAML escapes included); empty is None."""
    fields: dict[str, Any] = {
        name: clean_line(getattr(article, name) or "") or None for name in _METADATA
    }
    return replace(article, **{**fields, "title": fields["title"] or "untitled"})


ARTICLE_COLUMNS = (
    "id, title, source, url, published, path, format, text, styles, sha256, words, imported_at, "
    "author"
)
# An older file read as it is (read-only, not migrated) has no author column.
_BEFORE_AUTHOR = ARTICLE_COLUMNS.replace("author", "NULL AS author")


def article_id_for(text: str) -> tuple[str, str]:
    """(id, sha256) of a text: the same article has the same id on every machine."""
    import hashlib  # here: only importing needs it, not the TUI's start

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest[:12], digest


class ArticleQueries(LabelQueries):
    """Articles: their text never changes after import; their metadata may."""

    def add_articles(self, articles: Iterable[Article]) -> list[tuple[Article, bool]]:
        """Insert articles in one transaction; (article, True if new) for each.

        An article whose text is already stored is left as it is (its id is
        the hash of its text), which makes importing idempotent.
        """
        results = []
        now = utc_now()
        with self.write():
            for article in articles:
                article = clean_metadata(article)
                if not article.imported_at:
                    article = replace(article, imported_at=now)
                cursor = self.conn.execute(
                    f"INSERT OR IGNORE INTO articles ({ARTICLE_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.title,
                        article.source,
                        article.url,
                        article.published,
                        article.path,
                        article.format,
                        article.text,
                        json.dumps([s.to_json() for s in article.styles], ensure_ascii=False),
                        article.sha256,
                        article.words,
                        article.imported_at,
                        article.author,
                    ),
                )
                results.append((article, cursor.rowcount == 1))
        return results

    def _article_columns(self) -> str:
        return ARTICLE_COLUMNS if self.schema_version >= AUTHOR_SINCE else _BEFORE_AUTHOR

    def article_count(self) -> int:
        with self.read() as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def article(self, article_id: str) -> Article:
        with self.read() as conn:
            row = conn.execute(
                f"SELECT {self._article_columns()} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        return _article(row)

    def present_articles(self, article_ids: Iterable[str]) -> set[str]:
        """Those of article_ids that are stored (a merge asks inside its transaction:
        an article may have been deleted since its records were placed)."""
        wanted = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        with self.read() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                rows = conn.execute(
                    f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk
                )
                found.update(row[0] for row in rows)
        return found

    def articles(self, limit: int | None = None) -> list[ArticleSummary]:
        """Every article (the first `limit`) without its text, with live annotation
        counts, by title (read from the articles_listing index alone, schema 4)."""
        with self.read() as conn:
            rows = conn.execute(
                "SELECT id, title, source, published, words FROM articles "
                "ORDER BY title COLLATE NOCASE, id LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        counts = self.label_counts(None if limit is None else [r[0] for r in rows])
        return [ArticleSummary(r[0], r[1], r[2], r[3], r[4], counts.get(r[0], {})) for r in rows]

    def most_words(self) -> int:
        """The largest word count of any article (the library's column width)."""
        with self.read() as conn:
            return conn.execute("SELECT coalesce(max(words), 0) FROM articles").fetchone()[0]

    def label_counts(self, article_ids: list[str] | None = None) -> dict[str, dict[str, int]]:
        """Live annotations per label of every article (of those given)."""
        among, params = "", []
        if article_ids is not None:
            among, params = (
                " AND article_id IN (SELECT value FROM json_each(?))",
                [json.dumps(article_ids)],
            )
        if self.schema_version >= COUNTS_FROM:
            # the counts SQLite keeps (schema 4), not a scan of every annotation;
            # per annotator, summed here (a GROUP BY in SQL took half again as long)
            sql = f"SELECT article_id, label, n FROM annotation_counts WHERE live AND n > 0{among}"
        else:  # an older database read as it is (read-only): count them
            sql = (
                "SELECT article_id, label, count(*) FROM annotations "
                f"WHERE deleted_at IS NULL{among} GROUP BY article_id, label"
            )
        with self.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        counts: dict[str, dict[str, int]] = {}
        for article_id, label, count in rows:
            per_label = counts.setdefault(article_id, {})
            per_label[label] = per_label.get(label, 0) + count
        return counts

    def find_article(self, ref: str) -> Article:
        """An article by id, unique id prefix, or unique title substring."""
        ref = ref.strip()
        if not ref:
            raise NotFound("no article given")
        with self.read() as conn:
            rows = conn.execute(
                "SELECT id, title FROM articles WHERE id = ?", (ref.lower(),)
            ).fetchall()
            if not rows:
                rows = conn.execute(
                    "SELECT id, title FROM articles WHERE id LIKE ? ESCAPE '\\'",
                    (_like_escape(ref.lower()) + "%",),
                ).fetchall()
            if not rows:
                rows = conn.execute(
                    "SELECT id, title FROM articles WHERE instr(lower(title), lower(?)) > 0",
                    (ref,),
                ).fetchall()
        if not rows:
            raise NotFound(f"no article matches {ref!r} (try `reader list`)")
        if len(rows) > 1:
            names = "; ".join(f"{r[0]} {r[1][:40]}" for r in rows[:3])
            more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
            raise ReaderError(f"{ref!r} matches {len(rows)} articles: {names}{more}")
        return self.article(rows[0][0])

    def articles_with_url(self, url: str) -> list[str]:
        """Ids of the articles whose url is `url` (W3C annotations name their target so)."""
        with self.read() as conn:
            rows = conn.execute("SELECT id FROM articles WHERE url = ? ORDER BY id", (url,))
            return [row[0] for row in rows.fetchall()]

    def update_article(self, article_id: str, **fields: str | None) -> Article:
        """Edit metadata: title, author, source, url, published. The text never changes."""
        unknown = set(fields) - _EDITABLE
        if unknown:
            raise ReaderError(f"cannot edit {', '.join(sorted(unknown))} of an article")
        fields = {name: clean_line(value or "") or None for name, value in fields.items()}
        if "title" in fields and not fields["title"]:
            raise ReaderError("an article's title cannot be empty")
        if fields:
            # Plain SQL (names checked above): the TUI's first edit must not wait
            # for sqlite-utils to import. The FTS triggers follow the UPDATE.
            assignments = ", ".join(f"{name} = ?" for name in fields)
            with self.write():
                cursor = self.conn.execute(
                    f"UPDATE articles SET {assignments} WHERE id = ?",
                    (*fields.values(), article_id),
                )
            if cursor.rowcount == 0:
                raise NotFound(f"no article with id {article_id}")
        return self.article(article_id)

    def delete_article(self, article_id: str) -> int:
        """Delete an article and its annotations; returns how many annotations went."""
        with self.write():
            count = self.conn.execute(
                "SELECT count(*) FROM annotations WHERE article_id = ?", (article_id,)
            ).fetchone()[0]
            cursor = self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            if cursor.rowcount == 0:
                raise NotFound(f"no article with id {article_id}")
        return count

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over titles and texts (FTS5); every word must match."""
        # NUL ends a C string inside SQLite's FTS parser ("unterminated string")
        terms = query.replace("\x00", " ").split()
        if not terms:
            return []
        # Each word quoted (no FTS syntax errors from user input), the last one
        # as a prefix so results come while typing.
        fts = " ".join('"' + t.replace('"', '""') + '"' for t in terms) + "*"
        with self.read() as conn:
            rows = conn.execute(
                "SELECT a.id, a.title, snippet(articles_fts, 1, '', '', '…', 12), "
                "a.rowid FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (fts, limit),
            ).fetchall()
        hits = []
        for article_id, title, snippet, _ in rows:
            hits.append(SearchHit(article_id, title, snippet, self._first_match(article_id, terms)))
        return hits

    def _first_match(self, article_id: str, terms: Sequence[str]) -> int:
        with self.read() as conn:
            offset = conn.execute(
                "SELECT instr(lower(text), lower(?)) FROM articles WHERE id = ?",
                (terms[0], article_id),
            ).fetchone()[0]
        # instr counts characters from 1; lower() is ASCII-only in SQLite, so
        # this may miss a non-ASCII match: then open at the top.
        return max(offset - 1, 0)

    def article_heads(self) -> dict[str, tuple[str, str | None, str]]:
        """id -> (title, source, sha256) of every article, without the texts."""
        with self.read() as conn:
            rows = conn.execute("SELECT id, title, source, sha256 FROM articles").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _article(row: Sequence[Any]) -> Article:
    (id_, title, source, url, published, path, fmt, text, styles, sha, words, imported) = row[:12]
    author = row[12]
    return Article(
        id=id_,
        title=title,
        text=text,
        source=source,
        url=url,
        published=published,
        path=path,
        format=fmt,
        styles=[Style.from_json(s) for s in json.loads(styles or "[]")],
        sha256=sha,
        words=words,
        imported_at=imported,
        author=author,
    )


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
