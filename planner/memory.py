"""Process-wide memory tuning: the allocator for large member-data analyses (glibc only, elsewhere a
no-op), and the garbage collector for reruns.

An analysis of 10⁶ events makes a few dozen arrays of several MB each. glibc hands arrays that large
back to the system as soon as they are freed, so the next analysis (every rerun after an upload, or
every file in a batch) touches fresh pages again, and on virtual machines each first touch costs a
few microseconds: a fifth to a half of the analysis time went to the kernel. Keeping freed memory in
the process (up to `keep_mb`, never beyond the peak already reached) makes those pages reusable.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Callable
from functools import cache

_M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's malloc.h
_M_MMAP_THRESHOLD = -3


@cache
def _mallopt() -> Callable[[int, int], int] | None:
    """glibc's mallopt, looked up once per process (finding the C library runs `ldconfig`, a few ms,
    and app.py asks on every rerun); None off Linux or without it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # no C library found, or one without mallopt (musl)
        return None
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt


def keep_freed_memory(keep_mb: int = 512, mmap_mb: int = 64) -> bool:
    """Ask glibc to serve allocations below `mmap_mb` from its heap and to return freed memory to the
    system only beyond `keep_mb`. True when it took effect; safe to call more than once."""
    mallopt = _mallopt()
    if mallopt is None:
        return False
    return bool(mallopt(_M_TRIM_THRESHOLD, keep_mb << 20)) and bool(mallopt(_M_MMAP_THRESHOLD, mmap_mb << 20))


@cache
def freeze_startup_heap() -> bool:
    """Hide every object alive now (the modules, classes and functions imported at start) from the
    cyclic garbage collector, once per process. A full collection walks every tracked object: with
    pandas, altair and the app imported that is ~150 000 objects and 0.1–0.15 s, under the GIL, so
    every session waits. Streamlit's own collection after every script run (`runner.postScriptGC`,
    off in .streamlit/config.toml) made a workshop participant's rerun 0.3–0.7 s instead of 0.05;
    Python's automatic full collections cost the same. Frozen, a collection walks only what the
    sessions made since. Frozen objects are still freed by reference counting, only never as
    cycles: right for imports, which live as long as the process."""
    gc.collect()  # today's garbage goes now rather than being kept for good
    gc.freeze()
    return True
