"""Worker processes: how many to load with, for the importer and the passage index."""

from __future__ import annotations

import multiprocessing
import os
import threading

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
