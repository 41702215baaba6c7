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


def segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Cut `text` into (piece, copied) runs; spans out of range or overlapping are clipped and merged."""
    n = len(text)
    clean = sorted((max(0, int(a)), min(n, int(b))) for a, b in spans if int(b) > int(a))
    merged: list[list[int]] = []
    for a, b in clean:
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[tuple[str, bool]] = []
    pos = 0
    for a, b in merged:
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < n:
        out.append((text[pos:], False))
    return out


def page_label(file: str | None, page: int, end: int | None = None) -> str:
    """"第 3 页" (a passage over a page break: "第 3–4 页"), or "第 3 张幻灯片" for a presentation, as
    the reader will find it in the original."""
    pages = f"{page}–{end}" if end and end > page else f"{page}"
    if file and file.lower().endswith((".ppt", ".pptx", ".pps", ".ppsx")):
        return f"第 {pages} 张幻灯片"
    return f"第 {pages} 页"
