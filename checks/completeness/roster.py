"""The whole roster: every recommending unit of the list appears, those that sent nothing as 未提交.

The secretariat chases units from this list, so a unit is never missing from the reports just because
its mail has not come; after the deadline its silence is a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from core.codes import Code
from core.model import Problem, UnitResult
from core.reference import RecommendingUnit, YearRules

from .files import deadline_end


def unsubmitted_units(reported: Sequence[UnitResult], units: Sequence[RecommendingUnit], rules: YearRules,
                      now: datetime | None = None) -> list[UnitResult]:
    """One `submitted: false` result per listed unit with no file among REPORTED, in the list's order."""
    sent = {u.unit for u in reported if u.listed}
    past = (now or datetime.now(UTC)) >= deadline_end(rules)
    out = []
    for unit in sorted(units, key=lambda u: u.no):
        if unit.name in sent:
            continue
        result = UnitResult(unit=unit.name, source_file=None, listed=True, submitted=False, complete=False)
        if past:
            result.problems.append(Problem(code=Code.UNIT_NOT_SUBMITTED, message=(
                f"截至{rules.deadline:%Y年%m月%d日}的截止日期，没有收到“{unit.name}”的推荐材料"
                "（推荐函、统计表、获奖名单公布通知），请联系该单位。")))
        out.append(result)
    return out
