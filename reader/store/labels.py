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

    def label_like(self, name: str) -> Label | None:
        """The label whose name is `name` without regard to case, if any."""
        folded = name.casefold()
        return next((x for x in self.labels() if x.name.casefold() == folded), None)

    def _check_name(self, name: str) -> str:
        name = name.strip()
        if not is_label_name(name):
            raise ReaderError(
                f"a label name is one word of at most {LABEL_NAME_MAX} characters, not {name!r}"
            )
        same = self.label_like(name)
        if same is not None:
            # unique without regard to case: `Claim` beside `claim` would show as one
            raise ReaderError(f"there is already a label named {same.name!r}")
        return name

    def free_keys(self) -> list[str]:
        used = {label.key for label in self.labels()}
        return [k for k in LABEL_KEYS if k not in used]

    def _check_key(self, key: str) -> None:
        free = "".join(self.free_keys()) or "none"
        # one character of LABEL_KEYS: "12" and "" are substrings of it, not keys
        if len(key) != 1 or key not in LABEL_KEYS:
            raise ReaderError(f"a label key is one digit 1-9, not {key!r}; free keys: {free}")
        if key not in free:
            raise ReaderError(f"key {key!r} is not free; free keys: {free}")

    def set_label_key(self, name: str, key: str | None) -> Label:
        """Give the label a key (1-9), or none; a key another label has is refused."""
        label = self.label(name)
        if key == label.key:
            return label
        if key is not None:
            self._check_key(key)
        return self._set_label_field(name, "key", key)

    def set_label_color(self, name: str, color: str) -> Label:
        self.label(name)
        if not is_color(color):
            raise ReaderError(f"{color!r} is not a colour; use #rrggbb")
        return self._set_label_field(name, "color", color)

    def describe_label(self, name: str, description: str) -> Label:
        self.label(name)
        return self._set_label_field(name, "description", description.strip())

    def _set_label_field(self, name: str, column: str, value: str | None) -> Label:
        assert column in {"key", "color", "description"}
        with self.write():
            self.conn.execute(f"UPDATE labels SET {column} = ? WHERE name = ?", (value, name))
        return self.label(name)

    def rename_label(self, old: str, new: str) -> tuple[Label, int]:
        """Rename a label; its annotations follow (one transaction). (label, how many)."""
        self.label(old)
        new = new.strip()
        if new.casefold() != old.casefold():
            new = self._check_name(new)
        elif not is_label_name(new):
            raise ReaderError(f"{new!r} is not a label name")
        with self.write():
            moved = self.conn.execute(
                "SELECT count(*) FROM annotations WHERE label = ?", (old,)
            ).fetchone()[0]
            # annotations.label references labels.name ON UPDATE CASCADE: they follow
            self.conn.execute("UPDATE labels SET name = ? WHERE name = ?", (new, old))
            self._relabel_histories(old, new)
        return self.label(new), moved

    def _relabel_histories(self, old: str, new: str) -> None:
        """Stored undo / redo stacks name labels too (reader.history's JSON: [kind,
        id, before, after], a state [alive, label, note, start, end]): an undo after
        a rename must restore the label by its new name. Inside the caller's
        transaction; a row this code cannot read is left as it is."""
        import json

        # as store.work writes them (json.dumps: non-ASCII escaped), or as they may be
        needles = {json.dumps(old), json.dumps(old, ensure_ascii=False)}
        where = " OR ".join("instr(undo, ?) > 0 OR instr(redo, ?) > 0" for _ in needles)
        rows = self.conn.execute(
            f"SELECT article_id, annotator, undo, redo FROM histories WHERE {where}",
            [n for n in needles for _ in (0, 1)],
        ).fetchall()
        for article_id, annotator, *stacks in rows:
            try:
                changed = [json.loads(stack) for stack in stacks]
                for stack in changed:
                    for change in stack:
                        for state in change[2:4]:
                            if state[1] == old:
                                state[1] = new
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            self.conn.execute(
                "UPDATE histories SET undo = ?, redo = ? WHERE article_id = ? AND annotator = ?",
                (
                    *(json.dumps(stack, ensure_ascii=False) for stack in changed),
                    article_id,
                    annotator,
                ),
            )

    def remove_label(self, name: str, to: str | None = None) -> int:
        """Remove a label; refused while live annotations use it, unless `to` names
        the label they move to. How many annotations moved."""
        self.label(name)
        if to is not None:
            self.label(to)
            if to == name:
                raise ReaderError("--to names the label being removed")
        with self.write():
            used = self.conn.execute(
                "SELECT count(*) FROM annotations WHERE label = ? AND deleted_at IS NULL",
                (name,),
            ).fetchone()[0]
            if used and to is None:
                raise ReaderError(
                    f"{used} annotation(s) use {name!r}; move them with --to OTHER first"
                )
            moved = 0
            if to is not None:  # tombstones move too, so an undo never meets a lost label
                moved = self.conn.execute(
                    "UPDATE annotations SET label = ? WHERE label = ?", (to, name)
                ).rowcount
                self._relabel_histories(name, to)
            else:
                # Only deleted annotations use it: no annotation may name a missing
                # label (the reference), so they go with it, as the label was asked to.
                self.conn.execute("DELETE FROM annotations WHERE label = ?", (name,))
            self.conn.execute("DELETE FROM labels WHERE name = ?", (name,))
        return moved if to is not None else used

    def add_label(
        self,
        name: str,
        key: str | None = None,
        color: str | None = None,
        description: str = "",
    ) -> Label:
        # cleaned first: a label "\x1bc" must not reset a terminal it is listed on
        name, description = self._check_name(clean_line(name)), clean_line(description)
        existing = self.labels()
        if key is not None:
            self._check_key(key)
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
        """Make a label known if it is not, with the next free key: merge uses it."""
        name = clean_line(name)
        if not any(label.name == name for label in self.labels()):
            free = self.free_keys()
            self.add_label(name, key=free[0] if free else None)
