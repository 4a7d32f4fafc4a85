"""Suggested tags: explainable cues that propose claim, opinion and speculation.

Nothing here is a trained model and nothing is downloaded: `reader/data/cues.toml`
lists, for each default label, phrases and small patterns ("could", "is expected
to", "undoubtedly", "according to", a sum of money), each with a prior weight. A
sentence, or a clause where a sentence holds two judgements, is suggested with the
label its cues support best; the suggestion names the cues that fired, so the
reader sees why. Weights then follow what this workspace accepts and rejects
(`learned_weight`; the decisions are stored by `reader.suggest_store`).

For the TUI (the `S` toggle, dimmed suggestions, Enter / label key / `x`, the
palette's "accept all"), the whole API:

    from reader import suggest, suggest_store

    # when `S` turns suggestions on for an article (cheap: one small query each)
    weights, rejected = suggest_store.load_for_article(store, article.id)

    # the visible rows first, the rest of the article when idle. existing_spans:
    # every live annotation (of any annotator); `sentences`: the spans the pane's
    # Document already has, so a suggestion is exactly the sentence `s` selects
    # (None: split here, the same way)
    shown = suggest.suggestions(
        article.text, [(a.start, a.end) for a in annotations], weights, rejected,
        start=top, end=bottom, sentences=None,
    )

    # Enter: accept with its label; a label key: accept with that label. The tag is
    # an ordinary annotation, origin "suggested", undoable through History
    change, annotation, decision_id = suggest_store.accept(history, s, label=None)

    # x: reject; (article, span, label) is never suggested again
    decision_id = suggest_store.reject(store, article.id, s, annotator)
    rejected.add(s.key)          # or load_for_article again

    # undo of an accept (History.undo tombstones the tag) or of a reject, if the
    # lesson should go too:
    suggest_store.forget_decision(store, decision_id)

    # palette, accept all remaining suggestions of one label (they never overlap
    # one another, so one list can be accepted whole)
    for s in suggest.suggestions(article.text, spans, weights, rejected):
        if s.label == label:
            suggest_store.accept(history, s)

    # status line: s.label, s.score, ", ".join(s.cues)

Weights change only with decisions; a TUI may keep `weights` for the session and
reload them after each decision (`load_weights`) to let them move at once.
`reader suggest --stats` (suggest_store.cue_stats) shows how each cue fared.

Guarantees the TUI can rely on: `suggestions` is pure (no I/O; the cue file is
read once per process), returns suggestions sorted by start that never overlap
each other (given sentences that do not) nor any span in `existing_spans`, each
with `text[start:end]` a whole sentence or clause (no surrounding white space),
`0 <= score <= 1`, a label of the cue file (LABELS with the default one), and
`cues` (names of the cues that fired, in reading order) never empty.
With `start`/`end` it looks only at the paragraphs around that range (and in a very
long paragraph only at a window around it) and returns the suggestions that
intersect it, so a screen of a 3 MB article costs what a screen costs.

Scoring: the cues of one label that fire in a unit combine as independent evidence,
`1 - prod(1 - w)`; speculation and opinion outrank claim (a claim's score is
multiplied by `(1 - speculation) * (1 - opinion)`: "$44 billion" in a hedged
sentence is a guess, not a claim); the best label wins if it reaches `min_score`.
Questions, headings (no final punctuation), lines ending with a colon and units of
fewer than four words (three for a clause) are never suggested.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from reader.suggest_cues import Cue, CueSet, Match, load_cues
from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans

Span = tuple[int, int]

LABELS = ("claim", "opinion", "speculation")
DEFAULT_THRESHOLD = 0.5
# How many decisions a cue's prior counts for: with 5, a cue needs a handful of
# accepts or rejects before its weight moves far from what the cue file says.
PRIOR_STRENGTH = 5.0

# Ties go to the label that outranks the others.
_RANK = {"speculation": 2, "opinion": 1, "claim": 0}
_MIN_WORDS = 4
_MIN_CLAUSE_WORDS = 3
# A paragraph longer than this is looked at only around the requested range.
_LONG_PARAGRAPH = 20_000
_MARGIN = 2_000

_WORD = re.compile(r"\w+")
_LIKELY_END = re.compile(r"[.!?][\"”’)\]]*\s+")
# Where a sentence holds two clauses: "; ", ", but ", ": " before a capital or a
# quote, and a sentence end the splitter missed because the space is missing
# ("...Service.But it wasn't").
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?=but\s)|:\s+(?=[A-Z\"“‘'])|(?<=[a-z\d]{2}[.!?])(?=[A-Z][a-z])"
)
_FINAL = frozenset('.!…"”’)»。！．।')
_SYMBOLS = frozenset({"So", "Sk", "Cf"})  # emoji, their modifiers, ZWJ


@dataclass(frozen=True)
class Suggestion:
    """A proposed tag: [start, end) in code points, why, and how sure."""

    start: int
    end: int
    label: str
    score: float
    cues: tuple[str, ...]

    @property
    def key(self) -> tuple[int, int, str]:
        """What a rejection remembers: this span with this label."""
        return (self.start, self.end, self.label)

    def as_json(self, text: str) -> dict[str, Any]:
        """The `reader suggest --json` record."""
        return {
            "start": self.start,
            "end": self.end,
            "text": text[self.start : self.end],
            "label": self.label,
            "score": round(self.score, 3),
            "cues": list(self.cues),
        }


# -- weights -------------------------------------------------------------------


def prior_weights(cues: CueSet | None = None) -> dict[str, float]:
    """Each cue's weight as the cue file gives it."""
    return {cue.name: cue.weight for cue in (cues if cues is not None else load_cues())}


def learned_weight(
    prior: float, accepts: int, fires: int, strength: float = PRIOR_STRENGTH
) -> float:
    """A cue's acceptance rate in this workspace, shrunk toward its prior.

    A Beta prior worth `strength` decisions: with no decisions it is the prior,
    with many it approaches accepts / fires. `fires` counts every decided
    suggestion the cue supported (accepted, relabelled or rejected)."""
    if fires <= 0:
        return prior
    accepts = min(max(accepts, 0), fires)
    return (prior * strength + accepts) / (strength + fires)


# -- suggesting ----------------------------------------------------------------


def suggestions(
    text: str,
    existing_spans: Iterable[Span] = (),
    weights: Mapping[str, float] | None = None,
    rejected: Iterable[tuple[int, int, str]] = (),
    *,
    start: int = 0,
    end: int | None = None,
    min_score: float = DEFAULT_THRESHOLD,
    sentences: Iterable[Span] | None = None,
    cues: CueSet | None = None,
) -> list[Suggestion]:
    """Suggestions for text[start:end] (the whole text by default), sorted by start.

    existing_spans: annotations already made; no suggestion overlaps one.
    weights: cue name -> weight (load_for_article's), else the cue file's priors.
    rejected: (start, end, label) of rejected suggestions; they never come back.
    sentences: the sentence spans to use (the pane's), else computed here."""
    cue_list = cues if cues is not None else load_cues()
    lo = min(max(start, 0), len(text))
    hi = len(text) if end is None else min(max(end, lo), len(text))
    if lo == hi:
        return []
    units = _sentences_around(text, lo, hi) if sentences is None else _clip(sentences, lo, hi)
    if not units:
        return []
    first, last = units[0][0], units[-1][1]
    strength = [_weight(cue, weights) for cue in cue_list]
    matches = cue_list.matches(text, first, last)
    covered = _Coverage(existing_spans, first, last)
    refused = rejected if isinstance(rejected, set | frozenset) else set(rejected)
    found: list[Suggestion] = []
    for sentence in units:
        for suggestion in _suggest_sentence(text, sentence, matches, cue_list, strength, min_score):
            if (
                suggestion.start < hi
                and suggestion.end > lo
                and suggestion.key not in refused
                and not covered.overlaps(suggestion.start, suggestion.end)
            ):
                found.append(suggestion)
    found.sort(key=lambda s: (s.start, s.end))
    return found


def _weight(cue: Cue, weights: Mapping[str, float] | None) -> float:
    value = cue.weight if weights is None else weights.get(cue.name, cue.weight)
    return min(max(float(value), 0.0), 1.0)


def _clip(spans: Iterable[Span], lo: int, hi: int) -> list[Span]:
    """The given sentences that meet [lo, hi), in order."""
    return sorted((s, e) for s, e in spans if s < hi and e > lo)


def _sentences_around(text: str, lo: int, hi: int) -> list[Span]:
    """Sentences of the paragraphs that meet [lo, hi); a very long paragraph only
    from a likely sentence end before lo to one after hi."""
    line_lo = text.rfind("\n", 0, lo) + 1
    line_hi = text.find("\n", hi)
    line_hi = len(text) if line_hi < 0 else line_hi
    spans: list[Span] = []
    for p_start, p_end in paragraph_spans(text[line_lo:line_hi]):
        p_start, p_end = p_start + line_lo, p_end + line_lo
        if p_end - p_start > _LONG_PARAGRAPH:
            p_start, p_end = _window(text, p_start, p_end, lo, hi)
        spans.extend(s for s in sentence_spans(text, p_start, p_end) if s[0] < hi and s[1] > lo)
    return spans


def _window(text: str, p_start: int, p_end: int, lo: int, hi: int) -> Span:
    begin = max(p_start, lo - _MARGIN)
    if begin > p_start:
        ends = [m.end() for m in _LIKELY_END.finditer(text, begin, max(lo, begin))]
        begin = ends[-1] if ends else begin
    finish = min(p_end, hi + _MARGIN)
    if finish < p_end:
        found = _LIKELY_END.search(text, min(hi, finish), finish)
        finish = found.start() + 1 if found else finish
    return begin, finish


class _Coverage:
    """Does [s, e) overlap one of the spans? O(log n) per question."""

    def __init__(self, spans: Iterable[Span], lo: int, hi: int) -> None:
        kept = sorted((s, e) for s, e in spans if s < hi and e > lo)
        self._starts = [s for s, _ in kept]
        self._max_end = list(accumulate((e for _, e in kept), max))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end)
        return i > 0 and self._max_end[i - 1] > start


# -- one sentence --------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    label: str
    score: float
    cues: tuple[str, ...]


def _suggest_sentence(
    text: str,
    sentence: Span,
    matches: list[Match],
    cues: CueSet,
    strength: Sequence[float],
    min_score: float,
) -> list[Suggestion]:
    """The whole sentence, or its clauses where they disagree (or where one of them
    is a question or a heading glued on), or nothing."""
    parts = clauses(text, *sentence)
    if len(parts) > 1:
        verdicts: list[_Verdict | None] = []
        skipped = False
        for index, part in enumerate(parts):
            if _eligible(text, part, _MIN_CLAUSE_WORDS, check_end=index == len(parts) - 1):
                verdicts.append(_passing(_judge(text, part, matches, cues, strength), min_score))
            else:
                verdicts.append(None)
                skipped = True
        labels = {v.label for v in verdicts if v is not None}
        if not labels:
            return []
        if len(labels) > 1 or skipped:
            return _runs(text, parts, verdicts, matches, cues, strength, min_score)
    if not _eligible(text, sentence, _MIN_WORDS, check_end=True):
        return []
    verdict = _passing(_judge(text, sentence, matches, cues, strength), min_score)
    if verdict is None:
        return []
    return [Suggestion(sentence[0], sentence[1], verdict.label, verdict.score, verdict.cues)]


def _passing(verdict: _Verdict | None, min_score: float) -> _Verdict | None:
    return verdict if verdict is not None and verdict.score >= min_score else None


def _runs(
    text: str,
    parts: list[Span],
    verdicts: list[_Verdict | None],
    matches: list[Match],
    cues: CueSet,
    strength: Sequence[float],
    min_score: float,
) -> list[Suggestion]:
    """One suggestion per run of neighbouring clauses with the same label."""
    runs: list[tuple[int, int, str]] = []
    previous: _Verdict | None = None
    for part, verdict in zip(parts, verdicts, strict=True):
        if verdict is not None and previous is not None and verdict.label == previous.label:
            runs[-1] = (runs[-1][0], part[1], verdict.label)
        elif verdict is not None:
            runs.append((part[0], part[1], verdict.label))
        previous = verdict
    out = []
    for run_start, run_end, label in runs:
        verdict = _passing(
            _judge(text, (run_start, run_end), matches, cues, strength, label), min_score
        )
        if verdict is not None:
            out.append(Suggestion(run_start, run_end, label, verdict.score, verdict.cues))
    return out


def clauses(text: str, start: int, end: int) -> list[Span]:
    """A sentence's clauses: split at "; ", ", but ", ": " before a capital, and a
    missed sentence end ("...Service.But"), where each side has three words or more.
    Trailing separators and white space are not part of a clause."""
    parts: list[Span] = []
    begin = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        left, right = (begin, m.start()), (m.end(), end)
        if min(_words(text, left), _words(text, right)) >= _MIN_CLAUSE_WORDS:
            parts.append(left)
            begin = m.end()
    parts.append((begin, end))
    return [_strip(text, part) for part in parts]


def _strip(text: str, span: Span) -> Span:
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;"):
        e -= 1
    return s, e


def _words(text: str, span: Span) -> int:
    return sum(1 for _ in _WORD.finditer(text, *span))


def _eligible(text: str, span: Span, min_words: int, check_end: bool) -> bool:
    """Not a question, a heading, a lead-in to a list, nor a fragment."""
    s, e = span
    if e <= s or _words(text, span) < min_words:
        return False
    if not check_end:
        return True
    # an emoji or another symbol after the final punctuation, or in its place
    while e > s and (text[e - 1].isspace() or unicodedata.category(text[e - 1]) in _SYMBOLS):
        e -= 1
    return e > s and (text[e - 1] in _FINAL or e < span[1])


def _judge(
    text: str,
    span: Span,
    matches: list[Match],
    cues: CueSet,
    strength: Sequence[float],
    label: str | None = None,
) -> _Verdict | None:
    """The best label for text[span] and its score; or `label`'s, when given."""
    s, e = span
    i = bisect_left(matches, (s, -1, -1))
    fired: dict[str, list[int]] = {}
    seen: set[int] = set()
    while i < len(matches) and matches[i][0] < e:
        _, m_end, index = matches[i]
        i += 1
        if m_end <= e and index not in seen:
            seen.add(index)
            fired.setdefault(cues[index].label, []).append(index)
    if not fired:
        return None
    support = {}
    for name, indices in fired.items():
        miss = 1.0
        for index in indices:
            miss *= 1.0 - strength[index]
        support[name] = 1.0 - miss
    hedge = support.get("speculation", 0.0)
    judgement = support.get("opinion", 0.0)
    scores = dict(support)
    if "claim" in scores:
        scores["claim"] *= (1.0 - hedge) * (1.0 - judgement)
    if label is None:
        label = max(scores, key=lambda name: (scores[name], _RANK.get(name, -1)))
    if label not in fired:
        return None
    score = min(max(scores[label], 0.0), 1.0)
    names = tuple(cues[index].name for index in fired[label])
    return _Verdict(label, score, names)
