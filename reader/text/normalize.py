"""Bytes -> canonical reading text, as the text contract says (docs/contracts.md).

Offsets of annotations index the text this produces, so it must be stable:
`normalize(normalize(t)) == normalize(t)` (a property test holds us to it).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from reader.errors import ReaderError

# Every line break the contract folds into "\n". CRLF first so it is one break.
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\u0085]")

# C0 and C1 controls except \t and \n (ESC included), DEL, and the bidi
# embedding/override/isolate controls that can reorder what a reader sees: as a
# character class, shared with the sanitizer and the pane's drawing guard.
CONTROL_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROLS = re.compile(f"[{CONTROL_CLASS}]")


# Whole terminal escape sequences (CSI, OSC, two-character ESC sequences), so
# that a coloured "\x1b[31mtitle" becomes "title", not "[31mtitle".
ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    # OSC (titles, links) only when terminated: a stray ESC ] must not eat the text
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]{0,2000}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[@-Z\\-_]"  # the other two-character sequences
)


class DecodeError(ReaderError):
    """A file that is not text we can read."""


def normalize(text: str) -> str:
    """NFC, every line break to "\\n", escape sequences, controls and bidi overrides removed."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    # The escape pattern is tried at every position (about 40 ms per MB): only
    # run it when a sequence can start somewhere.
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = ESCAPES.sub("", text)
    text = CONTROLS.sub("", text)
    # Removing a control can bring a base and a combining mark together.
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, name: str) -> str:
    """Decode a file's bytes: UTF-8, or UTF-8/UTF-16 with a BOM. Raises DecodeError."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, data = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        if b"\x00" in data:
            raise DecodeError(f"{name}: contains NUL bytes, so it is binary, not text")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"{name}: not valid {encoding.upper()} text "
            f"(byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None
