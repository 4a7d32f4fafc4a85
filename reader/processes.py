"""Worker processes for the importer and the passage index: how many, and a pool
whose workers die with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor

PARALLEL_MIN = 400  # fewer items than this load here, serially
MAX_WORKERS = 4


def worker_count(count: int) -> int:
    """How many processes to load `count` items with; 1 means here, serially.

    Only with "fork" (no re-import of the caller's main module) and only when
    this process has no other threads (forking a threaded process, such as
    the TUI, can deadlock the child).
    """
    if count < PARALLEL_MIN or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_WORKERS)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` forked processes that end with this one, even when it is killed
    with kill -9: no worker is left behind blocked on a queue nobody reads."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_end_with_parent,
        initargs=(os.getpid(),),
    )


def _end_with_parent(parent: int) -> None:
    """In each worker: die with the parent (Linux's PR_SET_PDEATHSIG; elsewhere the
    pool's own check of a broken parent is all there is)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
