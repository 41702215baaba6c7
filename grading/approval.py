"""The graded list's state (第十条 秘书处审定): draft → submitted → approved; nothing changes once approved."""

from __future__ import annotations

from typing import Literal

State = Literal["draft", "submitted", "approved"]
STATE_NAMES = {"draft": "草稿", "submitted": "已提交待审定", "approved": "已审定"}
TRANSITIONS: dict[str, tuple[str, str]] = {
    "submit": ("draft", "submitted"),
    "return": ("submitted", "draft"),
    "approve": ("submitted", "approved"),
}
ACTION_NAMES = {"submit": "提交审定", "return": "退回修改", "approve": "审定"}


class TransitionRefused(ValueError):
    """An action the list's state does not allow (Chinese message)."""


def next_state(state: str, action: str) -> str:
    if action not in TRANSITIONS:
        raise TransitionRefused(f"未知操作：{action}")
    before, after = TRANSITIONS[action]
    if state != before:
        raise TransitionRefused(
            f"评定结果当前为“{STATE_NAMES.get(state, state)}”，不能{ACTION_NAMES[action]}"
        )
    return after


def ensure_editable(state: str) -> None:
    """Scores, groups and presentations may change only while the list is a draft."""
    if state == "approved":
        raise TransitionRefused("评定结果已审定，不能再修改")
    if state == "submitted":
        raise TransitionRefused("评定结果已提交审定，须先退回后才能修改")
