"""Other annotation tools' formats: exports for each, imports for those that carry texts.

This module only names the formats (the CLI reads it without loading any of
them); reader.formats.exporting and reader.formats.incoming do the work, with one
module per tool beside them.

Offsets: each tool's own unit is the default, `--offsets` overrides it.
doccano's web frontend counts UTF-16 code units (JavaScript string indices);
Label Studio (since its frontend stores code points), brat (whose server reads
the .txt as Python text) and the W3C model (whose positions are characters,
that is code points) count code points.
"""

from __future__ import annotations

EXPORTS: tuple[str, ...] = ("doccano", "label-studio", "brat", "w3c", "conll", "spacy")
IMPORTS: tuple[str, ...] = ("doccano", "label-studio", "brat", "w3c")
UNITS: tuple[str, ...] = ("codepoints", "utf16")
DEFAULT_UNITS = {
    "doccano": "utf16",
    "label-studio": "codepoints",
    "brat": "codepoints",
    "w3c": "codepoints",
}
