"""Title, source, date and url of an article, guessed from its text.

Pure functions: the text is never changed, nothing is stored. Front matter
(from a Markdown file) wins over every guess. The rules are deliberately
general (no per-site cases): copy-pasted news pages start with navigation
crumbs, dates and bylines, and end with boilerplate naming the outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from reader.text.sanitize import clean_line, shorten

TITLE_MAX = 120  # a first line longer than this is a paragraph, not a title
SHORT_TITLE = 100  # a sentence used as the title is cut to about this
# Only the first and last lines of a text are searched: that is where pages
# put their date and outlet, and it keeps a 20 MB file from costing seconds.
FIRST_LINES = 20
LAST_LINES = 10
HEADER_LINES = 15  # lines looked at for a title, after skipping navigation
EDGE_LINES = 8  # first / last lines looked at for a site name or an url
EDGE_LINE_MAX = 300  # longer edge lines are article text, not a footer or site name
DATE_LINE_MAX = 80
# A publication date sits near the top or at the very end; a date in the
# middle of the text is something the article talks about.
DATE_HEAD = 1_500
DATE_TAIL = 500

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTHS = {
    name: i + 1
    for i, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DATE = re.compile(
    r"(?<![\d.])(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\d])"
    rf"|\b(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})\b"
    rf"|\b(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m3>{_MONTH})\.?,?\s+(?P<y3>\d{{4}})\b"
)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DATE_REACH = 24  # characters between a year and the start or end of its date
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?")
# What may sit beside a date on a date line: labels, weekdays, time zones (UTC, ET).
_DATE_WORDS = re.compile(
    r"\b(?:(?i:published|updated|posted|modified|date|on|at|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)|[A-Z]{2,4})\b"
)
# Navigation: bullets, pipes and arrows at the start of a line, breadcrumbs.
_NAV_START = re.compile(r"^[•·▪▫◦‣►▸▹›»|>*\-–—]+\s*")
_CRUMB = re.compile(r"\s(?:>|›|»|/|\||·|•)\s")
_NAV_WORDS = frozenset(
    "home menu posts news share search subscribe sign in log login skip to content "
    "advertisement read more follow us main navigation".split()
)
_BYLINE = re.compile(r"^(?:by|written by|words by)\s+\S", re.IGNORECASE)
# "By Jane Doe and John Roe | Reuters", "By Jane Doe, Staff Writer · 22 Jan 2025":
# the names, up to a separator, a date or the end of the line.
_BYLINE_NAMES = re.compile(
    r"^\W*(?i:by|written by|words by)\s+(?P<names>[^|·•—–\n\d]{2,120}?)\s*(?:[|·•—–\d]|$)"
)
AUTHOR_MAX = 200
_FRONT_AUTHOR = ("author", "authors", "byline", "creator", "by")
_LABEL_LINE = re.compile(
    r"^\W*(?:(?:image|photo|video)\s+)?(?:source|credit|via|url|link|tags?)\s*:", re.IGNORECASE
)
# A "Source: Outlet https://..." line (not "Image Source:", a picture's credit).
_SOURCE_LINE = re.compile(
    r"[^\w\n]*(?:source|via|originally published (?:on|at|by|in))\s*:\s*(?P<rest>.+)",
    re.IGNORECASE,
)
_URL_LINE = re.compile(
    r"^[^\w\n]*(?:(?:url|link|canonical|original)\s*:\s*)?(?P<url>https?://\S+)\s*$",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://[^\s<>\"“”')\]]+")
_SITE = re.compile(
    r"(?<![\w@/.])(?P<site>[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*"
    r"\.(?:com|net|org|news|io|ai|co|info|tech|media|co\.uk|com\.au|in))\b(?!\.\w)"
)
_OUTLET = r"(?P<outlet>(?:The\s+)?[A-Z][\w&’'-]*(?:\s+[A-Z][\w&’'-]*){0,3})"
# Boilerplate footers: "latest news updates on Live Mint", "© 2025 Reuters".
# Keywords ignore case; the outlet must be capitalised.
_FOOTERS = (
    re.compile(
        r"\b(?i:news|updates|stories|coverage|articles)\b[^.\n]{0,60}?\b(?i:on|from|at)\s+"
        + _OUTLET
    ),
    re.compile(r"(?:©|\((?i:c)\)|(?i:copyright))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?" + _OUTLET),
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt co corp inc ltd llc plc vs etc no gen gov sen rep rev "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig approx est dept univ".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u00c0-\uffff])")


@dataclass(frozen=True)
class Metadata:
    title: str
    source: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    url: str | None = None
    author: str | None = None  # a byline's names, one line


def guess_metadata(
    text: str, front: Mapping[str, Any] | None = None, fallback_title: str = ""
) -> Metadata:
    """Front matter values where given, else guesses from the text."""
    front = front or {}
    first = [line for line in _lines(text, FIRST_LINES) if len(line) <= EDGE_LINE_MAX]
    last = _last_lines(text, LAST_LINES)
    title = _front_str(front, "title") or guess_title(text) or fallback_title
    source_line = find_source_line(first + last)
    url = _front_str(front, "url", "link", "canonical_url", "canonical") or (
        source_line[1] if source_line else None
    )
    url = url or _edge_url(first[:EDGE_LINES] + last[-EDGE_LINES:])
    source = (
        _front_str(front, "source", "publisher", "outlet", "site", "site_name")
        or (source_line[0] if source_line else None)
        or guess_source(first, last)
        or (_host(url) if url else None)
    )
    published = (
        _front_date(front)
        or find_date(text[:DATE_HEAD])
        or (find_date(text[-DATE_TAIL:]) if len(text) > DATE_HEAD else None)
    )
    author = _front_author(front) or guess_author(first[:HEADER_LINES] + last)
    return Metadata(title=title, source=source, published=published, url=url, author=author)


# -- author -----------------------------------------------------------------


def guess_author(lines: list[str]) -> str | None:
    """The names of the first byline ("By Jane Doe | Reuters"), if a line is one."""
    for line in lines:
        m = _BYLINE_NAMES.match(line.strip())
        if m:
            names = m.group("names").strip(" ,;:")
            if _names_people(names):
                return clean_line(names)[:AUTHOR_MAX] or None
    return None


def _names_people(names: str) -> bool:
    """A few capitalised names ("Jane Doe and John de Roe"), not a sentence that
    starts with "By" ("By contrast, analysts expect...")."""
    words = names.replace(",", " ").split()
    if not words or len(words) > 12 or names.endswith("."):
        return False
    linking = {"and", "&", "de", "van", "von", "der", "da", "di", "la", "le", "bin", "al"}
    return all(w[0].isupper() or w.lower() in linking for w in words)


def _front_author(front: Mapping[str, Any]) -> str | None:
    """`author: Jane Doe`, a list of names, or {name: ...} entries, as one line."""
    for key in _FRONT_AUTHOR:
        value = front.get(key)
        names = value if isinstance(value, list) else [value]
        found = [_author_name(v) for v in names]
        text = ", ".join(name for name in found if name)
        if text:
            return text[:AUTHOR_MAX]
    return None


def _author_name(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if value is None or isinstance(value, dict | list):
        return None
    return clean_line(value) or None


# -- title ------------------------------------------------------------------


def guess_title(text: str) -> str:
    """A short first line without a final period, else the first sentence, shortened."""
    candidate = None
    for raw in _lines(text, HEADER_LINES):
        if not is_noise_line(raw):
            candidate = raw.strip()
            break
    if candidate is None:  # nothing but navigation: use the first line, unmarked
        first = next(_lines(text, 1), "")
        candidate = _NAV_START.sub("", first.strip()).strip() or first.strip()
    if not any(ch.isalnum() for ch in candidate):
        return ""  # nothing to call it by: the caller's fallback (the file name)
    if looks_like_title(candidate):
        return candidate
    sentence = first_sentence(candidate)
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    return shorten(sentence, SHORT_TITLE)


def looks_like_title(line: str) -> bool:
    return (
        0 < len(line) <= TITLE_MAX
        and not line.endswith((".", ":", ",", ";"))
        and any(ch.isalpha() for ch in line)
    )


def is_noise_line(line: str) -> bool:
    """Navigation, breadcrumbs, dates, bylines and labels: never a title."""
    stripped = line.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return True
    if _NAV_START.match(stripped) or len(_CRUMB.findall(stripped)) >= 2:
        return True
    if is_date_line(stripped) or _BYLINE.match(stripped) or _LABEL_LINE.match(stripped):
        return True
    if _URL_LINE.match(stripped) or _SITE.fullmatch(stripped):
        return True
    words = stripped.lower().split()
    return len(words) <= 3 and all(w.strip(":|") in _NAV_WORDS for w in words)


def is_date_line(line: str) -> bool:
    """A line that holds a date and nothing else but times, weekdays and labels."""
    if len(line) > DATE_LINE_MAX or not _DATE.search(line):
        return False
    rest = _DATE_WORDS.sub(" ", _TIME.sub(" ", _DATE.sub(" ", line)))
    return not any(ch.isalnum() for ch in rest)


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph: cheap rules, not the full splitter."""
    for m in _SENTENCE_END.finditer(paragraph):
        end = m.start()
        if paragraph[end] == ".":
            word = re.search(r"[\w.]*$", paragraph[:end])
            token = word.group(0) if word else ""
            if (
                token.lower() in _ABBREVIATIONS
                or len(token) == 1
                or re.fullmatch(r"(?:\w\.)+\w", token)  # U.S., e.g.
                or (token.isdigit() and paragraph[m.end() : m.end() + 1].isdigit())
            ):
                continue
        return paragraph[: m.end()].rstrip()
    return paragraph


# -- date -------------------------------------------------------------------


def find_date(text: str) -> str | None:
    """The first valid date-like string, as YYYY-MM-DD."""
    # Every date has a four-digit year: look only around those, which is far
    # cheaper than running the full pattern at every position of the text.
    searched = 0
    for year in _YEAR.finditer(text):
        start = max(year.start() - _DATE_REACH, searched)
        end = year.end() + _DATE_REACH
        for m in _DATE.finditer(text, start, end):
            parsed = _date_of(m)
            if parsed is not None:
                return parsed.isoformat()
        searched = max(searched, year.end())
    return None


def _date_of(m: re.Match[str]) -> date | None:
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    else:
        y = int(m.group("y2") or m.group("y3"))
        d = int(m.group("d2") or m.group("d3"))
        mo = _MONTHS[(m.group("m2") or m.group("m3"))[:3].lower()]
    try:
        return date(y, mo, d) if 1800 <= y <= 2200 else None
    except ValueError:
        return None


# -- source and url ---------------------------------------------------------


def find_source_line(lines: list[str]) -> tuple[str | None, str | None] | None:
    """(name, url) from the first `Source:` line, or None when there is none."""
    m = next(filter(None, map(_SOURCE_LINE.match, lines)), None)
    if m is None:
        return None
    rest = m.group("rest")
    url_match = _URL.search(rest)
    url = url_match.group(0).rstrip(".,;:") if url_match else None
    name = _URL.sub(" ", rest)
    name = re.sub(r"\s+", " ", name).strip(" -–—|,:;()[]\t")
    if not name and url:
        name = _host(url) or ""
    return (name or None, url)


def guess_source(first: list[str], last: list[str]) -> str | None:
    """A site name in navigation lines, an outlet named in the footer, a site name."""
    for line in first:
        if line.strip() and is_noise_line(line):
            m = _SITE.search(line)
            if m:
                return m.group("site")
    for line in reversed(last):
        for footer in _FOOTERS:
            m = footer.search(line)
            if m:
                return re.sub(r"\s+", " ", m.group("outlet")).strip()
    for line in [*first, *reversed(last)]:
        m = _SITE.search(line)
        if m:
            return m.group("site")
    return None


def _edge_url(lines: list[str]) -> str | None:
    for line in lines:
        m = _URL_LINE.match(line.strip())
        if m:
            return m.group("url").rstrip(".,;:")
    return None


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


# -- helpers ----------------------------------------------------------------


def _lines(text: str, limit: int) -> Iterator[str]:
    """Non-empty lines from the start, without splitting the whole text."""
    start = 0
    found = 0
    while start < len(text) and found < limit:
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        line = text[start:end]
        if line.strip():
            found += 1
            yield line
        start = end + 1


def _last_lines(text: str, limit: int) -> list[str]:
    """Up to limit short lines from the end, in text order, without splitting it all."""
    start = max(len(text) - limit * (EDGE_LINE_MAX + 1), 0)
    lines = text[start:].split("\n")
    if start > 0 and text[start - 1] != "\n":
        lines = lines[1:]  # a piece of a longer line
    return [line for line in lines[-limit:] if line.strip() and len(line) <= EDGE_LINE_MAX]


def _front_str(front: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = front.get(key)
        if value is not None and not isinstance(value, dict | list):
            text = clean_line(value)
            if text:
                return text
    return None


def _front_date(front: Mapping[str, Any]) -> str | None:
    for key in ("date", "published", "pubdate", "published_at", "created"):
        value = front.get(key)
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str) and (found := find_date(value)):
            return found
    return None
