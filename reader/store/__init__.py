"""The SQLite store: every SQL statement and connection of reader.

Tables are plain enough for Datasette or `sqlite-utils` to browse as they are.
`Store` is one class built in layers, one module per table and one for the
connection, each layer using only those below it:

    connection.py   open, schema check and migration, transactions, snapshots
    schema.py       tables, version, migrations (sqlite-utils only here)
    labels.py       the labels table                   (LabelQueries)
    articles.py     the articles table and its FTS     (ArticleQueries)
    annotations.py  the annotations table              (AnnotationQueries)
    export.py       the export's bulk JSON reads       (ExportQueries)
    suggestions.py  decisions on suggested tags        (SuggestionQueries)
    work.py         status, progress, undo histories   (WorkQueries)
    passages.py     the passage index ("also in N of M") (PassageQueries)

A new table gets a module and a layer of its own, inserted where its queries
need the layers below.
"""

from reader.store.articles import article_id_for
from reader.store.connection import BUSY_TIMEOUT_S, describe
from reader.store.passages import PassageQueries
from reader.store.schema import SCHEMA_VERSION


class Store(PassageQueries):
    """One open database. Not thread-safe: one Store per thread or process."""


__all__ = ["BUSY_TIMEOUT_S", "SCHEMA_VERSION", "Store", "article_id_for", "describe"]
