"""Shared pieces of the app's Pilot and snapshot tests: a seeded store, helpers."""

from __future__ import annotations

from typing import Any

from textual.app import App

from reader.importing import import_seeds
from reader.models import Article
from reader.store import Store, article_id_for
from reader.text.blocks import TextBlocks
from reader.text.normalize import normalize
from reader.text.words import count_words
from reader.tui.app import ReaderApp
from reader.tui.widgets.reading_pane import ReadingPane

SIZE = (120, 40)


def seed(store: Store) -> list[Article]:
    """The bundled seeds, imported as `reader seed` imports them, in library order."""
    import_seeds(store)
    return [store.article(s.id) for s in store.articles()]


def app_for(store: Store, *articles: Article) -> ReaderApp:
    """The app as `reader` starts it: the library, or these articles open."""
    return ReaderApp(store, "tester", [a.id for a in articles])


def pane_of(app: ReaderApp) -> ReadingPane:
    """The reading pane of the top screen (the first, when two are shown)."""
    return app.screen.query_one(ReadingPane)


def add_article(store: Store, text: str, title: str, source: str | None = None) -> Article:
    text = normalize(text)
    article_id, sha = article_id_for(text)
    store.add_articles(
        [Article(article_id, title, text, source=source, sha256=sha, words=count_words(text))]
    )
    return store.article(article_id)


def sentences(article: Article, count: int) -> list[tuple[int, int]]:
    """The first `count` sentences of an article, in text order."""
    blocks = TextBlocks(article.text)
    found: list[tuple[int, int]] = []
    for index in range(len(blocks)):
        found.extend(blocks.sentences(index))
        if len(found) >= count:
            break
    return found[:count]


def live(store: Store, article: Article) -> list[tuple[int, int, str, str | None]]:
    return [(a.start, a.end, a.label, a.note) for a in store.annotations(article.id)]


def screen_text(app: App) -> str:
    """The top screen as plain text, one line per row (what a person sees)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def settle(pilot: Any) -> None:
    """The screen's background work done and shown: the alignment of compare and
    each panel's "also in N of M" (a timer once the cursor rests, then a worker)."""
    from reader.tui.screens.article_panel import ArticlePanel

    for _ in range(400):  # 20 s at most, however loaded the machine
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
        screen = pilot.app.screen
        aligned = getattr(screen, "aligned", None)
        aligning = aligned is not None and aligned.alignment is None and not aligned.unavailable
        if not aligning and not any(p.also_in.pending for p in screen.query(ArticlePanel)):
            break
    await pilot.pause()


def notifications(app: App) -> list[str]:
    return [n.message for n in app._notifications]
