"""merge(): validate whole files, upsert by id, re-anchor, never store a wrong span."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.exporting import export
from reader.merging import merge
from reader.models import Article, context_of
from reader.store import Store
from tests import factories
from tests.factories import add_article, table_dump, write_jsonl

TEXT = "Microsoft said the deal is big. 👩‍👩‍👧 families, 中文 text and caf\u00e9 stay whole. Done."


def exported(store: Store, **kwargs: Any) -> str:
    out = io.StringIO()
    export(store, out, **kwargs)
    return out.getvalue()


def write(path: Path, records: list[Any] | str) -> Path:
    if isinstance(records, str):
        path.write_text(records, encoding="utf-8")
        return path
    return write_jsonl(path, records)


def record(article: Article, at: int, to: int, /, **changes: Any) -> dict[str, Any]:
    """An exported record of article.text[at:to], id "rec-1"; `changes` override any field."""
    return factories.record(article, at, to, **{"id": "rec-1", **changes})


@pytest.fixture
def article(store: Store) -> Article:
    return add_article(store, TEXT)


# -- upsert ----------------------------------------------------------------


def test_new_record_is_added_as_given(store: Store, article: Article, tmp_path: Path) -> None:
    start = TEXT.index("👩")
    rec = record(article, start, start + 8, note="family 👍", annotator="zoë", origin="prodigy")
    report = merge(store, [write(tmp_path / "a.jsonl", [rec])])
    assert (report.added, report.updated, report.unchanged, report.skipped) == (1, 0, 0, 0)
    stored = store.annotation("rec-1")
    assert (stored.start, stored.end, stored.quote) == (start, start + 8, TEXT[start : start + 8])
    assert (stored.note, stored.annotator, stored.origin) == ("family 👍", "zoë", "prodigy")
    assert (stored.created_at, stored.updated_at) == (rec["created_at"], rec["updated_at"])


def test_newer_wins_older_and_equal_change_nothing(
    store: Store, article: Article, tmp_path: Path
) -> None:
    merge(store, [write(tmp_path / "a.jsonl", [record(article, 0, 9)])])
    newer = record(article, 0, 9, label="opinion", updated_at="2025-02-01T00:00:00Z")
    assert merge(store, [write(tmp_path / "b.jsonl", [newer])]).updated == 1
    assert store.annotation("rec-1").label == "opinion"
    older = record(article, 0, 9, label="speculation", updated_at="2024-12-01T00:00:00Z")
    equal = record(article, 0, 9, label="speculation", updated_at="2025-02-01T00:00:00Z")
    report = merge(store, [write(tmp_path / "c.jsonl", [older, equal])])
    assert (report.unchanged, report.updated) == (2, 0)
    assert store.annotation("rec-1").label == "opinion"


def test_times_compare_as_instants_not_strings(
    store: Store, article: Article, tmp_path: Path
) -> None:
    merge(
        store,
        [write(tmp_path / "a.jsonl", [record(article, 0, 9, updated_at="2025-01-01T10:00:00Z")])],
    )
    # 09:30 at UTC+1 is 08:30Z: older, though it sorts later as text
    later_as_text = record(article, 0, 9, label="opinion", updated_at="2025-01-01T09:30:00+01:00")
    assert merge(store, [write(tmp_path / "b.jsonl", [later_as_text])]).unchanged == 1
    assert store.annotation("rec-1").label == "claim"


def test_merging_twice_changes_nothing(
    store: Store, article: Article, db_path: Path, tmp_path: Path
) -> None:
    recs = [record(article, 0, 9), record(article, 10, 14, id="rec-2", start=500, end=504)]
    path = write(tmp_path / "a.jsonl", recs)
    first = merge(store, [path])
    assert (first.added, first.reanchored) == (2, 1)
    before = table_dump(db_path)
    again = merge(store, [path])
    assert (again.added, again.updated, again.unchanged, again.reanchored) == (0, 0, 2, 0)
    assert table_dump(db_path) == before


def test_deletions_propagate_with_include_deleted(
    store: Store, article: Article, tmp_path: Path
) -> None:
    other = Store(":memory:")
    mine = add_article(other, TEXT)
    kept = other.add_annotation(mine, 0, 9, "claim", "ann")
    gone = other.add_annotation(mine, 10, 14, "claim", "ann")
    path = tmp_path / "all.jsonl"
    path.write_text(exported(other, include_deleted=True), encoding="utf-8")
    merge(store, [path])
    other.delete_annotation(gone.id)
    path.write_text(exported(other, include_deleted=True), encoding="utf-8")
    report = merge(store, [path])
    assert (report.updated, report.unchanged) == (1, 1)
    assert [a.id for a in store.annotations(article.id)] == [kept.id]
    assert store.annotation(gone.id).deleted
    assert exported(store, include_deleted=True) == exported(other, include_deleted=True)


# -- articles, anchoring, labels ------------------------------------------


def test_unknown_article_is_reported_and_skipped(
    store: Store, article: Article, tmp_path: Path
) -> None:
    rec = record(article, 0, 9, article_id="ffffffffffff", article_sha256="f" * 64)
    report = merge(store, [write(tmp_path / "a.jsonl", [rec, record(article, 0, 9, id="ok")])])
    assert (report.added, report.skipped) == (1, 1)
    assert "a.jsonl:1" in report.problems[0] and "no article ffffffffffff" in report.problems[0]
    assert [a.id for a in store.annotations(article.id)] == ["ok"]


def test_article_found_by_sha256_when_its_id_differs(
    store: Store, article: Article, tmp_path: Path
) -> None:
    rec = record(article, 0, 9, article_id="renamed")
    assert merge(store, [write(tmp_path / "a.jsonl", [rec])]).added == 1
    assert store.annotation("rec-1").article_id == article.id


def test_stale_offsets_are_reanchored_with_fresh_context(store: Store, tmp_path: Path) -> None:
    old = "The deal is big. Microsoft said the deal is big."
    new = add_article(store, "UPDATE: " + old)
    start = old.rindex("the deal")
    quote, prefix, suffix = context_of(old, start, start + 8)
    rec = record(new, 0, 1, start=start, end=start + 8, text=quote, prefix=prefix, suffix=suffix)
    report = merge(store, [write(tmp_path / "a.jsonl", [rec])])
    assert (report.added, report.reanchored) == (1, 1)
    stored = store.annotation("rec-1")
    assert stored.start == start + len("UPDATE: ")
    assert (stored.quote, stored.prefix, stored.suffix) == context_of(
        new.text, stored.start, stored.end
    )


def test_unanchorable_quote_is_skipped_never_stored(
    store: Store, article: Article, tmp_path: Path
) -> None:
    rec = record(article, 0, 9, text="Google said")
    report = merge(store, [write(tmp_path / "a.jsonl", [rec])])
    assert (report.added, report.skipped) == (0, 1)
    assert "'Google said' is not in article" in report.problems[0]
    assert store.annotations(article.id) == []


def test_decomposed_quote_anchors_to_the_nfc_text(
    store: Store, article: Article, tmp_path: Path
) -> None:
    start = TEXT.index("café")
    rec = record(article, start, start + 4, text="cafe\u0301", start=0, end=5)
    assert merge(store, [write(tmp_path / "a.jsonl", [rec])]).reanchored == 1
    assert store.annotation("rec-1").quote == "café"


def test_unknown_label_is_created_and_reported(
    store: Store, article: Article, tmp_path: Path
) -> None:
    report = merge(store, [write(tmp_path / "a.jsonl", [record(article, 0, 9, label="rumour")])])
    assert report.created_labels == ["rumour"] and "rumour" in report.summary()
    label = store.label("rumour")
    assert label.key == "4"  # the next free key, so it tags at once


def test_a_label_differing_in_case_maps_to_ours_and_says_so(
    store: Store, article: Article, tmp_path: Path
) -> None:
    records = [
        record(article, 0, 9, label="Claim"),
        {**record(article, 10, 15, label="hedge"), "id": "rec-2"},
        {**record(article, 16, 20, label="Hedge"), "id": "rec-3"},
    ]
    report = merge(store, [write(tmp_path / "a.jsonl", records)])
    assert report.mapped_labels == {"Claim": "claim", "Hedge": "hedge"}
    assert "Claim → claim" in report.summary()
    assert report.created_labels == ["hedge"]
    assert store.annotation("rec-1").label == "claim"
    assert store.annotation("rec-3").label == "hedge"
    assert [label.name for label in store.labels()] == ["claim", "opinion", "speculation", "hedge"]


def test_invalid_label_name_is_skipped(store: Store, article: Article, tmp_path: Path) -> None:
    report = merge(store, [write(tmp_path / "a.jsonl", [record(article, 0, 9, label="two words")])])
    assert report.skipped == 1 and "not a valid label" in report.problems[0]
    assert "two words" not in {label.name for label in store.labels()}


def test_labels_and_annotations_commit_together(
    store: Store, article: Article, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_dump(db_path)

    def broken(*args: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "put_annotations", broken)
    with pytest.raises(ReaderError):
        merge(store, [write(tmp_path / "a.jsonl", [record(article, 0, 9, label="rumour")])])
    assert table_dump(db_path) == before


def test_same_id_twice_keeps_the_newest(store: Store, article: Article, tmp_path: Path) -> None:
    a = record(article, 0, 9, updated_at="2025-03-01T00:00:00Z", label="opinion")
    b = record(article, 0, 9, updated_at="2025-02-01T00:00:00Z")
    report = merge(store, [write(tmp_path / "a.jsonl", [a]), write(tmp_path / "b.jsonl", [b])])
    assert (report.added, report.unchanged) == (1, 1)
    assert store.annotation("rec-1").label == "opinion"


def test_blank_lines_crlf_and_bom_are_fine(store: Store, article: Article, tmp_path: Path) -> None:
    line = json.dumps(record(article, 0, 9))
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf\r\n" + line.encode() + b"\r\n\n   \n")
    assert merge(store, [path]).added == 1


# -- malformed files: refused whole, naming the line ------------------------

BAD_LINES = {
    "not json": ("{not json", "not valid JSON"),
    "array": ("[1, 2]", "expected a JSON object, got list"),
    "string": ('"hello"', "expected a JSON object, got str"),
    "huge float": ("HUGE", "'start' must be an integer"),
    "huge int digits": ('{"start": ' + "9" * 5000 + "}", "not valid JSON"),
    "nested": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "NUL byte": ('{"id": "a\x00b"}', "not valid JSON"),
    "invalid utf-8": (b'{"id": "\xff"}', "not UTF-8"),
    "lone surrogate": ("SURROGATE", "unpaired surrogate"),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_malformed_line_refuses_the_whole_file(
    case: str, store: Store, article: Article, db_path: Path, tmp_path: Path
) -> None:
    bad, reason = BAD_LINES[case]
    good = json.dumps(record(article, 0, 9))
    if bad == "SURROGATE":
        bad = json.dumps(record(article, 10, 14, id="x", note="\ud800"))
    if bad == "HUGE":
        bad = json.dumps(record(article, 10, 14, id="x")).replace('"start": 10', '"start": 1e999')
    data = (
        (good + "\n\n").encode() + (bad if isinstance(bad, bytes) else bad.encode("utf-8")) + b"\n"
    )
    path = tmp_path / "bad.jsonl"
    path.write_bytes(data)
    before = table_dump(db_path)
    with pytest.raises(ReaderError) as info:
        merge(store, [path])
    assert str(info.value).startswith(f"{path}:3: ")
    assert reason in str(info.value)
    assert "\n" not in str(info.value)
    assert table_dump(db_path) == before


FIELD_PROBLEMS = [
    ({"start": -1}, "0 <= start < end"),
    ({"start": 9, "end": 9}, "0 <= start < end"),
    ({"start": "0"}, "'start' must be an integer"),
    ({"end": True}, "'end' must be an integer"),
    ({"end": 9.0}, "'end' must be an integer"),
    ({"text": ""}, "'text' (the quote) is empty"),
    ({"text": 5}, "'text' must be a string"),
    ({"id": ""}, "'id' must be a non-empty"),
    ({"id": 7}, "'id' must be a string"),
    ({"id": "x" * 1000}, "at most 200"),
    ({"updated_at": "yesterday"}, "not an ISO-8601 time"),
    ({"updated_at": None}, "missing field 'updated_at'"),
    ({"label": ["claim"]}, "'label' must be a string"),
    ({"note": {"a": 1}}, "'note' must be a string"),
]


@pytest.mark.parametrize(("changes", "reason"), FIELD_PROBLEMS, ids=[r for _, r in FIELD_PROBLEMS])
def test_wrong_fields_refuse_the_file(
    changes: dict[str, Any],
    reason: str,
    store: Store,
    article: Article,
    db_path: Path,
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "a.jsonl", [record(article, 0, 9, id="fine"), record(article, 0, 9, **changes)]
    )
    before = table_dump(db_path)
    with pytest.raises(ReaderError, match=f"a.jsonl:2: .*{__import__('re').escape(reason)}"):
        merge(store, [path])
    assert table_dump(db_path) == before


def test_missing_field(store: Store, article: Article, tmp_path: Path) -> None:
    rec = record(article, 0, 9)
    del rec["article_id"]
    with pytest.raises(ReaderError, match=r"a\.jsonl:1: missing field 'article_id'"):
        merge(store, [write(tmp_path / "a.jsonl", [rec])])


def test_ten_megabyte_line_is_read_and_judged(
    store: Store, article: Article, tmp_path: Path
) -> None:
    big = "x" * (10 * 1024 * 1024)
    report = merge(
        store, [write(tmp_path / "a.jsonl", [record(article, 0, 9, note=big, id="big")])]
    )
    assert report.added == 1 and store.annotation("big").note == big
    report = merge(store, [write(tmp_path / "b.jsonl", [record(article, 0, 9, text=big, id="q")])])
    assert report.skipped == 1 and len(report.problems[0]) < 300


def test_quotes_with_controls_are_canonicalized_like_imported_text(
    store: Store, article: Article, tmp_path: Path
) -> None:
    # The text contract drops control characters at import; a quote is held to the same.
    rec = record(article, 0, 9, text="Micro\x00soft")
    report = merge(store, [write(tmp_path / "a.jsonl", [rec])])
    assert report.added == 1 and store.annotation("rec-1").quote == "Microsoft"
    rec = record(article, 0, 9, id="n", text="\x00\x1b")
    report = merge(store, [write(tmp_path / "b.jsonl", [rec])])
    assert report.skipped == 1


def test_a_bad_file_stops_the_good_ones_too(
    store: Store, article: Article, db_path: Path, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.jsonl", [record(article, 0, 9)])
    bad = write(tmp_path / "bad.jsonl", "oops\n")
    before = table_dump(db_path)
    with pytest.raises(ReaderError, match=r"bad\.jsonl:1"):
        merge(store, [good, bad])
    assert table_dump(db_path) == before


def test_unreadable_file(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"cannot read .*missing\.jsonl"):
        merge(store, [tmp_path / "missing.jsonl"])
    with pytest.raises(ReaderError, match="cannot read"):
        merge(store, [tmp_path])


# -- properties --------------------------------------------------------------

# Texts that stress code point offsets: ZWJ emoji, flags, CJK, combining marks
# (NFC-stable: a base letter and a mark with no precomposed form).
PIECES = [
    "👩‍👩‍👧",
    "🇫🇷",
    "中文",
    "語",
    "q\u0301",
    "é",
    "a",
    "b",
    " ",
    ".",
    "\n",
    "\t",
    "word",
    "😀",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)
notes = st.one_of(st.none(), st.text(max_size=20))


@st.composite
def annotated(
    draw: st.DrawFn,
) -> tuple[list[str], list[tuple[int, int, int, str, str | None, str, bool]]]:
    bodies = draw(st.lists(texts, min_size=1, max_size=3, unique=True))
    spans = []
    for _ in range(draw(st.integers(0, 12))):
        which = draw(st.integers(0, len(bodies) - 1))
        size = len(bodies[which])
        start = draw(st.integers(0, size - 1))
        end = draw(st.integers(start + 1, size))
        label = draw(st.sampled_from(["claim", "opinion", "speculation", "rumour"]))
        spans.append(
            (
                which,
                start,
                end,
                label,
                draw(notes),
                draw(st.sampled_from(["ann", "zoë", "李"])),
                draw(st.booleans()),
            )
        )
    return bodies, spans


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=annotated(), include_deleted=st.booleans())
def test_export_merge_export_is_byte_identical(
    data: tuple[list[str], list[Any]], include_deleted: bool, tmp_path: Path
) -> None:
    bodies, spans = data
    source, target = Store(":memory:"), Store(":memory:")
    articles = [add_article(source, body, f"T{i}") for i, body in enumerate(bodies)]
    for body in reversed(bodies):  # another order of import must not matter
        add_article(target, body, "another title")
    source.ensure_label("rumour")
    for which, start, end, label, note, annotator, deleted in spans:
        made = source.add_annotation(articles[which], start, end, label, annotator, note=note)
        if deleted:
            source.delete_annotation(made.id)
    first = exported(source, include_deleted=include_deleted)
    path = tmp_path / "roundtrip.jsonl"
    path.write_text(first, encoding="utf-8")
    report = merge(target, [path])
    assert report.skipped == 0 and report.reanchored == 0
    second = exported(target, include_deleted=include_deleted)
    # titles differ between the two databases; everything else is identical
    strip = [
        {k: v for k, v in json.loads(x).items() if k != "article_title"}
        for x in first.split("\n")[:-1]
    ]
    assert [
        {k: v for k, v in json.loads(x).items() if k != "article_title"}
        for x in second.split("\n")[:-1]
    ] == strip
    assert merge(target, [path]).unchanged == len(strip)
    same_titles = Store(":memory:")
    for i, body in enumerate(bodies):
        add_article(same_titles, body, f"T{i}")
    merge(same_titles, [path])
    assert exported(same_titles, include_deleted=include_deleted).encode() == first.encode()


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=texts, inserted=texts, data=st.data())
def test_shifted_offsets_reanchor_to_the_right_place(
    body: str, inserted: str, data: st.DataObject, tmp_path: Path
) -> None:
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    quote, prefix, suffix = context_of(body, start, end)
    shifted = inserted + body
    # "the right place" is only defined where the context tells occurrences apart
    full = [
        i
        for i in range(len(shifted))
        if shifted.startswith(quote, i)
        and shifted[max(0, i - len(prefix)) : i] == prefix
        and shifted[i + len(quote) : i + len(quote) + len(suffix)] == suffix
    ]
    assume(full == [start + len(inserted)])
    store = Store(":memory:")
    article = add_article(store, shifted)
    rec = record(article, 0, 1, start=start, end=end, text=quote, prefix=prefix, suffix=suffix)
    report = merge(store, [write(tmp_path / "s.jsonl", [rec])])
    assert report.skipped == 0
    stored = store.annotation("rec-1")
    assert (stored.start, stored.end) == (start + len(inserted), end + len(inserted))
    assert shifted[stored.start : stored.end] == quote
