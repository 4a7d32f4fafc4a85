"""Label Studio: a JSON list of tasks with annotations, and the labelling config they fit.

Each article is a task `{"data": {"text": ..., "article_id": ...}, "annotations": [...]}`;
each annotator's spans are one annotation (its `created_username`), each span a
`labels` result `{"from_name": "label", "to_name": "text", "type": "labels",
"value": {"start", "end", "text", "labels": ["claim"]}}` whose id is ours and
whose note is the region's `meta.text`. The config declares a `Labels` control
named "label" over a `Text` object named "text" with every label. Offsets are
code points (Label Studio's frontend converts its selections to code points).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from reader.errors import ReaderError
from reader.models import Label

from .common import ForeignDocument, ForeignSpan, Item, Units, dumps, metadata, read_json

_META = ("title", "author", "source", "url", "published")


def export(items: Iterable[Item], units: str) -> Iterator[bytes]:
    """The tasks as a JSON array, one task per line."""
    yield b"["
    for number, item in enumerate(items):
        yield (",\n" if number else "\n").encode() + dumps(_task(item, units)).encode("utf-8")
    yield b"\n]\n"


def _task(item: Item, units: str) -> dict[str, Any]:
    text = item.article.text
    where = Units(text, units)
    by_annotator = sorted(item.annotations, key=lambda a: (a.annotator, a.start, a.end, a.id))
    annotations = []
    for annotator, group in groupby(by_annotator, key=lambda a: a.annotator):
        spans = list(group)
        results = []
        for a in spans:
            result: dict[str, Any] = {
                "id": a.id,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {
                    "start": where.out(a.start),
                    "end": where.out(a.end),
                    "text": a.quote,
                    "labels": [a.label],
                },
                "origin": "manual",
            }
            if a.note:
                result["meta"] = {"text": [a.note]}
            results.append(result)
        annotations.append(
            {
                "result": results,
                "created_username": annotator,
                "created_at": min(a.created_at for a in spans),
                "updated_at": max(a.updated_at for a in spans),
            }
        )
    data = {"text": text, **{k: v for k, v in metadata(item.article).items() if v is not None}}
    return {"data": data, "annotations": annotations}


def config(labels: Iterable[Label]) -> bytes:
    """The labelling config the tasks fit (import it as the project's Labeling Interface)."""
    lines = [
        "<View>",
        '  <Labels name="label" toName="text">',
        *(
            f"    <Label value={quoteattr(label.name)} background={quoteattr(label.color)}/>"
            for label in labels
        ),
        "  </Labels>",
        # Line breaks shown as they are; Label Studio counts every character either way.
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
        '  <Text name="text" value="$text"/>',
        "</View>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def config_path(tasks: Path) -> Path:
    """tasks.json -> tasks.config.xml beside it."""
    return tasks.with_name(f"{tasks.stem}.config.xml")


# -- reading --------------------------------------------------------------


def read(path: Path, units: str = "codepoints") -> list[ForeignDocument]:
    (_where, value), *_ = read_json(path, lines=False) or [(str(path), [])]
    tasks = value if isinstance(value, list) else [value]
    return [_document(f"{path}:task {i}", task) for i, task in enumerate(tasks, 1)]


def _document(where: str, task: Any) -> ForeignDocument:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise ReaderError(f'{where}: expected a task with a "data" object')
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str):  # a config naming its text otherwise: the first string
        text = next((v for v in data.values() if isinstance(v, str)), None)
    if text is None:
        raise ReaderError(f"{where}: its data holds no text")
    spans: list[ForeignSpan] = []
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        raise ReaderError(f'{where}: "annotations" must be a list')
    for number, annotation in enumerate(annotations, 1):
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        spans.extend(_spans(f"{where}: annotation {number}", annotation))
    meta = {k: data[k] for k in _META if isinstance(data.get(k), str)}
    return ForeignDocument(where, text, meta, spans)


def _spans(where: str, annotation: dict[str, Any]) -> list[ForeignSpan]:
    results = annotation.get("result") or []
    if not isinstance(results, list):
        raise ReaderError(f'{where}: "result" must be a list')
    results = [r for r in results if isinstance(r, dict) and isinstance(r.get("value"), dict)]
    # Per-region notes: a textarea result with the region's id, or the region's meta.
    notes: dict[Any, list[str]] = {}
    for r in results:
        if r.get("type") == "textarea":
            texts = r["value"].get("text")
            notes.setdefault(r.get("id"), []).extend(t for t in texts or [] if isinstance(t, str))
    annotator = _annotator(annotation)
    spans = []
    for number, r in enumerate(results, 1):
        value = r["value"]
        labels = value.get("labels")
        if r.get("type") != "labels" or not isinstance(labels, list):
            continue
        meta = r.get("meta")
        texts = meta.get("text") if isinstance(meta, dict) else None
        own = [t for t in texts if isinstance(t, str)] if isinstance(texts, list) else []
        note = "\n".join(own + notes.get(r.get("id"), [])) or None
        quote = value.get("text") if isinstance(value.get("text"), str) else None
        for label in labels:
            spans.append(
                ForeignSpan(
                    value.get("start"),
                    value.get("end"),
                    label,
                    quote=quote,
                    note=note,
                    annotator=annotator,
                    # one id per label of a region with several
                    id=r.get("id") if len(labels) == 1 else None,
                    created_at=annotation.get("created_at"),
                    updated_at=annotation.get("updated_at"),
                    where=f"{where}: result {number}",
                )
            )
    return spans


def _annotator(annotation: dict[str, Any]) -> str | None:
    name = annotation.get("created_username")
    if isinstance(name, str) and name.strip():
        head, _, tail = name.rpartition(",")
        return (
            head if head and tail.strip().isdigit() else name
        ).strip()  # Label Studio's "email, id"
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if isinstance(who, str):
        return who
    if isinstance(who, int) and not isinstance(who, bool):
        return f"label-studio-user-{who}"
    return None
