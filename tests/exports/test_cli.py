"""`banzu export …` makes the three documents from a run's reports folder."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import docx
from openpyxl import load_workbook
from typer.testing import CliRunner

from commands.main import app
from core.model import TeamReview
from pipeline.reports import write_reports


def test_export_commands_read_the_run_reports(tmp_path: Path, completeness, flags, statistics):
    reviews = {"A0201-测量班组": TeamReview(decision="passed", by="初审甲", at=datetime(2024, 6, 5, tzinfo=UTC))}
    reports = tmp_path / "reports"
    write_reports(reports, completeness, flags, statistics, team_reviews=reviews, portable=False)
    runner = CliRunner()
    base = ["--year", "2024", "--reports", str(reports)]

    r = runner.invoke(app, ["export", "shortlist", *base, "--out", str(tmp_path / "名单.xlsx")])
    assert r.exit_code == 0, r.output
    ws = load_workbook(tmp_path / "名单.xlsx").active
    assert [row[4] for row in ws.iter_rows(min_row=4, values_only=True)] == ["A0201-测量班组"]

    r = runner.invoke(app, ["export", "followup", *base, "--by", "2024-06-15", "--out", str(tmp_path / "通知"),
                            "--mailbox", "xzhd@cacem.com.cn"])
    assert r.exit_code == 0, r.output
    doc = docx.Document(tmp_path / "通知" / "补交通知-上海市市政公路行业协会.docx")
    assert "2024年6月15日前" in "\n".join(p.text for p in doc.paragraphs)
    assert (tmp_path / "通知" / "补交通知-邮件合并.xlsx").is_file()

    r = runner.invoke(app, ["export", "statistics", *base, "--out", str(tmp_path / "附件3.xlsx")])
    assert r.exit_code == 0, r.output
    wb = load_workbook(io.BytesIO((tmp_path / "附件3.xlsx").read_bytes()))
    assert "已汇总 3/65" in wb["统计汇总"]["A2"].value

    r = runner.invoke(app, ["export", "followup", "--by", "6月15日", *base])
    assert r.exit_code == 2 and "日期格式" in r.output
    r = runner.invoke(app, ["export", "shortlist", "--year", "2024", "--reports", str(tmp_path / "nothing")])
    assert r.exit_code == 2 and "banzu intake" in r.output
