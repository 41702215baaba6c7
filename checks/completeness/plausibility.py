"""Plausibility of the statistics table: numbers that cannot all be true at once.

These are warnings: a unit may have good reasons (or the scan a misread digit), so the reviewer
is asked to look, but the package is not failed for them.
"""

from __future__ import annotations

from typing import Any

from core.codes import Code
from core.model import Problem

from .statistics_table import StatisticsReading

ENTERPRISES = "本年度开展质量信得过班组活动企业数"
TEAMS = "本年度开展质量信得过班组活动班组数"
CUMULATIVE = "历年质量信得过班组累计数"
RECOMMENDED = "本年度推荐工程建设质量信得过班组数"
REGISTERED = "发布会报名班组数"
PUBLISHED = "发布班组数"


def _num(fields: dict[str, Any], key: str) -> float | None:
    v = fields.get(key)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _fmt(v: float) -> str:
    return f"{v:g}"


def check_statistics(reading: StatisticsReading, file: str, page: int, letter_count: int | None) -> list[Problem]:
    """Warnings for contradicting items; `letter_count` is how many teams the letter names (None: no letter)."""
    f = reading.fields
    out: list[Problem] = []

    def pg(key: str) -> int:
        return reading.pages.get(key, page)

    def warn(code: str, key: str, text: str) -> None:
        out.append(Problem(code=code, file=file, page=pg(key), message=f"第{pg(key)}页统计表：{text}"))

    reg, pub = _num(f, REGISTERED), _num(f, PUBLISHED)
    if reg is not None and pub is not None and pub > reg:
        warn(Code.STATISTICS_PUBLISHED_EXCEEDS_REGISTERED, PUBLISHED,
             f"发布班组数（{_fmt(pub)}）大于发布会报名班组数（{_fmt(reg)}），请核对这两项数字。")
    rec = _num(f, RECOMMENDED)
    if rec is not None and letter_count and rec != letter_count:
        warn(Code.STATISTICS_RECOMMENDED_COUNT_MISMATCH, RECOMMENDED,
             f"本年度推荐班组数填写为{_fmt(rec)}个，但推荐函列出了{letter_count}个班组，请核对推荐数量。")
    ent, teams = _num(f, ENTERPRISES), _num(f, TEAMS)
    if ent is not None and teams is not None and ent > teams:
        warn(Code.STATISTICS_ENTERPRISES_EXCEED_TEAMS, ENTERPRISES,
             f"开展活动的企业数（{_fmt(ent)}）大于开展活动的班组数（{_fmt(teams)}），每个企业至少应有一个班组，请核对。")
    if rec is not None and teams is not None and rec > teams:
        warn(Code.STATISTICS_RECOMMENDED_EXCEEDS_TEAMS, RECOMMENDED,
             f"推荐班组数（{_fmt(rec)}）大于本年度开展活动的班组数（{_fmt(teams)}），请核对。")
    cum = _num(f, CUMULATIVE)
    if cum is not None and rec is not None and cum < rec:
        warn(Code.STATISTICS_CUMULATIVE_BELOW_CURRENT, CUMULATIVE,
             f"历年质量信得过班组累计数（{_fmt(cum)}）小于本年度推荐班组数（{_fmt(rec)}），请核对。")
    return out
