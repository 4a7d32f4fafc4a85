"""The cue lists of suggested tags: read from TOML, and found in a text.

`reader/data/cues.toml` (in the wheel) is the default; its header says the format.
Cues given as `words` are looked up in one tokenising pass over the text (a dict
lookup per word); `pattern` cues run one regular expression each. The split
matters: a pattern of thirty alternatives costs Python's `re` about 0.3 ms per
5 KB, since it tries each at every position, and a word list costs next to
nothing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from reader.errors import ReaderError

# A word for lookups: hyphenated words whole ("game-changer", "jaw-dropping").
_TOKEN = re.compile(r"\w+(?:-\w+)*")
_ONE_WORD = re.compile(r"\w+(?:-\w+)*\Z")

Match = tuple[int, int, int]  # start, end, index of the cue


@dataclass(frozen=True)
class Cue:
    """Words or a pattern (or both) that support one label."""

    name: str
    label: str
    weight: float
    words: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    case: bool = False


class CueSet:
    """Cues in file order, with the lookups that find them in a text."""

    def __init__(self, cues: tuple[Cue, ...]) -> None:
        self.cues = cues
        self._exact: dict[str, list[int]] = {}
        self._folded: dict[str, list[int]] = {}
        self._patterns: list[tuple[int, re.Pattern[str]]] = []
        for index, cue in enumerate(cues):
            table = self._exact if cue.case else self._folded
            for word in cue.words:
                table.setdefault(word if cue.case else word.lower(), []).append(index)
            if cue.pattern is not None:
                self._patterns.append((index, cue.pattern))

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def __len__(self) -> int:
        return len(self.cues)

    def __getitem__(self, index: int) -> Cue:
        return self.cues[index]

    def matches(self, text: str, start: int, end: int) -> list[Match]:
        """(start, end, cue index) of every cue found in text[start:end], sorted."""
        found: list[Match] = []
        exact, folded = self._exact, self._folded
        for m in _TOKEN.finditer(text, start, end):
            word = m.group()
            for index in exact.get(word, ()):
                found.append((m.start(), m.end(), index))
            for index in folded.get(word.lower(), ()):
                found.append((m.start(), m.end(), index))
        for index, pattern in self._patterns:
            found.extend((m.start(), m.end(), index) for m in pattern.finditer(text, start, end))
        found = [m for m in found if m[1] > m[0]]
        found.sort()
        return found


def load_cues(path: Path | None = None) -> CueSet:
    """The package's cue lists, or those of a TOML file in the same shape."""
    if path is None:
        return _default_cues()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReaderError(f"cannot read the cues in {path}: {exc}") from None
    return parse_cues(data, str(path))


@lru_cache(maxsize=1)
def _default_cues() -> CueSet:
    source = resources.files("reader").joinpath("data", "cues.toml")
    return parse_cues(tomllib.loads(source.read_text(encoding="utf-8")), "reader/data/cues.toml")


def parse_cues(data: Mapping[str, Any], where: str) -> CueSet:
    """Cues from parsed TOML: {label: {"cues": [{name, weight, words?, pattern?, case?}]}}."""
    cues: list[Cue] = []
    seen: set[str] = set()
    for label, section in data.items():
        if not isinstance(section, Mapping):
            raise ReaderError(f"{where}: [{label}] is not a table of cues")
        for entry in section.get("cues", []):
            cue = _cue(label, entry, where)
            if cue.name in seen:
                raise ReaderError(f"{where}: the cue name {cue.name!r} is used twice")
            seen.add(cue.name)
            cues.append(cue)
    return CueSet(tuple(cues))


def _cue(label: str, entry: Mapping[str, Any], where: str) -> Cue:
    try:
        name = str(entry["name"])
        weight = float(entry["weight"])
    except (KeyError, TypeError, ValueError):
        raise ReaderError(f"{where}: a cue of {label} needs a name and a weight") from None
    if not 0.0 <= weight <= 1.0:
        raise ReaderError(f"{where}: cue {name!r} has weight {weight}, not in [0, 1]")
    case = bool(entry.get("case", False))
    words = [str(word) for word in entry.get("words", [])]
    source = entry.get("pattern")
    if not words and not source:
        if _ONE_WORD.match(name):
            words = [name]
        else:
            source = _phrase_pattern(name)
    pattern = None
    if source:
        try:
            pattern = re.compile(source, 0 if case else re.IGNORECASE)
        except re.error as exc:
            raise ReaderError(f"{where}: cue {name!r}: bad pattern ({exc})") from None
    return Cue(name, label, weight, frozenset(words), pattern, case)


def _phrase_pattern(phrase: str) -> str:
    """Whole words, any white space between them, either apostrophe."""
    words = [re.sub("['’]", "['’]", re.escape(word)) for word in phrase.split()]
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
