"""The reader child: one per process, shared by the run's threads, holding the run's one OCR engine,
replaced when a file kills it, overruns or leaves it too big; the calling process never loads OCR."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from extractors import ExtractOptions
from extractors.deadline import (
    halt_readers,
    read_with_deadline,
    reader_pid,
    resume_readers,
    stop_all_readers,
)
from pipeline.samples.hostile_pdf import text_pdf
from pipeline.samples.scan import scan_pdf

ROOT = Path(__file__).resolve().parents[2]

# two threads read a scanned and a born-digital file at once, as the flow's thread pool does
TWO_THREADS = """
import json, sys, threading
from pathlib import Path
from extractors import ExtractOptions
from extractors.deadline import read_with_deadline, reader_pid, stop_all_readers

docs, pids = {}, []
def read(p):
    docs[p] = read_with_deadline(Path(p), Path(p).name, ExtractOptions())
    pids.append(reader_pid())
threads = [threading.Thread(target=read, args=(p,)) for p in sys.argv[1:]]
for t in threads: t.start()
for t in threads: t.join()
stop_all_readers()
print(json.dumps({"pids": pids, "texts": {Path(p).name: d.text for p, d in docs.items()},
                  "sources": {Path(p).name: [pg.source for pg in d.pages] for p, d in docs.items()},
                  "ocr_loaded_here": [m for m in ("onnxruntime", "rapidocr_onnxruntime") if m in sys.modules]}))
"""


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reader") / "scanned.pdf"
    path.write_bytes(scan_pdf(text_pdf(1)))
    return path


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_one_child_reads_for_every_thread_and_the_caller_never_loads_ocr(tmp_path, scanned):
    digital = _write(tmp_path, "digital.pdf", text_pdf(2))
    run = subprocess.run([sys.executable, "-c", TWO_THREADS, str(scanned), str(digital)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert len(out["pids"]) == 2 and len(set(out["pids"])) == 1 and out["pids"][0]  # one child for both
    assert out["sources"]["scanned.pdf"] == ["ocr"] and "班组" in out["texts"]["scanned.pdf"]
    assert out["sources"]["digital.pdf"] == ["text_layer", "text_layer"]
    assert out["ocr_loaded_here"] == []  # the engine lives in the child only


def test_a_child_that_grew_past_its_limit_is_replaced(tmp_path):
    path = _write(tmp_path, "ok.pdf", text_pdf(2))
    small = ExtractOptions(ocr=False, reader_max_mb=1)  # every child holds more than 1 MB
    try:
        first = read_with_deadline(path, "ok.pdf", ExtractOptions(ocr=False), seconds=60)
        kept = reader_pid()
        again = read_with_deadline(path, "ok.pdf", small, seconds=60)
        assert kept is not None and reader_pid() is None  # stopped after the file, not during it
        third = read_with_deadline(path, "ok.pdf", ExtractOptions(ocr=False), seconds=60)
        assert reader_pid() not in (None, kept)
    finally:
        stop_all_readers()
    assert first.pages == again.pages == third.pages and first.readable


def test_the_child_gives_back_what_a_page_of_ocr_took(scanned):
    """~500 MB of detector activations per page are freed; without handing them back to the system
    the child kept 400-600 MB after one page (extractors/memory.py)."""
    try:
        doc = read_with_deadline(scanned, "scanned.pdf", ExtractOptions(), seconds=240)
        held = Path(f"/proc/{reader_pid()}/status").read_text()
    finally:
        stop_all_readers()
    assert doc.pages[0].source == "ocr" and doc.text.strip()
    rss_mb = int(next(line for line in held.splitlines() if line.startswith("VmRSS")).split()[1]) // 1024
    assert rss_mb < 380, rss_mb


def test_the_next_file_after_an_overrun_gets_a_fresh_child(realdata, tmp_path):
    ok = _write(tmp_path, "ok.pdf", text_pdf(1))
    try:
        killed = read_with_deadline(realdata / "small_ocr.pdf", "small_ocr.pdf", ExtractOptions(), seconds=2)
        doc = read_with_deadline(ok, "ok.pdf", ExtractOptions(ocr=False), seconds=60)
    finally:
        stop_all_readers()
    assert killed.problems[0].code == "unreadable_file" and "时间上限" in killed.problems[0].message
    assert doc.readable and doc.problems == [] and len(doc.pages) == 1


def test_a_file_that_takes_too_much_memory_is_stopped_with_a_finding(scanned, tmp_path):
    """Loading the OCR models alone takes the child past 150 MB: the file is stopped like one over its
    time, the finding says memory, and the next file is read by a fresh child."""
    ok = _write(tmp_path, "ok.pdf", text_pdf(1))
    try:
        stopped = read_with_deadline(scanned, "scanned.pdf", ExtractOptions(file_max_mb=150), seconds=240)
        doc = read_with_deadline(ok, "ok.pdf", ExtractOptions(ocr=False), seconds=60)
    finally:
        stop_all_readers()
    problem = stopped.problems[0]
    assert problem.code == "unreadable_file" and "内存" in problem.message and "150 MB" in problem.message
    assert stopped.pages == [] and doc.readable and len(doc.pages) == 1


def test_a_stopping_run_records_no_finding_for_the_file_it_interrupts(realdata):
    """SIGTERM kills the child mid-file: that file is not 'unreadable', it is simply not read (it is
    read again next run), so the reader raises instead of answering with an overrun finding."""
    outcome: dict[str, object] = {}

    def read() -> None:
        try:
            outcome["doc"] = read_with_deadline(realdata / "small_ocr.pdf", "small_ocr.pdf", ExtractOptions(),
                                                seconds=120)
        except KeyboardInterrupt as exc:
            outcome["stopped"] = exc

    worker = threading.Thread(target=read)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while reader_pid() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        halt_readers()
        worker.join(30)
    finally:
        resume_readers()
        stop_all_readers()
    assert "stopped" in outcome and "doc" not in outcome
