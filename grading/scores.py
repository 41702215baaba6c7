"""Score sheets and the team's score: items and maxima from the year file, the group's rule of aggregation."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from grading.model import MaterialScore
from grading.rules import GradingRules


def parse_score(value: object) -> Decimal | None:
    """A score typed by a person ('85', '12.5', 12.5); None when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _decimals(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def check_value(label: str, value: Decimal, maximum: Decimal, rules: GradingRules) -> str | None:
    """Why a score is not acceptable (Chinese), or None."""
    if value < 0:
        return f"{label}不能为负数"
    if value > maximum:
        return f"{label} {value} 超过满分 {maximum}"
    if _decimals(value) > rules.decimals:
        return f"{label} {value} 最多保留 {rules.decimals} 位小数"
    return None


def check_material(sheet: MaterialScore, rules: GradingRules) -> list[str]:
    """Every reason the sheet cannot be saved: unknown or missing items, values out of range."""
    errors = []
    known = {i.key: i for i in rules.material_items}
    for key in sheet.items:
        if key not in known:
            errors.append(f"评分表没有“{key}”这一项")
    for item in rules.material_items:
        value = sheet.items.get(item.key)
        if value is None:
            errors.append(f"缺少“{item.key}”的得分")
            continue
        why = check_value(f"“{item.key}”得分", value, item.max, rules)
        if why:
            errors.append(why)
    return errors


def check_presentation(value: Decimal, rules: GradingRules) -> str | None:
    return check_value("现场发布得分", value, rules.presentation_max, rules)


def team_score(values: Iterable[Decimal], rules: GradingRules) -> Decimal | None:
    """The group's score of a team: the mean; with at least `trim_at` scores, without the highest and lowest."""
    scores = sorted(values)
    if not scores:
        return None
    if len(scores) >= rules.trim_at:
        scores = scores[1:-1]
    return quantize(sum(scores, Decimal(0)) / len(scores), rules.round_to)


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
