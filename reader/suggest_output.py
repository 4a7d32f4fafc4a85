"""`reader suggest`: an article's suggestions and the cues' record, as text or JSON.

Article text is cleaned at import, but what reaches a terminal is made safe here
once more: the listing shows controls as "?", and the JSON escapes C1 controls,
bidi controls and line separators as \\uXXXX (JSON's own escaping covers only C0),
so `text` still decodes to exactly `article_text[start:end]`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

from reader.models import Article
from reader.store import Store
from reader.suggest import DEFAULT_THRESHOLD, LABELS, Suggestion, suggestions
from reader.suggest_store import cue_stats, load_for_article
from reader.text.sanitize import clean_line as clean

_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def article_suggestions(
    store: Store, article: Article, min_score: float | None = None
) -> list[Suggestion]:
    """What the TUI would suggest for the article: its live annotations excluded,
    this workspace's weights, its rejected suggestions left out."""
    weights, rejected = load_for_article(store, article.id)
    spans = [(a.start, a.end) for a in store.annotations(article.id)]
    threshold = DEFAULT_THRESHOLD if min_score is None else min_score
    return suggestions(article.text, spans, weights, rejected, min_score=threshold)


def as_json(text: str, made: Sequence[Suggestion]) -> str:
    """[{"start", "end", "text", "label", "score", "cues"}], sorted by start."""
    records = [s.as_json(text) for s in sorted(made, key=lambda s: (s.start, s.end))]
    encoded = json.dumps(records, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def listing(article: Article, made: Sequence[Suggestion], width: int) -> list[str]:
    """Two lines a suggestion (span, label, score, text; its cues), then a count."""
    lines = []
    for s in made:
        head = f"{s.start:>7}-{s.end:<7} {s.label:<11} {s.score:4.2f}  "
        lines.append(head + _fit(clean(article.text[s.start : s.end]), width - len(head)))
        lines.append(_fit(" " * 16 + "cues: " + clean(", ".join(s.cues)), width))
    counts = Counter(s.label for s in made)
    names = [*LABELS, *sorted(set(counts) - set(LABELS))]
    per_label = ", ".join(f"{counts[name]} {clean(name)}" for name in names if counts[name])
    total = f"{len(made)} suggestions ({per_label})"
    lines.append(_fit(f"{total} for {article.id} {clean(article.title)}", width))
    return lines


def stats_lines(store: Store) -> list[str]:
    """Each cue's fires, accepts, relabels and rejects, its prior and its weight now."""
    stats = cue_stats(store)
    name_w = max([len("CUE"), *(len(clean(s.name)) for s in stats)])
    label_w = max([len("LABEL"), *(len(clean(s.label)) for s in stats)])
    lines = [
        f"{'CUE':<{name_w}}  {'LABEL':<{label_w}}  FIRES ACCEPTS RELABELS REJECTS  PRIOR WEIGHT"
    ]
    for s in stats:
        prior = "-" if s.prior is None else f"{s.prior:.2f}"
        weight = "-" if s.weight is None else f"{s.weight:.2f}"
        lines.append(
            f"{clean(s.name):<{name_w}}  {clean(s.label):<{label_w}}  {s.fires:>5} "
            f"{s.accepts:>7} {s.relabels:>8} {s.rejects:>7}  {prior:>5} {weight:>6}"
        )
    decided = sum(s.fires for s in stats)
    lines.append(
        "weights follow each cue's acceptance rate, shrunk toward its prior "
        f"({decided} cue fires decided so far)"
    )
    return lines


def _fit(text: str, size: int) -> str:
    """text cut to at most `size` terminal cells, with "…" where it was cut."""
    size = max(size, 8)
    if cell_len(text) <= size:
        return text
    return set_cell_size(text, size - 1).rstrip() + "…"
