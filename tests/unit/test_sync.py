"""`reader sync`: two workspaces, files carried between them as git would, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from reader import session
from reader.cli import cli
from reader.history import History
from reader.models import Article
from reader.seeds import seed_files
from reader.store import Store
from reader.sync import annotator_file_name, read_settings, tui_sync
from tests.factories import add_article, record, write_jsonl
from tests.reference import exact, greedy_overlap, reference_alpha, values

SAMPLE = seed_files()[0]


@pytest.fixture(autouse=True)
def no_db_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each workspace finds its own annotations/reader.db, as in real use."""
    monkeypatch.delenv("READER_DB", raising=False)


def workspace(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    (root / "annotations").mkdir(parents=True)
    (root / "articles").mkdir()
    shutil.copy(SAMPLE, root / "articles" / SAMPLE.name)
    return root


def sync(root: Path, annotator: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(root)
    return CliRunner().invoke(cli, ["--annotator", annotator, "sync"], catch_exceptions=False)


def store_of(root: Path) -> Store:
    return Store(root / "annotations" / "reader.db")


def sample(store: Store) -> Article:
    (summary,) = store.articles()
    return store.article(summary.id)


def sentence(article: Article, words: str) -> tuple[int, int]:
    start = article.text.index(words)
    return start, start + len(words)


def state(root: Path) -> dict[str, Any]:
    """What the team sees in one database: every annotation, tombstones included."""
    with store_of(root) as store:
        return {
            x.id: (x.annotator, x.start, x.end, x.label, x.deleted)
            for x in store.annotations(sample(store).id, include_deleted=True)
        }


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    """The shared files (the database is git-ignored), their bytes and mtimes."""
    folder = root / "annotations"
    shared = [p for p in sorted(folder.iterdir()) if not p.name.startswith("reader.db")]
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in shared}


def carry(source: Path, target: Path, name: str) -> None:
    """What a pull does: the colleague's file arrives as they committed it."""
    shutil.copy(source / "annotations" / name, target / "annotations" / name)


# -- the done-when -------------------------------------------------------------


def test_two_workspaces_sync_through_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ana_ws, ben_ws = workspace(tmp_path, "ana"), workspace(tmp_path, "ben")
    for root, who in [(ana_ws, "ana"), (ben_ws, "ben")]:
        result = sync(root, who, monkeypatch)  # imports articles/
        assert result.exit_code == 0 and "articles: 1 imported" in result.stdout

    with store_of(ana_ws) as store:
        article = sample(store)
        history = History(store, article, "ana")
        history.tag(*sentence(article, "It’s likely you’ve heard that OpenAI"), "claim")
        _, gone = history.tag(*sentence(article, "This massive project"), "opinion")
        history.tag(*sentence(article, "Stargate"), "claim")
    with store_of(ben_ws) as store:
        article = sample(store)
        history = History(store, article, "ben")
        history.tag(*sentence(article, "It’s likely you’ve heard that OpenAI"), "claim")
        history.tag(*sentence(article, "This massive project, valued"), "speculation")

    for root, who in [(ana_ws, "ana"), (ben_ws, "ben")]:
        result = sync(root, who, monkeypatch)
        assert result.exit_code == 0, result.output
        assert f"wrote annotations/{who}.jsonl" in result.stdout
    carry(ana_ws, ben_ws, "ana.jsonl")
    carry(ben_ws, ana_ws, "ben.jsonl")
    assert "merged annotations/ana.jsonl: 3 added" in sync(ben_ws, "ben", monkeypatch).stdout
    assert "merged annotations/ben.jsonl: 2 added" in sync(ana_ws, "ana", monkeypatch).stdout
    assert state(ana_ws) == state(ben_ws) and len(state(ana_ws)) == 5

    # a deletion is carried over too
    with store_of(ana_ws) as store:
        History(store, sample(store), "ana").delete(gone.id)
    sync(ana_ws, "ana", monkeypatch)
    carry(ana_ws, ben_ws, "ana.jsonl")
    assert "1 updated" in sync(ben_ws, "ben", monkeypatch).stdout
    assert state(ben_ws)[gone.id][-1] is True  # deleted there as well
    assert state(ana_ws) == state(ben_ws)

    # a third sync changes nothing: the same bytes, not even a new mtime
    before = {root: files(root) for root in (ana_ws, ben_ws)}
    for root, who in [(ana_ws, "ana"), (ben_ws, "ben")]:
        result = sync(root, who, monkeypatch)
        assert f"annotations/{who}.jsonl unchanged" in result.stdout
    assert {root: files(root) for root in (ana_ws, ben_ws)} == before
    for name in ("ana.jsonl", "ben.jsonl"):
        assert before[ana_ws][name][0] == before[ben_ws][name][0]

    # reader agree --json: the same figures in both workspaces, equal to the plain way
    monkeypatch.chdir(ana_ws)
    figures = json.loads(CliRunner().invoke(cli, ["agree", "--json"]).stdout)
    monkeypatch.chdir(ben_ws)
    assert json.loads(CliRunner().invoke(cli, ["agree", "--json"]).stdout) == figures
    assert figures["annotators"] == ["ana", "ben"]
    assert figures["pairs"] == independent_figures(ana_ws)


def independent_figures(root: Path) -> list[dict[str, Any]]:
    """`reader agree --json`'s pairs, computed per code point with the krippendorff
    package and by trying every pair of spans."""
    with store_of(root) as store:
        article = sample(store)
        labels = [label.name for label in store.labels()]
        live = [x for x in store.annotations(article.id) if not x.deleted]
    rank = {label: i for i, label in enumerate(labels)}
    spans = {
        who: [(x.start, x.end, x.label) for x in live if x.annotator == who]
        for who in ("ana", "ben")
    }
    rows = []
    for label in [*labels, None]:
        a = [s for s in spans["ana"] if label is None or s[2] == label]
        b = [s for s in spans["ben"] if label is None or s[2] == label]
        n = len(article.text)
        alpha = reference_alpha(values(a, n, label, rank), values(b, n, label, rank))
        total = len(a) + len(b)
        rows.append(
            {
                "a": "ana",
                "b": "ben",
                "label": label,
                "char_alpha": pytest.approx(alpha, abs=1e-9) if alpha is not None else None,
                "f1_exact": 2 * exact(a, b) / total if total else None,
                "f1_overlap": 2 * greedy_overlap(a, b) / total if total else None,
                "n_a": len(a),
                "n_b": len(b),
            }
        )
    return rows


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_workflow_never_conflicts(tmp_path: Path) -> None:
    """The README's workflow with real git: clone, sync, commit, pull, sync."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }  # fmt: skip

    def sh(cwd: Path, *args: str, annotator: str | None = None) -> str:
        extra = {"READER_ANNOTATOR": annotator} if annotator else {}
        done = subprocess.run(
            args, cwd=cwd, env={**env, **extra}, capture_output=True, text=True, check=True
        )
        return done.stdout

    remote = tmp_path / "team.git"
    sh(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(remote))
    seed = workspace(tmp_path, "seed")
    sh(seed, "git", "init", "-q", "-b", "main")
    (seed / "annotations" / "reader.toml").write_text('sync = "manual"\n', encoding="utf-8")
    sh(seed, "git", "add", ".")
    sh(seed, "git", "commit", "-qm", "articles")
    sh(seed, "git", "push", "-q", str(remote), "main")
    clones = {}
    for who in ("ana", "ben"):
        clones[who] = tmp_path / f"{who}-clone"
        sh(tmp_path, "git", "clone", "-q", str(remote), str(clones[who]))
        sh(clones[who], sys.executable, "-m", "reader", "sync", annotator=who)
        with store_of(clones[who]) as store:
            article = sample(store)
            History(store, article, who).tag(*sentence(article, "Stargate"), "claim")
        sh(clones[who], sys.executable, "-m", "reader", "sync", annotator=who)
        sh(clones[who], "git", "add", "annotations")
        sh(clones[who], "git", "commit", "-qm", f"{who}'s annotations")
    sh(clones["ana"], "git", "push", "-q")
    for who in ("ben", "ana"):  # ben pulls ana's file and pushes his; ana pulls his
        sh(clones[who], "git", "pull", "-q", "--no-rebase", "--no-edit")
        sh(clones[who], sys.executable, "-m", "reader", "sync", annotator=who)
        assert sh(clones[who], "git", "status", "--porcelain") == ""
        sh(clones[who], "git", "push", "-q")
    assert state(clones["ana"]) == state(clones["ben"]) and len(state(clones["ana"])) == 2


# -- nothing is lost -------------------------------------------------------------


def own_file(root: Path, annotator: str = "ana") -> Path:
    return root / "annotations" / annotator_file_name(annotator)


def synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Article]:
    """A workspace after its first sync (ana's), and its article."""
    root = workspace(tmp_path, "ws")
    sync(root, "ana", monkeypatch)
    with store_of(root) as store:
        return root, sample(store)


def test_own_records_for_absent_articles_and_of_others_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, article = synced(tmp_path, monkeypatch)
    with store_of(root) as store:
        store.add_annotation(article, 0, 9, "claim", "ana")
    elsewhere = add_article(Store(":memory:"), "An article only on my other machine.")
    absent = record(elsewhere, 0, 10, id="absent", annotator="ana")
    stranger = record(article, 0, 9, id="stranger", annotator="zed")
    path = own_file(root)
    write_jsonl(path, [absent, stranger])
    kept = path.read_bytes().splitlines()
    result = sync(root, "ana", monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"no article {elsewhere.id}" in result.stderr and "stays in its file" in result.stderr
    assert "left, not by the annotator the file is named for: zed 1" in result.stdout
    lines = path.read_bytes().splitlines()
    assert kept[0] in lines and kept[1] in lines and len(lines) == 3  # ours, as they were
    keys = [(r["article_id"], r["start"], r["end"], r["id"]) for r in map(json.loads, lines)]
    assert keys == sorted(keys)  # in export order, the kept lines among ours
    with store_of(root) as store:
        assert "stranger" not in {x.id for x in store.annotations(article.id)}
    before = files(root)
    sync(root, "ana", monkeypatch)
    assert files(root) == before


def test_only_the_named_annotator_is_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, article = synced(tmp_path, monkeypatch)
    theirs = record(article, 0, 9, id="b1", annotator="Ben")  # "Ben" is named ben.jsonl
    posing = record(article, 10, 20, id="c1", annotator="cleo")
    path = write_jsonl(root / "annotations" / "ben.jsonl", [theirs, posing])
    before = path.read_bytes()
    result = sync(root, "ana", monkeypatch)
    assert "merged annotations/ben.jsonl: 1 added" in result.stdout and "cleo 1" in result.stdout
    with store_of(root) as store:
        assert {x.id for x in store.annotations(article.id)} == {"b1"}
    assert path.read_bytes() == before  # another's file is never written


def test_same_annotator_on_two_machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop, desktop = workspace(tmp_path, "laptop"), workspace(tmp_path, "desktop")
    sync(laptop, "ana", monkeypatch)
    with store_of(laptop) as store:
        article = sample(store)
        store.add_annotation(article, 0, 9, "claim", "ana")
    sync(laptop, "ana", monkeypatch)
    carry(laptop, desktop, "ana.jsonl")
    assert "1 added" in sync(desktop, "ana", monkeypatch).stdout
    assert own_file(desktop).read_bytes() == own_file(laptop).read_bytes()


def test_malformed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, article = synced(tmp_path, monkeypatch)
    bad = root / "annotations" / "ben.jsonl"
    bad.write_text('{"id": "x", "annotator": "ben"}\nnot json\n', encoding="utf-8")
    write_jsonl(root / "annotations" / "cleo.jsonl", [record(article, 0, 9, annotator="cleo")])
    result = sync(root, "ana", monkeypatch)
    assert result.exit_code == 1
    assert "annotations/ben.jsonl:1: missing field 'article_id'" in result.stderr
    assert "merged annotations/cleo.jsonl: 1 added" in result.stdout  # the others still merge
    own = own_file(root)
    own.write_text("{broken\n", encoding="utf-8")
    result = sync(root, "ana", monkeypatch)
    assert result.exit_code == 1 and "annotations/ana.jsonl:1: not valid JSON" in result.stderr
    assert own.read_text(encoding="utf-8") == "{broken\n"  # never overwritten


def test_first_sync_writes_a_gitignore_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = workspace(tmp_path, "ws")
    ignore = root / "annotations" / ".gitignore"
    result = sync(root, "ana", monkeypatch)
    assert "nothing to write to annotations/ana.jsonl yet" in result.stdout
    assert "wrote annotations/.gitignore" in result.stdout
    assert not own_file(root).exists() and "reader.db*" in ignore.read_text(encoding="utf-8")
    ignore.write_text("mine\n", encoding="utf-8")
    with store_of(root) as store:
        store.add_annotation(sample(store), 10, 19, "claim", "ana")
    assert ".gitignore" not in sync(root, "ana", monkeypatch).stdout
    assert ignore.read_text(encoding="utf-8") == "mine\n"  # one's own is left alone


def test_outside_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["sync"])
    assert result.exit_code == 1 and "not in a workspace" in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -- names and settings ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("ana", "ana.jsonl"),
        ("Ana", "ana.jsonl"),
        ("Ana López", "ana-lópez.jsonl"),
        ("Ana Lo\u0301pez", "ana-lópez.jsonl"),  # NFC first
        ("../../etc/passwd", "etc-passwd.jsonl"),
        ("a\\b:c", "a-b-c.jsonl"),
        ("\x1b[31mred\x1b[0m", "31mred-0m.jsonl"),
        ("\u202eevil", "evil.jsonl"),
        (".hidden", "hidden.jsonl"),
        ("///", "annotator.jsonl"),
        ("", "annotator.jsonl"),
        ("CON", "con_.jsonl"),
        ("nul.txt", "nul.txt_.jsonl"),
        ("名前", "名前.jsonl"),
        ("x" * 100, "x" * 64 + ".jsonl"),
    ],
)
def test_annotator_file_names(name: str, file: str) -> None:
    assert annotator_file_name(name) == file


@given(st.text(max_size=80))
def test_file_names_are_safe(name: str) -> None:
    file = annotator_file_name(name)
    stem = file.removesuffix(".jsonl")
    assert file.endswith(".jsonl") and 0 < len(stem) <= 64
    assert not any(c in file for c in "/\\:\x00") and file.isprintable()
    assert not stem.startswith((".", "-", "_"))
    # nothing hangs off the end, but the "_" that marks a Windows device name (aux_)
    assert not stem.endswith((".", "-", "_")) or annotator_file_name(stem[:-1]) == file
    assert annotator_file_name(stem) == file  # a file's own name maps to itself


def test_settings(tmp_path: Path) -> None:
    assert read_settings(tmp_path).sync == "manual"
    (tmp_path / "reader.toml").write_text('sync = "auto"\n', encoding="utf-8")
    assert read_settings(tmp_path).sync == "auto"
    (tmp_path / "reader.toml").write_text("sync = 3\n", encoding="utf-8")
    settings = read_settings(tmp_path)
    assert settings.sync == "manual" and "is not one of" in settings.problems[0]
    (tmp_path / "reader.toml").write_text("sync = [", encoding="utf-8")
    settings = read_settings(tmp_path)
    assert settings.sync == "manual" and "cannot be read" in settings.problems[0]


def test_tui_syncs_on_start_and_quit_when_set(tmp_path: Path) -> None:
    root = workspace(tmp_path, "ws")
    said: list[str] = []
    with store_of(root) as store:
        session._sync_hook(store, "ana", said.append)  # no reader.toml: nothing happens
        assert store.article_count() == 0
        (root / "annotations" / "reader.toml").write_text('sync = "manual"\n', encoding="utf-8")
        assert tui_sync(store, "ana", said.append) is None and store.article_count() == 0
        (root / "annotations" / "reader.toml").write_text('sync = "auto"\n', encoding="utf-8")
        session._sync_hook(store, "ana", said.append)  # as the TUI starts
        store.add_annotation(sample(store), 0, 9, "claim", "ana")
        ben = record(sample(store), 10, 19, annotator="ben\x1b]0;pwned\x07")
        write_jsonl(root / "annotations" / "ben-0-pwned.jsonl", [ben])
        session._sync_hook(store, "ana", said.append)  # as it quits
    assert said == [
        "reader: sync: merged annotations/ben-0-pwned.jsonl: 1 added, 0 updated, "
        "0 unchanged, 0 re-anchored, 0 skipped",
        "reader: sync: wrote annotations/ana.jsonl",
    ]
    assert own_file(root).exists()
    with Store(tmp_path / "elsewhere.db") as other:  # not a workspace's database
        assert tui_sync(other, "ana", said.append) is None
