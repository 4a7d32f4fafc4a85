"""Shared pieces of the app's Pilot and snapshot tests: a seeded store, helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reader.models import Article
from reader.seeds import seed_files
from reader.store import Store, article_id_for
from reader.text.document import Document, count_words
from reader.text.normalize import normalize

SIZE = (120, 40)


def seed(store: Store) -> list[Article]:
    """The bundled seeds, through the importer when it is there."""
    try:
        from reader.importing import import_seeds
    except ImportError:
        import_seeds = None
    if import_seeds is not None:
        import_seeds(store)
    else:  # a minimal importer: the seeds are plain .txt with the title first
        articles = []
        for path in seed_files():
            text = normalize(path.read_text(encoding="utf-8")).strip()
            article_id, sha = article_id_for(text)
            title = text.splitlines()[0]
            articles.append(
                Article(
                    article_id, title, text, sha256=sha, words=count_words(text), path=str(path)
                )
            )
        store.add_articles(articles)
    return [store.article(s.id) for s in store.articles()]


@pytest.fixture
def seeded(store: Store) -> Iterator[list[Article]]:
    """The seed articles, in library order (by title)."""
    yield seed(store)


def add_article(store: Store, text: str, title: str, source: str | None = None) -> Article:
    text = normalize(text)
    article_id, sha = article_id_for(text)
    store.add_articles(
        [Article(article_id, title, text, source=source, sha256=sha, words=count_words(text))]
    )
    return store.article(article_id)


def sentences(article: Article, count: int) -> list[tuple[int, int]]:
    """The first `count` sentences of an article, in text order."""
    document = Document(article.text)
    found: list[tuple[int, int]] = []
    for index in range(len(document.paragraphs)):
        found.extend(document.sentences(index))
        if len(found) >= count:
            break
    return found[:count]


def live(store: Store, article: Article) -> list[tuple[int, int, str, str | None]]:
    return [(a.start, a.end, a.label, a.note) for a in store.annotations(article.id)]


def screen_text(app: object) -> str:
    """The top screen as plain text, one line per row (what a person sees)."""
    from textual.app import App

    assert isinstance(app, App)
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def notifications(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]
