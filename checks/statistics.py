"""The statistics roll-up: the 附件3 tables of all units added up item by item.

The secretariat reports one national figure per item, so every numeric item is summed exactly
(Decimal, rounded to the precision the units wrote: 12.5 + 0.3 万元 is 12.8, never 12.799999),
the yes/no item is counted true/false/null, the multiple-choice item is counted per option, and
the units that left a required item blank are listed so they can be asked again.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from checks.completeness.statistics_table import is_required
from checks.completeness.text import parse_number as read_number
from core.model import CompletenessReport, StatisticsReport, UnitResult
from core.reference import YearRules

NULL = "null"
_TRUE_WORDS = ("是", "有", "已组织", "组织", "yes", "true", "√", "✓", "☑", "■")
_FALSE_WORDS = ("否", "无", "未组织", "没有", "不", "no", "false", "×")
_TICKED = re.compile(r"[☑■√✓✔☒▣]\s*([是否])")
_CHOICE_SPLIT = re.compile(r"[、，,；;/\s]+")


def parse_number(value: Any) -> Decimal | None:
    """A number from what the table gave: 36, 12.5, "1,234", "36个", "12.5万元"; None when blank or unreadable.

    Text goes through the completeness check's reader (checks.completeness.text.parse_number), the one
    place that decides what a written number is.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value else None  # repr avoids binary noise; NaN -> None
    if isinstance(value, str):
        return read_number(value)[0]
    return None


def parse_bool(value: Any) -> bool | None:
    """true/false from a bool or the Chinese words of the form (是/否); None when blank or unclear."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        ticked = _TICKED.findall(text)  # a form's boxes: "□是 ☑否"
        if len(set(ticked)) == 1:
            return ticked[0] == "是"
        if any(text.startswith(w) for w in _FALSE_WORDS):
            return False
        if any(text.startswith(w) for w in _TRUE_WORDS):
            return True
    return None


def parse_choices(value: Any, options: list[str]) -> list[str] | None:
    """The options ticked: from a list, a {option: bool} dict or a text naming them; None when blank."""
    if value is None:
        return None
    if isinstance(value, dict):
        picked = [str(k) for k, v in value.items() if parse_bool(v)]
    elif isinstance(value, list | tuple | set):
        picked = [str(v).strip() for v in value if str(v).strip()]
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        picked = [o for o in options if o in text] or [t for t in _CHOICE_SPLIT.split(text) if t]
    else:
        return None
    result: list[str] = []
    for p in picked:
        name = next((o for o in options if o == p or o in p), p)
        if name not in result:
            result.append(name)
    return result or None


def _places(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _as_json_number(d: Decimal, places: int, integer: bool) -> int | float:
    if integer and places == 0:
        return int(d)
    q = d.quantize(Decimal(1).scaleb(-places)) if places else d.quantize(Decimal(1))
    return float(q) if places else int(q)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def _pick_units(completeness: CompletenessReport) -> tuple[list[UnitResult], list[str]]:
    """One table per unit name (the fullest if a unit sent several files), and the units without one."""
    best: dict[str, UnitResult] = {}
    without: list[str] = []
    for u in completeness.units:
        if not u.submitted:
            continue
        table = u.documents.get("statistics_table")
        if table is None or not table.present or table.fields is None:
            without.append(u.unit)
            continue
        filled = sum(not _is_blank(v) for v in table.fields.values())
        old = best.get(u.unit)
        if old is None or filled > sum(
            not _is_blank(v) for v in (old.documents["statistics_table"].fields or {}).values()
        ):
            best[u.unit] = u
    without = [n for n in dict.fromkeys(without) if n not in best]
    return list(best.values()), without


def roll_up(completeness: CompletenessReport, rules: YearRules) -> StatisticsReport:
    """Add up the statistics tables of the listed units item by item; list who left which item blank.

    A unit not on the list is shown apart (`unlisted`) and never added into the national figures;
    `coverage` says how many of the listed units' tables the totals hold.
    """
    picked, without = _pick_units(completeness)
    units = [u for u in picked if u.listed]
    totals: dict[str, Any] = {}
    missing: dict[str, list[str]] = {}
    per_unit: list[dict[str, Any]] = []
    sums: dict[str, Decimal] = {}
    places: dict[str, int] = {}
    for item in rules.statistics_items:
        if item.numeric:
            sums[item.key] = Decimal(0)
            places[item.key] = 0
        elif item.type == "bool":
            totals[item.key] = {"true": 0, "false": 0, NULL: 0}
        elif item.type == "choices":
            totals[item.key] = {**{o: 0 for o in item.choices}, NULL: 0}
        else:
            totals[item.key] = {"filled": 0, NULL: 0}

    for u in units:
        fields = u.documents["statistics_table"].fields or {}
        row: dict[str, Any] = {}
        for item in rules.statistics_items:
            raw = fields.get(item.key)
            value: Any
            if item.numeric:
                number = parse_number(raw)
                if number is not None:
                    sums[item.key] += number
                    places[item.key] = max(places[item.key], _places(number))
                    value = _as_json_number(number, _places(number), item.type == "int")
                else:
                    value = None
            elif item.type == "bool":
                value = parse_bool(raw)
                totals[item.key][NULL if value is None else str(value).lower()] += 1
            elif item.type == "choices":
                value = parse_choices(raw, item.choices)
                for option in value or [NULL]:
                    totals[item.key][option] = totals[item.key].get(option, 0) + 1
            else:
                value = None if _is_blank(raw) else str(raw).strip()
                totals[item.key]["filled" if value is not None else NULL] += 1
            row[item.key] = value
            if value is None and is_required(item, fields):
                missing.setdefault(item.key, []).append(u.unit)
        for key, raw in fields.items():  # items the form of this year does not know: kept, not added
            row.setdefault(key, raw)
        per_unit.append({"unit": u.unit, "source_file": u.source_file, "fields": row})

    unlisted = [{"unit": u.unit, "source_file": u.source_file, "fields": _unit_row(u, rules)}
                for u in picked if not u.listed]
    for item in rules.numeric_items:
        totals[item.key] = _as_json_number(sums[item.key], places[item.key], item.type == "int")
    ordered = {i.key: totals[i.key] for i in rules.statistics_items}
    return StatisticsReport(
        year=completeness.year,
        totals=ordered,
        units=per_unit,
        units_counted=len(units),
        missing={i.key: missing[i.key] for i in rules.statistics_items if i.key in missing},
        units_without_table=without,
        coverage={"listed": len({u.unit for u in completeness.units if u.listed}), "reported": len(units)},
        unlisted=unlisted,
    )


def _unit_row(u: UnitResult, rules: YearRules) -> dict[str, Any]:
    """A unit's own figures as read (numbers parsed), for showing apart from the totals."""
    fields = u.documents["statistics_table"].fields or {}
    row: dict[str, Any] = {}
    for item in rules.statistics_items:
        raw = fields.get(item.key)
        if item.numeric:
            number = parse_number(raw)
            row[item.key] = None if number is None else _as_json_number(number, _places(number), item.type == "int")
        elif item.type == "bool":
            row[item.key] = parse_bool(raw)
        elif item.type == "choices":
            row[item.key] = parse_choices(raw, item.choices)
        else:
            row[item.key] = None if _is_blank(raw) else str(raw).strip()
    return row
