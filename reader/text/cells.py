"""Terminal cells: how wide a grapheme is drawn, and what is drawn for it.

Rich's cell widths only (no Textual), so the wrapping geometry is tested without
an App. A grapheme is never drawn zero cells wide, so every cursor position has
a cell of its own; control characters never reach the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rich.cells import cell_len

from reader.text.graphemes import GRAPHEME
from reader.text.normalize import CONTROL_CLASS

TAB = 4  # a tab is drawn as this many spaces

# Control characters (newline included) and bidi controls must never reach the
# terminal; the stored text has none but "\n" (normalize removes them) but the
# pane guards anyway, and shows them as U+FFFD so a reader sees something is there.
_UNSAFE = re.compile(f"[\n{CONTROL_CLASS}]")
_SAFE_TABLE = {
    **{c: "\ufffd" for c in [*range(0x00, 0xA0), *range(0x2000, 0x2070)] if _UNSAFE.match(chr(c))},
    0x09: " " * TAB,
}


def _simple_chars() -> frozenset[str]:
    """Characters that are one cell wide and a grapheme on their own next to each other.

    A block made only of these (most news prose, curly quotes and dashes included)
    wraps by string arithmetic instead of a grapheme walk.
    """
    ranges = [(0x20, 0x7E), (0xA0, 0x52F), (0x2010, 0x2027), (0x2030, 0x205E), (0x20A0, 0x20C0)]
    keep = set()
    for lo, hi in ranges:
        for code in range(lo, hi + 1):
            ch = chr(code)
            category = unicodedata.category(ch)
            if category[0] in "MC" or category in ("Zl", "Zp"):
                continue
            if unicodedata.east_asian_width(ch) in "WF" or cell_len(ch) != 1:
                continue
            keep.add(ch)
    return frozenset(keep)


SIMPLE_CHARS = _simple_chars()
is_simple = SIMPLE_CHARS.issuperset  # every code point one cell and one grapheme


def safe(text: str) -> str:
    """Text as drawn: control characters made visible, tabs expanded."""
    return text.translate(_SAFE_TABLE) if _UNSAFE.search(text) or "\t" in text else text


@lru_cache(maxsize=8192)
def drawn(grapheme: str) -> str:
    """A grapheme as drawn: never zero cells wide, so every position has a cell.

    Control characters show as U+FFFD and tabs as spaces (`safe`); a lone combining
    mark sits on a dotted circle; other invisible ones (zero-width space, word
    joiner, a stray variation selector) show as a middle dot.
    """
    shown = safe(grapheme)
    if cell_len(shown) > 0:
        return shown
    if unicodedata.category(grapheme[0])[0] == "M" and cell_len("◌" + grapheme) == 1:
        return "◌" + grapheme
    return "·"


@lru_cache(maxsize=8192)
def grapheme_width(grapheme: str) -> int:
    """Cells a grapheme takes as drawn: at least one."""
    return cell_len(drawn(grapheme))


def display(text: str) -> str:
    """Text made of whole graphemes, as drawn (see `drawn`)."""
    if is_simple(text):
        return text
    return "".join([drawn(m.group()) for m in GRAPHEME.finditer(text)])


def cells_between(text: str, start: int, end: int) -> int:
    """Cells taken by text[start:end] (both at grapheme boundaries) as drawn."""
    piece = text[start:end]
    if is_simple(piece):
        return end - start
    return sum(grapheme_width(m.group()) for m in GRAPHEME.finditer(piece))


def offset_at_cell(text: str, start: int, end: int, cell: int) -> int:
    """The grapheme of text[start:end] drawn over `cell` (its start), else `end`."""
    if cell <= 0:
        return start
    piece = text[start:end]
    if is_simple(piece):
        return min(start + cell, end)
    x = 0
    for m in GRAPHEME.finditer(text, start, end):
        x += grapheme_width(m.group())
        if x > cell:
            return m.start()
    return end
