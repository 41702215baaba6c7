"""OCR pages in worker processes (one onnxruntime thread each) instead of one process with threads.

Workers receive a file path and page numbers, never images: each opens the PDF itself, renders one
page, reads it and returns the Page, so memory stays at one page image per worker.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from core.codes import Code
from core.model import Page, Problem

from . import problems as msg
from .options import ExtractOptions

_DOCS: dict[str, object] = {}


AUTO_MIN_PAGES = 8  # below this many OCR pages, starting workers (~3 s each) costs more than it saves


def resolve_workers(options: ExtractOptions, ocr_pages: int) -> int:
    """How many OCR processes: the option, else from the machine. A run passes BANZU_OCR_WORKERS or 1
    (pipeline.intake.extract_options: one OCR engine per run bounds its memory); `banzu extract` of a
    single file decides from the machine.

    Measured with benchmarks/ocr.py --parallel on the shared 2-core machine: one onnxruntime thread
    per process beat two threads in one process (3.9 vs 6.3 s/page), and a second worker process
    only pays off when a core is actually free (busy machine: 4.9-5.4 s/page with one process vs
    5.7-6.0 with two). So: one thread per process, and a second process only for files with many
    pages to OCR while the load average leaves a core idle. An injected engine cannot be shipped to
    other processes, so it always runs in this one.
    """
    if options.engine is not None or not options.ocr or ocr_pages < 2:
        return 1
    if multiprocessing.current_process().daemon:  # a Dask worker: daemonic processes may not have children
        return 1
    if options.workers:
        return options.workers
    cores = os.cpu_count() or 1
    if ocr_pages < AUTO_MIN_PAGES or cores < 2:
        return 1
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:
        idle = cores
    return max(1, min(cores, int(idle + 0.5)))


PageReader = Callable[[Any, Page, ExtractOptions], Page]


def _ocr_in_worker(path: str, out: Page, options: ExtractOptions, ocr_page: PageReader) -> Page:
    from .pdfstructure import open_untagged  # pymupdf only in the worker

    doc = _DOCS.get(path)
    if doc is None:
        doc = open_untagged(path)
        _DOCS.clear()  # one open file per worker
        _DOCS[path] = doc
    return ocr_page(doc.load_page(out.page - 1), out, options)


def ocr_pages_in_workers(path: Path, pages: list[Page], options: ExtractOptions, workers: int,
                         ocr_page: PageReader) -> dict[int, Page]:
    """OCR `pages` of the PDF at `path` in `workers` processes; a lost page becomes a problem.

    `ocr_page(pymupdf_page, page, options)` is the PDF reader's own page OCR, passed in (a module-level
    function pickles by name) so this module need not import the reader that calls it.
    """
    done: dict[int, Page] = {}
    # spawn, not fork: a forked onnxruntime thread pool can deadlock
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(pages)), mp_context=ctx) as pool:
        futures = [(p, pool.submit(_ocr_in_worker, str(path), p, options, ocr_page)) for p in pages]
        # the page limit is enforced inside the worker; this outer limit only catches a stuck renderer
        outer = options.page_timeout * 2 + 60
        for page, fut in futures:
            try:
                done[page.page] = fut.result(timeout=outer * max(1, len(pages) // workers))
            except (FutureTimeout, Exception) as exc:  # noqa: BLE001 - a dead worker costs its page only
                page.problems.append(Problem(code=Code.OCR_FAILED, page=page.page, message=msg.OCR_FAILED.format(
                    page=page.page, why=type(exc).__name__)))
                done[page.page] = page
    return done
