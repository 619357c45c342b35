"""Memory bounds of a worker pool child, in three layers:

1. ``RLIMIT_AS`` (set once per child at start): the address space the child may add to what it
   maps when it starts. One huge allocation (MuPDF asking for an 833 MB pixmap for a
   4000×4000 pt page at 300 dpi) fails at once, inside the library, before it touches memory;
   PyMuPDF raises ``FzErrorSystem: malloc (…) failed``, Python a ``MemoryError``. The job then
   fails with ``RESOURCE_LIMIT`` (:func:`is_memory_error`).
2. A look at the child's resident memory before a job and every 0.1 s while it runs (the
   watch thread, ``worker.watch`` and ``worker.processing.memory_look``): past
   ``worker_max_memory_mib`` the job is FAILED with ``RESOURCE_LIMIT`` and the child exits, so
   creeping growth (many mid-sized pages) is stopped too. The task message is then rejected and
   redelivered; its claim finds the job FAILED and does nothing: nothing lost, nothing run twice.
3. Celery's ``worker_max_memory_per_child``: a child still above the ceiling after a task is
   replaced by a fresh one (freed memory a process keeps is not lost forever).

glibc gives every thread its own malloc arena (64 MiB of address space each); the child runs
a watch thread beside the pipeline, so arenas are capped at 2 (``mallopt(M_ARENA_MAX)``) to keep
the address space, and with it ``RLIMIT_AS``, predictable.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import resource

from api.settings import Settings

log = logging.getLogger(__name__)

MiB = 1024 * 1024
_M_ARENA_MAX = -8
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def rss_bytes() -> int:
    """This process's resident set size (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def peak_rss_bytes() -> int:
    """The highest resident set size this process has had (``VmHWM``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def apply_child_limits(settings: Settings) -> None:
    """Called in every pool child after fork (``worker_process_init``)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(_M_ARENA_MAX, 2)
    headroom = settings.worker_address_space_headroom_mib * MiB
    base = _address_space()
    if headroom and base:
        limit = base + headroom
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        log.info("pool child %s: address space limit %d MiB", os.getpid(), limit // MiB)


def trim() -> None:
    """Give freed heap pages back to the system (glibc keeps them by default)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def is_memory_error(error: BaseException) -> bool:
    """An allocation refused: Python's MemoryError, MuPDF's failed malloc or its size limit
    (possibly wrapped in another exception)."""
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, MemoryError):
            return True
        text = str(seen)
        if ("malloc" in text and "failed" in text) or "out of memory" in text.lower():
            return True
        # MuPDF's own ceiling on one pixmap ("Overly large image"): a limit, not damage.
        if type(seen).__name__ in {"FzErrorLimit", "FzErrorMemory"}:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
