"""brat's standoff format: per article `ID.txt` and `ID.ann`, with `annotation.conf`.

A span is a text-bound annotation `T1<TAB>claim 0 46<TAB>its text`, its note
`#1<TAB>AnnotatorNotes T1<TAB>the note`. Offsets index the .txt file as brat reads
it (UTF-8, universal newlines), which is the article's text written as it is.
brat forbids a line break inside a fragment: a span over several lines is
written as fragments `0 10;11 20`, one per line, and read back as one span when
only white space lies between its fragments. brat notes are one line: line
breaks and tabs in a note become spaces (and say so).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path

from reader.errors import ReaderError
from reader.models import Annotation, Label
from reader.text.normalize import DecodeError, decode

from .common import ForeignDocument, ForeignSpan, Item, Units, Warn, read_bytes, write_chunks


def export(items: Iterable[Item], folder: Path, labels: list[Label], units: str, warn: Warn) -> int:
    """Write the folder; the number of annotations written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ReaderError(f"cannot write into {folder}: it is not a folder (brat writes one)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReaderError(f"cannot create {folder}: {exc.strerror or exc}") from None
    count = 0
    for item in items:
        name = item.article.id
        write_chunks(folder / f"{name}.txt", [item.article.text.encode("utf-8")])
        write_chunks(folder / f"{name}.ann", [ann(item, units, warn).encode("utf-8")])
        count += len(item.annotations)
    write_chunks(folder / "annotation.conf", [annotation_conf(labels)])
    write_chunks(folder / "visual.conf", [visual_conf(labels)])
    return count


def ann(item: Item, units: str, warn: Warn) -> str:
    """The .ann file of one article."""
    text = item.article.text
    where = Units(text, units)
    lines = []
    notes = 0
    for number, a in enumerate(item.annotations, 1):
        fragments = _fragments(text, a.start, a.end)
        if (fragments[0][0], fragments[-1][1]) != (a.start, a.end):
            warn(f"annotation {a.id}: the line breaks at its ends are left out (brat)")
        offsets = ";".join(f"{where.out(s)} {where.out(e)}" for s, e in fragments)
        quoted = " ".join(text[s:e] for s, e in fragments)  # brat joins fragments so
        lines.append(f"T{number}\t{a.label} {offsets}\t{quoted}")
        if a.note:
            notes += 1
            lines.append(f"#{notes}\tAnnotatorNotes T{number}\t{_one_line(a, warn)}")
    return "".join(line + "\n" for line in lines)


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at every line break, the breaks left out."""
    pieces, at = [], start
    while at < end:
        stop = text.find("\n", at, end)
        stop = end if stop < 0 else stop
        if stop > at:
            pieces.append((at, stop))
        at = stop + 1
    return pieces or [(start, end)]  # a span of line breaks only: kept whole


def _one_line(a: Annotation, warn: Warn) -> str:
    note = a.note or ""
    flat = " ".join(note.replace("\t", " ").splitlines())
    if flat != note:
        warn(f"annotation {a.id}: line breaks and tabs in its note written as spaces (brat)")
    return flat


def annotation_conf(labels: Iterable[Label]) -> bytes:
    sections = [
        "[entities]",
        *(label.name for label in labels),
        "",
        "[relations]",
        "",
        "[events]",
        "",
        "[attributes]",
        "",
    ]
    return "\n".join(sections).encode("utf-8")


def visual_conf(labels: Iterable[Label]) -> bytes:
    labels = list(labels)
    lines = [
        "[labels]",
        *(f"{label.name} | {label.name.capitalize()}" for label in labels),
        "",
        "[drawing]",
        *(f"{label.name}\tbgColor:{label.color}" for label in labels),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


# -- reading --------------------------------------------------------------


def read(path: Path, units: str = "codepoints") -> list[ForeignDocument]:
    """A folder of .ann/.txt pairs (searched recursively), or one .ann file."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.ann") if p.is_file())
        if not files:
            raise ReaderError(f"{path}: no .ann files in the folder")
    elif path.suffix == ".ann" or path.with_suffix(".ann").is_file():
        files = [path.with_suffix(".ann")]
    else:
        raise ReaderError(f"{path}: not a brat folder or .ann file")
    return [_document(file, units) for file in files]


def _document(path: Path, units: str) -> ForeignDocument:
    where = str(path)
    try:
        text = decode(read_bytes(path.with_suffix(".txt")), path.with_suffix(".txt").name)
        source = decode(read_bytes(path), path.name)
    except (ReaderError, DecodeError) as exc:
        return ForeignDocument(where, None, problem=str(exc))
    # brat reads its files with universal newlines: offsets count "\r\n" as one.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = ForeignDocument(where, text)
    spans: dict[str, ForeignSpan] = {}
    notes: dict[str, list[str]] = {}
    ignored = 0
    for number, line in enumerate(source.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        here = f"{path}:{number}"
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            spans[ident] = _text_bound(here, rest, text, Units(text, units))
        elif ident.startswith("#") and rest.startswith("AnnotatorNotes "):
            target, _, note = rest[len("AnnotatorNotes ") :].partition("\t")
            notes.setdefault(target.strip(), []).append(note)
        else:
            ignored += 1
    if ignored:
        doc.notices.append(
            f"{path}: {ignored} relation, event, attribute or other lines ignored "
            "(only text-bound annotations are imported)"
        )
    for ident, span in spans.items():
        joined = "\n".join(notes.get(ident, [])) or None
        doc.spans.append(ForeignSpan(**{**span.__dict__, "note": joined}))
    return doc


def _text_bound(where: str, rest: str, text: str, units: Units) -> ForeignSpan:
    """A T line's span (its problem said, when it cannot be one span)."""
    head, _, quote = rest.partition("\t")
    label, _, offsets = head.partition(" ")
    fragments = []
    for piece in offsets.split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(n.isdigit() for n in numbers):
            problem = f"offsets {offsets[:40]!r} are not `start end[;start end...]`"
            return ForeignSpan(None, None, label, where=where, problem=problem)
        fragments.append((int(numbers[0]), int(numbers[1])))
    fragments.sort()
    for (_, end), (start, _) in itertools.pairwise(fragments):
        gap = text[units.back(end) or 0 : units.back(start) or 0]
        if gap.strip() or units.back(end) is None or units.back(start) is None:
            problem = "a discontinuous annotation (text between its fragments) is not one span"
            return ForeignSpan(None, None, label, where=where, problem=problem)
    single = len(fragments) == 1
    return ForeignSpan(
        fragments[0][0], fragments[-1][1], label, quote=quote if single else None, where=where
    )
