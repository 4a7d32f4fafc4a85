"""Where the database is: --db, $READER_DB, the nearest workspace, else user data."""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_DIR = "annotations"
DB_NAME = "reader.db"


def find_workspace(start: Path | None = None) -> Path | None:
    """The nearest folder, from start upwards, that has an `annotations/` folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_DIR).is_dir():
            return folder / WORKSPACE_DIR
    return None


def database_path(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """Resolve the database the way git finds `.git` (docs/contracts.md, the store)."""
    if explicit:
        return _home(Path(explicit))
    env = os.environ.get("READER_DB")
    if env:
        return _home(Path(env))
    workspace = find_workspace(cwd)
    if workspace is not None:
        return workspace / DB_NAME
    import platformdirs  # only here: most runs find a workspace first

    return Path(platformdirs.user_data_dir("reader", appauthor=False)) / DB_NAME


def database_reason(explicit: str | os.PathLike[str] | None = None) -> str:
    """Why database_path chose what it chose, in words, for `reader where`."""
    if explicit:
        return "from --db"
    if os.environ.get("READER_DB"):
        return "from $READER_DB"
    workspace = find_workspace()
    if workspace is not None:
        return f"the workspace's {WORKSPACE_DIR}/ folder"
    return "the user data folder (no --db, no $READER_DB, no annotations/ folder above)"


def _home(path: Path) -> Path:
    """~ expanded; `~nouser/x` is left as it is, for the store to refuse in one line."""
    try:
        return path.expanduser()
    except RuntimeError:
        return path


def exports_dir(db_path: Path) -> Path:
    """Exports from the app go beside the database (the workspace's annotations/)."""
    return db_path.parent
