"""Decisions on suggested tags, and what they teach (the SQL is reader.store.suggestions).

One row per accept or reject (table `suggestion_decisions`, schema version 2),
with the span, the label suggested, the label chosen, the score and the cues that
fired. From it:

- a cue's weight in this workspace: `learned_weight(prior, accepts, fires)`, where
  fires counts the decided suggestions the cue supported and accepts those taken
  with the label suggested (one taken with another label, "relabel", counts as a
  fire without an accept: the span was worth a tag, the cue's label was not);
- the rejected suggestions of an article, `(start, end, label)`, never suggested
  again (`reader.suggest.suggestions(..., rejected=...)`).

Reading functions treat a database without the table (an old one opened
read-only) as one without decisions, so read-only commands never write. An
accepted suggestion becomes an ordinary annotation with origin `suggested`
(`accept` below does both steps).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.models import Annotation
from reader.store import Store
from reader.store.schema import DECISIONS_TABLE as TABLE
from reader.store.suggestions import OUTCOMES
from reader.suggest import Suggestion, learned_weight
from reader.suggest_cues import CueSet, load_cues

if TYPE_CHECKING:
    from reader.history import Change, History

__all__ = ["OUTCOMES", "TABLE"]


@dataclass(frozen=True)
class CueStats:
    """How one cue fared in this workspace."""

    name: str
    label: str
    prior: float | None  # None: the cue is no longer in the cue file
    fires: int
    accepts: int
    relabels: int
    rejects: int

    @property
    def weight(self) -> float | None:
        if self.prior is None:
            return None
        return learned_weight(self.prior, self.accepts, self.fires)


# -- decisions ---------------------------------------------------------------------


def record_decision(
    store: Store,
    article_id: str,
    suggestion: Suggestion,
    accepted: bool,
    label: str | None = None,
    *,
    annotator: str = "",
) -> int:
    """Store an accept (with `label`, the suggestion's own by default) or a reject of
    `suggestion`; returns the decision's id (for forget_decision, on undo)."""
    chosen = (label or suggestion.label) if accepted else None
    outcome = "reject" if not accepted else "accept" if chosen == suggestion.label else "relabel"
    return store.record_decision(
        article_id,
        (suggestion.start, suggestion.end),
        suggestion.label,
        outcome,
        chosen,
        suggestion.score,
        suggestion.cues,
        annotator,
    )


def forget_decision(store: Store, decision_id: int) -> None:
    """Take a decision back (undo): as if it had never been made."""
    store.forget_decision(decision_id)


def accept(
    history: History, suggestion: Suggestion, label: str | None = None
) -> tuple[Change | None, Annotation, int]:
    """Tag the suggestion's span (undoable, origin `suggested`), then record the
    accept. Two commits in that order: should the second fail, the tag the reader
    asked for is kept and only the lesson is lost."""
    chosen = label or suggestion.label
    change, annotation = history.tag(suggestion.start, suggestion.end, chosen, origin="suggested")
    decision = record_decision(
        history.store,
        history.article.id,
        suggestion,
        True,
        chosen,
        annotator=history.annotator,
    )
    return change, annotation, decision


def reject(store: Store, article_id: str, suggestion: Suggestion, annotator: str = "") -> int:
    """Record a reject: (article, span, label) is not suggested again."""
    return record_decision(store, article_id, suggestion, False, annotator=annotator)


# -- what the decisions teach ------------------------------------------------------


def load_rejected(store: Store, article_id: str) -> set[tuple[int, int, str]]:
    """(start, end, label) of every rejected suggestion of the article."""
    return store.rejected_suggestions(article_id)


def cue_stats(store: Store, cues: CueSet | None = None) -> list[CueStats]:
    """Every cue of the cue file (in its order), then cues met only in decisions."""
    cue_set = cues if cues is not None else load_cues()
    counts = store.cue_decision_counts()
    stats = []
    for cue in cue_set:
        _, fires, accepts, relabels, rejects = counts.pop(cue.name, (cue.label, 0, 0, 0, 0))
        stats.append(CueStats(cue.name, cue.label, cue.weight, fires, accepts, relabels, rejects))
    for name, (label, fires, accepts, relabels, rejects) in sorted(counts.items()):
        stats.append(CueStats(name, label, None, fires, accepts, relabels, rejects))
    return stats


def load_weights(store: Store, cues: CueSet | None = None) -> dict[str, float]:
    """Each cue's weight in this workspace (its prior until decisions say otherwise)."""
    return {s.name: s.weight for s in cue_stats(store, cues) if s.weight is not None}


def load_for_article(
    store: Store, article_id: str, cues: CueSet | None = None
) -> tuple[dict[str, float], set[tuple[int, int, str]]]:
    """What `reader.suggest.suggestions` needs for one article: weights, rejections."""
    return load_weights(store, cues), load_rejected(store, article_id)


def decisions(store: Store, article_ids: Iterable[str] | None = None) -> list[dict[str, object]]:
    """The stored decisions, oldest first (for tests and for export by the lead)."""
    return store.suggestion_decisions(article_ids)
