"""Template filters of the workspace: Beijing time, Chinese labels of actions, states and roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from pipeline.store.grading import ACTION_NAMES as GRADING_ACTIONS
from pipeline.store.review import FLAG_DECISIONS, FOLLOWUP_STATUSES, ROLES, TEAM_DECISIONS
from web.review.data.rows import STATUS_CSS, beijing_text

register = template.Library()

ACTIONS = {
    "decide_team": "初选结论",
    "decide_flag": "查重复核",
    "unit_followup": "跟进状态",
    "dismiss_finding": "排除问题",
    "restore_finding": "恢复问题",
    "accept_late": "接收逾期提交",
    "withdraw_late_acceptance": "撤回逾期接收",
    "record_received_time": "登记收到时间",
    "add_user": "新建账户",
    **GRADING_ACTIONS,
}
STATE_WORDS = {**TEAM_DECISIONS, **FLAG_DECISIONS, **FOLLOWUP_STATUSES}


@register.filter
def beijing(value: datetime | None) -> str:
    return beijing_text(value)


@register.filter
def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


OBJECTS = {"unit": "单位", "team": "班组", "flag": "查重标记", "user": "账户", "finding": "问题"}


@register.filter
def object_label(kind: str) -> str:
    return OBJECTS.get(kind, kind)


@register.filter
def role_label(role: str) -> str:
    return ROLES.get(role, role)


@register.filter
def state(value: dict | None) -> str:
    """A before/after state of the trail in words: '确认抄袭（理由）', '已通知 2024-03-05', '—'."""
    if not value:
        return "—"
    parts: list[str] = []
    for key in ("decision", "status"):
        if value.get(key):
            parts.append(STATE_WORDS.get(value[key], value[key]))
    if value.get("notified_on"):
        parts.append(value["notified_on"])
    if "dismissed" in value:
        parts.append("已排除" if value["dismissed"] else "计入")
    if value.get("code"):
        parts.append(f"〔{value.get('message') or value['code']}〕")
    if value.get("role"):
        parts.append(ROLES.get(value["role"], value["role"]))
    return " ".join(parts) or "—"


@register.filter
def status_class(status: str) -> str:
    return STATUS_CSS.get(status, "")


@register.filter
def percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return "—"


@register.filter
def get(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None
