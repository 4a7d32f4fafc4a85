"""Offsets across the two changes a text can go through: normalization, and UTF-16.

A text that comes from outside (an HTML page, another tool's export) is
normalized before it is stored (reader/text/normalize.py), and its styles or
spans must follow: `normalize_mapped` gives the normalized text together with
a map from every offset of the raw text to the matching offset of the result.
Other tools' web frontends count in UTF-16 code units (JavaScript's
`String.length`): `Utf16` converts between those and code points.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from reader.text.normalize import normalize

# The line breaks normalize() folds into "\n" (CRLF first: one break).
_BREAK = re.compile("\r\n|[\n\r\u2028\u2029\u0085]")


@dataclass(frozen=True)
class _Line:
    raw_start: int  # where the line starts in the raw text
    raw_end: int  # where its line break (if any) starts
    break_len: int  # 0 (the last line), 1 or 2 (CRLF)
    start: int  # where it starts in the normalized text
    raw: str
    normal: str


class OffsetMap:
    """Offsets of a raw text -> offsets of its normalized (and stripped) form."""

    def __init__(self, lines: list[_Line], lead: int, length: int) -> None:
        self._lines = lines
        self._starts = [line.raw_start for line in lines]
        self._lead = lead  # white space stripped from the front
        self._length = length  # of the final text

    def __call__(self, offset: int) -> int:
        line = self._lines[max(bisect_right(self._starts, offset) - 1, 0)]
        local = offset - line.raw_start
        if local > len(line.raw):  # inside a CRLF: after the "\n" it became
            mapped = line.start + len(line.normal) + 1
        elif line.raw == line.normal:
            mapped = line.start + local
        else:
            # Normalization acts within a combining sequence or an escape
            # sequence: what the text before the offset became is where it is.
            mapped = line.start + min(len(normalize(line.raw[:local])), len(line.normal))
        return min(max(mapped - self._lead, 0), self._length)


def normalize_mapped(raw: str, strip: bool = True) -> tuple[str, OffsetMap]:
    """normalize(raw) (stripped of white space at both ends, like every import),
    and the map of raw offsets into it.

    normalize() never acts across a line break, so each line is normalized on
    its own: the offsets of an unchanged line (nearly all of them) map one to one.
    """
    lines: list[_Line] = []
    position = 0
    out = 0
    pieces: list[str] = []
    for found in [*_BREAK.finditer(raw), None]:
        end = found.start() if found else len(raw)
        line = raw[position:end]
        normal = line if line.isascii() and line.isprintable() else normalize(line)
        width = found.end() - found.start() if found else 0
        lines.append(_Line(position, end, width, out, line, normal))
        pieces.append(normal)
        out += len(normal) + 1
        position = found.end() if found else end
    text = "\n".join(pieces)
    lead = 0
    if strip:
        stripped = text.strip()
        lead = len(text) - len(text.lstrip())
        text = stripped
    return text, OffsetMap(lines, lead, len(text))


class Utf16:
    """Code point offsets <-> UTF-16 code unit offsets of one text."""

    def __init__(self, text: str) -> None:
        # Code point index of each character outside the BMP (two code units).
        astral = [] if text.isascii() else [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral = astral
        self._units = [i + n for n, i in enumerate(self._astral)]  # their UTF-16 index
        self._length = len(text)

    @property
    def simple(self) -> bool:
        """The two counts agree everywhere."""
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, unit: int) -> int | None:
        """The code point offset of a UTF-16 offset; None between the two halves
        of a surrogate pair or past the end."""
        before = bisect_left(self._units, unit)  # astral characters starting before it
        if before and self._units[before - 1] + 1 == unit:
            return None
        offset = unit - before
        return offset if 0 <= offset <= self._length else None
