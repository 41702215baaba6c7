"""Give freed memory back to the system after each OCR'd page, and read what a process holds.

onnxruntime (RapidOCR runs it with its CPU arena off) allocates the detector's activations through
malloc: ~500 MB for one A4 page at 200 dpi, freed when the page is done. glibc keeps such freed
blocks in its heaps, so a reader that OCR'd a page went on holding 400-600 MB instead of ~220 MB
(measured with /tmp probes on PP-OCRv4: 415 MB after one detection, 206 MB after `malloc_trim`), and
the next page's detection came on top of that. Trimming costs milliseconds per page.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # glibc only; elsewhere there is nothing to trim this way
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Empty MuPDF's cache of decoded images (a scanned page's image is used once, and the cache keeps
    up to 256 MB of them: 60-80 MB after a few scanned pages), then hand the heap's free pages back
    to the OS (no-op where the C library cannot)."""
    mupdf = sys.modules.get("pymupdf")  # only where a PDF was opened: never imported for this
    if mupdf is not None:
        mupdf.TOOLS.store_shrink(100)
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def rss_bytes(pid: int | None = None) -> int:
    """Resident memory of a process (this one by default) in bytes; 0 where /proc is missing."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
