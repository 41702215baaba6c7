"""The expert pool: importing the workbook (bad rows say why in Chinese) and 第十二条 eligibility."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from grading.model import Expert
from grading.pool import eligible, ineligibility_reason, read_pool_workbook
from pipeline.samples.experts import write_pool_workbook
from tests.grading.conftest import DRAW_DAY


def test_workbook_round_trip_with_bad_rows(tmp_path: Path, experts: list[Expert]) -> None:
    result = read_pool_workbook(write_pool_workbook(tmp_path / "专家库.xlsx", experts, bad_rows=True))
    assert [e.model_dump() for e in result.experts] == [e.model_dump() for e in experts]
    messages = [p.message for p in result.problems if p.code != "expert_unit_unlisted"]
    assert len(messages) == 5, messages
    assert any("缺少专家姓名" in m for m in messages)
    assert any("钱多" in m and "聘任期无法识别" in m for m in messages)
    assert any("孙少" in m and "缺少推荐单位" in m for m in messages)
    assert any("周全" in m and "早于开始日期" in m for m in messages)
    assert any("重复" in m and experts[0].key in m for m in messages)
    assert all(m.startswith("第 ") for m in messages)


def test_period_in_one_cell_and_other_headers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "专家姓名", "推荐单位", "工作单位", "专业领域", "聘期", "手机"])
    ws.append([1, "王建国", "中国安装协会", "中国安装工程有限公司", "机电安装", "2023年1月1日至2025年12月31日", "13900000000"])
    ws.append([2, "李卫东", "江苏省建筑行业协会", "南京华宏建设集团有限公司", "房屋建筑", "2023.3.1-2024.2.29", ""])
    wb.save(tmp_path / "pool.xlsx")
    result = read_pool_workbook(tmp_path / "pool.xlsx")
    assert not result.problems
    wang, li = result.experts
    assert (wang.appointed_from, wang.appointed_to) == (date(2023, 1, 1), date(2025, 12, 31))
    assert wang.key == "王建国@中国安装工程有限公司" and wang.contact == "13900000000"
    assert [e.name for e in eligible(result.experts, date(2024, 7, 1))] == ["王建国"]
    assert "已于 2024-02-29 结束" in ineligibility_reason(li, date(2024, 7, 1))


def test_unreadable_or_foreign_workbook_is_one_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert read_pool_workbook(broken).problems[0].code == "expert_sheet_invalid"
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(tmp_path / "nocols.xlsx")
    (problem,) = read_pool_workbook(tmp_path / "nocols.xlsx").problems
    assert "推荐单位" in problem.message and "聘任期" in problem.message


def test_eligibility_on_the_draw_day(experts: list[Expert]) -> None:
    pool = eligible(experts, DRAW_DAY)
    assert len(pool) == 36
    for e in experts:
        assert (e in pool) == (e.registered and e.appointed_from <= DRAW_DAY <= e.appointed_to)
        assert (ineligibility_reason(e, DRAW_DAY) is None) == (e in pool)
    first = experts[0]
    assert first.eligible_on(first.appointed_to) is first.registered  # the last day still counts
