"""Checking a run's completeness.json against the hostile corpus: which kinds got their finding."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.samples.hostile import HostileKind


def problems_by_path(completeness: dict) -> dict[str, list[dict]]:
    """Every problem of the report, under the file it concerns (file entries, units and teams)."""
    found: dict[str, list[dict]] = {}
    for f in completeness["files"]:
        found.setdefault(f["path"], []).extend(f["problems"])
    for group in (completeness["units"], completeness["teams"]):
        for item in group:
            for p in item["problems"]:
                if p.get("file"):
                    found.setdefault(p["file"], []).append(p)
    return found


def check_kind(kind: HostileKind, found: dict[str, list[dict]]) -> str | None:
    """None when the run reported the kind as expected; else what is wrong (for the test's message)."""
    problems = found.get(kind.path)
    if problems is None:
        return f"{kind.key}: {kind.path} is not in the report"
    codes = {p["code"] for p in problems}
    if kind.code is None:
        bad = codes & {"unreadable_file", "extraction_failed", "unsafe_archive_member", "special_file"}
        return f"{kind.key}: expected no problem, got {sorted(bad)}" if bad else None
    hits = [p for p in problems if p["code"] == kind.code]
    if not hits:
        return f"{kind.key}: expected {kind.code}, got {sorted(codes)}"
    if kind.hint and not any(kind.hint in p["message"] for p in hits):
        return f"{kind.key}: no {kind.code} message mentions {kind.hint!r}: {[p['message'] for p in hits]}"
    return None


def check_run(kinds: list[HostileKind], out_dir: Path) -> list[str]:
    completeness = json.loads((out_dir / "completeness.json").read_text(encoding="utf-8"))
    found = problems_by_path(completeness)
    return [e for k in kinds if (e := check_kind(k, found)) is not None]
