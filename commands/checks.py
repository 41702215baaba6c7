"""What the command line refuses before it starts: a wrong path says what is wrong, in Chinese."""

from __future__ import annotations

from pathlib import Path

UNIT_DIRS = ("推荐材料", "recommendations")
TEAM_DIRS = ("班组申报", "teams")


def inbox_error(inbox: Path) -> str | None:
    """Why INBOX cannot be an inbox, or None. The units' folder must be there: without it every unit
    would be reported as having sent nothing, which is never what a mistyped path means."""
    if not inbox.exists():
        return f"收件箱目录不存在：{inbox}"
    if not inbox.is_dir():
        return f"“{inbox}”是一个文件，这里需要收件箱目录（其中有 推荐材料/ 与 班组申报/ 两个文件夹）。"
    names = {p.name for p in inbox.iterdir() if p.is_dir()}
    if names & set(UNIT_DIRS):
        return None
    if inbox.name in UNIT_DIRS + TEAM_DIRS:
        return (f"“{inbox}”是收件箱中的“{inbox.name}”文件夹本身；请给出它的上一级目录"
                f"（{inbox.parent}），其中有 推荐材料/ 与 班组申报/。")
    inside = f"其中的文件夹有：{'、'.join(sorted(names)[:6])}" if names else "其中没有任何文件夹"
    return (f"收件箱“{inbox}”中没有 推荐材料/ 文件夹（也没有 recommendations/），{inside}。"
            "请确认目录是否正确；若推荐单位尚未发来材料，请先建立空的 推荐材料/ 文件夹。")


def file_error(path: Path) -> str | None:
    """Why PATH cannot be read as one file, or None."""
    if not path.exists():
        return f"文件不存在：{path}"
    if path.is_dir():
        return f"“{path}”是一个目录，banzu extract 只读取单个文件；请给出目录中的某个文件。"
    return None
