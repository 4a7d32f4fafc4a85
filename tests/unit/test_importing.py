"""Files -> articles: bad input gets one clear line, good input is stored once."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.importing import MAX_BYTES, import_paths, import_seeds, load_file, words_in
from reader.seeds import seed_files
from reader.store import Store, article_id_for
from reader.text.normalize import normalize
from reader.text.paragraphs import paragraph_spans
from reader.text.words import count_words


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(ReaderError) as info:
        load_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


# -- good files -------------------------------------------------------------


def test_txt_becomes_an_article(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\n\n  A good title\r\n\r\nFirst line.\rSecond line.\n\n")
    article = load_file(path)
    assert article.text == "A good title\n\nFirst line.\nSecond line."
    assert article.title == "A good title"
    assert (article.id, article.sha256) == article_id_for(article.text)
    assert article.format == "txt" and article.styles == []
    assert article.words == count_words(article.text) == 7
    assert Path(article.path or "") == path.absolute()
    spans = paragraph_spans(article.text)
    assert [article.text[s:e] for s, e in spans] == ["A good title", "First line.", "Second line."]


def test_utf16_and_utf8_boms_are_honoured(tmp_path: Path) -> None:
    text = "Zürich 東京 👩‍👩‍👧‍👦\n\nBody."
    le = load_file(write(tmp_path / "le.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    be = load_file(write(tmp_path / "be.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be")))
    u8 = load_file(write(tmp_path / "u8.txt", codecs.BOM_UTF8 + text.encode("utf-8")))
    assert le.text == be.text == u8.text == text
    assert not le.text.startswith("\ufeff")


def test_escape_sequences_bidi_and_controls_are_removed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "hostile.txt",
        "Title \x1b[31mred\x1b[0m\n\nabc\u202edef\u2066x\u2069 [bold]markup[/] \x07bell\x9b",
    )
    text = load_file(path).text
    assert "\x1b" not in text and "\u202e" not in text and "\u2066" not in text
    assert "\x07" not in text and "\x9b" not in text
    assert text == "Title red\n\nabcdefx [bold]markup[/] bell"  # whole sequences go


def test_a_one_megabyte_single_line_imports(tmp_path: Path, store: Store) -> None:
    line = ("word " * 210_000).strip()
    assert len(line) > 1_000_000
    [result] = import_paths(store, [write(tmp_path / "long.txt", line)])
    assert result.status == "imported" and result.article is not None
    assert result.article.text == line
    assert len(result.article.title) <= 101 and result.article.title.endswith("…")
    assert store.article(result.article.id).words == 210_000


def test_combining_marks_are_composed(tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "nfc.txt", "Cafe\u0301 owner Zoe\u0308"))
    assert article.text == "Café owner Zoë" == normalize(article.text)


# -- bad files --------------------------------------------------------------


def test_binary_file_is_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "bin.txt", b"\x00\x01\x02 binary \xff\xfe"))
    assert "binary" in message


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "nul.txt", b"Some text\x00more text"))
    assert "NUL" in message


def test_invalid_utf8_names_the_byte_and_offset(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "latin1.txt", "Caf\xe9 au lait".encode("latin-1")))
    assert "0xe9" in message and "offset 3" in message


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \r\n", "\u2028\u2029".encode()])
def test_empty_files_are_refused(tmp_path: Path, content: bytes) -> None:
    assert refused(write(tmp_path / "empty.txt", content)).endswith("file is empty")


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: quick to make, 50 MB by size
        handle.truncate(50 * 1024 * 1024)
    assert refused(path) == f"{path}: 50.0 MB is larger than the 20 MB limit"
    just_over = tmp_path / "over.txt"
    with just_over.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    assert "larger than the 20 MB limit" in refused(just_over)


def test_unsupported_and_missing_files_are_refused(tmp_path: Path) -> None:
    assert "unsupported file type (.pdf)" in refused(write(tmp_path / "a.pdf", "x"))
    assert refused(tmp_path / "missing.txt").endswith("no such file")


# -- import_paths -----------------------------------------------------------


def test_import_twice_is_present_the_second_time(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path / "a.txt", "Title\n\nText.")
    [first] = import_paths(store, [path])
    [second] = import_paths(store, [path])
    assert (first.status, second.status) == ("imported", "present")
    assert first.article is not None and second.article is not None
    assert first.article.id == second.article.id
    assert store.article_count() == 1


def test_same_text_in_two_files_is_one_article(tmp_path: Path, store: Store) -> None:
    a = write(tmp_path / "a.txt", "Same\n\ntext")
    b = write(tmp_path / "b.txt", "Same\r\n\r\ntext\n")
    results = import_paths(store, [a, b])
    assert [r.status for r in results] == ["imported", "present"]
    assert store.article_count() == 1


def test_folder_import_is_recursive_sorted_and_skips_hidden(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    write(folder / "b.txt", "B title\n\nb")
    write(folder / "sub" / "a.md", "# A title\n\na")
    write(folder / "c.MARKDOWN", "C title\n\nc")
    write(folder / "notes.pdf", "not an article")
    write(folder / ".git" / "x.txt", "hidden")
    write(folder / ".hidden.txt", "hidden too")
    results = import_paths(store, [folder])
    assert [r.path.relative_to(folder).as_posix() for r in results] == [
        "b.txt",
        "c.MARKDOWN",
        "sub/a.md",
    ]
    assert [r.status for r in results] == ["imported"] * 3
    assert sorted(s.title for s in store.articles()) == ["A title", "B title", "C title"]


def test_bad_paths_are_failed_results_and_good_ones_are_stored(
    tmp_path: Path, store: Store
) -> None:
    good = write(tmp_path / "good.txt", "Good\n\ntext")
    empty_folder = tmp_path / "nothing"
    empty_folder.mkdir()
    results = import_paths(
        store,
        [
            tmp_path / "missing.txt",
            write(tmp_path / "bad.txt", b"ok \xc3\x28 bad"),
            write(tmp_path / "x.docx", "x"),
            empty_folder,
            good,
        ],
    )
    assert [r.status for r in results] == ["failed"] * 4 + ["imported"]
    messages = [r.message for r in results]
    assert messages[0] == "no such file or folder"
    assert messages[1].startswith("not valid UTF-8 text (byte 0xc3 at offset 3)")
    assert messages[2].startswith("unsupported file type (.docx)")
    assert "no .txt, .md, .markdown, .html, .htm files" in messages[3]
    assert all(r.article is None for r in results[:4])
    assert store.article_count() == 1


def test_batches_commit_every_article(tmp_path: Path, store: Store) -> None:
    import reader.importing as importing

    for i in range(7):
        write(tmp_path / f"{i}.txt", f"Article {i}\n\nBody {i}.")
    old = importing.BATCH
    importing.BATCH = 3
    try:
        results = import_paths(store, [tmp_path])
    finally:
        importing.BATCH = old
    assert [r.status for r in results] == ["imported"] * 7
    assert store.article_count() == 7
    assert all(r.article is not None and r.message == "imported" for r in results)


def test_parallel_loading_keeps_order_and_failures(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.importing as importing

    monkeypatch.setattr(importing, "_workers", lambda count: 2)
    paths = [write(tmp_path / f"{i:02}.txt", f"Article {i}\n\nBody {i}.") for i in range(20)]
    write(paths[7], b"\x00binary")
    results = import_paths(store, paths)
    assert [r.path for r in results] == paths
    assert [r.status for r in results] == ["imported"] * 7 + ["failed"] + ["imported"] * 12
    assert "NUL" in results[7].message
    assert [r.article.title for r in results if r.article] == [
        f"Article {i}" for i in range(20) if i != 7
    ]
    assert store.article_count() == 19


def test_small_imports_and_threaded_callers_load_serially() -> None:
    import threading

    import reader.importing as importing

    assert importing._workers(5) == 1
    started = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(target=lambda: (started.set(), stop.wait(5)))
    thread.start()
    try:
        started.wait(5)
        assert importing._workers(10_000) == 1
    finally:
        stop.set()
        thread.join()


def test_a_store_failure_is_raised_and_earlier_batches_stay(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.importing as importing
    from reader.errors import StoreError

    for i in range(5):
        write(tmp_path / f"{i}.txt", f"Article {i}\n\nBody {i}.")
    monkeypatch.setattr(importing, "BATCH", 2)
    real = store.add_articles
    calls = []

    def failing(articles: list) -> list:  # type: ignore[type-arg]
        calls.append(len(articles))
        if len(calls) == 2:
            raise StoreError("the disk holding the database is full; nothing was changed")
        return real(articles)

    monkeypatch.setattr(store, "add_articles", failing)
    with pytest.raises(StoreError, match="disk"):
        import_paths(store, [tmp_path])
    assert store.article_count() == 2


def test_seeds_import_with_their_titles(store: Store) -> None:
    results = import_seeds(store)
    assert [r.status for r in results] == ["imported"] * len(seed_files()) == ["imported"] * 5
    by_name = {r.path.name[:3]: r.article for r in results}
    assert by_name["000"].title == (
        "Microsoft’s Cloud Reign Ends as OpenAI Teams Up with $500 Billion Stargate Project!"
    )
    assert by_name["002"].title == "Microsoft and OpenAI: A Shift in Cloud Computing Partnership"
    assert by_name["004"].title == "Microsoft Loses Exclusive Cloud Role for OpenAI"
    assert by_name["004"].source == "AiNews.com"
    assert by_name["001"].published == "2025-01-23"
    assert by_name["003"].url == (
        "https://autogpt.net/openai-expands-cloud-partnerships-loosens-microsofts-exclusivity/"
    )
    for result in results:
        article = result.article
        assert article is not None
        stored = store.article(article.id)
        assert stored.text == normalize(result.path.read_text(encoding="utf-8")).strip()
        assert stored.title == article.title and stored.words > 100
    assert [r.status for r in import_seeds(store)] == ["present"] * 5


# -- the fast word count ----------------------------------------------------


@given(
    st.text(
        st.characters(blacklist_categories=("Cs",)) | st.sampled_from("’'-., ab1²½\u0301\u093f")
    )
)
def test_words_in_is_exactly_count_words(text: str) -> None:
    assert words_in(text) == count_words(text)


def test_words_in_agrees_on_marks_and_other_numbers() -> None:
    for text in ["हिन्दी भाषा", "x² ½ cafe\u0301", "OpenAI’s $6.6 billion", "東京の記者"]:
        assert words_in(text) == count_words(text)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_import_counts_words_with_the_passages_as_count_words_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    # the loading workers count an article's words with its passages' terms
    import reader.importing as importing

    monkeypatch.setattr(importing, "_workers", lambda count: workers)
    monkeypatch.setattr(importing, "CHUNK", 3)
    folder = tmp_path / "in"
    folder.mkdir()
    texts = [
        "Title\n\nOpenAI’s $6.6 billion deal, U.S. rules: e-mail x² ½ cafe\u0301.\n\n\tMr. Smith",
        "हिन्दी भाषा। 東京の記者。 Ends here.\r\nSecond  line , with - dashes -- and 5 K.",
        "<p>ignored as text</p> one_two three's four'",
        *[f"Article {i}\n\nIt says {i} things. Then {i * 3} more." for i in range(5)],
    ]
    for i, text in enumerate(texts):
        write(folder / f"{i}.txt", text)
    write(folder / "page.md", "---\ntitle: T\n---\n# Head\n\nSome *marked* words, 5 bn.")
    with Store(tmp_path / "r.db") as store:
        results = import_paths(store, [folder])
    assert [r.status for r in results] == ["imported"] * (len(texts) + 1)
    for result in results:
        assert result.article is not None
        assert result.article.words == count_words(result.article.text) > 0
        assert result.article.words == load_file(Path(result.path)).words


def test_an_import_keeps_a_large_page_cache_and_gives_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one cache for the whole import: shrunk between batches, SQLite dropped
    # the B-trees' pages and each batch read them again
    import reader.importing as importing

    monkeypatch.setattr(importing, "BATCH", 2)
    seen = []
    store_batch = importing._store

    def store(store: Store, pending: list) -> None:
        seen.append(store.conn.execute("PRAGMA cache_size").fetchone()[0])
        store_batch(store, pending)

    monkeypatch.setattr(importing, "_store", store)
    for i in range(5):
        write(tmp_path / f"{i}.txt", f"Title {i}\n\nThe text of article {i}.")
    with Store(tmp_path / "r.db") as db:
        before = db.conn.execute("PRAGMA cache_size").fetchone()[0]
        import_paths(db, [tmp_path / f"{i}.txt" for i in range(5)])
        assert db.conn.execute("PRAGMA cache_size").fetchone()[0] == before
    assert seen == [-importing.CACHE_KIB] * 3 != [before] * 3


# -- Markdown files -----------------------------------------------------------


def test_markdown_file_has_styles_and_front_matter_metadata(tmp_path: Path, store: Store) -> None:
    path = write(
        tmp_path / "story.md",
        "---\ntitle: From Front Matter\nsource: Example Times\ndate: 2025-01-23\n"
        "url: https://example.com/story\n---\n\n# Heading\n\nSome **bold** text.\n",
    )
    [result] = import_paths(store, [path])
    article = store.article(result.article.id if result.article else "")
    assert article.text == "Heading\n\nSome bold text."
    assert (article.title, article.source, article.published, article.url) == (
        "From Front Matter",
        "Example Times",
        "2025-01-23",
        "https://example.com/story",
    )
    assert article.format == "md"
    assert [(s.kind, article.text[s.start : s.end]) for s in article.styles] == [
        ("heading", "Heading"),
        ("strong", "bold"),
    ]


def test_markdown_title_is_guessed_from_the_reading_text(tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "a.markdown", "# The *Real* Title\n\nBody text."))
    assert article.title == "The Real Title"


def test_markdown_starting_with_indented_code_keeps_it(tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "code.md", "    code line\n\nAfter."))
    assert article.text == "code line\n\nAfter."
    assert article.styles[0].kind == "code_block"


def test_invalid_front_matter_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.md", "---\ntitle: ok\nbad: [unclosed\n---\nBody")
    message = refused(path)
    assert message.startswith(f"{path}: front matter line ")


def test_markdown_with_only_front_matter_is_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "fm.md", "---\ntitle: Only\n---\n\n"))
    assert message.endswith("has no text besides its front matter")
