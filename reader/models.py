"""Plain records passed between the store, the CLI and the TUI."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol

CONTEXT = 32  # code points of prefix / suffix kept beside each quote


def utc_now() -> str:
    """ISO-8601 UTC with microseconds: sorts as text, in time order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stamp_after(stored: str) -> str:
    """The `updated_at` of a local edit of a row stamped `stored`: now, or 1 µs past
    the stored time if that is not earlier (a clock behind, or a merged record from
    2999), so a later edit always wins the next merge's newer-wins comparison."""
    now = utc_now()
    try:
        before = datetime.fromisoformat(stored)
    except ValueError:
        return now  # an unreadable stored time is the oldest
    before = before if before.tzinfo else before.replace(tzinfo=UTC)
    if datetime.fromisoformat(now) > before:
        return now
    return (before.astimezone(UTC) + timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Style:
    """A range of the text with a block kind or an inline style, for display."""

    start: int
    end: int
    kind: str  # heading, quote, list_item, code_block, em, strong, code, link
    value: str | int | None = None  # heading level, link URL

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.kind, self.value]

    @classmethod
    def from_json(cls, row: list[Any]) -> Style:
        return cls(int(row[0]), int(row[1]), str(row[2]), row[3] if len(row) > 3 else None)


@dataclass
class Article:
    id: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    path: str | None = None
    format: str = "txt"
    styles: list[Style] = field(default_factory=list)
    sha256: str = ""
    words: int = 0
    imported_at: str = ""
    author: str | None = None  # a byline's names, as one line


@dataclass(frozen=True)
class ArticleSummary:
    """An article without its text, with its live annotation counts per label."""

    id: str
    title: str
    source: str | None
    published: str | None
    words: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Annotation:
    id: str
    article_id: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    label: str
    note: str | None
    annotator: str
    created_at: str
    updated_at: str
    origin: str = "manual"
    deleted_at: str | None = None

    @classmethod
    def over(cls, text: str, article_id: str, start: int, end: int, **fields: Any) -> Annotation:
        """An annotation of text[start:end], its quote and context taken from the text."""
        quote, prefix, suffix = context_of(text, start, end)
        return cls(
            article_id=article_id,
            start=start,
            end=end,
            quote=quote,
            prefix=prefix,
            suffix=suffix,
            **fields,
        )

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Marked(Protocol):
    """What the read screen needs of an annotation: an Annotation or a Mark."""

    @property
    def id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def note(self) -> str | None: ...
    @property
    def annotator(self) -> str: ...
    @property
    def created_at(self) -> str: ...
    @property
    def deleted(self) -> bool: ...


class Mark(NamedTuple):
    """A live annotation as the read screen holds it: offsets, label, id, note,
    annotator (own ones are relabelled and resized) and when it was made; a tenth
    of an Annotation (no quote, context, stamps). The quote is text[start:end];
    the full record is fetched where one is shown or edited."""

    start: int
    end: int
    label: str
    id: str
    note: str | None
    annotator: str
    created_at: str

    @property
    def deleted(self) -> bool:
        return False

    @classmethod
    def of(cls, annotation: Annotation) -> Mark:
        return cls(
            annotation.start,
            annotation.end,
            sys.intern(annotation.label),
            annotation.id,
            annotation.note,
            sys.intern(annotation.annotator),
            annotation.created_at,
        )


@dataclass(frozen=True)
class Label:
    name: str
    key: str | None
    color: str
    description: str = ""
    position: int = 0


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str
    snippet: str
    offset: int  # where the first match is in the text, for opening there


def context_of(text: str, start: int, end: int) -> tuple[str, str, str]:
    """quote, prefix and suffix of a span, as stored and exported."""
    return text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
