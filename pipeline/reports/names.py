"""File names made from sender-supplied text (unit names, team ids, document names) that are safe to use.

A team folder may be called `../../etc` or `CON`, a unit name may carry `/` or control characters: every
name becomes one path component that stays inside its folder on Linux, Windows and macOS, and names
that collide (also when only letter case differs) are told apart by a number.
"""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_BYTES = 150  # well under the 255-byte limit of common file systems, leaving room for a suffix


def safe_component(text: str | None, default: str = "未命名") -> str:
    """One path component from arbitrary text: no separators, no `..`, no reserved or hidden names."""
    name = unicodedata.normalize("NFC", str(text or ""))
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().strip(".").strip()
    if not name or set(name) <= {".", "_", " "}:
        name = default
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    while len(name.encode("utf-8")) > MAX_BYTES:
        name = name[:-1]
    return name.rstrip(". ") or default


class NameAllocator:
    """Hands out names unique within one folder: `报名表.pdf`, then `报名表（2）.pdf`, case-insensitively."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, stem: str, suffix: str = "") -> str:
        stem = safe_component(stem)
        suffix = suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix or "") else ""
        name, n = f"{stem}{suffix}", 1
        while name.casefold() in self._taken:
            n += 1
            name = f"{stem}（{n}）{suffix}"
        self._taken.add(name.casefold())
        return name
