"""Paragraphs: each line with something other than white space."""

from __future__ import annotations

import re

from reader.text.spans import Span

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")


def paragraph_spans(text: str) -> list[Span]:
    """Each line with something other than white space is a paragraph."""
    return [m.span() for m in _PARAGRAPH.finditer(text)]
