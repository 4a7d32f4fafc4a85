"""Where output goes: a regular file replaced whole, anything else written into.

A regular file (or nothing) at the path is replaced atomically: a reader of the
path sees the old file or the whole new one. A FIFO, a device, a socket or
/dev/stdout is written through and left what it is: `reader export -o /dev/null`
must not turn the device into a regular file. The export, the tool formats and
sync all write through here.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from reader.errors import ReaderError

T = TypeVar("T")


def writes_through(path: Path) -> bool:
    """Is `path` something to write into rather than replace: a FIFO, a device, a
    socket, /dev/stdout and its kin (whatever they point at)?"""
    if str(Path(path).absolute()).startswith(("/dev/", "/proc/")):
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # nothing there (or unreachable): the atomic write says what is wrong


def write_output(
    path: Path,
    produce: Callable[[BinaryIO], T],
    keep: Callable[[Path, T], bool] | None = None,
) -> tuple[bool, T]:
    """What `produce` writes, into `path`. A regular file or nothing: written to a
    temporary file beside `path`, synced to disk, then renamed over it; unless
    `keep(temp, result)` says no (sync: the same bytes), when `path` is left
    untouched, its modification time included. A FIFO or a device: written
    into (`keep` is not asked). OSErrors become one line naming the path.
    Returns (written?, result)."""
    path = Path(path)
    if path.is_dir():
        raise ReaderError(f"cannot write {path}: it is a folder")
    if writes_through(path):
        return True, _write_into(path, produce)
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


def _write_into(path: Path, produce: Callable[[BinaryIO], T]) -> T:
    try:
        with open(path, "wb") as out:
            return produce(out)
    except OSError as exc:
        raise ReaderError(f"cannot write {path}: {exc.strerror or exc}") from None
