"""Work spread over the machine's cores by forked processes, results in a stable order.

Forking lets the workers share the parent's data (the loaded site, the page plan) without
pickling it; only each task's result comes back. Where fork is missing, or the work is
small, everything runs in this process.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading

_TASK = None  # the function the forked workers run, set just before the fork
_PARENT = None  # the process the workers are forked from
_STOP = None  # set when the caller gives up (Ctrl-C, an error): the workers skip the tasks left
_NEXT = None  # `share`: the next chunk of tasks not yet taken, by the parent or a worker
MIN_TASKS = 64  # below this, forking costs more than it saves


_INTERRUPTED = False  # Ctrl-C came (see `on_ctrl_c`)
_TOO_LATE = False  # the work is done: Ctrl-C stops nothing now (see `too_late_to_stop`)


def on_ctrl_c(signum=None, frame=None) -> None:
    """The parent's Ctrl-C (SIGINT) handler: Python's KeyboardInterrupt, and a note that it came. An
    interrupt that lands in a weakref callback or a `__del__` (when a wave's locks are freed) is only
    printed there as "Exception ignored", and the build went on to publish: `checkpoint` raises it again."""
    global _INTERRUPTED
    if _TOO_LATE:
        return
    _INTERRUPTED = True
    if _freeing_an_import_lock(frame) and hasattr(signal, "setitimer"):
        # (a command imports what it needs as it goes) raised in the callback that frees a module's import lock, it
        # is printed with a traceback and lost: it comes again a moment later, once the callback is done
        signal.signal(signal.SIGALRM, on_ctrl_c)
        signal.setitimer(signal.ITIMER_REAL, 0.005)
        return
    raise KeyboardInterrupt


def _freeing_an_import_lock(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "cb" and frame.f_code.co_filename == "<frozen importlib._bootstrap>":
            return True
        frame = frame.f_back
    return False


def checkpoint() -> None:
    """Raise KeyboardInterrupt if Ctrl-C came, even if where it landed swallowed it."""
    if _INTERRUPTED:
        raise KeyboardInterrupt


_ENDING = False  # SIGTERM or SIGHUP came: the process is ending (see `on_terminate`)
_UNDO: list = []  # what SIGTERM or SIGHUP undoes before the process ends, newest last (see `undone_on_terminate`)


def on_terminate(signum=None, frame=None) -> None:
    """The parent's SIGTERM and SIGHUP handler (what `timeout`, CI runners and `docker stop` send; what a
    closed terminal sends): the process ends at once, as by default, but tidily: the workers first (they
    write into the new output folder), then what was registered to undo (a half-written folder beside the
    output, its lock file), and it says so. Not by an exception as for Ctrl-C: a signal to the process group kills the workers
    too, and a pool waits for ever for the tasks a killed worker held."""
    global _ENDING
    _ENDING = True  # a worker the pool forks from now on, in place of one killed, ends before it takes a task
    context = sys.modules.get("multiprocessing")
    for _ in range(2):  # again for any forked just as the first were listed
        try:  # (a module still being imported when the signal came has no active_children yet: no child either)
            listed = context.active_children() if context is not None else ()
        except Exception:
            listed = ()
        for child in listed:
            with contextlib.suppress(Exception):
                child.kill()
                child.join(5)
    for undo in reversed(_UNDO):
        with contextlib.suppress(Exception):
            undo()
    with contextlib.suppress(OSError):
        os.write(2, b"terminated\n")
    os._exit(128 + (signum or signal.SIGTERM))


@contextlib.contextmanager
def undone_on_terminate(undo):
    """`undo()` if SIGTERM or SIGHUP ends the process while in this block."""
    _UNDO.append(undo)
    try:
        yield
    finally:
        _UNDO.remove(undo)


MAX_WORKERS = 64


def workers() -> int:
    forced = os.environ.get("GLOSSATOR_JOBS")
    if forced and forced.isascii() and forced.isdigit():  # (at most 64: `GLOSSATOR_JOBS=100000` forked until the system refused)
        return max(1, min(int(forced), MAX_WORKERS))
    return max(1, min(os.cpu_count() or 1, 8))


def in_worker() -> bool:
    """Whether this process is a worker forked by `run` or `share`: what its tasks return reaches the
    parent pickled."""
    return _PARENT is not None and os.getpid() != _PARENT


def _fork_context():
    """multiprocessing's fork context, or None where the system cannot fork. Imported only here, when
    there is work enough to fork for: a small site never needs it (4 ms of every start)."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _run(index: int):
    return None if _STOP.is_set() else _TASK(index)


def too_late_to_stop(now: bool = True) -> None:
    """The command's work is done (`build`'s new site swapped in): a Ctrl-C from here on, while it tidies,
    records and says what it did, stops nothing, and `on_ctrl_c` lets it pass rather than have it answered
    "interrupted" (exit 130, as if nothing was published). `now=False` at the start of the next build."""
    global _TOO_LATE
    _TOO_LATE = now


_HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # held while workers are forked (see `_pool`)


@contextlib.contextmanager
def held():
    """Ctrl-C, SIGTERM and SIGHUP held until the block ends, then delivered: for a step that a signal must
    not cut in two (a folder made, and registered to be undone). Blocking them here is not enough where
    another thread runs (serve's server): the kernel hands a signal to a thread that takes it, and Python
    runs its handler in the main thread at once. So, in the main thread, the handlers only note it too."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    noted: list[int] = []
    kept = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _HELD:
            if signal.getsignal(signum) not in (signal.SIG_IGN, None):  # (None: set outside Python, left so)
                kept[signum] = signal.signal(signum, lambda got, _: noted.append(got))
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:  # (handlers first, Ctrl-C's last: its KeyboardInterrupt, come meanwhile through another thread, leaves none noting)
        for signum, handler in reversed(kept.items()):
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        for signum in dict.fromkeys(noted):
            signal.raise_signal(signum)


@contextlib.contextmanager
def _pool(context, n_workers: int):
    """A pool of forked workers, forked with Ctrl-C, SIGTERM and SIGHUP held: a worker is born with the
    parent's handlers, and one of these signals that came before its `_worker_start` ran them there (a
    KeyboardInterrupt's traceback printed from inside multiprocessing, the parent's tidying done by a
    worker). Held, it waits until the worker has set its own; the parent receives its own once the pool
    is there to be closed. (The pool's threads, which fork the workers it replaces, keep them held too.)"""
    if not hasattr(signal, "pthread_sigmask"):
        with _new_pool(context, n_workers) as pool:
            yield pool
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        pool = _new_pool(context, n_workers)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    with pool:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield pool


def _new_pool(context, n_workers: int):
    """multiprocessing's Pool, but its thread that looks after the workers wakes when one ends, not each
    time a result waits in the pipe (it would spin until the result thread had read it, taking the
    interpreter's lock from this process's own work: a tenth of a second per thousand articles loaded);
    and the pipe the results come back by has room for a few chunks of them (Linux's 64 KiB by default:
    less than a chunk of loaded articles), so a worker goes on to its next chunk instead of waiting for
    the parent's result thread, which must first wait for the interpreter's lock."""
    from multiprocessing.pool import Pool

    class Quiet(Pool):
        def _get_sentinels(self):
            return [self._change_notifier._reader]

    pool = Quiet(n_workers, initializer=_worker_start, context=context)
    with contextlib.suppress(ImportError, AttributeError, OSError):  # not Linux, or a lower system limit
        import fcntl

        fcntl.fcntl(pool._outqueue._writer.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    return pool


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: a worker it killed would take its task with it, and the pool
    would wait for that result for ever. A parent killed outright (SIGKILL) takes its workers with it
    (Linux's PR_SET_PDEATHSIG), rather than leaving them to print tracebacks of a broken pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # (a Ctrl-C held since the fork is dropped)
    for ending in (signal.SIGTERM, signal.SIGHUP):  # the parent's tidying is the parent's alone
        if signal.getsignal(ending) == on_terminate:
            signal.signal(ending, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # (a SIGTERM held since the fork ends it now)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != _PARENT or _ENDING:  # the parent died before that took effect, or is ending
        os._exit(1)


def run(task, count: int, progress=None) -> list:
    """[task(0), ..., task(count - 1)], computed across cores when that pays.
    `progress(n)` is called as results come in (for a progress bar)."""
    return list(each(task, count, progress))


def each(task, count: int, progress=None):
    """task(0), ..., task(count - 1) as `run` computes them, given one by one as they come, in order
    (the caller keeps only what it needs of each)."""
    with kept(task, count) as part:
        yield from part(range(count), progress)


@contextlib.contextmanager
def kept(task, count: int):
    """Workers forked once for `task` over range(count), made in parts: `part(indices, progress, meanwhile)`
    gives task(i) for each of `indices` as `each` does (`meanwhile()`, where given, runs here first, while
    the workers start on them), and the parts run one after another in the same workers.
    What a part made theirs stays so for the next: each page of the parent's memory that a worker writes
    to (a count of references to an object is written each time one is taken) is copied once per worker,
    not once per part. The parent may act on a part's results before the next begins (plan.make_pages
    hands its workers what the article pages left for the listing pages); `part.forked` says whether
    there are workers (else every task runs here, in order)."""
    global _TASK, _STOP, _PARENT
    n_workers = workers()
    context = _fork_context() if n_workers > 1 and count >= MIN_TASKS else None
    checkpoint()
    if context is None:
        def here(indices, progress=None, meanwhile=None):
            tick = progress or (lambda n: None)
            if meanwhile is not None:
                meanwhile()
            for i in indices:
                yield task(i)
                tick(1)
                checkpoint()
        here.forked = False
        yield here
        return
    _TASK, _STOP, _PARENT = task, context.Event(), os.getpid()
    try:
        with _pool(context, n_workers) as pool:
            def there(indices, progress=None, meanwhile=None):
                tick = progress or (lambda n: None)
                indices = list(indices)
                results = pool.imap(_run, indices, chunksize=max(1, min(64, len(indices) // (n_workers * 32))))
                unread = len(indices)
                try:
                    if meanwhile is not None:
                        meanwhile()
                    for result in results:
                        unread -= 1
                        yield result
                        tick(1)
                        checkpoint()
                except BaseException:
                    if unread:  # (not a caller that stopped asking once it had them all)
                        # results left unread fill the pipe they come back by, and Pool.terminate then hangs
                        # writing to it: let the workers skip what is left, and read that out first
                        _STOP.set()
                        for _ in results:
                            pass
                    raise
            there.forked = True
            yield there
    finally:
        _TASK = _STOP = None


SHARE_CHUNK = 8  # tasks taken at a time in `share`: the last chunks end near together


def _take() -> int:
    with _NEXT.get_lock():
        chunk = _NEXT.value
        _NEXT.value = chunk + 1
    return chunk


def _chunk(task, chunk: int, count: int) -> list:
    return [task(i) for i in range(chunk * SHARE_CHUNK, min(count, (chunk + 1) * SHARE_CHUNK))]


def _run_shared(count: int):
    chunk = _take()
    return None if _STOP.is_set() or chunk * SHARE_CHUNK >= count else (chunk, _chunk(_TASK, chunk, count))


def share(task, count: int, progress=None, meanwhile=None) -> list:
    """The same as `run`, but this process works too, beside one worker fewer: the tasks are taken a
    chunk at a time by whoever is free. Worth it where results are large (each one a worker computes
    is pickled, and unpickled here one after another) and the caller keeps them all anyway.
    `meanwhile(results)`, where workers were forked, is called here after each chunk this process
    computed, with its results, until it returns True: for work the caller would do next anyway,
    done while the workers work (they take the chunks it leaves), not after them."""
    global _TASK, _STOP, _PARENT, _NEXT
    n_workers = workers() - 1
    tick = progress or (lambda n: None)
    context = _fork_context() if n_workers >= 1 and count >= MIN_TASKS else None
    if context is None:
        return run(task, count, progress)
    checkpoint()
    chunks = -(-count // SHARE_CHUNK)
    done: dict[int, list] = {}
    _TASK, _STOP, _PARENT, _NEXT = task, context.Event(), os.getpid(), context.Value("q", 0)
    try:
        with _pool(context, n_workers) as pool:
            results = pool.imap_unordered(_run_shared, [count] * chunks)

            def keep(found) -> None:
                if found is not None:
                    done[found[0]] = found[1]
                    tick(len(found[1]))

            try:
                while (chunk := _take()) < chunks:
                    done[chunk] = _chunk(task, chunk, count)
                    tick(len(done[chunk]))
                    if meanwhile is not None and meanwhile(done[chunk]):
                        meanwhile = None
                    checkpoint()
                    while True:  # the workers' chunks come in meanwhile: ticks as they do
                        try:
                            keep(results.next(0))
                        except (context.TimeoutError, StopIteration):
                            break
                for found in results:
                    keep(found)
                    checkpoint()
            except BaseException:
                _STOP.set()  # as in `each`: let the workers skip what is left, and read that out
                for _ in results:
                    pass
                raise
    finally:
        _TASK = _STOP = _NEXT = None
    return [result for chunk in range(chunks) for result in done[chunk]]
