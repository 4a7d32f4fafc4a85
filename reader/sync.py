"""Team work through files: each annotator's own JSONL out, everyone else's in.

A workspace is a folder with `annotations/` (reader/paths.py) and, beside it,
`articles/` with the source texts. `sync`:

1. imports what is new in `articles/` (importing is idempotent);
2. merges every `annotations/*.jsonl`, taking from each file only the
   annotations of the annotator it is named for (others are reported and left),
   one's own file included (the same person on another machine);
3. writes `annotations/<annotator>.jsonl`: that annotator's annotations, deleted
   ones (tombstones) included, sorted, the same bytes for the same data; written
   atomically and only when the bytes differ, so `git status` stays clean.

Nothing is dropped: an annotation whose article is not here (or that cannot be
placed for another reason) is reported and stays in its file; in one's own file,
such lines, and lines of other annotators, are carried into the new file as
they were.

File names: `annotator_file_name` turns an annotator's name into a file name.
`annotations/reader.toml` holds the workspace's settings: `sync = "auto"` makes
the TUI sync when it starts and when it quits.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reader.errors import ReaderError
from reader.exporting import export_bytes
from reader.files import write_output
from reader.merging import MergeReport, merge
from reader.paths import DB_NAME
from reader.store import Store

SETTINGS_NAME = "reader.toml"
ARTICLES_DIR = "articles"
SUFFIX = ".jsonl"
NAME_MAX = 64  # characters of a file name's stem
SYNC_MODES = ("manual", "auto")
_WINDOWS_DEVICES = {
    "con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))
}  # fmt: skip
_GITIGNORE = "# reader's database stays on each machine; the .jsonl files are shared\nreader.db*\n"


# -- names and settings ------------------------------------------------------------


def annotator_file_name(annotator: str) -> str:
    """`<name>.jsonl` for an annotator, safe on every file system. The rule:

    1. NFC, then lower case (so "Ana" and "ana" get the same file everywhere, not
       only where the file system ignores case);
    2. letters, digits, combining marks, "-", "_" and "." are kept; every run of
       other characters (spaces, "/", "\\", ":", controls, bidi controls, emoji...)
       becomes one "-";
    3. "-", "_" and "." are taken off both ends (no hidden files, no "..");
    4. at most 64 characters; nothing left gives "annotator";
    5. a Windows device name (con, nul, com1, ...) gets a "_" appended.

    Different names can give the same file ("Ana Lopez", "ana-lopez"); sync then
    reads that file for both and reports it.
    """
    lowered = unicodedata.normalize("NFC", unicodedata.normalize("NFC", annotator).lower())
    parts: list[str] = []
    for ch in lowered:
        if ch.isalnum() or ch in "-_." or unicodedata.category(ch).startswith("M"):
            parts.append(ch)
        elif not parts or parts[-1] != "-":
            parts.append("-")
    stem = "".join(parts).strip("-_.")[:NAME_MAX].strip("-_.") or "annotator"
    if stem.split(".")[0] in _WINDOWS_DEVICES:
        stem += "_"
    return stem + SUFFIX


def _named_for(annotator: Any, stem: str) -> bool:
    return isinstance(annotator, str) and annotator_file_name(annotator) == stem + SUFFIX


@dataclass
class Settings:
    sync: str = "manual"
    problems: list[str] = field(default_factory=list)


def read_settings(annotations_dir: Path) -> Settings:
    """The workspace's `annotations/reader.toml`; a missing file means the defaults,
    a bad one the defaults and one line saying why."""
    import tomllib

    path = Path(annotations_dir) / SETTINGS_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(problems=[f"{path}: cannot be read ({exc}); using the defaults"])
    settings = Settings()
    mode = data.get("sync", "manual")
    if mode in SYNC_MODES:
        settings.sync = mode
    else:
        settings.problems.append(
            f"{path}: sync = {mode!r} is not one of {', '.join(map(repr, SYNC_MODES))}; "
            "using 'manual'"
        )
    return settings


def auto_sync_folder(db_path: Path) -> Path | None:
    """The workspace's annotations/ folder when the TUI should sync it: the database
    is that workspace's own and its settings file exists. Cheap (a stat or two):
    reader.launch asks before every start of the TUI."""
    folder = Path(db_path).parent
    if Path(db_path).name != DB_NAME or not (folder / SETTINGS_NAME).is_file():
        return None
    return folder


# -- reports -----------------------------------------------------------------------


@dataclass
class FileReport:
    """What sync did with one annotations/*.jsonl."""

    path: str  # as shown: relative to the workspace
    merged: MergeReport | None = None
    others: Counter[str] = field(default_factory=Counter)  # left: annotator -> count
    error: str | None = None

    def line(self) -> str:
        if self.error is not None:
            return f"not merged {self.path}: {self.error}"
        text = f"merged {self.path}: {self.merged.summary() if self.merged else 'nothing'}"
        if self.others:
            names = ", ".join(f"{name} {count}" for name, count in sorted(self.others.items()))
            text += f"; left, not by the annotator the file is named for: {names}"
        return text


@dataclass
class SyncReport:
    imported: int = 0
    present: int = 0
    import_problems: list[str] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    own: str = ""
    own_written: bool = False
    own_lines: int = 0
    kept: int = 0  # own-file lines carried over as they were
    notes: list[str] = field(default_factory=list)  # said once, not a failure

    @property
    def failed(self) -> bool:
        return bool(self.import_problems) or any(f.error for f in self.files)

    def problems(self) -> list[str]:
        """Lines for stderr: what could not be imported, merged or placed."""
        lines = list(self.import_problems)
        for report in self.files:
            if report.error is not None:
                lines.append(f"{report.path}: {report.error}")
            elif report.merged is not None:
                lines.extend(f"{p} (it stays in its file)" for p in report.merged.problems)
        return lines

    def summary(self) -> list[str]:
        """Lines for stdout."""
        lines = [f"articles: {self.imported} imported, {self.present} already present"]
        lines.extend(report.line() for report in self.files)
        kept = f", {self.kept} kept as they were" if self.kept else ""
        if self.own and not self.own_lines:
            lines.append(f"nothing to write to {self.own} yet")
        elif self.own and self.own_written:
            lines.append(f"wrote {self.own} ({_lines(self.own_lines)}{kept})")
        elif self.own:
            lines.append(f"{self.own} unchanged ({_lines(self.own_lines)}{kept})")
        lines.extend(self.notes)
        return lines


def _lines(count: int) -> str:
    return f"{count} line{'' if count == 1 else 's'}"


# -- sync --------------------------------------------------------------------------


def sync_workspace(store: Store, annotator: str, annotations_dir: Path) -> SyncReport:
    """Import new articles, merge every annotator file, write one's own (see above).
    A file that cannot be read or is malformed is reported and left; if it is
    one's own, it is not rewritten either."""
    folder = Path(annotations_dir)
    root = folder.parent
    report = SyncReport()
    _ensure_gitignore(folder, root, report)
    _import_articles(store, root / ARTICLES_DIR, root, report)
    own_name = annotator_file_name(annotator)
    own_path = folder / own_name
    report.own = _shown(own_path, root)
    own_lines: list[tuple[bytes, dict[str, Any] | None]] | None = []
    signers = [name for name, _ in store.annotation_counts("annotator")]
    for path in _annotator_files(folder):
        names = [annotator] if path.name == own_name else None
        names = names or [n for n in signers if annotator_file_name(n) == path.name]
        current = _holds_exactly(store, path, names) if names else None
        if current is not None:  # merging it would change nothing: spare the work
            report.files.append(FileReport(_shown(path, root), MergeReport(unchanged=current)))
            if path.name == own_name:
                own_lines = None
                report.own_lines = current
            continue
        file_report, lines = _merge_named(store, path, _shown(path, root))
        report.files.append(file_report)
        if path.name == own_name:
            own_lines = None if file_report.error else lines
    if own_lines is None:
        return report  # the own file is current, or unreadable or malformed: left as it is
    stem = own_name[: -len(SUFFIX)]
    clashes = sorted(
        {
            value["annotator"]
            for _, value in own_lines
            if value is not None
            and value.get("annotator") != annotator
            and _named_for(value.get("annotator"), stem)
        }
    )
    if clashes:
        report.notes.append(
            f"{report.own}: {', '.join(map(repr, clashes))} give the same file name as "
            f"{annotator!r}; their lines are kept, but use distinct names"
        )
    kept = _foreign_lines(store, annotator, own_lines)
    report.kept = len(kept)
    written, count = _write_own(store, annotator, own_path, kept)
    report.own_written, report.own_lines = written, count
    return report


def _ensure_gitignore(folder: Path, root: Path, report: SyncReport) -> None:
    """annotations/.gitignore, made once: `git add annotations` must never take the
    database (a binary file git cannot merge), and git keeps the folder through it."""
    path = folder / ".gitignore"
    if path.exists() or path.is_symlink():
        return
    with contextlib.suppress(OSError):
        path.write_text(_GITIGNORE, encoding="utf-8")
        report.notes.append(f"wrote {_shown(path, root)} (keeps {DB_NAME} out of git)")


def _shown(path: Path | str, root: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(Path(path).relative_to(root))
    return str(path)


def _import_articles(store: Store, folder: Path, root: Path, report: SyncReport) -> None:
    if not folder.is_dir():
        return
    from reader.importing import import_paths  # the text pipeline loads only when needed

    for result in import_paths(store, [folder]):
        if result.status == "imported":
            report.imported += 1
        elif result.status == "present":
            report.present += 1
        elif result.path != folder:  # an empty articles/ folder is no failure
            report.import_problems.append(f"{_shown(result.path, root)}: {result.message}")


class _Differs(Exception):
    pass


class _Compare:
    """A binary stream that checks what is written against a file, stopping at the
    first difference (the export is then abandoned, not finished)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    def write(self, chunk: bytes | memoryview) -> int:
        data = bytes(chunk)
        if self._handle.read(len(data)) != data:
            raise _Differs
        return len(data)


def _holds_exactly(store: Store, path: Path, names: list[str]) -> int | None:
    """The line count when `path` holds exactly the bytes this database would write
    for `names` (then every record in it is already here, as it is); else None."""
    try:
        with path.open("rb") as handle:
            try:
                count = export_bytes(
                    store, _Compare(handle), include_deleted=True, annotators=names
                )
            except _Differs:
                return None
            return None if handle.read(1) else count
    except OSError:
        return None


def _annotator_files(folder: Path) -> list[Path]:
    """annotations/*.jsonl, regular files only, hidden ones left out, sorted."""
    found = []
    for path in folder.glob(f"*{SUFFIX}"):
        if not path.name.startswith(".") and path.is_file():
            found.append(path)
    return sorted(found)


def _read_lines(path: Path) -> list[tuple[bytes, dict[str, Any] | None]]:
    """Each line of a file, with its JSON object when it is one (None otherwise)."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = []
    for raw in data.split(b"\n"):
        value = None
        with contextlib.suppress(ValueError, RecursionError):
            value = json.loads(raw)
        lines.append((raw, value if isinstance(value, dict) else None))
    return lines


def _merge_named(
    store: Store, path: Path, shown: str
) -> tuple[FileReport, list[tuple[bytes, dict[str, Any] | None]]]:
    """Merge from `path` the lines of the annotator it is named for. The other
    lines become blank in a temporary copy, so merge's messages keep their line
    numbers; they are then said of the real file."""
    report = FileReport(shown)
    stem = path.name[: -len(SUFFIX)]
    try:
        lines = _read_lines(path)
    except OSError as exc:
        report.error = f"cannot be read ({exc.strerror or exc})"
        return report, []
    filtered = []
    for raw, value in lines:
        if value is not None and not _named_for(value.get("annotator"), stem):
            report.others[_annotator_of(value)] += 1
            filtered.append(b"")
        else:
            filtered.append(raw)
    if not any(line.strip() for line in filtered):
        return report, lines
    with tempfile.TemporaryDirectory(prefix="reader-sync-") as temp:
        copy = Path(temp) / path.name
        copy.write_bytes(b"\n".join(filtered))
        try:
            report.merged = merge(store, [copy])
        except ReaderError as exc:
            report.error = str(exc).replace(str(copy), shown)
            return report, lines
    report.merged.problems = [p.replace(str(copy), shown) for p in report.merged.problems]
    return report, lines


def _annotator_of(value: dict[str, Any]) -> str:
    name = value.get("annotator")
    return name if isinstance(name, str) and name else "(no annotator)"


def _foreign_lines(
    store: Store, annotator: str, lines: list[tuple[bytes, dict[str, Any] | None]]
) -> list[tuple[tuple[Any, ...], bytes]]:
    """Lines of one's own file that the new file would not hold otherwise (sorted by
    export order): records not in the database as this annotator's (their article
    is not here, they could not be placed, they are someone else's)."""
    records = [(raw, value) for raw, value in lines if value is not None]
    ids = [value["id"] for _, value in records if isinstance(value.get("id"), str)]
    stored = store.annotations_by_id(ids)
    kept = {}
    for raw, value in records:
        found = stored.get(value.get("id"))  # type: ignore[arg-type]
        if found is None or found.annotator != annotator:
            kept[raw] = _order_key(value)
    return sorted((key, raw) for raw, key in kept.items())


def _order_key(value: dict[str, Any]) -> tuple[str, int, int, str]:
    """Export order (article, start, end, id), tolerant of odd field types."""

    def number(x: Any) -> int:
        return x if isinstance(x, int) and not isinstance(x, bool) else -1

    return (
        str(value.get("article_id")),
        number(value.get("start")),
        number(value.get("end")),
        str(value.get("id")),
    )


def _write_own(
    store: Store, annotator: str, path: Path, kept: list[tuple[tuple[Any, ...], bytes]]
) -> tuple[bool, int]:
    """(written?, lines) of one's own file: the export of the annotator's annotations,
    tombstones included, with the kept lines in their places. No file is made for
    someone with nothing to write."""

    def produce(out: BinaryIO) -> int:
        interleaved = _Interleave(out, kept)
        count = export_bytes(store, interleaved, include_deleted=True, annotators=[annotator])
        return count + interleaved.finish()

    return _write_if_changed(path, produce, create_empty=False)


class _Interleave:
    """A binary stream that writes the kept lines among the exported ones, in order."""

    def __init__(self, out: BinaryIO, kept: list[tuple[tuple[Any, ...], bytes]]) -> None:
        self._out = out
        self._kept = list(reversed(kept))  # popped from the end: smallest key first
        self._partial = b""

    def write(self, chunk: bytes | memoryview) -> int:
        data = self._partial + bytes(chunk)
        self._partial = b""
        if not self._kept:
            self._out.write(data)
            return len(chunk)
        *complete, self._partial = data.split(b"\n")
        for line in complete:
            key = _order_key(json.loads(line))
            while self._kept and self._kept[-1][0] < key:
                self._out.write(self._kept.pop()[1] + b"\n")
            self._out.write(line + b"\n")
        return len(chunk)

    def finish(self) -> int:
        """Write what is left; the number of kept lines written overall."""
        count = len(self._kept)
        if self._partial:  # export lines always end in "\n"; kept for safety
            self._out.write(self._partial)
            self._partial = b""
        while self._kept:
            self._out.write(self._kept.pop()[1] + b"\n")
        return count


def _write_if_changed(
    path: Path, produce: Callable[[BinaryIO], int], create_empty: bool = True
) -> tuple[bool, int]:
    """Write what `produce` writes (returning its line count) into a temporary file
    beside `path`; replace `path` with it only when the bytes differ (atomically:
    a reader sees the old file or the new one), else leave `path` untouched, its
    modification time included."""

    def keep(temp: Path, count: int) -> bool:
        if path.exists():
            return not _same_bytes(temp, path)
        return bool(count or create_empty)

    return write_output(path, produce, keep)


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as x, b.open("rb") as y:
        return all(p == q for p, q in zip(_blocks(x), _blocks(y), strict=True))


def _blocks(handle: BinaryIO) -> Iterator[bytes]:
    while block := handle.read(1 << 20):
        yield block


def tui_sync(store: Store, annotator: str, warn: Callable[[str], None]) -> SyncReport | None:
    """Sync when the workspace's settings say `sync = "auto"` (the TUI calls this as it
    starts and after it quits); what went wrong is said through `warn`, never raised."""
    folder = auto_sync_folder(store.path)
    if folder is None:
        return None
    settings = read_settings(folder)
    for problem in settings.problems:
        warn(f"reader: {problem}")
    if settings.sync != "auto":
        return None
    from reader.text.sanitize import clean_line as clean  # text from files: one clean line

    try:
        report = sync_workspace(store, annotator, folder)
    except ReaderError as exc:
        warn(f"reader: sync: {clean(exc)}")
        return None
    for problem in report.problems():
        warn(f"reader: sync: {clean(problem)}")
    for file in report.files:
        if file.merged is not None and (file.merged.added or file.merged.updated):
            warn(f"reader: sync: {clean(file.line())}")
    if report.own_written:
        warn(f"reader: sync: wrote {clean(report.own)}")
    return report
