"""An HTML page -> its article's reading text, block kinds and inline styles, and metadata.

trafilatura finds the main text of a news page (without navigation, share
buttons, "read more" links, comments or footers) and its metadata (JSON-LD,
Open Graph, meta tags); its XML output keeps headings, paragraphs, lists,
quotes, code, tables and inline emphasis and links, which are mapped here to
the same reading text and `Style` ranges as a Markdown file gets
(reader/text/markdown.py): blocks separated by a blank line (items of a list by
a line break), `heading` (level), `list_item` (marker), `quote`, `code_block`,
`em`, `strong`, `code`, `link` (URL).

Everything on a page is hostile: the text goes through normalize() like every
import, and every metadata value and link is cleaned to one short line.
"""

from __future__ import annotations

import codecs
import html as html_entities
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.errors import ReaderError
from reader.models import Style
from reader.text.normalize import DecodeError, decode, normalize
from reader.text.offsets import normalize_mapped

TITLE_MAX = 300
NAME_MAX = 200  # a site's or an author's name
URL_MAX = 2000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Character references to what normalize() removes from text (C0/C1 controls,
# bidi overrides): lxml would decode them into the tree, and trafilatura's XML
# output then fails on the control characters. They are decoded before the page
# is normalized, so that "&#x1b;[31m" goes as a whole escape sequence.
_CONTROL_REF = re.compile(r"&#(?:[xX]0*(?P<hex>[0-9a-fA-F]{1,8})|0*(?P<dec>[0-9]{1,10}));?")
# <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=...">,
# looked for where browsers look: in the first bytes of the page.
_META = re.compile(rb"<meta[^>]{0,500}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.I)
_META_WINDOW = 4096
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_TAG = re.compile(r"<[^>]{0,2000}>")
_BLOCKS = {"p", "head", "list", "quote", "code", "table"}
_BLOCK_KINDS = {"heading", "list_item", "quote", "code_block"}
_INLINE = {"#i": "em", "#b": "strong", "#t": "code", "#u": "em"}


class HtmlError(ReaderError):
    """A page with no article text to be found; no file name inside."""


@dataclass
class ParsedHtml:
    text: str
    styles: list[Style] = field(default_factory=list)
    # title, source, author, date (YYYY-MM-DD) and url, cleaned; absent when unknown
    metadata: dict[str, str] = field(default_factory=dict)


def decode_html(data: bytes, name: str, declared: str | None = None) -> str:
    """A page's bytes as text: a BOM, else the charset the server declared, else
    the one the page declares in a <meta> tag, else UTF-8. Raises DecodeError."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, name)
    charset = declared or _meta_charset(data[:_META_WINDOW])
    if charset is None or charset.lower().replace("_", "-") in ("utf-8", "utf8"):
        return decode(data, name)
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        shown = clean_line(charset, 40)
        raise DecodeError(f"{name}: declares an unknown charset {shown!r}") from None
    if b"\x00" in data and not codec.name.startswith("utf-16"):
        raise DecodeError(f"{name}: contains NUL bytes, so it is binary, not text")
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"{name}: not valid {codec.name} text as it declares (byte 0x{data[exc.start]:02x} "
            f"at offset {exc.start})"
        ) from None


def _meta_charset(head: bytes) -> str | None:
    m = _META.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def parse_html(page: str, url: str | None = None) -> ParsedHtml:
    """The article in a decoded HTML page; url (where it was fetched) resolves links.

    Raises HtmlError when the page has no article text.
    """
    import trafilatura  # here: 150 ms to import, needed only for web pages
    from lxml import etree

    page = normalize(_CONTROL_REF.sub(_decode_control_ref, page))
    xml = trafilatura.extract(
        page,
        url=url,
        output_format="xml",
        include_formatting=True,
        include_links=True,
        include_comments=False,
        include_images=False,
        with_metadata=True,
    )
    if not xml:
        raise HtmlError("no article text found in the page")
    try:
        doc = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:  # not expected from trafilatura; never a traceback
        raise HtmlError(f"the page could not be read ({exc})") from None
    base = _clean_url(doc.get("url")) or (_clean_url(url) if url else None)
    builder = _Builder(base)
    main = doc.find("main")
    if main is not None:
        builder.blocks(main)
    text, styles = builder.result()
    if not text:
        raise HtmlError("no article text found in the page")
    return ParsedHtml(text, styles, _metadata(doc.attrib, base))


def _decode_control_ref(m: re.Match[str]) -> str:
    code = int(m.group("hex"), 16) if m.group("hex") else int(m.group("dec"))
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return ""  # no such character
    char = chr(code)
    # Only what normalize() removes is decoded: other references stay markup.
    return char if char not in "\t\n" and normalize(char) != char else m.group(0)


# -- metadata ---------------------------------------------------------------


def _metadata(attrib: Any, base: str | None) -> dict[str, str]:
    found = {
        "title": clean_line(attrib.get("title"), TITLE_MAX),
        "source": clean_line(attrib.get("sitename"), NAME_MAX),
        "author": clean_line(attrib.get("author"), NAME_MAX),
        "date": _clean_date(attrib.get("date")),
        "url": base,
    }
    return {key: value for key, value in found.items() if value}


def clean_line(value: object, limit: int) -> str | None:
    """A metadata value as one short line of plain text: markup, entities,
    escape sequences, controls and bidi overrides out, at most `limit` code points."""
    if value is None:
        return None
    text = _TAG.sub(" ", str(value))
    text = html_entities.unescape(text)
    text = " ".join(normalize(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def _clean_date(value: object) -> str | None:
    text = clean_line(value, 40)
    return text[:10] if text and _ISO_DATE.match(text) else None


def _clean_url(value: object) -> str | None:
    """An http(s) URL, on one line, of a sensible length; else None."""
    text = clean_line(value, URL_MAX + 1)
    if not text or len(text) > URL_MAX or " " in text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


# -- the XML tree -> text and styles ----------------------------------------


class _Builder:
    """Appends text, collapsing HTML white space, and records where styles go."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.parts: list[str] = []
        self.pos = 0
        self.styles: list[Style] = []
        self.started = False  # a block has been written
        self.at_start = True  # nothing but white space in the current block yet

    # -- writing ----------------------------------------------------------

    def write(self, piece: str | None, literal: bool = False) -> None:
        if not piece:
            return
        if not literal:
            piece = _HTML_SPACE.sub(" ", piece)
            if self.at_start or (self.parts and self.parts[-1].endswith((" ", "\n"))):
                piece = piece.lstrip(" ")
        if piece:
            self.parts.append(piece)
            self.pos += len(piece)
            self.at_start = False

    def new_block(self, tight: bool = False) -> None:
        self._trim()
        if self.started and not self.at_start:
            self.write("\n" if tight else "\n\n", literal=True)
        self.started = True
        self.at_start = True

    def _trim(self) -> None:
        """No white space at the end of a block."""
        while self.parts and self.parts[-1].endswith(" "):
            last = self.parts.pop()
            kept = last.rstrip(" ")
            self.pos -= len(last) - len(kept)
            if kept:
                self.parts.append(kept)

    def style(self, start: int, kind: str, value: str | int | None = None) -> None:
        if kind in _BLOCK_KINDS:
            self._trim()  # a block's style ends with its text
        if self.pos > start:
            self.styles.append(Style(start, self.pos, kind, value))

    # -- walking ----------------------------------------------------------

    def blocks(self, parent: Any) -> None:
        """The block children of parent (text between them is layout, not content)."""
        for child in parent:
            tag = child.tag
            if tag == "head":
                self.new_block()
                start = self.pos
                self.inline(child)
                level = str(child.get("rend") or "h2").lstrip("hH")
                self.style(start, "heading", int(level) if level.isdigit() else 2)
            elif tag == "p":
                self.new_block()
                self.inline(child)
            elif tag == "list":
                self.items(child)
            elif tag == "quote":
                self.new_block()
                start = self.pos
                if any(grandchild.tag in _BLOCKS for grandchild in child):
                    self.blocks(child)  # its paragraphs, lists...
                else:
                    self.inline(child)
                self.style(start, "quote")
            elif tag == "code":
                self.new_block()
                start = self.pos
                self.write("".join(child.itertext()).strip("\n"), literal=True)
                self.style(start, "code_block")
            elif tag == "table":
                self.table(child)
            elif tag not in ("graphic", "lb"):
                self.new_block()
                self.inline(child)

    def items(self, listing: Any, nested: bool = False) -> None:
        ordered = listing.get("rend") == "ol"
        number = 0
        for item in listing:
            if item.tag != "item":
                continue
            number += 1
            self.new_block(tight=nested or number > 1)
            start = self.pos
            inner = [child for child in item if child.tag == "list"]
            self.inline(item, skip=inner)
            self.style(start, "list_item", f"{number}." if ordered else "•")
            for child in inner:
                self.items(child, nested=True)

    def table(self, table: Any) -> None:
        rows = [row for row in table if row.tag == "row"]
        for i, row in enumerate(rows):
            self.new_block(tight=i > 0)
            for j, cell in enumerate(c for c in row if c.tag == "cell"):
                if j:
                    self.write(" | ", literal=True)
                self.inline(cell)

    def inline(self, element: Any, skip: list[Any] | None = None) -> None:
        self.write(element.text)
        for child in element:
            if skip and child in skip:
                self.write(child.tail)
                continue
            tag = child.tag
            start = self.pos
            if tag == "lb":
                self._trim()
                self.write("\n", literal=True)
            else:  # inline styles; a block inside a paragraph gives its text, inline
                self.inline(child)
                if tag == "hi":
                    kind = _INLINE.get(str(child.get("rend") or ""))
                    if kind:
                        self.style(start, kind)
                elif tag == "code":
                    self.style(start, "code")
                elif tag == "ref":
                    self.style(start, "link", self._link(child.get("target")))
            self.write(child.tail)

    def _link(self, target: object) -> str | None:
        if not target:
            return None
        text = clean_line(target, URL_MAX + 1)
        if not text:
            return None
        return _clean_url(urljoin(self.base, text) if self.base else text)

    # -- the result -------------------------------------------------------

    def result(self) -> tuple[str, list[Style]]:
        self._trim()
        raw = "".join(self.parts)
        text, where = normalize_mapped(raw)
        styles = []
        for s in self.styles:
            start, end = where(s.start), where(s.end)
            if end > start:
                styles.append(Style(start, end, s.kind, s.value))
        styles.sort(key=lambda s: (s.start, -s.end))
        return text, styles
