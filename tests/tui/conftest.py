"""The `seeded` fixture for every app test here (helpers are in app_support)."""

from __future__ import annotations

import pytest

from reader.models import Article
from reader.store import Store
from reader.tui.widgets import footer
from tests.tui.app_support import seed


@pytest.fixture
def seeded(store: Store) -> list[Article]:
    """The seed articles, in library order (by title)."""
    return seed(store)


@pytest.fixture(autouse=True)
def footer_keys_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen's footer keys come with its first frames, as Pilot's keys are not a
    person's (tests/tui/test_loading.py tests the pause a person's keys get)."""
    monkeypatch.setattr(footer, "QUIET_SECONDS", 0.0)
