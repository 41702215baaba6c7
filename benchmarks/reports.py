"""Timing of write_reports on a national-scale run: 65 units, 600 teams, 300 flags.

Run: .venv/bin/python -m benchmarks.reports [OUT]. Prints seconds per run (first run renders the
page pictures, the second finds them in OUT/thumbs/) and the size of each report.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

from checks.statistics import roll_up
from core.model import (
    CompletenessReport,
    DocumentFinding,
    Evidence,
    FileResult,
    Flag,
    FlagSide,
    FlagsReport,
    Problem,
    TeamResult,
    UnitResult,
)
from core.reference import recommending_units, year_rules
from pipeline.reports import write_reports

TEXT = "本班组针对梁柱节点钢筋密集的问题，通过优化钢筋绑扎工艺，一次验收合格率由92.3%提高到98.6%。"


def _pdf(path: Path, pages: int) -> Path:
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), f"第{i + 1}页\n" + TEXT * 20, fontname="china-s")
    doc.save(path)
    return path


def build(tmp: Path, n_teams: int = 600, n_flags: int = 300) -> tuple[CompletenessReport, FlagsReport]:
    units, files, teams = [], [], []
    fields = {i.key: (12.5 if i.type == "decimal" else 3 if i.numeric else "是" if i.type == "bool" else "发表评审")
              for i in year_rules(2024).statistics_items}
    for n, u in enumerate(recommending_units()):
        src = f"推荐材料/{u.name}.pdf"
        pdf = _pdf(tmp / f"u{n}.pdf", 4)
        files.append(FileResult(path=src, sha256=hashlib.sha256(src.encode()).hexdigest(), format="pdf", pages=4, archive_path=str(pdf)))
        bad = n % 3 == 0
        units.append(UnitResult(
            unit=u.name, source_file=src, listed=True, complete=not bad,
            documents={"recommendation_letter": DocumentFinding(present=True, pages=[1]),
                       "statistics_table": DocumentFinding(present=True, pages=[2], fields=fields),
                       "award_list": DocumentFinding(present=True, pages=[3, 4])},
            problems=[Problem(code="incomplete_statistics_table", page=2, message="统计表有项目未填写。")] if bad else []))
    for n in range(n_teams):
        tid = f"A{n:04d}-班组"
        teams.append(TeamResult(team_id=tid, team=f"第{n}钢筋班组", recommender=units[n % len(units)].unit,
                                complete=n % 5 != 0,
                                problems=[Problem(code="missing_report_ppt", message="没有PPT版成果报告。")]
                                if n % 5 == 0 else []))
        files += [FileResult(path=f"班组申报/{tid}/{k}.pdf", sha256=f"{n}{k}", format="pdf", pages=12)
                  for k in ("报名表", "成果报告")]
    flags = [Flag(a=FlagSide(year=2024, team_id=f"A{n:04d}-班组", file="a.pdf"),
                  b=FlagSide(year=2023, team_id=f"B{n:04d}-班组", file="b.pdf"), kind="cross_team",
                  similarity=0.3 + (n % 60) / 100, copy_ratio_a=0.3, copy_ratio_b=0.4, flag_id=f"f{n}",
                  evidence=[Evidence(a_page=2, a_text=TEXT * 3, b_page=3, b_text=TEXT * 3,
                                     a_spans=[(5, 40)], b_spans=[(5, 40)])] * 5)
             for n in range(n_flags)]
    return CompletenessReport(year=2024, units=units, teams=teams, files=files), FlagsReport(year=2024, flags=flags)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "out"
        completeness, flags = build(Path(tmp))
        statistics = roll_up(completeness, year_rules(2024))
        for label in ("first run", "second run"):
            t0 = time.perf_counter()
            written = write_reports(out, completeness, flags, statistics)
            print(f"{label}: {time.perf_counter() - t0:.2f} s")
        for name, path in written.items():
            if path.is_file():
                print(f"  {name}: {path.stat().st_size / 1024:.0f} KiB")
        print(f"  thumbs: {len(list((out / 'thumbs').glob('*.png')))} PNG")


if __name__ == "__main__":
    main()
