"""A crashing extractor (after Prefect's retry) costs one file, not the run; the next run retries it."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline.intake
from tests.flow.helpers import codes, read_json, run_intake, text_pdf, write

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]


def test_crashing_extractor_is_recorded_and_retried_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    team = inbox / "班组申报" / "A0009-测量班组"
    (inbox / "推荐材料").mkdir(parents=True)  # no unit has sent anything yet
    write(team / "报名表.pdf", text_pdf(["质量信得过班组报名表\n班组名称：测量班组"]))
    write(team / "成果报告.pdf", text_pdf(["一、班组概况\n测量班组负责控制网复测。"]))
    real_extract = pipeline.intake.read_with_deadline  # the intake reads each file under a deadline
    calls: list[str] = []

    def crashing_extract(path, name, options, seconds=None):
        calls.append(name)
        if name.endswith("成果报告.pdf"):
            raise MemoryError("simulated crash inside the OCR engine")
        return real_extract(path, name, options, seconds)

    monkeypatch.setattr(pipeline.intake, "read_with_deadline", crashing_extract)
    result = run_intake(inbox, tmp_path / "out1", home)
    assert result.exit_code == 0, result.output
    assert calls.count("班组申报/A0009-测量班组/成果报告.pdf") == 2  # the task's retry ran once more
    files = {f["path"]: f for f in read_json(tmp_path / "out1", "completeness.json")["files"]}
    failed = files["班组申报/A0009-测量班组/成果报告.pdf"]
    assert "extraction_failed" in codes(failed["problems"])
    assert "原文件已保存" in next(
        p["message"] for p in failed["problems"] if p["code"] == "extraction_failed"
    )
    assert files["班组申报/A0009-测量班组/报名表.pdf"]["status"] == "ok"

    monkeypatch.setattr(pipeline.intake, "read_with_deadline", real_extract)  # the engine is repaired
    result = run_intake(inbox, tmp_path / "out2", home)
    assert result.exit_code == 0, result.output
    files = {f["path"]: f for f in read_json(tmp_path / "out2", "completeness.json")["files"]}
    assert "extraction_failed" not in codes(files["班组申报/A0009-测量班组/成果报告.pdf"]["problems"])
