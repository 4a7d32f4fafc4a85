"""Tag projection: the label of an annotation offered on its counterparts elsewhere.

No Textual. The TUI asks for the targets of an annotation, shows them (one
confirmation each, or all), and calls `project` for each one confirmed; the
projected tag is an ordinary annotation of the target article with origin
`projected`, made through that article's `History` (undoable there).

- `targets_in_alignment(store, annotation, alignment, side, other_article_id)`:
  compare; `side` is the annotation's pane ("a" or "b") in `alignment`, the
  other article is the other pane's.
- `targets_in_library(store, annotation, min_score=..., text=None)`: every other
  article of the library, through the passage index (`reader.passage_store`).
- `project(store, target, annotator, history=None)`: store one target's label.
  Pass the other pane's `History` in compare (its undo stack is the one the
  reader sees); without one, a History of the target's article is made.
- `project_all(store, targets, annotator)`: every target, skipping those
  already tagged so.

Where the label goes: for each sentence the annotation touches, its
counterpart sentence; when the annotation's words (case, quote marks and
spacing aside) appear in the counterpart, just those words, else the whole
counterpart sentence. Counterparts next to each other in one article (an
annotation over two sentences) become one target.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from reader import align, passage_store
from reader.history import Change, History
from reader.models import Annotation
from reader.store import Store
from reader.text.quick_sentences import sentences

ORIGIN = "projected"
Span = tuple[int, int]


@dataclass(frozen=True)
class Target:
    """Where an annotation's label could be projected: a span of another article."""

    article_id: str
    start: int
    end: int
    text: str  # the article's text[start:end]
    label: str  # the label offered (the annotation's)
    score: float  # the alignment score of the counterpart (the lowest, if several)
    kind: str  # "copy" | "reworded" (compare) | "library" (the passage index)
    title: str = ""
    source: str | None = None
    # A live annotation of the target article already there with this label
    # (overlapping the span, by anyone): offer it as done, or skip it.
    existing: Annotation | None = None

    @property
    def done(self) -> bool:
        return self.existing is not None


@dataclass(frozen=True)
class Projected:
    """One projection stored: the annotation, and the undoable change (None when
    the annotator's own annotation of exactly that span already had the label)."""

    target: Target
    annotation: Annotation
    change: Change | None


# -- targets ------------------------------------------------------------------


def targets_in_alignment(
    store: Store,
    annotation: Annotation,
    alignment: align.Alignment,
    side: str,
    other_article_id: str,
) -> list[Target]:
    """The annotation's counterparts in the other pane of a comparison.

    `annotation` belongs to the article on `side` of `alignment` ("a" or "b")."""
    if side not in ("a", "b"):
        raise ValueError(f"side is 'a' or 'b', not {side!r}")
    other_side = "b" if side == "a" else "a"
    text = alignment.text_a if side == "a" else alignment.text_b
    other_text = alignment.text_b if side == "a" else alignment.text_a
    found: list[tuple[Span, float, str]] = []
    for pair in alignment.pairs:
        mine = getattr(pair, side)
        if _overlaps(mine, (annotation.start, annotation.end)):
            found.append((getattr(pair, other_side), pair.score, pair.kind))
    found.sort()
    spans = _narrowed(text, annotation, other_text, found)
    head = store.article(other_article_id) if found else None
    title, source = (head.title, head.source) if head else ("", None)
    label = annotation.label
    targets = [
        Target(other_article_id, s, e, other_text[s:e], label, score, kind, title, source)
        for (s, e), score, kind in spans
    ]
    return _with_existing(store, targets)


def targets_in_library(
    store: Store,
    annotation: Annotation,
    min_score: float = align.DEFAULT_MIN_SCORE,
    text: str | None = None,
) -> list[Target]:
    """The annotation's counterparts in every other article of the library, best first.

    `text` is the annotation's article's text when the caller holds it."""
    if text is None:
        text = store.article(annotation.article_id).text
    per_article: dict[str, list[tuple[Span, float, str]]] = {}
    heads: dict[str, tuple[str, str | None]] = {}
    texts: dict[str, str] = {}
    for start, end in _touched(text, annotation):
        result = passage_store.also_in(store, annotation.article_id, start, end, min_score, text)
        for p in result.passages:
            if p.article_id not in texts:
                texts[p.article_id] = store.article(p.article_id).text
            heads[p.article_id] = (p.title, p.source)
            # The index splits sentences more cheaply than the pane: snap to the
            # pane's sentence holding the passage's start.
            span = _sentence_at(texts[p.article_id], p.start) or (p.start, p.end)
            per_article.setdefault(p.article_id, []).append((span, p.score, "library"))
    targets = []
    for other, found in per_article.items():
        found = sorted(set(found))
        for (s, e), score, kind in _narrowed(text, annotation, texts[other], found):
            title, source = heads[other]
            targets.append(
                Target(other, s, e, texts[other][s:e], annotation.label, score, kind, title, source)
            )
    targets.sort(key=lambda t: (-t.score, t.article_id, t.start))
    return _with_existing(store, targets)


def _touched(text: str, annotation: Annotation) -> list[Span]:
    """The pane's sentences the annotation overlaps (the sentence holding it, if none)."""
    span = (annotation.start, annotation.end)
    touched = [s for s in sentences(text) if _overlaps(s, span)]
    if not touched:
        holder = _sentence_at(text, annotation.start)
        touched = [holder] if holder else []
    return touched


def _sentence_at(text: str, offset: int) -> Span | None:
    for s, e in sentences(text):
        if s <= offset < e:
            return (s, e)
    return None


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _narrowed(
    text: str, annotation: Annotation, other_text: str, found: Sequence[tuple[Span, float, str]]
) -> list[tuple[Span, float, str]]:
    """Counterpart sentences (sorted) -> target spans: the annotation's own words
    where the counterpart has them, adjacent sentences joined, duplicates once."""
    quote = align.fold(text[annotation.start : annotation.end])
    out: list[tuple[Span, float, str]] = []
    for (s, e), score, kind in found:
        inside = align.occurrences(other_text[s:e], quote) if quote else ()
        span = (s + inside[0][0], s + inside[0][1]) if inside else (s, e)
        if out:
            (ps, pe), pscore, pkind = out[-1]
            if span == (ps, pe):
                continue
            if not inside and pe <= s and other_text[pe:s].strip() == "":
                joined_kind = pkind if pkind == kind else "reworded"
                out[-1] = ((ps, e), min(pscore, score), joined_kind)
                continue
        out.append((span, score, kind))
    return out


def _with_existing(store: Store, targets: list[Target]) -> list[Target]:
    """Each target with the live annotation already giving its span that label, if any."""
    live: dict[str, list[Annotation]] = {}
    out = []
    for t in targets:
        if t.article_id not in live:
            live[t.article_id] = store.annotations(t.article_id)
        existing = next(
            (
                x
                for x in live[t.article_id]
                if x.label == t.label and _overlaps((x.start, x.end), (t.start, t.end))
            ),
            None,
        )
        out.append(replace(t, existing=existing))
    return out


# -- storing ------------------------------------------------------------------


def project(
    store: Store, target: Target, annotator: str, history: History | None = None
) -> Projected:
    """Store target's label on its span as annotator's annotation, origin `projected`.

    Through `history` (the target article's: in compare, the other pane's) so
    undo there takes it back, signed by the history's annotator; without one a
    History of the article is made for annotator."""
    if history is None:
        history = History(store, store.article(target.article_id), annotator)
    elif history.article.id != target.article_id:
        raise ValueError(
            f"history is of article {history.article.id}, the target is in {target.article_id}"
        )
    change, annotation = history.tag(target.start, target.end, target.label, origin=ORIGIN)
    return Projected(target, annotation, change)


def project_all(
    store: Store,
    targets: Iterable[Target],
    annotator: str,
    histories: dict[str, History] | None = None,
) -> list[Projected]:
    """Project every target not already done; one History per article (given or made)."""
    histories = {} if histories is None else histories
    out = []
    for target in targets:
        if target.done:
            continue
        history = histories.get(target.article_id)
        if history is None:
            history = histories[target.article_id] = History(
                store, store.article(target.article_id), annotator
            )
        out.append(project(store, target, annotator, history))
    return out
