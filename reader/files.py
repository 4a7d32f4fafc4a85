"""Files written whole: a reader of the path sees the old file or the new one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from reader.errors import ReaderError

T = TypeVar("T")


def write_atomically(
    path: Path,
    produce: Callable[[BinaryIO], T],
    keep: Callable[[Path, T], bool] | None = None,
) -> tuple[bool, T]:
    """What `produce` writes, in a temporary file beside `path`, synced to disk, then
    renamed over `path`; unless `keep(temp, result)` says no (sync: the same bytes),
    when `path` is left untouched, its modification time included. (replaced?, result)"""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ReaderError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with open(fd, "wb") as out:
            result = produce(out)
            out.flush()
            os.fsync(out.fileno())
        if keep is not None and not keep(Path(temp), result):
            os.unlink(temp)
            return False, result
        os.chmod(temp, 0o644)  # mkstemp makes it 0600; the file is an ordinary one
        os.replace(temp, path)
        return True, result
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ReaderError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
