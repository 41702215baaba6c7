"""Read a file in a child process with a deadline, so no single file can hold a run.

A reader that loops (a cyclic PDF object graph, a pathological drawing, a hung converter) is killed
when its time is up; the file becomes an `unreadable_file` problem saying so, and the next file gets
a fresh child. One child serves the whole process and is kept between files (starting one costs
~1 s of imports and ~1 s to load the OCR models), so the price of the deadline is one pickled
Document per file, and the process that runs the flow never loads the OCR engine itself. Where no
child can be started (a daemonic Dask worker) or the options carry an in-process OCR engine, the
file is read here, without the deadline.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import re
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from core.model import Document

from . import problems as msg
from .memory import release_memory, rss_bytes
from .options import ExtractOptions

BASE_SECONDS = 60.0  # opening, sniffing, one conversion
SECONDS_PER_PAGE = 8.0  # OCR of a dense page on a busy machine, with margin


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def budget_seconds(path: Path, options: ExtractOptions) -> float:
    """The file's time budget: the option when set, else a base plus a share per (estimated) page.

    Pages are estimated from the bytes (page objects, else one page per 100 KB), never by opening
    the file here: a file that hangs its reader must hang only the child that is killed.
    """
    if options.file_timeout:
        return options.file_timeout
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            data = fh.read(64 * 1024 * 1024)
    except OSError:
        return BASE_SECONDS
    pages = max(len(_PAGE_OBJECT.findall(data)), size // 100_000, 1)
    # other formats may go through LibreOffice first, which has its own (longer) time limit
    base = BASE_SECONDS if b"%PDF-" in data[:1024] else max(BASE_SECONDS, options.soffice_timeout + 30)
    return base + SECONDS_PER_PAGE * min(pages, options.max_pages)


def _serve(conn: Connection) -> None:
    """The child: read files as asked until the parent closes the pipe; each answer carries the
    child's resident memory after the file (freed heap handed back first), so the parent can
    replace a child that grew."""
    from . import extract

    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        path, name, options = request
        try:
            answer: Document | Exception = extract(path, name=name, options=options)
        except Exception as exc:  # noqa: BLE001 - the parent decides what an error means
            answer = exc
        gc.collect()
        release_memory()
        try:
            conn.send((answer, rss_bytes()))
        except Exception as exc:  # noqa: BLE001 - an answer that cannot be pickled still answers
            conn.send((RuntimeError(f"{type(exc).__name__}: {exc}"), rss_bytes()))


class DeadlineReader:
    """One child process reading files one at a time, for every thread of this process.

    One child holds the one OCR engine of the run (~200 MB of models, 500-700 MB more while a page
    is detected), so the run's memory does not grow with the number of extraction threads; the
    threads take turns (a child per thread doubled the run's peak, to 2.4 GB on the small profile of
    benchmarks/hostile.py, and a second OCR process pays off only when a core is idle:
    extractors/workers.py). The child is replaced when a file overruns its
    time (killed: only that file is lost), when it dies (a crash in a native library), and when a
    file leaves it holding more than `ExtractOptions.reader_max_mb`.
    """

    def __init__(self) -> None:
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The running child's process id (None before the first file and after a stop)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.is_alive() else None

    def _start(self) -> Connection:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            return self._conn
        self.stop()  # a child that died between files leaves its pipe behind
        ctx = multiprocessing.get_context("spawn")  # never fork a process with OCR threads
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child,), name="banzu-reader", daemon=False)
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        return parent

    def stop(self) -> None:
        """Kill the child (a run that is stopping must not leave readers behind)."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None and proc.is_alive():
            proc.kill()
            proc.join(5)

    def read(self, path: Path, name: str, options: ExtractOptions, seconds: float) -> Document:
        with self._lock:  # the time budget starts when this file is sent, not while it waits here
            if _HALTED.is_set():
                raise KeyboardInterrupt("the run is stopping")
            conn = self._start()
            started = time.monotonic()
            conn.send((path, name, options))
            try:
                answer = self._wait(conn, started + seconds, options.file_max_mb * 2**20)
            except (EOFError, OSError):
                answer = "died"
            if _HALTED.is_set():  # killed by halt_readers, not by the file: nothing to record
                self.stop()
                raise KeyboardInterrupt("the run is stopping")
            if isinstance(answer, str):
                self.stop()
                return _overrun(name, time.monotonic() - started, answer, options.file_max_mb)
            result, rss = answer
            if options.reader_max_mb and rss > options.reader_max_mb * 2**20:
                self.stop()  # the next file gets a fresh child
            if isinstance(result, BaseException):
                raise result
            return result

    def _wait(self, conn: Connection, until: float, max_bytes: int) -> tuple | str:
        """The child's answer, or why there is none: "time" (over the budget), "memory" (the child
        holds more than `max_bytes`: a decompression bomb the format checks missed must not take the
        machine's memory). A child that died makes the pipe end (EOFError: "died" in `read`). Its
        RSS is looked at twice a second, between polls of the pipe."""
        pid = self._proc.pid if self._proc is not None else None
        while (left := until - time.monotonic()) > 0:
            if conn.poll(min(left, 0.5)):
                return conn.recv()
            if max_bytes and pid and rss_bytes(pid) > max_bytes:
                return "memory"
        return "time"


def _overrun(name: str, seconds: float, why: str, max_mb: int) -> Document:
    text = {"died": msg.READER_DIED, "memory": msg.READ_MEMORY.format(mb=max_mb)}.get(
        why, msg.READ_TIMEOUT.format(seconds=seconds))
    return Document(path=name, format="unknown", problems=[msg.unreadable(text, name)],
                    metadata={"killed_after_seconds": round(seconds, 1)})


_READER = DeadlineReader()  # one per process: the threads of a run share it
_HALTED = threading.Event()  # the process is stopping (SIGTERM): no file is started any more


def can_use_child(options: ExtractOptions) -> bool:
    return options.engine is None and not multiprocessing.current_process().daemon


def read_with_deadline(path: Path, name: str, options: ExtractOptions, seconds: float | None = None) -> Document:
    """`extract()` under a deadline in the process's reader child; in-process when no child is possible."""
    from . import extract

    path = Path(path)
    if _HALTED.is_set():
        raise KeyboardInterrupt("the run is stopping")
    if not can_use_child(options):
        return extract(path, name=name, options=options)
    return _READER.read(path, name, options, seconds or budget_seconds(path, options))


def reader_pid() -> int | None:
    """The process id of this process's reader child, if one is running."""
    return _READER.pid


def stop_all_readers() -> None:
    """Kill the reader child of this process (end of a run)."""
    _READER.stop()


def resume_readers() -> None:
    """A new run in this process may read again."""
    _HALTED.clear()


def halt_readers() -> None:
    """The process is stopping (SIGTERM): kill the reader and start no other file."""
    _HALTED.set()
    stop_all_readers()


atexit.register(stop_all_readers)  # before multiprocessing joins its (non-daemon) children at exit
