"""Legacy .ppt through LibreOffice headless (skipped where soffice is not installed; fails under CI=true)."""

from __future__ import annotations

import shutil
import subprocess

from extractors import ExtractOptions, extract
from extractors.legacy import soffice_path
from tests.conftest import REALDATA, require_tool

REAL = REALDATA


def test_legacy_ppt_is_converted_and_read(tmp_path):
    require_tool("LibreOffice (soffice)", soffice_path, "apt-get install libreoffice-impress-nogui")
    shutil.copy(REAL / "ocr_test.pptx", tmp_path / "src.pptx")
    subprocess.run([soffice_path(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", "ppt", "--outdir", str(tmp_path), str(tmp_path / "src.pptx")],
                   capture_output=True, timeout=120, check=True)
    doc = extract(tmp_path / "src.ppt", name="报告.ppt", options=ExtractOptions(ocr=False))
    assert doc.format == "ppt" and doc.readable, doc.problems
    assert doc.metadata.get("converted_with") == "libreoffice"
    assert "我是表格1" in doc.pages[0].text and doc.pages[0].kind == "slide"
