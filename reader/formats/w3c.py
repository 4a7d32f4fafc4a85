"""W3C Web Annotation Data Model: one JSON-LD annotation per line.

Each annotation has a tagging body (the label) and, with a note, a commenting
body; its target is the article, `source` its url or else `urn:sha256:<hash of
its text>`, selected by a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end: characters, that is code points, as the
model counts them). The annotations carry no text: importing them finds their
article by its source, and their place by position, else by quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reader.errors import ReaderError

from .common import ForeignDocument, ForeignSpan, Item, Units, dumps, parse_json, read_bytes

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def export(items: Iterable[Item], units: str) -> Iterator[bytes]:
    for item in items:
        article = item.article
        source = article.url or f"urn:sha256:{article.sha256}"
        where = Units(article.text, units)
        for a in item.annotations:
            body = [{"type": "TextualBody", "purpose": "tagging", "value": a.label}]
            if a.note:
                body.append(
                    {
                        "type": "TextualBody",
                        "purpose": "commenting",
                        "value": a.note,
                        "format": "text/plain",
                    }
                )
            record = {
                "@context": CONTEXT,
                "id": f"urn:uuid:{a.id}",
                "type": "Annotation",
                "motivation": "tagging",
                "creator": {"type": "Person", "name": a.annotator},
                "created": a.created_at,
                "modified": a.updated_at,
                "body": body,
                "target": {
                    "source": source,
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": a.quote,
                            "prefix": a.prefix,
                            "suffix": a.suffix,
                        },
                        {
                            "type": "TextPositionSelector",
                            "start": where.out(a.start),
                            "end": where.out(a.end),
                        },
                    ],
                },
            }
            yield (dumps(record) + "\n").encode("utf-8")


# -- reading --------------------------------------------------------------


def read(path: Path, units: str = "codepoints") -> list[ForeignDocument]:
    """Annotations one per line, or a JSON array, or an AnnotationCollection."""
    data = read_bytes(path)  # once: it may be stdin
    try:
        whole = parse_json(data, path, lines=False)  # one JSON value: an array, a collection...
    except ReaderError:
        annotations = parse_json(data, path, lines=True)  # one annotation per line
    else:
        members = _members(whole[0][1]) if whole else []
        annotations = [(f"{path}:{i}", v) for i, v in enumerate(members, 1)]
    by_source: dict[str, ForeignDocument] = {}
    for where, value in annotations:
        source, span = _annotation(where, value)
        doc = by_source.setdefault(source, ForeignDocument(where, None, source=source))
        doc.spans.append(span)
    return list(by_source.values())


def _members(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):  # a collection and its first page
        page = value.get("first") if isinstance(value.get("first"), dict) else value
        items = page.get("items") if isinstance(page, dict) else None
        if isinstance(items, list):
            return items
    return [value]


def _annotation(where: str, value: Any) -> tuple[str, ForeignSpan]:
    if not isinstance(value, dict):
        raise ReaderError(f"{where}: expected an annotation object, got {type(value).__name__}")
    target = _first(value.get("target"), lambda t: isinstance(t, dict) and "source" in t)
    if target is None or not isinstance(target.get("source"), str):
        raise ReaderError(f"{where}: its target names no source")
    selectors = _list(target.get("selector"))
    quote = _first(selectors, lambda s: _is(s, "TextQuoteSelector")) or {}
    position = _first(selectors, lambda s: _is(s, "TextPositionSelector")) or {}
    bodies = _list(value.get("body"))
    tag = _first(bodies, lambda b: _purpose(b) == "tagging") or _first(
        bodies, lambda b: isinstance(b, dict) and _purpose(b) is None
    )
    notes = [b.get("value") for b in bodies if _purpose(b) == "commenting"]
    creator = _first(value.get("creator"), lambda c: True)
    if isinstance(creator, dict):
        creator = creator.get("name") or creator.get("nickname") or creator.get("id")
    span = ForeignSpan(
        position.get("start"),
        position.get("end"),
        tag.get("value") if isinstance(tag, dict) else None,
        quote=_str(quote.get("exact")),
        prefix=_str(quote.get("prefix")),
        suffix=_str(quote.get("suffix")),
        note="\n".join(n for n in notes if isinstance(n, str)) or None,
        annotator=_str(creator),
        id=_str(value.get("id")),
        created_at=_str(value.get("created")),
        updated_at=_str(value.get("modified")),
        where=where,
    )
    return target["source"], span


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _first(values: Any, test: Any) -> Any:
    return next((v for v in _list(values) if test(v)), None)


def _is(selector: Any, kind: str) -> bool:
    return isinstance(selector, dict) and selector.get("type") in (kind, f"oa:{kind}")


def _purpose(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    purpose = body.get("purpose")
    return purpose.removeprefix("oa:") if isinstance(purpose, str) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
