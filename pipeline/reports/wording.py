"""How a flag names its two sides: who is implicated, in words that do not prejudge the ruling.

Between two teams of the same year nothing tells who copied whom: both are implicated, and neither side
may be called the source. Against an earlier year the earlier report is the likely source; a team reusing
its own earlier report is shown apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.model import Flag


@dataclass(frozen=True)
class PairWording:
    headline: str  # one line: what the flag says
    explain: str  # one line: how to read it
    a_label: str  # the sides' labels, e.g. 涉嫌班组甲 / 涉嫌班组乙
    b_label: str
    a_short: str  # short forms for passages: 甲 / 乙, or A / B
    b_short: str
    same_year: bool


def pair_wording(flag: Flag, year: int) -> PairWording:
    a, b = flag.a, flag.b
    a_name, b_name = a.team or a.team_id, b.team or b.team_id
    if flag.kind == "self_prior_year":
        return PairWording(
            f"{year}年“{a_name}”的材料与本班组{b.year}年的材料高度相同",
            "同一班组重复使用往年材料，单独列出，由评审人员判断是否符合要求。",
            f"本年度材料（{a.year}年）", f"本班组往年材料（{b.year}年）", "本年", "往年", False,
        )
    if a.year == b.year:
        return PairWording(
            f"同年度两个班组的材料高度相似：“{a_name}”与“{b_name}”均涉嫌",
            "两份材料同年提交，无法据此判断谁抄袭谁，双方均须核查（第十五条）。",
            "涉嫌班组甲", "涉嫌班组乙", "甲", "乙", True,
        )
    return PairWording(
        f"{year}年“{a_name}”的材料与{b.year}年“{b_name}”的材料高度相似",
        f"{b.year}年的材料在先，是可能的来源；本年度班组涉嫌（第十五条）。",
        f"本年度班组（{a.year}年）", f"往年来源（{b.year}年）", "A", "B", False,
    )
