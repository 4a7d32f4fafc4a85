"""`reader stats`: counts per label, article and annotator, and each annotator's
progress and overall agreement with the others (reader/agreement.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reader.agreement import Document, compute, figure, load_documents
from reader.store import Store


@dataclass
class AnnotatorStats:
    annotator: str
    annotations: int = 0
    articles_annotated: int = 0
    articles_done: int = 0  # of those annotated, the ones marked done here (see done_articles)
    per_label: dict[str, int] = field(default_factory=dict)
    agreement: dict[str, float | None] = field(default_factory=dict)  # other -> overall alpha


def done_articles(store: Store) -> set[str]:
    """Ids of the articles whose status is done in this database (`D` in the
    library). An annotator's "articles done" are those of these they annotated.
    The status is the database's own: sync carries annotations, not statuses, so
    in a team each annotator's count is right in their own database."""
    return {article_id for article_id, (status, _) in store.work().items() if status == "done"}


def annotator_stats(store: Store) -> list[AnnotatorStats]:
    """One entry per annotator with live annotations, by name.

    Counts come from the store's kept counts (a few rows per article); only the
    articles that two or more annotators annotated are read for agreement (no
    other is a unit of any pair): a million annotations by one annotator cost a
    few thousand rows, not a million."""
    labels = [label.name for label in store.labels()]
    done = done_articles(store)
    found: dict[str, AnnotatorStats] = {}
    by_article: dict[str, set[str]] = {}
    for article_id, label, annotator, count in store.live_counts():
        entry = found.setdefault(annotator, AnnotatorStats(annotator))
        entry.annotations += count
        entry.per_label[label] = entry.per_label.get(label, 0) + count
        by_article.setdefault(article_id, set()).add(annotator)
    for article_id, names in by_article.items():
        for name in names:
            found[name].articles_annotated += 1
            found[name].articles_done += article_id in done
    shared = [article_id for article_id, names in by_article.items() if len(names) > 1]
    docs = load_documents(store, shared) if shared else {}
    # every annotator stays one of the compared, as when every article was read
    # (a pair with no article in common gets its row, with no figure)
    lone = Document(0, {name: [] for name in found})
    docs = {**docs, "": lone} if found else docs
    used = sorted({label for entry in found.values() for label in entry.per_label} - set(labels))
    report = compute(docs, labels + used)
    for entry in found.values():
        entry.per_label = {name: entry.per_label.get(name, 0) for name in labels + used}
        for other in sorted(found):
            row = report.overall(entry.annotator, other) if other != entry.annotator else None
            if row is not None:
                entry.agreement[other] = row.char_alpha
    return [found[name] for name in sorted(found)]


def detail_lines(entries: list[AnnotatorStats], clean: Callable[[object], str]) -> list[str]:
    """The readable block under "annotators:"."""
    lines = []
    for entry in entries:
        lines.append(
            f"  {clean(entry.annotator)}: {entry.articles_annotated} "
            f"article{'' if entry.articles_annotated == 1 else 's'} annotated, "
            f"{entry.articles_done} done"
        )
        counts = ", ".join(f"{clean(k)} {v}" for k, v in entry.per_label.items())
        lines.append(f"      {counts}")
        if entry.agreement:
            figures = ", ".join(
                f"{clean(other)} {figure(alpha)}" for other, alpha in entry.agreement.items()
            )
            lines.append(f"      agreement (alpha, all labels): {figures}")
    return lines


def stats_json(store: Store) -> dict[str, Any]:
    """`reader stats --json`: what the readable output shows, as one object."""
    by_label = dict(store.annotation_counts("label"))
    names = [label.name for label in store.labels()]
    names += sorted(set(by_label) - set(names))
    heads = store.article_heads()
    return {
        "annotations": sum(by_label.values()),
        "deleted": store.deleted_count(),
        "per_label": {name: by_label.get(name, 0) for name in names},
        "per_article": [
            {"id": article_id, "title": heads.get(article_id, ("?",))[0], "count": count}
            for article_id, count in store.annotation_counts("article_id")
        ],
        "per_annotator": [
            {
                "annotator": entry.annotator,
                "annotations": entry.annotations,
                "articles_annotated": entry.articles_annotated,
                "articles_done": entry.articles_done,
                "per_label": entry.per_label,
                "agreement": entry.agreement,
            }
            for entry in annotator_stats(store)
        ],
    }
