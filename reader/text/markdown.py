"""Markdown -> reading text without markup, with block kinds and inline styles as ranges.

The reading text follows the .txt rules so the rest of reader needs no special
case: each block (heading, paragraph, list item, quote, code block, HTML block)
is its own line or lines, blocks are separated by a blank line (items of a tight
list by a line break), soft breaks become spaces and hard breaks line breaks.
Styles are `Style(start, end, kind, value)` ranges over the final text: `heading`
(value: level), `list_item` (value: its marker), `quote`, `code_block` (value:
the fence's language), `em`, `strong`, `code`, `link` (value: the URL), `image`
(the alt text; value: the image's URL). HTML is kept as literal text, never
interpreted. YAML front matter (a leading `---` block) is parsed as metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.errors import ReaderError
from reader.models import Style
from reader.text.normalize import normalize

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.M | re.S)
_INLINE_KINDS = {"em": "em", "strong": "strong", "s": "strike", "link": "link"}


class MarkdownError(ReaderError):
    """A Markdown file that cannot be read (bad front matter); no file name inside."""


@dataclass
class ParsedMarkdown:
    text: str
    styles: list[Style] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def parse_markdown(source: str) -> ParsedMarkdown:
    """Reading text, styles and front matter of a Markdown document (already decoded)."""
    source = normalize(source)
    front, body = split_front_matter(source)
    builder = _Builder()
    builder.blocks(_parser().parse(body))
    text, styles = builder.result()
    return ParsedMarkdown(text, styles, front)


def split_front_matter(source: str) -> tuple[dict[str, Any], str]:
    """(front matter, the rest). Raises MarkdownError naming the line of a YAML error."""
    m = _FRONT_MATTER.match(source)
    if m is None:
        return {}, source
    block = m.group("yaml")
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # Line 1 is the opening ---; an error found at the end of the block
        # (an unclosed bracket) is reported on the block's last line.
        last = max(block.count("\n") + 1, 2)
        line = min(mark.line + 2, last) if mark is not None else 2
        problem = getattr(exc, "problem", None) or "invalid YAML"
        context = getattr(exc, "context", None)
        detail = f"{context}: {problem}" if context else problem
        raise MarkdownError(f"front matter line {line}: {detail}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MarkdownError(
            f"front matter line 2: expected `key: value` lines, found a {type(data).__name__}"
        )
    # Keys are looked up by name (title, date...): make them plain lower-case strings.
    front = {str(k).strip().lower(): v for k, v in data.items()}
    # Keep the body's line count: blank lines where the front matter was.
    return front, "\n" * m.group(0).count("\n") + source[m.end() :]


class _Builder:
    """Appends normalized pieces, remembering where each style starts and ends."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.styles: list[Style] = []
        self.open: list[tuple[str, int, Any]] = []  # (kind, start, value) of open styles
        self.started = False  # a block has been written
        self.tight = False  # the last block was a paragraph of a tight list

    # -- writing ----------------------------------------------------------

    def write(self, piece: str) -> None:
        piece = normalize(piece)
        if piece:
            self.parts.append(piece)
            self.pos += len(piece)

    def new_block(self, tight: bool = False) -> None:
        """Separate the next block from the last one: a blank line, or a line break."""
        if self.started:
            self.write("\n" if tight and self.tight else "\n\n")
        self.started = True
        self.tight = tight

    def push(self, kind: str, value: Any = None) -> None:
        self.open.append((kind, self.pos, value))

    def pop(self, kind: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == kind:
                _, start, value = self.open.pop(i)
                if 0 <= start < self.pos:
                    self.styles.append(Style(start, self.pos, kind, value))
                return

    # -- walking the tokens ---------------------------------------------------

    def blocks(self, tokens: list[Token]) -> None:
        # A list item's style starts where its first block's text starts.
        pending_items: list[Any] = []
        for token in tokens:
            kind = token.type
            if kind == "list_item_open":
                marker = f"{token.info}{token.markup}" if token.info else "•"
                pending_items.append(marker)
            elif kind in ("paragraph_open", "heading_open"):
                self.new_block(tight=token.hidden)
                self._open_items(pending_items)
                if kind == "heading_open":
                    self.push("heading", int(token.tag[1:]))
            elif kind == "heading_close":
                self.pop("heading")
            elif kind == "inline":
                self.inline(token.children or [])
            elif kind in ("fence", "code_block"):
                self.new_block()
                self._open_items(pending_items)
                self.push("code_block", token.info.strip().split(" ")[0] or None)
                self.write(token.content.removesuffix("\n"))
                self.pop("code_block")
            elif kind == "html_block":
                self.new_block()
                self._open_items(pending_items)
                self.write(token.content.rstrip("\n"))
            elif kind == "list_item_close":
                if pending_items:  # an empty item: nothing to mark
                    pending_items.pop()
                else:
                    self.pop("list_item")
            elif kind == "blockquote_open":
                self.open.append(("quote", -1, None))  # starts with its first text
            elif kind == "blockquote_close":
                self.pop("quote")
            # hr and the list containers add no text

    def _open_items(self, pending_items: list[Any]) -> None:
        for i, (kind, start, value) in enumerate(self.open):
            if start < 0:  # a quote waiting for its first text
                self.open[i] = (kind, self.pos, value)
        for marker in pending_items:
            self.push("list_item", marker)
        pending_items.clear()

    def inline(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind == "softbreak":
                self.write(" ")
            elif kind == "hardbreak":
                self.write("\n")
            elif kind.endswith("_open") and kind[:-5] in _INLINE_KINDS:
                href = token.attrGet("href")
                self.push(_INLINE_KINDS[kind[:-5]], None if href is None else str(href))
            elif kind.endswith("_close") and kind[:-6] in _INLINE_KINDS:
                self.pop(_INLINE_KINDS[kind[:-6]])
            elif kind == "code_inline":
                self.push("code")
                self.write(token.content)
                self.pop("code")
            elif kind == "image":
                src = token.attrGet("src")
                self.push("image", None if src is None else str(src))
                self.write(_plain(token.children or []))
                self.pop("image")
            else:  # text, html_inline (kept literally), anything else with content
                self.write(token.content)

    # -- the result -----------------------------------------------------------

    def result(self) -> tuple[str, list[Style]]:
        raw = "".join(self.parts)
        styles = self.styles
        text = normalize(raw)
        if text != raw:
            # Two pieces combined (a combining mark starting a styled piece):
            # map each style boundary into the normalized text.
            text, styles = _renormalize(raw, styles)
        # Blank space at either end is not kept, as for .txt files.
        lead = len(text) - len(text.lstrip())
        stripped = text.strip()
        end = len(stripped)
        clamped = []
        for s in styles:
            start, stop = min(max(s.start - lead, 0), end), min(max(s.end - lead, 0), end)
            if stop > start:
                clamped.append(Style(start, stop, s.kind, s.value))
        clamped.sort(key=lambda s: (s.start, -s.end))
        return stripped, clamped


def _plain(tokens: list[Token]) -> str:
    """The text of inline tokens without any markup (an image's alt text)."""
    out = []
    for token in tokens:
        if token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.children:
            out.append(_plain(token.children))
        else:
            out.append(token.content)
    return "".join(out)


def _renormalize(raw: str, styles: list[Style]) -> tuple[str, list[Style]]:
    """normalize(raw) with each style boundary mapped to where its text went.

    Normalization never acts across a line break, so the text is handled line
    by line; within a line that changed, a boundary b maps to the length of the
    normalized text before it (clamped to stay in order).
    """
    bounds = sorted({b for s in styles for b in (s.start, s.end)})
    mapping: dict[int, int] = {}
    out: list[str] = []
    out_len = 0
    line_start = 0
    i = 0
    for line in raw.split("\n"):
        line_end = line_start + len(line)
        normal = normalize(line)
        same = normal == line
        while i < len(bounds) and bounds[i] <= line_end:
            offset = bounds[i] - line_start
            local = offset if same else min(len(normalize(line[:offset])), len(normal))
            mapping[bounds[i]] = out_len + local
            i += 1
        out.append(normal)
        out_len += len(normal) + 1
        line_start = line_end + 1
    text = "\n".join(out)
    mapped = []
    for s in styles:
        start = mapping[s.start]
        mapped.append(Style(start, max(mapping[s.end], start), s.kind, s.value))
    return text, mapped
