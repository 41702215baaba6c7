"""The statistics roll-up: exact sums, counted choices, who left what blank."""

from __future__ import annotations

from decimal import Decimal

from checks.statistics import parse_bool, parse_choices, parse_number, roll_up
from core.model import CompletenessReport, DocumentFinding, UnitResult
from core.reference import year_rules

RULES = year_rules(2024)


def _unit(name: str, fields: dict | None, present: bool = True) -> UnitResult:
    return UnitResult(unit=name, source_file=f"推荐材料/{name}.pdf", listed=True,
                      documents={"statistics_table": DocumentFinding(present=present, pages=[2] if present else [],
                                                                     fields=fields)})


def test_sums_are_exact_and_item_by_item(completeness, statistics):
    t = statistics.totals
    assert t["本年度开展质量信得过班组活动企业数"] == 36 + 120 + 7
    assert isinstance(t["本年度开展质量信得过班组活动企业数"], int)
    assert t["本年度对质量信得过班组活动投入费用"] == 12.95  # 12.5 + blank + 0.45
    assert t["本年度对质量信得过班组活动奖励费用"] == 7.0  # 3.35 + 0.3 + 3.35
    assert t["发布会报名班组数"] == 40
    assert statistics.units_counted == 3
    assert [u["unit"] for u in statistics.units] == ["江苏省建筑行业协会", "中国建筑股份有限公司", "上海市市政公路行业协会"]
    assert statistics.units_without_table == ["某某市建筑业联合会"]
    assert list(t) == [i.key for i in RULES.statistics_items]  # the form's order


def test_choices_and_bool_are_counted(statistics):
    assert statistics.totals["是否组织发布会"] == {"true": 1, "false": 1, "null": 1}
    assert statistics.totals["质量信得过班组活动评审及交流形式"] == {
        "发表评审": 1, "资料评审": 2, "与QC小组合开": 1, "单独举办": 1, "null": 0}
    cscec = statistics.units[1]["fields"]
    assert cscec["质量信得过班组活动评审及交流形式"] == ["资料评审", "与QC小组合开"]  # read from a sentence


def test_missing_lists_required_blanks_only(statistics):
    assert statistics.missing["本年度对质量信得过班组活动投入费用"] == ["中国建筑股份有限公司"]
    assert statistics.missing["是否组织发布会"] == ["中国建筑股份有限公司"]
    assert statistics.missing["邮箱"] == ["上海市市政公路行业协会"]
    # 上海 answered "no release meeting": its blank meeting items are not missing
    assert "发布会地点" not in statistics.missing and "参会人数" not in statistics.missing
    # the free-text item is optional on the form
    assert "本年度开展质量信得过班组活动主要特点及存在的问题" not in statistics.missing


def test_no_float_noise_over_many_units():
    units = [_unit(f"单位{i}", {"本年度对质量信得过班组活动投入费用": 0.1, "本年度开展质量信得过班组活动企业数": "1,2"
                               if i == 0 else f"{i}个"}) for i in range(30)]
    report = roll_up(CompletenessReport(year=2024, units=units), RULES)
    assert report.totals["本年度对质量信得过班组活动投入费用"] == 3.0
    assert repr(report.totals["本年度对质量信得过班组活动投入费用"]) == "3.0"
    assert report.totals["本年度开展质量信得过班组活动企业数"] == 12 + sum(range(1, 30))


def test_bad_values_never_crash_and_count_as_blank():
    odd = {"本年度开展质量信得过班组活动企业数": "三十六", "本年度开展质量信得过班组活动班组数": "3-5",
           "历年质量信得过班组累计数": float("nan"), "是否组织发布会": "☑是", "质量信得过班组活动评审及交流形式": 7,
           "本年度推荐工程建设质量信得过班组数": True, "未知的新项目": "x"}
    report = roll_up(CompletenessReport(year=2024, units=[_unit("怪单位", odd), _unit("无表单位", None, False)]), RULES)
    assert report.totals["本年度开展质量信得过班组活动企业数"] == 0
    assert report.missing["本年度开展质量信得过班组活动企业数"] == ["怪单位"]
    assert report.missing["本年度开展质量信得过班组活动班组数"] == ["怪单位"]
    assert report.missing["历年质量信得过班组累计数"] == ["怪单位"]
    assert report.missing["本年度推荐工程建设质量信得过班组数"] == ["怪单位"]
    assert report.totals["是否组织发布会"]["true"] == 1
    assert report.units[0]["fields"]["未知的新项目"] == "x"
    assert report.units_without_table == ["无表单位"]


def test_a_unit_sending_two_files_is_counted_once():
    a = _unit("重复单位", {"本年度开展质量信得过班组活动企业数": 5})
    b = _unit("重复单位", {"本年度开展质量信得过班组活动企业数": 5, "本年度开展质量信得过班组活动班组数": 9})
    report = roll_up(CompletenessReport(year=2024, units=[a, b]), RULES)
    assert report.units_counted == 1
    assert report.totals["本年度开展质量信得过班组活动企业数"] == 5
    assert report.totals["本年度开展质量信得过班组活动班组数"] == 9


def test_parsers():
    assert parse_number("12.5万元") == Decimal("12.5")
    assert parse_number(" ") is None and parse_number(None) is None and parse_number(False) is None
    assert parse_number(0.1) == Decimal("0.1")
    assert parse_bool("否") is False and parse_bool("是") is True and parse_bool("未组织") is False
    assert parse_bool("") is None and parse_bool("待定") is None
    assert parse_bool("□是 ☑否") is False and parse_bool("☑是 □否") is True and parse_bool("□是 □否") is None
    assert parse_choices({"发表评审": True, "资料评审": False}, ["发表评审", "资料评审"]) == ["发表评审"]
    assert parse_choices("", ["发表评审"]) is None


def test_meeting_items_follow_the_completeness_rule():
    """One rule (checks.completeness): the 发布会 numbers are asked only of a unit that answered yes."""
    from checks.completeness.statistics_table import is_required

    items = {i.key: i for i in RULES.statistics_items}
    for answer, required in ((None, False), (False, False), (True, True)):
        fields = {"是否组织发布会": answer}
        assert is_required(items["参会人数"], fields) is required
        report = roll_up(CompletenessReport(year=2024, units=[_unit("甲", fields)]), RULES)
        assert ("甲" in report.missing.get("参会人数", [])) is required
