"""Motions: where the cursor goes from a position, over the text's blocks.

Every motion takes the text's `TextBlocks` and a cursor position and returns a
position (a grapheme boundary inside a paragraph). `MOTIONS` names the ones that
need no width, as the reading pane's keys call them; motions by visual row
(up, down, page, row start/end) need the wrapping and live with the pane.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from reader.text.blocks import TextBlocks
from reader.text.spans import Span

Motion = Callable[[TextBlocks, int], int]


def next_position(blocks: TextBlocks, pos: int) -> int:
    """One grapheme right; from a paragraph's end, the next paragraph's start."""
    if not blocks.starts:
        return 0
    k = blocks.block_of(pos)
    if pos >= blocks.ends[k]:
        return blocks.starts[k + 1] if k + 1 < len(blocks.starts) else blocks.ends[k]
    if blocks.is_simple(k):
        return pos + 1
    bounds = blocks.boundaries(k)
    return bounds[bisect_right(bounds, pos)]


def previous_position(blocks: TextBlocks, pos: int) -> int:
    """One grapheme left; from a paragraph's start, the previous paragraph's end."""
    if not blocks.starts:
        return 0
    k = blocks.block_of(pos)
    if pos <= blocks.starts[k]:
        if k == 0:
            return blocks.starts[0]
        if blocks.final[k - 1]:
            return blocks.ends[k - 1]
        return blocks.boundaries(k - 1)[-2]  # a block cut inside a paragraph
    if blocks.is_simple(k):
        return pos - 1
    bounds = blocks.boundaries(k)
    return bounds[bisect_left(bounds, pos) - 1]


def _next_start(blocks: TextBlocks, pos: int, spans: Callable[[int], list[Span]]) -> int:
    """Start of the next span (word, sentence) after pos, else the text's last position."""
    if not blocks.starts:
        return 0
    for j in range(blocks.block_of(pos), len(blocks.starts)):
        for start, _ in spans(j):
            if start > pos and (snapped := blocks.position(start)) > pos:
                return snapped
    return blocks.last


def _previous_start(blocks: TextBlocks, pos: int, spans: Callable[[int], list[Span]]) -> int:
    """Start of the span before pos, else the text's first position."""
    if not blocks.starts:
        return 0
    for j in range(blocks.block_of(pos), -1, -1):
        for start, _ in reversed(spans(j)):
            if start < pos and (snapped := blocks.position(start)) < pos:
                return snapped
    return blocks.first


def next_word(blocks: TextBlocks, pos: int) -> int:
    return _next_start(blocks, pos, blocks.words)


def previous_word(blocks: TextBlocks, pos: int) -> int:
    return _previous_start(blocks, pos, blocks.words)


def next_sentence(blocks: TextBlocks, pos: int) -> int:
    return _next_start(blocks, pos, blocks.sentences)


def previous_sentence(blocks: TextBlocks, pos: int) -> int:
    return _previous_start(blocks, pos, blocks.sentences)


def sentence_at(blocks: TextBlocks, pos: int) -> Span | None:
    """The sentence holding pos, as positions; in a gap, the one before it."""
    if not blocks.starts:
        return None
    best = None
    for j in range(blocks.block_of(pos), -1, -1):
        for span in blocks.sentences(j):
            if span[0] <= pos:
                best = span
            else:
                break
        if best is not None:
            return blocks.position(best[0]), blocks.position(best[1])
    return None


def next_paragraph(blocks: TextBlocks, pos: int) -> int:
    k = blocks.block_of(pos)
    for j in range(k + 1, len(blocks.starts)):
        if blocks.final[j - 1]:
            return blocks.starts[j]
    return blocks.last


def previous_paragraph(blocks: TextBlocks, pos: int) -> int:
    """Start of the paragraph holding pos, or of the one before if pos is there."""
    if not blocks.starts:
        return 0
    j = blocks.paragraph_first_block(blocks.block_of(pos))
    if blocks.starts[j] < pos or j == 0:
        return blocks.starts[j]
    return blocks.starts[blocks.paragraph_first_block(j - 1)]


def text_start(blocks: TextBlocks, pos: int) -> int:
    return blocks.first


def text_end(blocks: TextBlocks, pos: int) -> int:
    return blocks.last


MOTIONS: dict[str, Motion] = {
    "left": previous_position,
    "right": next_position,
    "word": next_word,
    "word_back": previous_word,
    "sentence": next_sentence,
    "sentence_back": previous_sentence,
    "paragraph": next_paragraph,
    "paragraph_back": previous_paragraph,
    "top": text_start,
    "bottom": text_end,
}
