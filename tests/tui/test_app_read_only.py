"""A database that cannot be written: the screens say "read-only", a tag key says
why nothing was saved, and nothing is pretended saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.models import Article
from reader.store import Store
from tests.tui.app_support import SIZE, app_for, live, notifications, pane_of, screen_text


def read_only_copy(store: Store) -> Store:
    """The seeded database opened the way a read command opens it."""
    store.close()
    return Store(Path(store.path), read_only=True)


async def test_the_library_says_read_only(store: Store, seeded: list[Article]) -> None:
    with read_only_copy(store) as reading:
        app = app_for(reading)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            title = screen_text(app).splitlines()[0]
            assert "read-only" in title and "reader.db" in title


async def test_a_tag_key_says_why_it_cannot_save(store: Store, seeded: list[Article]) -> None:
    article = seeded[0]
    with read_only_copy(store) as reading:
        app = app_for(reading, article)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "read-only" in screen_text(app)  # the status line names the database so
            await pilot.press("s", "1")
            await pilot.pause()
            assert live(reading, article) == [] and not pane_of(app)._annotations
            shown = " ".join(screen_text(app).split())
            assert "Not saved: read-only" in shown  # the status line, as far as it has room
            why = "read-only database (opened for reading only); nothing was changed"
            assert any(message.startswith(why) for message in notifications(app))


async def test_a_writable_database_says_nothing_of_the_kind(
    store: Store, seeded: list[Article]
) -> None:
    app = app_for(store, seeded[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "read-only" not in screen_text(app)


def test_an_empty_read_only_database_opens_without_seeding(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.tui.app as app_module
    from reader.session import open_tui

    Store(db_path).close()
    (db_path.parent / "reader.toml").write_text('sync = "auto"\n')
    shown: list[int] = []
    monkeypatch.setattr(
        app_module, "run_app", lambda store, *_: shown.append(store.article_count())
    )
    warnings: list[str] = []
    with Store(db_path, read_only=True) as reading:
        open_tui(reading, "tester", [], warnings.append)  # no seeds, no sync: no write
    assert shown == [0] and warnings == []
