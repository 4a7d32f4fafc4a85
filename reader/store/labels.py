"""The labels table: listing, finding and adding labels (the policy is reader.labels)."""

from __future__ import annotations

from reader.errors import NotFound, ReaderError
from reader.labels import LABEL_KEYS, LABEL_NAME_MAX, is_color, is_label_name, next_color
from reader.models import Label
from reader.store.connection import Connection
from reader.text.sanitize import clean_line


class LabelQueries(Connection):
    """Labels: names unique, keys 1-9, in their position order."""

    def labels(self) -> list[Label]:
        with self.read() as conn:
            rows = conn.execute(
                "SELECT name, key, color, description, position FROM labels ORDER BY position, name"
            ).fetchall()
        return [Label(*row) for row in rows]

    def label(self, name: str) -> Label:
        for label in self.labels():
            if label.name == name:
                return label
        raise NotFound(f"no label named {name!r} (see `reader labels`)")

    def add_label(
        self,
        name: str,
        key: str | None = None,
        color: str | None = None,
        description: str = "",
    ) -> Label:
        # cleaned first: a label "\x1bc" must not reset a terminal it is listed on
        name, description = clean_line(name), clean_line(description)
        if not is_label_name(name):
            raise ReaderError(
                f"a label name is one word of at most {LABEL_NAME_MAX} characters, not {name!r}"
            )
        existing = self.labels()
        if any(label.name == name for label in existing):
            raise ReaderError(f"there is already a label named {name!r}")
        used = {label.key for label in existing}
        if key is not None and (key not in LABEL_KEYS or key in used):
            free = "".join(k for k in LABEL_KEYS if k not in used) or "none"
            raise ReaderError(f"key {key!r} is not free; free keys: {free}")
        if color is None:
            color = next_color(len(existing))
        elif not is_color(color):
            raise ReaderError(f"{color!r} is not a colour; use #rrggbb")
        position = max((x.position for x in existing), default=0) + 1
        label = Label(name, key, color, description, position)
        with self.write():
            self.conn.execute(
                "INSERT INTO labels (name, key, color, description, position) "
                "VALUES (?, ?, ?, ?, ?)",
                (label.name, label.key, label.color, label.description, label.position),
            )
        return label

    def ensure_label(self, name: str) -> None:
        """Make a label known (without a key) if it is not: merge uses it."""
        if not any(label.name == clean_line(name) for label in self.labels()):
            self.add_label(name)
