"""A snapshot of the reading pane alone: overlapping annotations, styles, a selection.

Deterministic: a fixed text, fixed labels and annotations, a fixed terminal size,
no clock on screen. Update after a deliberate change with
`pytest tests/tui/test_pane_snapshot.py --snapshot-update`, then read the SVG.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from reader.models import Annotation, Article, Label, Style
from reader.tui.widgets.reading_pane import ReadingPane

LABELS = [
    Label("claim", "1", "#56B4E9", "", 1),
    Label("opinion", "2", "#E69F00", "", 2),
    Label("speculation", "3", "#CC79A7", "", 3),
]
HEADING = "Microsoft and OpenAI"
TEXT = (
    f"{HEADING}\n\n"
    "The deal was signed on Monday. Mr. Smith said the U.S. market grew by $6.6 billion, "
    "a figure analysts called *optimistic* and [bold]unlikely[/bold] to last.\n\n"
    "中文新闻 reports agree 👨\u200d👩\u200d👧 and café owners 🇫🇷 disagree.\n\n"
    "Read more at the company blog."
)


def spans() -> list[tuple[int, int, str]]:
    """Nested, crossing and touching spans over the second paragraph."""
    deal = TEXT.index("The deal")
    smith = TEXT.index("Mr. Smith")
    figure = TEXT.index("a figure")
    last = TEXT.index("to last.") + len("to last.")
    return [
        (deal, last, "claim"),  # the whole paragraph
        (smith, figure, "opinion"),  # inside it
        (TEXT.index("$6.6"), TEXT.index("analysts") + 8, "speculation"),  # crosses opinion
        (TEXT.index("中文"), TEXT.index("agree") + 5, "opinion"),
    ]


def styles() -> list[Style]:
    heading = TEXT.index(HEADING)
    italic = TEXT.index("*optimistic*")
    blog = TEXT.index("company blog")
    return [
        Style(heading, heading + len(HEADING), "heading", 1),
        Style(italic, italic + len("*optimistic*"), "em"),
        Style(blog, blog + len("company blog"), "link", "https://example.com"),
    ]


class PaneOnly(App):
    def compose(self) -> ComposeResult:
        article = Article("p1", "Pane", TEXT, styles=styles(), format="md")
        annotations = [
            Annotation(f"a{i}", "p1", a, b, TEXT[a:b], "", "", label, None, "t", "x", "x")
            for i, (a, b, label) in enumerate(spans())
        ]
        yield ReadingPane(article, annotations, LABELS)


def test_pane_with_overlapping_annotations(snap_compare: Any) -> None:
    # to the second paragraph's third word, then select two words
    keys = ["right_curly_bracket", "w", "w", "shift+w", "shift+w"]
    assert snap_compare(PaneOnly(), terminal_size=(72, 16), press=keys)
