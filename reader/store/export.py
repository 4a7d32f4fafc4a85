"""The export's reads: `annotations` JSON lines built by SQLite, on one snapshot."""

from __future__ import annotations

import collections
import json
import sqlite3
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING

from reader.store.annotations import AnnotationQueries

if TYPE_CHECKING:
    from concurrent.futures import Future

# The `annotations` format, built by SQLite itself: json_object() keeps the key
# order and writes compact JSON with non-ASCII unescaped (as json.dumps with
# ensure_ascii=False and separators (",", ":") does; a test holds it to that).
# One query per article, its title/source/sha256 bound as parameters: the
# annotations table is clustered by (article_id, start, end, id), so each query
# is a range scan already in export order, with no join and no sort; and
# group_concat hands Python one bytes value per article, not one per line.
# (SQLite 3.40 has no ORDER BY inside group_concat; it concatenates in the
# order the ordered subquery yields, which the tests hold it to.)
_ANNOTATION_JSON = """
SELECT count(*), CAST(group_concat(line, char(10)) AS BLOB) FROM (
    SELECT json_object(
        'id', id, 'article_id', article_id, 'article_title', :title,
        'article_source', :source, 'article_sha256', :sha256, 'start', start,
        'end', "end", 'text', quote, 'prefix', prefix, 'suffix', suffix,
        'label', label, 'note', note, 'annotator', annotator,
        'created_at', created_at, 'updated_at', updated_at, 'origin', origin{deleted}
    ) AS line
    FROM annotations
    WHERE article_id = :article_id{where}
    ORDER BY article_id, start, "end", id
)
"""
ARTICLES_PER_TASK = 16
READERS = 2  # connections building lines at once: SQLite releases the GIL meanwhile


class ExportQueries(AnnotationQueries):
    """Bulk reads for `reader export`."""

    def annotation_json_chunks(
        self,
        article_ids: Sequence[str] | None,
        labels: Sequence[str] | None,
        include_deleted: bool,
        annotators: Sequence[str] | None = None,
    ) -> Generator[tuple[int, bytes], None, None]:
        """(line count, bytes) of `annotations` JSON lines, a few articles at a time, in order.

        Built by SQLite (see _ANNOTATION_JSON), read by READERS connections on one
        snapshot in parallel (SQLite releases the GIL meanwhile)."""
        import queue  # here, not at start-up: only an export needs threads
        from concurrent.futures import ThreadPoolExecutor

        where, base = "", {}
        if not include_deleted:
            where += " AND deleted_at IS NULL"
        if labels is not None:
            where += " AND label IN (SELECT value FROM json_each(:labels))"
            base["labels"] = json.dumps(list(labels))
        if annotators is not None:
            where += " AND annotator IN (SELECT value FROM json_each(:annotators))"
            base["annotators"] = json.dumps(list(annotators))
        sql = _ANNOTATION_JSON.format(
            deleted=", 'deleted_at', deleted_at" if include_deleted else "", where=where
        )
        with self.snapshot_readers(READERS) as readers:
            heads = {
                row[0]: row[1:]
                for row in readers[0].execute("SELECT id, title, source, sha256 FROM articles")
            }
            wanted = sorted(heads if article_ids is None else set(article_ids) & heads.keys())
            free: queue.Queue[sqlite3.Connection] = queue.Queue()
            for conn in readers:
                free.put(conn)

            def lines_of(batch: list[str]) -> tuple[int, bytes]:
                conn = free.get()
                try:
                    count, parts = 0, []
                    for article_id in batch:
                        title, source, sha256 = heads[article_id]
                        params = dict(base, article_id=article_id, title=title)
                        params.update(source=source, sha256=sha256)
                        lines, blob = conn.execute(sql, params).fetchone()
                        if lines:
                            count += lines
                            parts.append(blob)
                    return count, b"\n".join(parts) + b"\n" if parts else b""
                finally:
                    free.put(conn)

            batches = [
                wanted[i : i + ARTICLES_PER_TASK] for i in range(0, len(wanted), ARTICLES_PER_TASK)
            ]
            if len(readers) == 1:
                for batch in batches:
                    yield lines_of(batch)
                return
            with ThreadPoolExecutor(len(readers), thread_name_prefix="reader-export") as pool:
                pending: collections.deque[Future[tuple[int, bytes]]] = collections.deque()
                for batch in batches:
                    pending.append(pool.submit(lines_of, batch))
                    if len(pending) > 2 * len(readers):  # bounded: a few batches in memory
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
