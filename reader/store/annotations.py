"""The annotations table: one row per annotation, tombstones kept, in reading order."""

from __future__ import annotations

import json
import operator
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from typing import Any

from reader.errors import NotFound, ReaderError
from reader.models import Annotation, Article, Mark, context_of, stamp_after, utc_now
from reader.store.articles import ArticleQueries
from reader.store.schema import COUNTS_FROM
from reader.text.sanitize import clean_line, clean_note

ANNOTATION_COLUMNS = (
    'id, article_id, start, "end", quote, prefix, suffix, label, note, annotator, '
    "created_at, updated_at, origin, deleted_at"
)
# an annotation's values in the columns' order, without asdict's deep copies (a
# merge writes thousands a second)
_ROW = operator.attrgetter(*(f.name for f in fields(Annotation)))
_UNSET = object()  # "not given", where None means "clear the note"


def clean_annotation(annotation: Annotation) -> Annotation:
    """The annotation with its strings from outside cleaned (reader.text.sanitize):
    whoever wrote it (the TUI, merge, an import), nothing raw is stored."""
    return replace(
        annotation,
        label=clean_line(annotation.label),
        note=clean_note(annotation.note) or None if annotation.note is not None else None,
        annotator=clean_line(annotation.annotator) or "unknown",
        origin=clean_line(annotation.origin) or "manual",
    )


def _new_id() -> str:
    import uuid  # 4 ms of start-up, needed at the first tag

    return str(uuid.uuid4())


class AnnotationQueries(ArticleQueries):
    """Annotations: every change a transaction, a delete a tombstone."""

    def annotations(
        self,
        article_id: str,
        include_deleted: bool = False,
        annotators: Sequence[str] | None = None,
    ) -> list[Annotation]:
        """The article's annotations in reading order (with `annotators`, only
        theirs: the others are never turned into objects)."""
        where = "article_id = ?" + ("" if include_deleted else " AND deleted_at IS NULL")
        params: list[str] = [article_id]
        if annotators is not None:
            where += " AND annotator IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(annotators)))
        with self.read() as conn:
            rows = conn.execute(
                f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE {where} "
                'ORDER BY start, "end", id',
                params,
            ).fetchall()
        return [Annotation(*row) for row in rows]

    def annotation_marks(self, article_id: str, starting_before: int | None = None) -> list[Mark]:
        """An article's live annotations as Marks, in reading order (those starting
        before `starting_before`, if given: the first screen's): one range scan of
        the table's key, seven narrow columns (100,000 in about 200 ms, against 750
        for full records); labels and annotators interned, few and repeated."""
        marks: list[Mark] = []
        for batch in self.annotation_mark_batches(article_id, starting_before):
            marks += batch
        return marks

    def annotation_mark_batches(
        self, article_id: str, starting_before: int | None = None, size: int = 100_000
    ) -> Iterator[list[Mark]]:
        """`annotation_marks` in lists of up to `size`, read by one statement (one
        snapshot of the table) as they are asked for: a worker building the read
        screen's set goes a batch at a time."""
        intern = sys.intern
        where = "article_id = ? AND deleted_at IS NULL"
        params: list[object] = [article_id]
        if starting_before is not None:
            where += " AND start < ?"
            params.append(starting_before)
        with self.read() as conn:
            rows = conn.execute(
                'SELECT start, "end", label, id, note, annotator, created_at FROM annotations '
                f'WHERE {where} ORDER BY start, "end", id',
                params,
            )
            while batch := rows.fetchmany(size):
                yield [Mark(a, b, intern(c), d, e, intern(f), g) for a, b, c, d, e, f, g in batch]

    def annotation_start_beside(self, article_id: str, offset: int, direction: int) -> int | None:
        """The nearest start of a live annotation after offset (direction > 0) or
        before it: `]` and `[` while the screen holds only some (one seek of the key)."""
        after = direction > 0
        sql = (
            "SELECT start FROM annotations WHERE article_id = ? AND deleted_at IS NULL "
            f"AND start {'>' if after else '<'} ? ORDER BY start {'' if after else 'DESC'} LIMIT 1"
        )
        with self.read() as conn:
            row = conn.execute(sql, (article_id, offset)).fetchone()
        return None if row is None else int(row[0])

    def annotation(self, annotation_id: str) -> Annotation:
        with self.read() as conn:
            row = conn.execute(
                f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no annotation with id {annotation_id}")
        return Annotation(*row)

    def own_annotation(
        self, article_id: str, start: int, end: int, annotator: str
    ) -> Annotation | None:
        """annotator's live annotation of exactly [start, end), the oldest if several."""
        with self.read() as conn:
            row = conn.execute(
                f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE article_id = ? "
                'AND start = ? AND "end" = ? AND annotator = ? AND deleted_at IS NULL '
                "ORDER BY created_at, id LIMIT 1",
                (article_id, start, end, annotator),
            ).fetchone()
        return None if row is None else Annotation(*row)

    def add_annotation(
        self,
        article: Article,
        start: int,
        end: int,
        label: str,
        annotator: str,
        note: str | None = None,
        origin: str = "manual",
    ) -> Annotation:
        if not 0 <= start < end <= len(article.text):
            raise ReaderError(f"span {start}-{end} is outside the article (0-{len(article.text)})")
        self.label(label)  # raises NotFound for an unknown label
        now = utc_now()
        annotation = Annotation.over(
            article.text,
            article.id,
            start,
            end,
            id=_new_id(),
            label=label,
            note=note or None,
            annotator=annotator,
            created_at=now,
            updated_at=now,
            origin=origin,
        )
        with self.write():
            return self._put(annotation)

    def _put(self, annotation: Annotation) -> Annotation:
        """Insert or replace one annotation row (inside a transaction), cleaned: the
        annotation as stored."""
        annotation = clean_annotation(annotation)
        self.conn.execute(
            f"INSERT OR REPLACE INTO annotations ({ANNOTATION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _ROW(annotation),
        )
        return annotation

    def put_annotations(self, annotations: Iterable[Annotation]) -> int:
        """Insert or replace annotations as given, in one transaction (merge uses it)."""
        count = 0
        with self.write():
            for annotation in annotations:
                self._put(annotation)
                count += 1
        return count

    def update_annotation(
        self, annotation_id: str, *, label: str | None = None, note: str | object | None = _UNSET
    ) -> Annotation:
        """Change the label and/or the note (None or "" clears the note)."""
        with self.write():
            current = self.annotation(annotation_id)
            changes: dict[str, Any] = {}
            if label is not None and label != current.label:
                self.label(label)
                changes["label"] = label
            if note is not _UNSET:
                note = clean_note(note or "") or None
                if note != current.note:
                    changes["note"] = note
            if not changes:
                return current
            stamp = stamp_after(current.updated_at)  # later than stored, whatever the clock
            return self._put(replace(current, **changes, updated_at=stamp))

    def move_annotation(
        self, article: Article, annotation_id: str, start: int, end: int
    ) -> Annotation:
        """Give an annotation a new extent: offsets, quote, prefix and suffix anew,
        the same id (resize)."""
        if not 0 <= start < end <= len(article.text):
            raise ReaderError(f"span {start}-{end} is outside the article (0-{len(article.text)})")
        with self.write():
            current = self.annotation(annotation_id)
            if (current.start, current.end) == (start, end):
                return current
            quote, prefix, suffix = context_of(article.text, start, end)
            updated = replace(
                current,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                updated_at=stamp_after(current.updated_at),  # a local edit: later than stored
            )
            # the primary key holds the offsets: the old row goes, the new one comes
            self.conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
            self._put(updated)
        return updated

    def delete_annotation(self, annotation_id: str) -> Annotation:
        """Tombstone an annotation: hidden, but kept so undo and merges stay right."""
        return self._set_deleted(annotation_id, deleted=True)

    def undelete_annotation(self, annotation_id: str) -> Annotation:
        return self._set_deleted(annotation_id, deleted=False)

    def _set_deleted(self, annotation_id: str, deleted: bool) -> Annotation:
        with self.write():
            current = self.annotation(annotation_id)
            now = stamp_after(current.updated_at)
            updated = replace(current, deleted_at=now if deleted else None, updated_at=now)
            return self._put(updated)

    # -- bulk reads: export, merge, stats ---------------------------------

    def annotation_rows(
        self,
        article_ids: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        include_deleted: bool = False,
    ) -> Iterator[tuple[Any, ...]]:
        """Raw annotation rows (columns as Annotation's fields), streamed, sorted by
        article, start, end, id: export reads a million rows without a million objects."""
        where, params = [], []
        if not include_deleted:
            where.append("deleted_at IS NULL")
        for column, values in (("article_id", article_ids), ("label", labels)):
            if values is not None:
                where.append(f"{column} IN (SELECT value FROM json_each(?))")
                params.append(json.dumps(list(values)))
        sql = f"SELECT {ANNOTATION_COLUMNS} FROM annotations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY article_id, start, "end", id'
        with self.read() as conn:
            cursor = conn.execute(sql, params)
            while rows := cursor.fetchmany(4096):
                yield from rows

    def annotations_by_id(self, ids: Iterable[str]) -> dict[str, Annotation]:
        """The stored annotations (tombstones included) among ids."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Annotation] = {}
        with self.read() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                rows = conn.execute(
                    f"SELECT {ANNOTATION_COLUMNS} FROM annotations "
                    f"WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                found.update((row[0], Annotation(*row)) for row in rows)
        return found

    def annotation_counts(self, by: str) -> list[tuple[str, int]]:
        """Live annotations counted per label, article_id or annotator, largest first."""
        if by not in {"label", "article_id", "annotator"}:
            raise ValueError(f"cannot count annotations by {by!r}")
        if self.schema_version >= COUNTS_FROM:
            # from the counts the triggers keep (schema 4): a few rows per article
            sql = (
                f"SELECT {by}, sum(n) AS total FROM annotation_counts WHERE live "
                f"GROUP BY {by} HAVING total > 0 ORDER BY total DESC, {by}"
            )
        else:
            sql = (
                f"SELECT {by}, count(*) AS n FROM annotations WHERE deleted_at IS NULL "
                f"GROUP BY {by} ORDER BY n DESC, {by}"
            )
        with self.read() as conn:
            return conn.execute(sql).fetchall()

    def deleted_count(self) -> int:
        if self.schema_version >= COUNTS_FROM:
            sql = "SELECT coalesce(sum(n), 0) FROM annotation_counts WHERE NOT live"
        else:
            sql = "SELECT count(*) FROM annotations WHERE deleted_at IS NOT NULL"
        with self.read() as conn:
            return conn.execute(sql).fetchone()[0]

    def article_label_counts(self, article_id: str) -> dict[str, int]:
        """One article's live annotations per label, from the kept counts."""
        if self.schema_version >= COUNTS_FROM:
            sql = (
                "SELECT label, sum(n) FROM annotation_counts WHERE article_id = ? AND live "
                "GROUP BY label HAVING sum(n) > 0"
            )
        else:
            sql = (
                "SELECT label, count(*) FROM annotations WHERE article_id = ? "
                "AND deleted_at IS NULL GROUP BY label"
            )
        with self.read() as conn:
            return dict(conn.execute(sql, (article_id,)).fetchall())

    def live_counts(self) -> list[tuple[str, str, str, int]]:
        """(article_id, label, annotator, n) of the live annotations, n > 0: the
        kept counts (schema 4), else a GROUP BY (an older database read as it is)."""
        if self.schema_version >= COUNTS_FROM:
            sql = (
                "SELECT article_id, label, annotator, n FROM annotation_counts WHERE live AND n > 0"
            )
        else:
            sql = (
                "SELECT article_id, label, annotator, count(*) FROM annotations "
                "WHERE deleted_at IS NULL GROUP BY article_id, label, annotator"
            )
        with self.read() as conn:
            return conn.execute(sql).fetchall()

    def counts_from_annotations(self) -> list[tuple[str, str, str, int, int]]:
        """The counts recomputed from the annotations themselves: what the kept
        counts must equal (tests; `reader stats` never needs it)."""
        with self.read() as conn:
            return conn.execute(
                "SELECT article_id, label, annotator, deleted_at IS NULL AS live, count(*) "
                "FROM annotations GROUP BY article_id, label, annotator, live "
                "ORDER BY article_id, label, annotator, live"
            ).fetchall()

    def kept_counts(self) -> list[tuple[str, str, str, int, int]]:
        """The counts the triggers keep, rows of zero left out."""
        with self.read() as conn:
            return conn.execute(
                "SELECT article_id, label, annotator, live, n FROM annotation_counts "
                "WHERE n != 0 ORDER BY article_id, label, annotator, live"
            ).fetchall()
