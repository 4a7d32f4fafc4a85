"""HTML pages -> articles: only the article's text, its metadata, blocks and inline styles."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.importing import import_paths, load_file
from reader.store import Store
from reader.text.html import TITLE_MAX, HtmlError, clean_line, decode_html, parse_html
from reader.text.normalize import DecodeError, normalize
from reader.text.offsets import Utf16, normalize_mapped

PAGE = Path(__file__).resolve().parents[1] / "data" / "news_page.html"
BODY = "<p>" + "Enough words for trafilatura to call this an article body. " * 4 + "</p>"


def page(head: str = "", body: str = BODY) -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"


def styled(parsed: object, kind: str) -> list[tuple[str, object]]:
    text = parsed.text  # type: ignore[attr-defined]
    return [(text[s.start : s.end], s.value) for s in parsed.styles if s.kind == kind]  # type: ignore[attr-defined]


# -- the saved news page ------------------------------------------------------


def test_news_page_keeps_only_the_article() -> None:
    parsed = parse_html(PAGE.read_text(encoding="utf-8"))
    text = parsed.text
    assert text.startswith("Microsoft Loses Its Exclusive Cloud Role for OpenAI\n\n")
    assert "Microsoft is no longer the exclusive provider of computing power" in text
    assert text.endswith("while Oracle's rose more than 7 percent.")
    for boilerplate in (
        "Sign in",  # navigation
        "Subscribe",
        "Share on",  # share buttons
        "Email this article",
        "ADVERTISEMENT",  # ads
        "Continue reading below",
        "Read more",  # "read more" link
        "Technology correspondent",  # byline
        "Comments",  # comments
        "First!!!",
        "Most read",  # related links
        "All rights reserved",  # footer
        "cookies",  # cookie banner
        "Tech Briefing",  # newsletter box
    ):
        assert boilerplate not in text, boilerplate


def test_news_page_metadata_comes_from_json_ld_and_open_graph() -> None:
    meta = parse_html(PAGE.read_text(encoding="utf-8")).metadata
    assert meta["title"] == "Microsoft Loses Its Exclusive Cloud Role for OpenAI"
    assert meta["source"] == "The Harbour Ledger"
    assert meta["author"] == "Priya Raman"
    assert meta["date"] == "2025-01-22"  # published, not modified (01-24)
    assert meta["url"] == (
        "https://www.harbourledger.example/tech/2025/01/22/microsoft-openai-cloud-deal"
    )


def test_news_page_blocks_and_inline_styles_are_ranges_over_the_text() -> None:
    parsed = parse_html(PAGE.read_text(encoding="utf-8"))
    assert styled(parsed, "heading") == [
        ("Microsoft Loses Its Exclusive Cloud Role for OpenAI", 1),
        ("What the change means", 2),
    ]
    assert styled(parsed, "em") == [("exclusive", None)]
    assert styled(parsed, "strong") == [("right of first refusal", None)]
    # a relative link, resolved against the page's canonical address
    assert styled(parsed, "link") == [
        (
            "$500 billion data-centre venture",
            "https://www.harbourledger.example/tech/2025/01/21/stargate",
        )
    ]
    assert [t for t, _ in styled(parsed, "list_item")] == [
        "OpenAI may buy capacity from Oracle and others.",
        "Microsoft keeps exclusive rights to OpenAI's programming interface.",
    ]
    quotes = styled(parsed, "quote")
    assert len(quotes) == 1 and quotes[0][0].startswith("“This is the natural next step")
    # list items are a line apart, other blocks a blank line
    assert "others.\nMicrosoft keeps" in parsed.text
    assert "means\n\nAnalysts" in parsed.text


def test_html_file_imports_with_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.htm"
    path.write_bytes(PAGE.read_bytes())
    article = load_file(path)
    assert article.format == "html"
    assert article.title == "Microsoft Loses Its Exclusive Cloud Role for OpenAI"
    assert article.source == "The Harbour Ledger"
    assert article.author == "Priya Raman"
    assert article.published == "2025-01-22"
    assert article.url and article.url.endswith("/microsoft-openai-cloud-deal")
    assert article.text == parse_html(PAGE.read_text(encoding="utf-8")).text
    assert article.text == normalize(article.text).strip()


def test_a_folder_mixing_formats_imports_each(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.html").write_bytes(PAGE.read_bytes())
    (folder / "b.md").write_text("# Markdown\n\nA *styled* body.", encoding="utf-8")
    (folder / "c.txt").write_text("Plain title\n\nPlain body.", encoding="utf-8")
    (folder / "d.htm").write_bytes(b"\x00\x01\x02 binary")
    with Store(tmp_path / "db.sqlite") as store:
        results = import_paths(store, [folder])
    assert [(Path(r.path).name, r.status) for r in results] == [
        ("a.html", "imported"),
        ("b.md", "imported"),
        ("c.txt", "imported"),
        ("d.htm", "failed"),
    ]
    assert "binary" in results[3].message


# -- structure ------------------------------------------------------------------


def test_code_lists_tables_and_line_breaks() -> None:
    body = (
        "<h2>Section</h2><p>Text with <code>inline()</code> and <b>bold <i>both</i></b><br>"
        "next line.</p><pre><code>def f():\n    return 1</code></pre>"
        "<ol><li>one</li><li>two<ul><li>inner</li></ul></li></ol>"
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>" + BODY
    )
    parsed = parse_html(page(body=body))
    assert parsed.text.startswith(
        "Section\n\nText with inline() and bold both\nnext line.\n\n"
        "def f():\n    return 1\n\none\ntwo\ninner\n\nA | B\n1 | 2\n\n"
    )
    assert styled(parsed, "code") == [("inline()", None)]
    assert styled(parsed, "code_block") == [("def f():\n    return 1", None)]
    assert styled(parsed, "strong") == [("bold both", None)]
    assert styled(parsed, "em") == [("both", None)]
    assert styled(parsed, "list_item") == [("one", "1."), ("two", "2."), ("inner", "•")]


def test_a_page_without_an_article_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HtmlError, match="no article text"):
        parse_html("<html><head><title>Empty</title></head><body><nav></nav></body></html>")
    path = tmp_path / "empty.html"
    path.write_text("<html><body></body></html>", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"empty\.html: no article text found"):
        load_file(path)


# -- hostile pages --------------------------------------------------------------


def test_hostile_metadata_is_one_clean_short_line() -> None:
    evil = (
        "&#x1b;]0;pwned&#x7;Real &#x1b;[31mTitle&#x1b;[0m &lt;b&gt;bold&lt;/b&gt; [bold]x[/bold] "
        "&#x202e;drowssap&#x202c; \u202eliteral\u202c \x1b[2Jcleared"
    )
    head = (
        f'<title>{evil}</title><meta property="og:title" content="{evil}">'
        f'<meta property="og:site_name" content="Site&#x9b;31m\x1b]8;;http://x\x07Name">'
        '<meta name="author" content="&lt;i&gt;Ann&lt;/i&gt;\x1b[31m Lee">'
        '<link rel="canonical" href="javascript:alert(1)">'
    )
    meta = parse_html(page(head=head)).metadata
    title = meta["title"]
    assert title == "Real Title bold [bold]x[/bold] drowssap literal cleared"
    assert meta["source"] == "SiteName"
    assert meta["author"] == "Ann Lee"
    assert "url" not in meta  # not a web address
    for value in meta.values():
        assert value == normalize(value) and "\n" not in value and "<" not in value


def test_huge_metadata_is_cut() -> None:
    huge = "word " * 50_000
    meta = parse_html(page(head=f'<meta property="og:title" content="{huge}">')).metadata
    assert len(meta["title"]) <= TITLE_MAX and meta["title"].endswith("…")


def test_control_characters_in_the_text_go_whole() -> None:
    body = "<p>Red &#x1b;[31malert&#x1b;[0m here &#0; &#x202e;flipped &#xd800; &#60;kept&#62;</p>"
    text = parse_html(page(body=body + BODY)).text
    assert text.startswith("Red alert here flipped <kept>")
    assert text == normalize(text)


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ('<meta charset="windows-1252"><p>caf\xe9</p>'.encode("cp1252"), None, "café"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">\xe9',
            None,
            "é",
        ),
        ("<p>caf\xe9</p>".encode("cp1252"), "windows-1252", "café"),
        ("<p>café</p>".encode("utf-16"), None, "café"),
    ],
)
def test_declared_charsets_are_honoured(data: bytes, declared: str | None, expected: str) -> None:
    assert expected in decode_html(data, "page.html", declared)


def test_undeclared_bad_bytes_and_unknown_charsets_are_refused() -> None:
    with pytest.raises(DecodeError, match="not valid UTF-8"):
        decode_html(b"<p>caf\xe9</p>", "p.html")
    with pytest.raises(DecodeError, match="unknown charset 'klingon'"):
        decode_html(b'<meta charset="klingon"><p>x</p>', "p.html")


def test_clean_line_is_idempotent_on_plain_text() -> None:
    assert clean_line("  A   plain\n title ", 100) == "A plain title"
    assert clean_line("", 100) is None and clean_line(None, 100) is None


# -- offsets through normalization and UTF-16 -----------------------------------

_PIECES = list("ab \t\n\r\u2028\u0085\x1b[31m\x07\u0301\u202eé😀東")
_RAW = st.text(alphabet=st.sampled_from(_PIECES), max_size=40)


@given(_RAW)
def test_normalize_mapped_is_normalize_stripped(raw: str) -> None:
    text, where = normalize_mapped(raw)
    assert text == normalize(raw).strip()
    mapped = [where(i) for i in range(len(raw) + 1)]
    assert all(0 <= m <= len(text) for m in mapped)
    assert mapped[-1] == len(text)


@given(st.text(alphabet=st.sampled_from(list("ab \n東é")), max_size=40))
def test_offsets_of_an_unchanged_text_map_one_to_one(raw: str) -> None:
    raw = normalize(raw).strip()
    text, where = normalize_mapped(raw)
    assert text == raw and [where(i) for i in range(len(raw) + 1)] == list(range(len(raw) + 1))


def test_crlf_offsets_map_to_the_line_feed() -> None:
    text, where = normalize_mapped("ab\r\ncd")
    assert text == "ab\ncd"
    assert [where(i) for i in range(7)] == [0, 1, 2, 3, 3, 4, 5]


@given(st.text(alphabet=st.sampled_from(list("a😀é👩‍👧東\n")), max_size=30))
def test_utf16_offsets_round_trip(text: str) -> None:
    units = Utf16(text)
    encoded = text.encode("utf-16-le")
    for i in range(len(text) + 1):
        u = units.to_utf16(i)
        assert encoded[: 2 * u].decode("utf-16-le") == text[:i]
        assert units.from_utf16(u) == i
    for i, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            assert units.from_utf16(units.to_utf16(i) + 1) is None  # inside the pair
    assert units.from_utf16(len(encoded) // 2 + 1) is None
