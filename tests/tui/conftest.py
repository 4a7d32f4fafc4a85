"""The `seeded` fixture for every app test here (helpers are in app_support)."""

from __future__ import annotations

import pytest

from reader.models import Article
from reader.store import Store
from tests.tui.app_support import seed


@pytest.fixture
def seeded(store: Store) -> list[Article]:
    """The seed articles, in library order (by title)."""
    return seed(store)
