"""The running app, typed: screens and panels reach the store and the annotator through it.

Textual types `node.app` as a plain App; every reader screen runs inside a
ReaderApp, so the cast is made here, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:  # no import at run time: the app module is above everything here
    from reader.tui.app import ReaderApp


def reader_app(node: DOMNode) -> ReaderApp:
    """The ReaderApp that `node` runs in."""
    return cast("ReaderApp", node.app)
