"""The command line (docs/contracts.md, "Command line").

Exit codes: 0 success, 1 the work failed (one line on stderr), 2 a usage error
(one line too: UsageLine), 130 Ctrl-C. A user never sees a traceback unless they ask with
--debug. Output goes through click.echo, never Rich markup: titles and quotes
are data, not formatting.

Longer than the project's ~600 lines because every command lives here as a thin
click wrapper over a module below (importing, exporting, merging, suggest, align,
sync, agreement): one place to read the whole command line. Splitting it into a
package by topic (articles, annotations, labels, team) is the next step when it
grows again.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.cells import cell_len, set_cell_size

from reader import __version__
from reader.errors import ReaderError
from reader.formats import EXPORTS as TOOL_EXPORTS
from reader.formats import IMPORTS as TOOL_IMPORTS
from reader.formats import UNITS as OFFSET_UNITS
from reader.models import Label
from reader.paths import database_path
from reader.session import NO_TERMINAL, annotator_name, has_terminal, open_tui, unexpected
from reader.store import Store
from reader.text.sanitize import clean_line

# reader.exporting.FORMATS, repeated so that starting the TUI does not import
# the exporter (a test keeps the two equal).
EXPORT_FORMATS = ("annotations", "spans")


class _Session:
    """What the group's options decide, and the store, opened on first use."""

    def __init__(self, db: Path | None, annotator: str | None) -> None:
        self.db_path = database_path(db)
        self.db_option = db
        self.annotator_option = annotator
        self._store: Store | None = None

    def store(self, read_only: bool = False) -> Store:
        """The store; read_only for the commands that only read: they open the file
        read-only (a read-only folder works), and a missing one is an error, not a
        new empty database."""
        if self._store is None:
            self._store = Store(self.db_path, read_only=read_only)
            click.get_current_context().call_on_close(self._store.close)
        return self._store

    def annotator(self) -> str:
        return annotator_name(self.annotator_option)


class UsageLine(click.ClickException):
    """A usage error told in one line on stderr, exit 2: click's own shows the
    command's usage and a hint on three lines more."""

    exit_code = 2

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message())
        # "reader align", whatever the program was called (`python -m reader`, a test)
        names = []
        ctx = error.ctx
        while ctx is not None and ctx.parent is not None:
            names.append(ctx.info_name or "")
            ctx = ctx.parent
        self.command = " ".join(["reader", *reversed(names)])

    def show(self, file: Any = None) -> None:
        message = clean_line(self.message).rstrip(".")
        click.echo(f"{self.command}: error: {message} (see `{self.command} --help`)", err=True)


def _one_line(error: click.UsageError) -> click.ClickException:
    """The usage error in one line; click's "no arguments: here is the help" stays
    the help it is."""
    shows_help = getattr(click.exceptions, "NoArgsIsHelpError", ())
    return error if isinstance(error, shows_help) else UsageLine(error)


class _NamesItself(click.Command):
    """A usage error of click's parser ("Option '--article' requires an argument")
    comes without its context, and UsageLine would name `reader`, not the command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx  # all UsageLine reads; `cmd` is Final in click 8.5
            raise


class _Command(_NamesItself, click.Command):
    pass


class _Subgroup(_NamesItself, click.Group):  # `labels`
    command_class = _Command


class ReaderGroup(_NamesItself, click.Group):
    """Turns every failure into an exit code and at most one line on stderr."""

    command_class = _Command
    group_class = _Subgroup

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # the group's own options: `reader --db` without a path
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # an unknown command, a command's options
            raise _one_line(exc) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ReaderError as exc:
            click.echo(f"reader: error: {clean_line(exc)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            ctx.exit(130)
        except BrokenPipeError:
            # The reader of our stdout went away (`reader export | head`): stop
            # quietly, and keep Python from complaining when it flushes stdout.
            with contextlib.suppress(Exception):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(unexpected(exc), err=True)
            ctx.exit(1)


@click.group(
    cls=ReaderGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    help="The database (default: $READER_DB, else the nearest annotations/reader.db).",
)
@click.option("--annotator", help="Who signs new annotations (default: $READER_ANNOTATOR, login).")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.version_option(__version__, prog_name="reader")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, annotator: str | None, debug: bool) -> None:
    """A keyboard-first terminal reader for annotating news articles.

    With no command, opens the library.
    """
    ctx.obj = _Session(db, annotator)  # --debug is read by ReaderGroup.invoke
    if ctx.invoked_subcommand is None:
        _run_tui(ctx.obj, [])


def main() -> None:
    """The console script."""
    cli.main(prog_name="reader")


# -- the TUI ---------------------------------------------------------------


def _run_tui(session: _Session, refs: Sequence[str]) -> None:
    if not has_terminal():
        click.echo(NO_TERMINAL, err=True)
        click.get_current_context().exit(2)
    open_tui(session.store(), session.annotator(), refs, lambda line: click.echo(line, err=True))


@cli.command("open")
@click.argument("article")
@click.pass_obj
def open_cmd(session: _Session, article: str) -> None:
    """Read ARTICLE (an id, id prefix or title words) in the TUI."""
    _run_tui(session, [article])


@cli.command("compare")
@click.argument("first")
@click.argument("second")
@click.pass_obj
def compare_cmd(session: _Session, first: str, second: str) -> None:
    """Read two articles side by side in the TUI."""
    _run_tui(session, [first, second])


@cli.command("review")
@click.argument("article")
@click.option(
    "--annotators", required=True, metavar="A,B", help="The two annotators to adjudicate."
)
@click.option(
    "--as", "gold", default="gold", show_default=True, help="Who signs the adjudicated result."
)
@click.pass_obj
def review_cmd(session: _Session, article: str, annotators: str, gold: str) -> None:
    """Adjudicate two annotators' disagreements on ARTICLE in the TUI."""
    from reader.review import parse_pair

    try:
        a, b = parse_pair(annotators)
    except ReaderError as exc:
        raise click.BadParameter(str(exc), param_hint="--annotators") from None
    gold = clean_line(gold)
    open_tui(
        session.store(),
        session.annotator(),
        [article],
        lambda line: click.echo(line, err=True),
        review=(a, b, gold),
    )


# -- import, list, edit ----------------------------------------------------


@cli.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--from",
    "tool",
    type=click.Choice(TOOL_IMPORTS),
    help="Another tool's export: its texts become articles, its spans annotations.",
)
@click.option(
    "--offsets",
    type=click.Choice(OFFSET_UNITS),
    help="With --from: the file's offsets are code points or UTF-16 (default: the tool's).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of lines.")
@click.pass_context
def import_cmd(
    ctx: click.Context,
    paths: tuple[str, ...],
    tool: str | None,
    offsets: str | None,
    as_json: bool,
) -> None:
    """Add .txt / .md / .html files, folders of them, or web pages by URL; `-` is one
    article from stdin (HTML, Markdown with front matter, or text). Importing twice
    changes nothing."""
    if tool is not None:
        _import_tool(ctx, tool, paths, offsets, as_json)
        return
    if offsets is not None:
        raise click.UsageError("--offsets applies with --from")
    # Imported here: the text pipeline (Markdown, sentence rules) is slow to
    # load and only this command and the TUI's first start need it.
    from reader.fetch import is_url
    from reader.importing import import_paths, results_json

    # A URL stays a string: Path() would fold its "//".
    given = [path if is_url(path) else Path(path) for path in paths]
    results = import_paths(ctx.obj.store(), given)
    counts = {"imported": 0, "present": 0, "failed": 0}
    for result in results:
        counts[result.status] += 1
        where = clean_line(result.path)
        if result.status == "failed":
            click.echo(f"reader: {where}: {clean_line(result.message)}", err=True)
        elif as_json:
            continue
        elif result.status == "imported" and result.article is not None:
            click.echo(
                f"imported         {where}  {result.article.id}  {clean_line(result.article.title)}"
            )
        elif result.status == "present":
            ident = f"  {result.article.id}" if result.article is not None else ""
            click.echo(f"already present  {where}{ident}")
    if as_json:
        _echo_json(results_json(results))
    else:
        click.echo(
            f"{counts['imported']} imported, {counts['present']} already present, "
            f"{counts['failed']} failed"
        )
    if counts["failed"]:
        ctx.exit(1)


def _echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _import_tool(
    ctx: click.Context, tool: str, paths: Sequence[str], offsets: str | None, as_json: bool
) -> None:
    from reader.formats import DEFAULT_UNITS
    from reader.formats.incoming import import_foreign

    session: _Session = ctx.obj
    units = offsets or DEFAULT_UNITS[tool]
    report = import_foreign(
        session.store(), tool, [Path(p) for p in paths], units, session.annotator()
    )
    for doc in report.documents:
        where = clean_line(doc.where)
        spans = f"  ({doc.added} span{'' if doc.added == 1 else 's'} added)"
        if doc.status == "failed":
            click.echo(f"reader: {where}: {clean_line(doc.message)}", err=True)
        elif as_json:
            continue
        elif doc.status == "imported" and doc.article is not None:
            click.echo(
                f"imported         {where}  {doc.article.id}  "
                f"{clean_line(doc.article.title)}{spans}"
            )
        elif doc.status == "present" and doc.article is not None:
            click.echo(f"already present  {where}  {doc.article.id}{spans}")
    if as_json:
        _echo_json(report.as_json())
    else:
        click.echo(report.summary())
    for problem in report.problems:
        click.echo(f"reader: {clean_line(problem)}", err=True)
    if report.failed or report.skipped:
        ctx.exit(1)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.pass_obj
def list_cmd(session: _Session, as_json: bool) -> None:
    """Articles, with their annotation counts per label."""
    store = session.store(read_only=True)
    articles = store.articles()
    labels = [label.name for label in store.labels()]
    work = _work(store, articles)
    if as_json:
        rows = [
            {
                "id": a.id,
                "title": a.title,
                "source": a.source,
                "published": a.published,
                "words": a.words,
                "counts": {name: a.counts.get(name, 0) for name in labels}
                | {k: v for k, v in a.counts.items() if k not in labels},
                "total": a.total,
                "progress": work[a.id][1],
                "status": work[a.id][0],
            }
            for a in articles
        ]
        _echo_json(rows)
        return
    if not articles:
        click.echo("no articles yet; add some with `reader import PATH`", err=True)
        return
    for line in _table(articles, labels, _width(), work):
        click.echo(line)


def _work(store: Store, articles: Sequence[Any]) -> dict[str, tuple[str, float]]:
    """Status and progress per article; a progress not yet known is computed now,
    only for articles with annotations (the others have none to count)."""
    from reader.progress import update_progress

    stored = store.work()
    work: dict[str, tuple[str, float]] = {}
    for a in articles:
        status, progress = stored.get(a.id, ("new", None))
        if progress is None and a.total:
            progress = update_progress(store, store.article(a.id))
            status = "in progress" if status == "new" else status
        work[a.id] = (status, progress or 0.0)
    return work


def _width() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((80, 24)).columns)


def _fit(text: str, size: int) -> str:
    """text cut to at most `size` terminal cells, with "…" where it was cut."""
    if cell_len(text) <= size:
        return text
    # rstrip: a wide character cut in half leaves a space before the "…"
    return set_cell_size(text, size - 1).rstrip() + "…"


def _table(
    articles: Sequence[Any],
    labels: Sequence[str],
    width: int,
    work: dict[str, tuple[str, float]],
) -> list[str]:
    """Fixed columns, the title takes what is left: readable at 80 columns (where
    the counts collapse into one column, e.g. `2·0·1`, and the date goes)."""
    heads = [name[:3] for name in labels]
    counts = [[str(a.counts.get(name, 0)) for name in labels] for a in articles]
    narrow = width < 110
    if narrow:
        heads = ["·".join(h[0] for h in heads)]
        counts = [["·".join(row)] for row in counts]
    widths = [max(len(h), *(len(row[i]) for row in counts)) for i, h in enumerate(heads)]
    source_w, date_w, words_w = 10, 0 if narrow else 10, 5
    status_w = 4 if narrow else 11
    fixed = 12 + 1 + 1 + source_w + 1 + date_w + 1 + words_w + sum(w + 1 for w in widths)
    fixed += 5 + status_w + 1 - (1 if narrow else 0)
    title_w = max(10, width - fixed)

    def cell(text: str, size: int) -> str:
        return set_cell_size(_fit(clean_line(text), size), size)

    def row(
        id_: str, title: str, source: str, date: str, words: str, nums: list[str], done: str
    ) -> str:
        parts = [
            id_.ljust(12),
            cell(title, title_w),
            cell(source, source_w),
            *([cell(date, date_w)] if date_w else []),
            words.rjust(words_w),
            *(n.rjust(w) for n, w in zip(nums, widths, strict=True)),
            done,
        ]
        return " ".join(parts).rstrip()

    def done(status: str, progress: float | None) -> str:
        share = "PROG" if progress is None else f"{round(progress * 100)}%"
        shown = _SHORT_STATUS.get(status, status) if narrow else status
        return f"{share:>4} {cell(shown, status_w)}"

    lines = [row("ID", "TITLE", "SOURCE", "DATE", "WORDS", heads, done("STATUS", None))]
    for article, nums in zip(articles, counts, strict=True):
        status, progress = work[article.id]
        lines.append(
            row(
                article.id,
                article.title,
                article.source or "",
                (article.published or "")[:10],
                str(article.words),
                nums,
                done(status, progress),
            )
        )
    return lines


_SHORT_STATUS = {"new": "new", "in progress": "wip", "done": "done", "STATUS": "STAT"}


@cli.command("edit")
@click.argument("article")
@click.option("--title", help="A new title.")
@click.option("--author", help="Who wrote it, e.g. 'Jane Doe, John Roe' (empty to clear).")
@click.option("--source", help="The outlet (empty to clear).")
@click.option("--date", help="The publication date, e.g. 2025-01-22 (empty to clear).")
@click.option("--url", help="The article's address (empty to clear).")
@click.pass_obj
def edit_cmd(
    session: _Session,
    article: str,
    title: str | None,
    author: str | None,
    source: str | None,
    date: str | None,
    url: str | None,
) -> None:
    """Change an article's metadata (its text never changes)."""
    if date:
        date = _iso_date(date)
    given = {"title": title, "author": author, "source": source, "published": date, "url": url}
    # as the importer would store them: one clean line, None when empty
    fields = {k: clean_line(v) or None for k, v in given.items() if v is not None}
    if not fields:
        raise click.UsageError("give at least one of --title, --author, --source, --date, --url")
    store = session.store()
    found = store.find_article(article)
    updated = store.update_article(found.id, **fields)
    shown = (updated.author, updated.source, updated.published, updated.url)
    click.echo(
        "  |  ".join(
            [f"{updated.id}  {clean_line(updated.title)}"]
            + [clean_line(value or "-") for value in shown]
        )
    )


def _iso_date(value: str) -> str:
    """An ISO date or time as given, or a date found in the text ("22 January 2025")
    as YYYY-MM-DD; anything else ("yesterday") is refused."""
    from datetime import date, datetime

    from reader.metadata import find_date

    text = clean_line(value)
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(text)
            return text
        except ValueError:
            pass
    found = find_date(text)
    if found is None:
        raise click.BadParameter(
            f"{text!r} is not a date; use YYYY-MM-DD (or e.g. 22 January 2025)",
            param_hint="'--date'",
        )
    return found


# -- export and merge ------------------------------------------------------


@cli.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to FILE (atomically; a FIFO or device is written into; - is stdout) "
    "instead of stdout; a folder (DIR) for brat.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS + TOOL_EXPORTS),
    default="annotations",
    show_default=True,
    help="One line per annotation, one per article with its spans, or another tool's format.",
)
@click.option(
    "--offsets",
    type=click.Choice(OFFSET_UNITS),
    help="Offsets in code points or UTF-16 code units (default: the tool's own).",
)
@click.option("--article", "articles", multiple=True, help="Only this article (repeatable).")
@click.option("--label", "labels", multiple=True, help="Only this label (repeatable).")
@click.option("--include-deleted", is_flag=True, help="Also deleted annotations (with deleted_at).")
@click.pass_obj
def export_cmd(
    session: _Session,
    output: Path | None,
    fmt: str,
    offsets: str | None,
    articles: tuple[str, ...],
    labels: tuple[str, ...],
    include_deleted: bool,
) -> None:
    """Annotations as JSONL, or in another tool's format; to stdout unless -o FILE
    (`-o -` is stdout; a FIFO or a device is written into, never replaced)."""
    from reader.exporting import export_bytes, export_to_file

    if output is not None and str(output) == "-":
        output = None
    store = session.store(read_only=True)
    ids = [store.find_article(ref).id for ref in articles] or None
    for name in labels:
        store.label(name)  # an unknown label is an error, not an empty export
    if fmt in TOOL_EXPORTS:
        _export_tool(store, fmt, output, offsets, ids, list(labels) or None, include_deleted)
        return
    if offsets is not None:
        raise click.UsageError("--offsets applies to other tools' formats; ours count code points")
    if output is not None and output.is_dir():
        raise ReaderError(f"cannot write {output}: it is a folder")
    options: dict[str, Any] = {
        "fmt": fmt,
        "article_ids": ids,
        "labels": list(labels) or None,
        "include_deleted": include_deleted,
    }
    if output is not None:
        count = export_to_file(store, output, **options)
        unit = "annotations" if fmt == "annotations" else "articles"
        click.echo(f"{count} {unit} written to {clean_line(output)}", err=True)
        return
    # Bytes straight to stdout: UTF-8 and "\n" whatever the locale says.
    sys.stdout.flush()
    out = sys.stdout.buffer
    export_bytes(store, out, **options)
    out.flush()


def _export_tool(
    store: Store,
    fmt: str,
    output: Path | None,
    offsets: str | None,
    ids: list[str] | None,
    labels: list[str] | None,
    include_deleted: bool,
) -> None:
    from reader.formats.outgoing import export_tool

    if include_deleted:
        raise ReaderError("deleted annotations can only be exported in the annotations format")

    def warn(line: str) -> None:
        click.echo(f"reader: {clean_line(line)}", err=True)

    sys.stdout.flush()
    written = export_tool(store, fmt, output, sys.stdout.buffer, ids, labels, offsets, warn)
    if output is not None:
        also = f" (and {clean_line(written.also)})" if written.also else ""
        articles = f"{written.articles} article{'' if written.articles == 1 else 's'}"
        click.echo(
            f"{written.annotations} annotations in {articles} written to "
            f"{clean_line(output)}{also}",
            err=True,
        )


@cli.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of a line.")
@click.pass_context
def merge_cmd(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Bring exported annotations in: upsert by id, the newer updated_at wins; `-` is stdin."""
    from reader.merging import merge

    report = merge(ctx.obj.store(), files)
    if as_json:
        _echo_json(report.as_json(len(files)))
    else:
        click.echo(f"merged {len(files)} file{'s' if len(files) != 1 else ''}: {report.summary()}")
    for problem in report.problems:
        click.echo(f"reader: {clean_line(problem)}", err=True)
    if report.skipped:
        ctx.exit(1)


@cli.command("where")
@click.pass_obj
def where_cmd(session: _Session) -> None:
    """The database that would be used, and why (flag, variable, workspace, data folder)."""
    from reader.paths import database_reason

    click.echo(f"{clean_line(session.db_path)}  ({database_reason(session.db_option)})")


# -- stats and labels ------------------------------------------------------


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of lines.")
@click.pass_obj
def stats_cmd(session: _Session, as_json: bool) -> None:
    """Annotation counts per label, per article and per annotator; each annotator's
    articles and overall agreement with the others."""
    from reader.stats import annotator_stats, detail_lines, stats_json

    store = session.store(read_only=True)
    if as_json:
        _echo_json(stats_json(store))
        return
    by_label = dict(store.annotation_counts("label"))
    total = sum(by_label.values())
    click.echo(f"annotations: {total} ({store.deleted_count()} deleted, not counted)")
    click.echo("per label:")
    names = [label.name for label in store.labels()]
    names += sorted(set(by_label) - set(names))
    for name in names:
        click.echo(f"  {by_label.get(name, 0):>8}  {clean_line(name)}")
    heads = store.article_heads()
    width = _width()
    click.echo("per article:")
    for article_id, count in store.annotation_counts("article_id"):
        title = heads.get(article_id, ("?", None, ""))[0]
        click.echo(_fit(f"  {count:>8}  {article_id}  {clean_line(title)}", width))
    click.echo("per annotator:")
    for annotator, count in store.annotation_counts("annotator"):
        click.echo(f"  {count:>8}  {clean_line(annotator)}")
    entries = annotator_stats(store)
    if entries:
        click.echo("annotators:")
        for line in detail_lines(entries, clean_line):
            click.echo(_fit(line, width))


# -- team work: sync and agreement -----------------------------------------


@cli.command("sync")
@click.pass_context
def sync_cmd(ctx: click.Context) -> None:
    """Import new articles/, merge everyone's annotations/*.jsonl, write your own."""
    from reader.paths import find_workspace
    from reader.sync import sync_workspace

    folder = find_workspace()
    if folder is None:
        raise ReaderError(
            "not in a workspace: no annotations/ folder here or above (mkdir annotations)"
        )
    report = sync_workspace(ctx.obj.store(), ctx.obj.annotator(), folder)
    for line in report.summary():
        click.echo(clean_line(line))
    for problem in report.problems():
        click.echo(f"reader: {clean_line(problem)}", err=True)
    if report.failed:
        ctx.exit(1)


@cli.command("agree")
@click.option("--article", "articles", multiple=True, help="Only this article (repeatable).")
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator (repeatable).")
@click.option("--label", "labels", multiple=True, help="Only this label (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of tables.")
@click.pass_obj
def agree_cmd(
    session: _Session,
    articles: tuple[str, ...],
    annotators: tuple[str, ...],
    labels: tuple[str, ...],
    as_json: bool,
) -> None:
    """Agreement of each pair of annotators: alpha per code point, F1, per label and overall."""
    from reader.agreement import agreement, report_lines

    store = session.store(read_only=True)
    ids = [store.find_article(ref).id for ref in articles] or None
    for name in labels:
        store.label(name)  # an unknown label is an error, not an empty table
    report = agreement(store, ids, list(annotators) or None, list(labels) or None)
    if len(report.annotators) < 2:
        found = ", ".join(report.annotators) or "none"
        raise ReaderError(
            f"agreement needs annotations by two annotators (found: {clean_line(found)})"
        )
    if as_json:
        _echo_json(report.as_json())
        return
    for line in report_lines(report, clean_line):
        click.echo(line)


@cli.group("labels", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of lines.")
@click.pass_context
def labels_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the labels; `labels add` makes a new one."""
    if ctx.invoked_subcommand is not None:
        return
    labels = ctx.obj.store(read_only=True).labels()
    if as_json:
        fields = ("name", "key", "color", "description", "position")
        _echo_json([{f: getattr(label, f) for f in fields} for label in labels])
        return
    for label in labels:
        key = label.key or "-"
        name, description = clean_line(label.name), clean_line(label.description)
        click.echo(f"{key}  {name:<16} {label.color}  {description}")


@labels_cmd.command("add")
@click.argument("name")
@click.option("--key", help="The key that tags with it in the reading pane (a digit 1-9).")
@click.option("--color", help="#rrggbb (default: the next colour of the palette).")
@click.option("--description", default="", help="What the label means.")
@click.pass_obj
def labels_add_cmd(
    session: _Session, name: str, key: str | None, color: str | None, description: str
) -> None:
    """Add a label NAME."""
    label = session.store().add_label(name, key=key, color=color, description=description)
    click.echo(f"added label {_label_line(label)}")


def _label_line(label: Label) -> str:
    return f"{clean_line(label.name)} (key {label.key or 'none'}, {label.color})"


@labels_cmd.command("key")
@click.argument("name")
@click.argument("key")
@click.pass_obj
def labels_key_cmd(session: _Session, name: str, key: str) -> None:
    """Give label NAME the key KEY (1-9; `none` takes its key away)."""
    label = session.store().set_label_key(name, None if key == "none" else key)
    click.echo(f"label {_label_line(label)}")


@labels_cmd.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_obj
def labels_rename_cmd(session: _Session, old: str, new: str) -> None:
    """Rename label OLD to NEW; its annotations follow."""
    label, moved = session.store().rename_label(old, new)
    click.echo(f"renamed {clean_line(old)} to {_label_line(label)}; {moved} annotation(s) follow")


@labels_cmd.command("color")
@click.argument("name")
@click.argument("color")
@click.pass_obj
def labels_color_cmd(session: _Session, name: str, color: str) -> None:
    """Give label NAME the colour COLOR (#rrggbb)."""
    click.echo(f"label {_label_line(session.store().set_label_color(name, color))}")


@labels_cmd.command("describe")
@click.argument("name")
@click.argument("text")
@click.pass_obj
def labels_describe_cmd(session: _Session, name: str, text: str) -> None:
    """Say what label NAME means."""
    label = session.store().describe_label(name, clean_line(text))
    click.echo(f"label {_label_line(label)}: {clean_line(label.description)}")


@labels_cmd.command("remove")
@click.argument("name")
@click.option("--to", "to", help="Move its annotations to this label first.")
@click.pass_obj
def labels_remove_cmd(session: _Session, name: str, to: str | None) -> None:
    """Remove label NAME (refused while annotations use it, unless --to OTHER)."""
    moved = session.store().remove_label(name, to)
    where = f"; {moved} annotation(s) moved to {clean_line(to)}" if to else ""
    click.echo(f"removed label {clean_line(name)}{where}")


# -- suggested tags ----------------------------------------------------------


@cli.command("suggest")
@click.argument("article", required=False)
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a listing.")
@click.option(
    "--min-score",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Only suggestions scoring at least this (default 0.5).",
)
@click.option("--stats", is_flag=True, help="How each cue fared: fires, accepts, rejects.")
@click.pass_obj
def suggest_cmd(
    session: _Session, article: str | None, as_json: bool, min_score: float | None, stats: bool
) -> None:
    """Suggested tags for ARTICLE, with the cues that fired; or, with --stats, how the
    cues fared with this workspace's accepts and rejects."""
    from reader import suggest_output

    if stats == (article is not None):
        raise click.UsageError("give an ARTICLE, or --stats (not both)")
    if stats:
        if as_json or min_score is not None:
            raise click.UsageError("--stats takes neither --json nor --min-score")
        for line in suggest_output.stats_lines(session.store(read_only=True)):
            click.echo(line)
        return
    assert article is not None
    store = session.store(read_only=True)
    found = store.find_article(article)
    made = suggest_output.article_suggestions(store, found, min_score)
    if as_json:
        click.echo(suggest_output.as_json(found.text, made))
        return
    if not made:
        click.echo(f"no suggestions for {found.id} {clean_line(found.title)}", err=True)
        return
    for line in suggest_output.listing(found, made, _width()):
        click.echo(line)


# -- aligned reading -------------------------------------------------------


@cli.command("align")
@click.argument("articles", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Cluster passages across the library.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of lines for a person.")
@click.option(
    "--min-score",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Keep pairs scoring at least this (0-1; default: the tuned threshold).",
)
@click.pass_obj
def align_cmd(
    session: _Session,
    articles: tuple[str, ...],
    everything: bool,
    as_json: bool,
    min_score: float | None,
) -> None:
    """Sentences two articles share (A B), or clusters across the library (--all)."""
    from reader import align

    if everything and articles:
        raise click.UsageError("give two articles or --all, not both")
    if not everything and len(articles) != 2:
        raise click.UsageError("give two articles (reader align A B), or --all")
    threshold = align.DEFAULT_MIN_SCORE if min_score is None else min_score
    # A missing database is an error, not a new empty one; --all may index the
    # articles of a database from before the index, so it opens an existing one
    # for writing.
    store = session.store(read_only=not (everything and session.db_path.exists()))
    if everything:
        _align_all(store, as_json, threshold)
        return
    first, second = (store.find_article(ref) for ref in articles)
    pairs = align.align(first.text, second.text, threshold)
    if as_json:

        def side(text: str, span: tuple[int, int]) -> dict[str, Any]:
            return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}

        out = {
            "a": first.id,
            "b": second.id,
            "pairs": [
                {
                    "a": side(first.text, p.a),
                    "b": side(second.text, p.b),
                    "score": p.score,
                    "kind": p.kind,
                }
                for p in pairs
            ],
        }
        click.echo(json.dumps(out, ensure_ascii=False, separators=(",", ":")))
        return
    click.echo(f"a  {first.id}  {clean_line(first.title)}")
    click.echo(f"b  {second.id}  {clean_line(second.title)}")
    click.echo(f"{len(pairs)} aligned sentence{'s' if len(pairs) != 1 else ''}")
    for p in pairs:
        click.echo("")
        click.echo(f"{p.score:.2f} {p.kind}")
        click.echo(f"  a {p.a[0]}-{p.a[1]}  {clean_line(first.text[p.a[0] : p.a[1]])}")
        click.echo(f"  b {p.b[0]}-{p.b[1]}  {clean_line(second.text[p.b[0] : p.b[1]])}")


def _align_all(store: Store, as_json: bool, threshold: float) -> None:
    """One cluster a line: the articles carrying it, then each passage."""
    from reader.passage_store import clusters

    for cluster in clusters(store, threshold):
        if as_json:
            record = {
                "articles": cluster.articles,
                "passages": [
                    {
                        "article": p.article_id,
                        "title": p.title,
                        "source": p.source,
                        "start": p.start,
                        "end": p.end,
                        "text": p.text,
                    }
                    for p in cluster.passages
                ],
            }
            click.echo(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            continue
        parts = [
            f"[{p.article_id} {clean_line(p.source or p.title, 24)}] {clean_line(p.text)}"
            for p in cluster.passages
        ]
        click.echo(
            f"{cluster.articles} article{'s' if cluster.articles != 1 else ''}: "
            + "  |  ".join(parts)
        )
