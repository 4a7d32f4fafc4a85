"""The command line (DESIGN.md, "Command-line contract").

Exit codes: 0 success, 1 the work failed (one line on stderr), 2 a usage error
(click's), 130 Ctrl-C. A user never sees a traceback unless they ask with
--debug. Output goes through click.echo, never Rich markup: titles and quotes
are data, not formatting.
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
from reader.launch import annotator_name, clean, open_tui
from reader.paths import database_path
from reader.store import Store

# reader.exporting.FORMATS, repeated so that starting the TUI does not import
# the exporter (a test keeps the two equal).
EXPORT_FORMATS = ("annotations", "spans")


class _Session:
    """What the group's options decide, and the store, opened on first use."""

    def __init__(self, db: Path | None, annotator: str | None) -> None:
        self.db_path = database_path(db)
        self.annotator_option = annotator
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_path)
            click.get_current_context().call_on_close(self._store.close)
        return self._store

    def annotator(self) -> str:
        return annotator_name(self.annotator_option)


class ReaderGroup(click.Group):
    """Turns every failure into an exit code and at most one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ReaderError as exc:
            click.echo(f"reader: error: {clean(exc)}", err=True)
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
            click.echo(
                f"reader: unexpected error: {type(exc).__name__}: {clean(exc)} "
                "(run again with --debug for the traceback)",
                err=True,
            )
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


# -- import, list, edit ----------------------------------------------------


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def import_cmd(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Add .txt / .md files, or folders of them (importing twice changes nothing)."""
    # Imported here: the text pipeline (Markdown, sentence rules) is slow to
    # load and only this command and the TUI's first start need it.
    from reader.importing import import_paths

    results = import_paths(ctx.obj.store(), paths)
    counts = {"imported": 0, "present": 0, "failed": 0}
    for result in results:
        counts[result.status] += 1
        where = clean(result.path)
        if result.status == "imported" and result.article is not None:
            click.echo(
                f"imported         {where}  {result.article.id}  {clean(result.article.title)}"
            )
        elif result.status == "present":
            ident = f"  {result.article.id}" if result.article is not None else ""
            click.echo(f"already present  {where}{ident}")
        else:
            click.echo(f"failed           {where}: {clean(result.message)}")
    click.echo(
        f"{counts['imported']} imported, {counts['present']} already present, "
        f"{counts['failed']} failed"
    )
    if counts["failed"]:
        ctx.exit(1)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.pass_obj
def list_cmd(session: _Session, as_json: bool) -> None:
    """Articles, with their annotation counts per label."""
    store = session.store()
    articles = store.articles()
    labels = [label.name for label in store.labels()]
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
            }
            for a in articles
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not articles:
        click.echo("no articles yet; add some with `reader import PATH`", err=True)
        return
    for line in _table(articles, labels, _width()):
        click.echo(line)


def _width() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((80, 24)).columns)


def _fit(text: str, size: int) -> str:
    """text cut to at most `size` terminal cells, with "…" where it was cut."""
    if cell_len(text) <= size:
        return text
    # rstrip: a wide character cut in half leaves a space before the "…"
    return set_cell_size(text, size - 1).rstrip() + "…"


def _table(articles: Sequence[Any], labels: Sequence[str], width: int) -> list[str]:
    """Fixed columns, the title takes what is left: readable at 80 columns."""
    heads = [name[:3] for name in labels]
    counts = [[str(a.counts.get(name, 0)) for name in labels] for a in articles]
    widths = [max(len(h), *(len(row[i]) for row in counts)) for i, h in enumerate(heads)]
    source_w, date_w, words_w = 10, 10, 5
    fixed = 12 + 1 + 1 + source_w + 1 + date_w + 1 + words_w + sum(w + 1 for w in widths)
    title_w = max(10, width - fixed)

    def cell(text: str, size: int) -> str:
        return set_cell_size(_fit(clean(text), size), size)

    def row(id_: str, title: str, source: str, date: str, words: str, nums: list[str]) -> str:
        parts = [
            id_.ljust(12),
            cell(title, title_w),
            cell(source, source_w),
            cell(date, date_w),
            words.rjust(words_w),
            *(n.rjust(w) for n, w in zip(nums, widths, strict=True)),
        ]
        return " ".join(parts).rstrip()

    lines = [row("ID", "TITLE", "SOURCE", "DATE", "WORDS", heads)]
    for article, nums in zip(articles, counts, strict=True):
        lines.append(
            row(
                article.id,
                article.title,
                article.source or "",
                (article.published or "")[:10],
                str(article.words),
                nums,
            )
        )
    return lines


@cli.command("edit")
@click.argument("article")
@click.option("--title", help="A new title.")
@click.option("--source", help="The outlet (empty to clear).")
@click.option("--date", help="The publication date, e.g. 2025-01-22 (empty to clear).")
@click.option("--url", help="The article's address (empty to clear).")
@click.pass_obj
def edit_cmd(
    session: _Session,
    article: str,
    title: str | None,
    source: str | None,
    date: str | None,
    url: str | None,
) -> None:
    """Change an article's metadata (its text never changes)."""
    given = {"title": title, "source": source, "published": date, "url": url}
    fields = {k: _one_line_value(v) for k, v in given.items() if v is not None}
    if not fields:
        raise click.UsageError("give at least one of --title, --source, --date, --url")
    store = session.store()
    found = store.find_article(article)
    updated = store.update_article(found.id, **fields)
    click.echo(
        f"{updated.id}  {clean(updated.title)}  |  {clean(updated.source or '-')}  |  "
        f"{clean(updated.published or '-')}  |  {clean(updated.url or '-')}"
    )


def _one_line_value(value: str) -> str | None:
    """Metadata as the importer would store it: normalized, one line, None when empty."""
    from reader.text.normalize import normalize

    text = " ".join(normalize(value).split())
    return text or None


# -- export and merge ------------------------------------------------------


@cli.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (atomically) instead of stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="annotations",
    show_default=True,
    help="One line per annotation, or one per article with its spans.",
)
@click.option("--article", "articles", multiple=True, help="Only this article (repeatable).")
@click.option("--label", "labels", multiple=True, help="Only this label (repeatable).")
@click.option("--include-deleted", is_flag=True, help="Also deleted annotations (with deleted_at).")
@click.pass_obj
def export_cmd(
    session: _Session,
    output: Path | None,
    fmt: str,
    articles: tuple[str, ...],
    labels: tuple[str, ...],
    include_deleted: bool,
) -> None:
    """Annotations as JSONL, to stdout unless -o FILE."""
    from reader.exporting import export_bytes, export_to_file

    store = session.store()
    ids = [store.find_article(ref).id for ref in articles] or None
    for name in labels:
        store.label(name)  # an unknown label is an error, not an empty export
    options: dict[str, Any] = {
        "fmt": fmt,
        "article_ids": ids,
        "labels": list(labels) or None,
        "include_deleted": include_deleted,
    }
    if output is not None:
        count = export_to_file(store, output, **options)
        unit = "annotations" if fmt == "annotations" else "articles"
        click.echo(f"{count} {unit} written to {clean(output)}", err=True)
        return
    # Bytes straight to stdout: UTF-8 and "\n" whatever the locale says.
    sys.stdout.flush()
    out = sys.stdout.buffer
    export_bytes(store, out, **options)
    out.flush()


@cli.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def merge_cmd(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Bring exported annotations in: upsert by id, the newer updated_at wins."""
    from reader.exporting import merge

    report = merge(ctx.obj.store(), files)
    click.echo(f"merged {len(files)} file{'s' if len(files) != 1 else ''}: {report.summary()}")
    for problem in report.problems:
        click.echo(f"reader: {clean(problem)}", err=True)
    if report.skipped:
        ctx.exit(1)


# -- stats and labels ------------------------------------------------------


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of lines.")
@click.pass_obj
def stats_cmd(session: _Session, as_json: bool) -> None:
    """Annotation counts per label, per article and per annotator; each annotator's
    articles and overall agreement with the others."""
    from reader.stats import annotator_stats, detail_lines, stats_json

    store = session.store()
    if as_json:
        click.echo(json.dumps(stats_json(store), ensure_ascii=False, indent=2))
        return
    by_label = dict(store.annotation_counts("label"))
    total = sum(by_label.values())
    click.echo(f"annotations: {total} ({store.deleted_count()} deleted, not counted)")
    click.echo("per label:")
    names = [label.name for label in store.labels()]
    names += sorted(set(by_label) - set(names))
    for name in names:
        click.echo(f"  {by_label.get(name, 0):>8}  {clean(name)}")
    heads = store.article_heads()
    width = _width()
    click.echo("per article:")
    for article_id, count in store.annotation_counts("article_id"):
        title = heads.get(article_id, ("?", None, ""))[0]
        click.echo(_fit(f"  {count:>8}  {article_id}  {clean(title)}", width))
    click.echo("per annotator:")
    for annotator, count in store.annotation_counts("annotator"):
        click.echo(f"  {count:>8}  {clean(annotator)}")
    entries = annotator_stats(store)
    if entries:
        click.echo("annotators:")
        for line in detail_lines(entries, clean):
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
        click.echo(clean(line))
    for problem in report.problems():
        click.echo(f"reader: {clean(problem)}", err=True)
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

    store = session.store()
    ids = [store.find_article(ref).id for ref in articles] or None
    for name in labels:
        store.label(name)  # an unknown label is an error, not an empty table
    report = agreement(store, ids, list(annotators) or None, list(labels) or None)
    if len(report.annotators) < 2:
        found = ", ".join(report.annotators) or "none"
        raise ReaderError(f"agreement needs annotations by two annotators (found: {clean(found)})")
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    for line in report_lines(report, clean):
        click.echo(line)


@cli.group("labels", invoke_without_command=True)
@click.pass_context
def labels_cmd(ctx: click.Context) -> None:
    """List the labels; `labels add` makes a new one."""
    if ctx.invoked_subcommand is not None:
        return
    for label in ctx.obj.store().labels():
        key = label.key or "-"
        click.echo(f"{key}  {clean(label.name):<16} {label.color}  {clean(label.description)}")


@labels_cmd.command("add")
@click.argument("name")
@click.option("--key", help="The key that tags with it in the reading pane (4-9).")
@click.option("--color", help="#rrggbb (default: the next colour of the palette).")
@click.option("--description", default="", help="What the label means.")
@click.pass_obj
def labels_add_cmd(
    session: _Session, name: str, key: str | None, color: str | None, description: str
) -> None:
    """Add a label NAME."""
    label = session.store().add_label(name, key=key, color=color, description=description)
    click.echo(f"added label {clean(label.name)} (key {label.key or 'none'}, {label.color})")
