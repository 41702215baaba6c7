"""PDFs a hostile or unlucky sender produces: loops, truncation, blank pages, files that never end."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractors import ExtractOptions, extract
from extractors.deadline import read_with_deadline, stop_all_readers
from pipeline.samples.hostile_pdf import blank_pdf, blank_scan_pdf, text_pdf, truncated


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("cut", ["4kb", "third", "ninety"])
def test_truncated_pdf_is_damaged_not_good(tmp_path, cut):
    data = text_pdf(12)
    part = {"4kb": truncated(data, size=4096), "third": truncated(data, 1 / 3), "ninety": truncated(data, 0.9)}[cut]
    doc = extract(_write(tmp_path, "cut.pdf", part), name="cut.pdf", options=ExtractOptions(ocr=False))
    problem = next(p for p in doc.problems if p.code == "unreadable_file")
    assert "损坏" in problem.message and "重新提交" in problem.message
    if cut == "ninety":  # what could be read is still there, and the message says which pages
        assert doc.pages and doc.pages[0].text and "第 1" in problem.message


def test_complete_pdf_is_not_called_damaged(tmp_path):
    doc = extract(_write(tmp_path, "ok.pdf", text_pdf(3)), name="ok.pdf", options=ExtractOptions(ocr=False))
    assert doc.readable and doc.problems == []


def test_two_thousand_blank_pages_cost_almost_nothing(tmp_path):
    path = _write(tmp_path, "blank.pdf", blank_pdf(2000))
    started = time.perf_counter()
    doc = extract(path, name="blank.pdf")  # OCR on: blank pages must never reach it
    assert time.perf_counter() - started < 30
    assert len(doc.pages) == 2000 and {p.reason for p in doc.pages} == {"blank_page"}


def test_scanned_empty_sheets_are_blank_but_a_scanned_text_is_not(tmp_path):
    doc = extract(_write(tmp_path, "scan.pdf", blank_scan_pdf(3)), name="scan.pdf",
                  options=ExtractOptions(ocr=False))
    assert {p.reason for p in doc.pages} == {"blank_page"} and not any(p.problems for p in doc.pages)


def test_a_file_over_its_time_budget_is_stopped_with_a_finding(realdata, tmp_path):
    started = time.perf_counter()
    try:
        doc = read_with_deadline(realdata / "small_ocr.pdf", "small_ocr.pdf", ExtractOptions(), seconds=3)
    finally:
        stop_all_readers()
    assert time.perf_counter() - started < 20
    problem = doc.problems[0]
    assert problem.code == "unreadable_file" and "时间上限" in problem.message and doc.pages == []


def test_deadline_reader_returns_the_document_when_in_time(tmp_path):
    path = _write(tmp_path, "ok.pdf", text_pdf(2))
    try:
        doc = read_with_deadline(path, "ok.pdf", ExtractOptions(ocr=False), seconds=60)
        again = read_with_deadline(path, "ok.pdf", ExtractOptions(ocr=False), seconds=60)  # the child is reused
    finally:
        stop_all_readers()
    assert doc.readable and len(doc.pages) == 2 and again.pages == doc.pages


def test_huge_png_is_too_large_not_damaged(tmp_path):
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        import struct

        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    import struct

    w = h = 30000
    rows = zlib.compress(b"\0" * (w // 8 + 1) * 64)  # only the start of the pixel data: a header bomb
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)) + chunk(
        b"IDAT", rows) + chunk(b"IEND", b"")
    doc = extract(_write(tmp_path, "报名表.png", png), name="报名表.png")
    (problem,) = doc.problems
    assert problem.code == "unreadable_file" and "尺寸过大" in problem.message and "30000×30000" in problem.message
