"""Normalization and decoding, as the Text contract says; offsets depend on it being stable."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text.normalize import DecodeError, decode, normalize

# Characters the contract treats specially, mixed into generated text so that
# hypothesis meets them often: breaks, controls, bidi, combining marks, ZWJ.
_SPECIAL = st.sampled_from(
    [
        *"\r\n\u2028\u2029\u0085\x00\x1b\x7f\x9b\t\u202a\u202e\u2066\u2069\u200d",
        "\u0301",
        "\u0308",
        "\u0323",
        "e",
        "a",
        "\u1100",
        "\u1161",
        "\u11a8",
        "👩",
        "東",
    ]
)
_TEXT = st.lists(st.characters(blacklist_categories=("Cs",)) | _SPECIAL, max_size=60).map("".join)


@settings(max_examples=500)
@given(_TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(_TEXT)
def test_normalized_text_keeps_only_allowed_characters(text: str) -> None:
    result = normalize(text)
    assert unicodedata.is_normalized("NFC", result)
    for ch in result:
        assert ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F), repr(ch)
        assert not ("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"), repr(ch)
        assert ch not in "\r\u2028\u2029\u0085"


def test_terminal_escape_sequences_are_removed_whole() -> None:
    assert normalize("\x1b[1;31mRed\x1b[0m title") == "Red title"
    assert normalize("\x1b]0;new window title\x07Text") == "Text"
    assert normalize("\x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\") == "link"
    # an unterminated OSC loses only its ESC, never the text after it
    assert normalize("\x1b]0;no end\nNext line") == "0;no end\nNext line"


def test_line_breaks_become_newlines() -> None:
    assert normalize("a\r\nb\rc\u2028d\u2029e\u0085f") == "a\nb\nc\nd\ne\nf"


def test_removing_a_control_lets_a_mark_compose() -> None:
    assert normalize("e\x1b\u0301") == "é"


def test_emoji_zwj_and_tabs_are_kept() -> None:
    text = "👩‍👩‍👧‍👦\tcol"
    assert normalize(text) == text


def test_decode_boms() -> None:
    assert decode(codecs.BOM_UTF8 + "ü".encode(), "f") == "ü"
    assert decode(codecs.BOM_UTF16_LE + "ü".encode("utf-16-le"), "f") == "ü"
    assert decode(codecs.BOM_UTF16_BE + "ü".encode("utf-16-be"), "f") == "ü"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"a\x00b", "f.txt: contains NUL bytes"),
        (b"ok \xe9", "f.txt: not valid UTF-8 text (byte 0xe9 at offset 3)"),
    ],
)
def test_decode_errors_name_the_file(data: bytes, fragment: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data, "f.txt")
    assert str(info.value).startswith(fragment)
