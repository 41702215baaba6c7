"""A tagged PDF whose structure tree MuPDF's repair loops on (issue 16): every reading path returns;
unsound trees are detached, sound ones kept.

The file (`cyclic_structure_pdf`) reads in milliseconds with plain get_text(), but MuPDF 1.28 spins
forever as soon as one of its pages runs through a device that records structure (any rendering,
and the table finder's header test). Each reading is done where a hang becomes a failure, never a
stuck test run: in the deadline child with a deadline far above the bound asserted, or in a child
process with a timeout.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest

from extractors import ExtractOptions, extract
from extractors.deadline import read_with_deadline, stop_all_readers
from extractors.pdfstructure import detach_structure, structure_is_sound
from pipeline.samples.hostile_pdf import TREE_DEFECTS, cyclic_structure_pdf, tagged_pdf

ROOT = Path(__file__).resolve().parents[2]
PAGES = 15


@pytest.fixture(scope="module")
def cyclic_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cyclic") / "cyclic.pdf"
    path.write_bytes(cyclic_structure_pdf(PAGES))
    return path


def test_cyclic_structure_tree_is_read_in_seconds(cyclic_pdf):
    started = time.perf_counter()
    try:  # a deadline far above the bound: it stops a regression, it cannot make this test pass
        doc = read_with_deadline(cyclic_pdf, "cyclic.pdf", ExtractOptions(ocr=False), seconds=90)
    finally:
        stop_all_readers()
    elapsed = time.perf_counter() - started
    assert doc.problems == [], doc.problems
    assert len(doc.pages) == PAGES and all("班组概况" in p.text for p in doc.pages)
    assert all(p.tables and "项目00" in p.tables[0].rows[0][0] for p in doc.pages)  # the table finder ran
    assert elapsed < 30


def _run(script: str, seconds: float) -> str:
    """`script` in a fresh interpreter; a hang is a failure after `seconds`, not a stuck test run."""
    try:
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {seconds} s: the structure tree loops")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_every_renderer_of_a_cyclic_tagged_pdf_returns(cyclic_pdf, tmp_path):
    """Rendering for OCR and blank pages, the table finder, report thumbnails and evidence pictures."""
    out = tmp_path / "evidence.png"
    script = f"""
from pathlib import Path
import pymupdf
from extractors.pdf import open_pdf, render_gray
from extractors.pdfstructure import open_untagged
from pipeline.reports.evidence_images import render_region
from pipeline.reports.thumbs import _open, _render
doc, problem = open_pdf(Path({str(cyclic_pdf)!r}), "cyclic.pdf")
assert problem is None
for page in doc:
    assert render_gray(page, 72).size and page.find_tables().tables
page = open_untagged({str(cyclic_pdf)!r})[3]  # how an OCR worker opens the file
assert page.get_pixmap(dpi=72).width
assert _render(_open({str(cyclic_pdf)!r}), 0, 0, 200)
assert render_region({str(cyclic_pdf)!r}, 2, "班组概况", Path({str(out)!r})) is not None
print("rendered")
"""
    assert "rendered" in _run(script, seconds=60)
    assert out.stat().st_size > 0


def test_the_sample_still_hangs_mupdf_when_the_tree_is_kept(cyclic_pdf):
    """The sample must stay hostile: plain text reads at once, a rendering of the untouched file never ends.

    If this fails after a PyMuPDF upgrade, MuPDF stopped looping on this tree: keep detaching it
    (banzu never needs it) and make the sample reproduce whatever loops then.
    """
    script = f"""
import pymupdf
page = pymupdf.open({str(cyclic_pdf)!r})[0]
print(len(page.get_text()), flush=True)
page.get_pixmap(dpi=36)
print("rendered", flush=True)
"""
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        out, _ = proc.communicate(timeout=8)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    assert "rendered" not in out, "MuPDF rendered the cyclic tree: the sample no longer reproduces the hang"
    assert int(out.split()[0]) > 100  # get_text() read the page before the rendering started


@pytest.mark.parametrize("defect", TREE_DEFECTS)
def test_an_unsound_structure_tree_is_detached(defect):
    doc = pymupdf.open(stream=tagged_pdf(defect), filetype="pdf")
    assert not structure_is_sound(doc) and detach_structure(doc)
    assert doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot")[0] == "null"
    assert "班组概况" in doc[0].get_text()


def test_a_sound_structure_tree_is_kept_for_its_replacement_text(tmp_path):
    """A sound tree stays: its elements' /ActualText is the text their marked content stands for."""
    path = tmp_path / "tagged.pdf"
    path.write_bytes(tagged_pdf(actual_text="Replacement text of the element"))
    doc = extract(path, name="tagged.pdf", options=ExtractOptions(ocr=False))
    assert "".join(doc.pages[0].text.split()) == "Replacementtextoftheelement"  # laid over the glyphs' lines
    opened = pymupdf.open(path)
    assert structure_is_sound(opened) and not detach_structure(opened)
