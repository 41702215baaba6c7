"""The files write_reports leaves in OUT: JSON in the contract's shape, the workbook, thumbnails, summaries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pymupdf
import pytest
from openpyxl import load_workbook

from core.model import CompletenessReport, FlagsReport, RunSummary, StatisticsReport
from pipeline.reports import format_summary_line, summary_counts, summary_markdown, write_reports
from pipeline.reports.common import problem_title
from pipeline.reports.wording import segments
from tests.reports.conftest import draw_pdf


def test_json_files_are_the_contract(reports, completeness, flags, statistics):
    raw = reports["completeness.json"].read_text("utf-8")
    assert "江苏省建筑行业协会" in raw  # ensure_ascii=False
    assert json.loads(raw) == json.loads(json.dumps(completeness.contract(), ensure_ascii=False, default=str))
    data = json.loads(raw)
    assert set(data) == {"year", "units", "teams", "files"}
    assert set(data["units"][0]["documents"]) == {"recommendation_letter", "statistics_table", "award_list"}
    assert json.loads(reports["flags.json"].read_text("utf-8"))["flags"][0]["id"] == "f-weak"
    stats = json.loads(reports["statistics.json"].read_text("utf-8"))
    assert stats["totals"]["本年度对质量信得过班组活动投入费用"] == 12.95
    assert not list(Path(reports["index.html"]).parent.glob(".*.tmp"))  # no temp file left behind


def test_workbook_matches_completeness_json(reports):
    data = json.loads(reports["completeness.json"].read_text("utf-8"))
    wb = load_workbook(reports["completeness.xlsx"])
    assert wb.sheetnames == ["推荐单位", "班组", "问题", "文件", "统计汇总"]

    ws = wb["推荐单位"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["推荐单位", "是否在名单内", "是否完整"] and "问题" in header
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [u["unit"] for u in data["units"]]
    assert [r[2] for r in rows] == ["是" if u["complete"] else "否" for u in data["units"]]
    assert [r[1] for r in rows] == ["是" if u["listed"] else "否" for u in data["units"]]
    letter = header.index("推荐函（页）")
    assert [r[letter] for r in rows] == [
        "、".join(map(str, u["documents"]["recommendation_letter"]["pages"])) or "未找到" for u in data["units"]]
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}5"
    assert ws.column_dimensions["A"].width >= 20  # wide enough for a unit's Chinese name

    ws = wb["班组"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["班组编号", "班组名称"] and "报名表" in header
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [t["team_id"] for t in data["teams"]]
    ppt = header.index("成果报告（PPT版）")
    assert [r[ppt] for r in rows] == [t["files"]["report_ppt"] or "未提交" for t in data["teams"]]
    assert ws.freeze_panes and ws.auto_filter.ref
    form = ws.cell(2, header.index("报名表") + 1)
    assert form.hyperlink is not None and form.hyperlink.target.endswith("form.pdf")
    assert ws.cell(3, header.index("报名表") + 1).hyperlink.target.endswith("photo.jpg")
    assert ws.cell(5, header.index("报名表") + 1).hyperlink is None  # not in the archive: no link

    ws = wb["问题"]
    assert [c.value for c in ws[1]] == ["级别", "对象", "问题", "说明", "文件", "页码"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expected = [(p["code"], p["message"], p.get("page")) for level in ("units", "teams", "files")
                for e in data[level] for p in e["problems"]]
    codes = [ws.cell(row, 3).comment.text for row in range(2, ws.max_row + 1)]  # the code is the tooltip
    assert [(c, r[3], r[5]) for c, r in zip(codes, rows, strict=True)] == expected
    assert all(r[2] == problem_title(c) for c, r in zip(codes, rows, strict=True))
    assert problem_title("missing_report_ppt") in [r[2] for r in rows]

    ws = wb["文件"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [f["path"] for f in data["files"]]
    assert ws.cell(2, 1).hyperlink is not None  # the archived original


def test_statistics_sheet_has_totals_beside_each_unit(reports, statistics):
    ws = load_workbook(reports["completeness.xlsx"])["统计汇总"]
    header = [c.value for c in ws[1]]
    assert header == ["统计项", "计量单位", "合计", "未填写的单位", *(u["unit"] for u in statistics.units)]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    fee = rows["本年度对质量信得过班组活动投入费用"]
    assert fee[1] == "万元" and fee[2] == 12.95 and fee[3] == "中国建筑股份有限公司"
    assert fee[4:] == (12.5, None, 0.45)
    assert rows["本年度开展质量信得过班组活动企业数"][2:] == (163, None, 36, 120, 7)
    assert rows["质量信得过班组活动评审及交流形式：资料评审"][2] == 2
    assert rows["是否组织发布会"][2] == "是 1；否 1；未填 1"
    assert rows["是否组织发布会"][4:] == ("是", None, "否")
    assert rows["没有可读统计表的单位"][3] == "某某市建筑业联合会"


def test_thumbnails_are_small_pngs(reports):
    thumbs = sorted(Path(reports["thumbs"]).glob("*.png"))
    small = [t for t in thumbs if not t.name.endswith("-view.png")]
    assert len(small) == 4 and len(thumbs) == 8  # three PDF pages and one photo (a JPEG registration form)
    sizes = sorted((pymupdf.Pixmap(str(t)).width, pymupdf.Pixmap(str(t)).height) for t in small)
    assert all(w == 220 for w, _ in sizes)
    assert all(h > w for w, h in sizes)  # A4 pages and the 323x430 photo are all portrait
    assert all(t.stat().st_size < 60_000 for t in small)


def test_rotated_page_is_rendered_upright(tmp_path):
    """A page displayed turned 90° (text running down) is turned back by the extractor's rotation."""
    from pipeline.reports.thumbs import _render

    pdf = draw_pdf(tmp_path / "r.pdf", ["工程建设质量信得过班组活动统计表" * 8])
    doc = pymupdf.open(pdf)
    doc[0].set_rotation(90)
    pix = pymupdf.Pixmap(_render(doc, 0, 270, 200))
    ink = [sum(1 for x in range(pix.width) if sum(pix.pixel(x, y)) < 384) for y in range(pix.height)]
    assert pix.height > pix.width
    assert sum(ink[: pix.height // 2]) > 10 * max(1, sum(ink[pix.height // 2:]))  # the text is at the top


def test_bad_archives_still_give_all_reports(tmp_path, completeness, flags, statistics):
    """Missing, corrupt and encrypted originals cost the pictures, never the reports."""
    enc = tmp_path / "enc.pdf"
    doc = pymupdf.open(draw_pdf(tmp_path / "plain.pdf", ["加密"]))
    doc.save(enc, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    broken = completeness.model_copy(deep=True)
    broken.files[0].archive_path = str(tmp_path / "gone.pdf")
    broken.files[1].archive_path = str(enc)
    for f in broken.files[2:]:
        if f.archive_path:
            f.archive_path = str(tmp_path)  # a folder, not a file
    broken.units[1].problems[0].page = 999
    out = write_reports(tmp_path / "out", broken, flags, statistics)
    assert {"index.html", "flags.html", "completeness.xlsx", "completeness.json"} <= set(out)
    assert not list((tmp_path / "out" / "thumbs").glob("*.png"))
    assert problem_title("incomplete_statistics_table") in out["index.html"].read_text("utf-8")


def test_empty_run_gives_readable_reports(tmp_path):
    out = write_reports(tmp_path, CompletenessReport(year=2024), FlagsReport(year=2024), StatisticsReport(year=2024))
    html = out["index.html"].read_text("utf-8")
    assert "未发现任何问题" in html and "2024年" in html
    assert "未发现跨班组的相似材料" in out["flags.html"].read_text("utf-8")
    assert load_workbook(out["completeness.xlsx"])["推荐单位"].max_row == 1


def test_control_characters_in_uploaded_text_do_not_break_the_workbook(tmp_path, completeness, flags, statistics):
    odd = completeness.model_copy(deep=True)
    odd.teams[0].team = "钢筋\x00班组\x1b"
    odd.units[0].documents["statistics_table"].fields["联系人"] = ["李明", "王\x07芳"]
    out = write_reports(tmp_path, odd, flags, statistics)
    assert load_workbook(out["completeness.xlsx"])["班组"]["B2"].value == "钢筋班组"


@pytest.mark.parametrize(("spans", "expected"), [
    ([], [("abcdef", False)]),
    ([(1, 3)], [("a", False), ("bc", True), ("def", False)]),
    ([(1, 3), (2, 5)], [("a", False), ("bcde", True), ("f", False)]),
    ([(4, 99), (-3, 1)], [("a", True), ("bcd", False), ("ef", True)]),
    ([(3, 3), (5, 2)], [("abcdef", False)]),
])
def test_segments_clip_and_merge_spans(spans, expected):
    assert segments("abcdef", spans) == expected


def test_summaries(completeness, flags, statistics, summary: RunSummary):
    md = summary_markdown(completeness, flags, statistics, summary)
    assert "| 推荐单位 | 4 | 1 | 3 |" in md and "| 班组 | 4 | 1 | 3 |" in md
    assert "无法读取的文件：1 个；逾期提交的文件：1 个" in md
    assert "中建八局第三建设有限公司钢筋班组 | 2023年 中铁一局测量班组 | 71.0% | 38.0% | 41.0%" in md
    assert md.index("71.0%") < md.index("42.0%")
    piped = completeness.model_copy(deep=True)
    piped.units[1].unit = "中国建筑|股份\n有限公司"
    assert "- 中国建筑\\|股份 有限公司：" in summary_markdown(piped, flags, statistics, summary)
    counts = {r["项目"]: r["数量"] for r in summary_counts(completeness, flags, statistics, summary)}
    assert counts["推荐单位：不完整"] == 3 and counts["抄袭嫌疑（跨班组）"] == 2 and counts["本班组往年材料重复使用"] == 1
    assert counts[f"问题：{problem_title('missing_recommendation_letter')}"] == 1 and counts["计入统计汇总的单位"] == 3
    line = format_summary_line(summary)
    assert "\n" not in line
    assert "推荐单位 4 家（完整 1，不完整 3）" in line and "用时 125.0 秒" in line and summary.out_dir in line


def test_second_run_reuses_and_prunes_pictures(tmp_path, completeness, flags, statistics):
    out = tmp_path / "out"
    write_reports(out, completeness, flags, statistics)
    first = {p.name: p.stat().st_mtime_ns for p in (out / "thumbs").glob("*.png")}
    fixed = completeness.model_copy(deep=True)
    fixed.units[2].problems = [p for p in fixed.units[2].problems if p.code != "late_submission"]
    write_reports(out, fixed, flags, statistics)
    second = {p.name: p.stat().st_mtime_ns for p in (out / "thumbs").glob("*.png")}
    assert len(first) == 8 and len(second) == 6 and set(second) < set(first)
    assert all(second[n] == first[n] for n in second)  # not rendered again


def test_ids_stay_unique_when_names_repeat(tmp_path, completeness, flags, statistics):
    twice = completeness.model_copy(deep=True)
    twice.teams.append(twice.teams[1].model_copy(deep=True))
    twice.units.append(twice.units[0].model_copy(deep=True))
    html = write_reports(tmp_path, twice, flags, statistics)["index.html"].read_text("utf-8")
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) and "team-5" in ids and "unit-5" in ids


def test_a_crash_while_writing_leaves_the_old_report_whole(tmp_path, monkeypatch):
    from pipeline.reports import common

    target = tmp_path / "index.html"
    common.atomic_write_text(target, "旧的完整报告")

    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(common.os, "replace", boom)
    with pytest.raises(OSError):
        common.atomic_write_text(target, "新报告" * 1000)
    assert target.read_text("utf-8") == "旧的完整报告"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_problem_titles_come_from_the_completeness_codes():
    from core.codes import CODES

    assert all(problem_title(code) == title for code, title in CODES.items())
    assert problem_title("a_code_nobody_named") == "a_code_nobody_named"


def test_one_failing_report_does_not_keep_the_others_back(tmp_path, monkeypatch, completeness, flags, statistics):
    import pipeline.reports as reports_pkg

    def broken(*_args, **_kwargs):
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(reports_pkg, "render_index", broken)
    with pytest.raises(RuntimeError):
        write_reports(tmp_path, completeness, flags, statistics)
    assert not (tmp_path / "index.html").exists()
    assert (tmp_path / "flags.html").exists() and (tmp_path / "completeness.xlsx").exists()
