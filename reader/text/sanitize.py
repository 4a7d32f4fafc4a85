"""The one sanitizer for strings from outside: names, titles, labels, notes, errors.

Every string that comes from outside (file contents and names, front matter,
JSONL fields, label names, notes, the environment, error messages quoting any of
these) is cleaned with these before it is stored or shown: terminal escape
sequences (whole), control characters and bidi controls are removed with the
patterns `reader.text.normalize` uses for article texts, and the result is NFC.

- `clean_line`: one line (every run of white space, newlines and tabs included,
  becomes one space; ends stripped), optionally shortened: names, titles,
  labels, file names, one-line messages.
- `clean_note`: the same, but keeping its line breaks: notes.
- `shorten`: cut to a length with an ellipsis.

Drawing article text in the reading pane is another matter: there a control
character is made visible instead (`reader.text.cells.safe`).
"""

from __future__ import annotations

import unicodedata

from reader.text.normalize import normalize


def _normal(value: str) -> str:
    # isprintable() is False for every control, escape, bidi control and line
    # separator: a string passing it (and already NFC) has nothing to remove.
    if value.isprintable() and unicodedata.is_normalized("NFC", value):
        return value
    return normalize(value)


def clean_line(value: object, limit: int | None = None) -> str:
    """One printable line, cut to fit `limit` characters (see `shorten`) when given."""
    text = " ".join(_normal(str(value)).split())
    return text if limit is None else shorten(text, limit, fit=True)


def clean_note(value: object) -> str:
    """Printable text that keeps its line breaks; tabs become spaces, ends stripped."""
    lines = _normal(str(value)).replace("\t", " ").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def shorten(value: str, limit: int, *, fit: bool = False) -> str:
    """value, cut with "…" where it is longer than `limit` characters.

    By default the cut is made for reading, as a sentence becomes a title: at the
    last space in the second half of the first `limit` characters, trailing
    punctuation dropped, then the ellipsis. With `fit` the result fits `limit`
    (for columns and rows): cut anywhere, leaving room for the ellipsis.
    """
    if len(value) <= limit:
        return value
    if fit:
        return value[: max(limit - 1, 0)].rstrip() + "…"
    cut = value[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"
