"""spaCy: a `.spacy` DocBin, one Doc per article, its spans in `doc.spans["sc"]`.

Each span's `label_` is the label and its `id_` the annotation's id; the
annotator and note are in `doc.user_data["reader"]["annotations"][span.id_]`,
beside the article's id and metadata. (What a DocBin keeps: span label, id
and kb_id, and user_data. A span extension would be stored in user_data under
its start and end characters, so two annotators' spans of the same words would
overwrite each other: the id is the key instead.)

The Doc's text is the article's text exactly. spaCy's blank English tokenizer
cuts it (no model is loaded or downloaded), and a token is cut again wherever a
span starts or ends inside it, so every span keeps its exact characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reader.errors import ReaderError

from .common import Item, Warn, metadata


def available() -> bool:
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


def export(items: Iterable[Item], warn: Warn) -> bytes:
    """The DocBin's bytes (the same for the same data)."""
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise ReaderError(
            "the spacy format needs spaCy: pip install spacy (or reader's extra: '.[spacy]')"
        ) from None
    nlp = spacy.blank("en")
    docs = DocBin(store_user_data=True)
    for item in items:
        docs.add(_doc(nlp, item, warn))
    return docs.to_bytes()


def _doc(nlp: Any, item: Item, warn: Warn) -> Any:
    from spacy.tokens import Doc

    text = item.article.text
    starts = {a.start for a in item.annotations}
    ends = {a.end for a in item.annotations}
    cuts = starts | ends
    words: list[str] = []
    spaces: list[bool] = []
    for token in nlp.tokenizer(text):
        at, word = token.idx, token.text
        inside = sorted(c - at for c in cuts if at < c < at + len(word))
        for a, b in zip([0, *inside], [*inside, len(word)], strict=True):
            words.append(word[a:b])
            spaces.append(False)
        if token.whitespace_:
            after = at + len(word)
            if after in starts or after + 1 in ends:  # a span starts at, or ends after, the space
                words.append(token.whitespace_)
                spaces.append(False)
            else:
                spaces[-1] = True
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    assert doc.text == text, "the Doc's text must be the article's"  # a bug, not bad input
    spans = []
    for a in item.annotations:
        span = doc.char_span(a.start, a.end, label=a.label, span_id=a.id)
        if span is None:  # not expected: every boundary is a token boundary
            span = doc.char_span(
                a.start, a.end, label=a.label, span_id=a.id, alignment_mode="expand"
            )
            warn(f"annotation {a.id}: widened to whole tokens in the spaCy Doc")
        if span is None:
            warn(f"annotation {a.id}: no tokens of the spaCy Doc hold it; left out")
            continue
        spans.append(span)
    doc.spans["sc"] = spans
    doc.user_data["reader"] = {
        **metadata(item.article),
        "annotations": {
            a.id: {
                "annotator": a.annotator,
                "note": a.note,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
            }
            for a in item.annotations
        },
    }
    return doc
