"""Beijing time: how every time is shown to the people who use banzu, whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def in_beijing(value: datetime) -> datetime:
    """VALUE in Beijing time; a naive value is taken as UTC (what the store keeps)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BEIJING)


def show(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """VALUE as Beijing time text; empty for no value."""
    return in_beijing(value).strftime(fmt) if value is not None else ""


def now_text(fmt: str = "%Y-%m-%d %H:%M") -> str:
    return show(datetime.now(UTC), fmt)
