"""Work spread over the machine's cores by forked processes, results in a stable order.

Forking lets the workers share the parent's data (the loaded site, the page plan) without
pickling it; only each task's result comes back. Where fork is missing, or the work is
small, everything runs in this process.
"""
from __future__ import annotations

import multiprocessing
import os

_TASK = None  # the function the forked workers run, set just before the fork
MIN_TASKS = 64  # below this, forking costs more than it saves


def workers() -> int:
    forced = os.environ.get("GLOSSATOR_JOBS")
    if forced and forced.isdigit():
        return max(1, int(forced))
    return max(1, min(os.cpu_count() or 1, 8))


def _run(index: int):
    return _TASK(index)


def run(task, count: int, progress=None) -> list:
    """[task(0), ..., task(count - 1)], computed across cores when that pays.
    `progress(n)` is called as results come in (for a progress bar)."""
    return list(each(task, count, progress))


def each(task, count: int, progress=None):
    """task(0), ..., task(count - 1) as `run` computes them, given one by one as they come, in order
    (the caller keeps only what it needs of each)."""
    global _TASK
    n_workers = workers()
    tick = progress or (lambda n: None)
    if n_workers <= 1 or count < MIN_TASKS or "fork" not in multiprocessing.get_all_start_methods():
        for i in range(count):
            yield task(i)
            tick(1)
        return
    _TASK = task
    try:
        with multiprocessing.get_context("fork").Pool(n_workers) as pool:
            for result in pool.imap(_run, range(count), chunksize=max(1, min(64, count // (n_workers * 8)))):
                yield result
                tick(1)
    finally:
        _TASK = None
