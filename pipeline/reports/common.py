"""What every report needs: atomic writes, problem titles, links to originals, the headline counts."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from core.codes import Code, title
from core.model import CompletenessReport, FlagsReport, Problem

DOCUMENT_NAMES = {
    "recommendation_letter": "推荐函",
    "statistics_table": "统计表（附件3）",
    "award_list": "获奖名单公布通知",
}
TEAM_FILE_NAMES = {
    "registration_form": "报名表",
    "report_pdf": "成果报告（PDF版）",
    "report_ppt": "成果报告（PPT版）",
}
FILE_STATUS_NAMES = {"ok": "正常", "error": "无法读取", "duplicate": "重复", "unrecognized": "无法归属"}
LATE_CODE = Code.LATE_SUBMISSION


def problem_title(code: str) -> str:
    """Short Chinese title of a problem code (core.codes is the one registry); the code itself when unknown."""
    return title(code)


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write via a temp file in the same folder and rename, so a crash never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def href_to(target: str | Path | None, out_dir: Path, page: int | None = None) -> str | None:
    """A link from OUT to a file: relative when possible (the pair can be moved together), file:// else."""
    if not target:
        return None
    path = Path(target).resolve()  # a relative archive path means relative to the working directory
    try:
        rel = os.path.relpath(path, out_dir.resolve())
        href = quote(Path(rel).as_posix())
    except ValueError:  # another drive: no relative path exists
        href = path.resolve().as_uri()
    if page and path.suffix.lower() == ".pdf":
        href += f"#page={page}"
    return href


def all_problems(completeness: CompletenessReport) -> list[tuple[str, str, Problem]]:
    """Every problem with its level (unit/team/file) and the name of what it concerns."""
    rows: list[tuple[str, str, Problem]] = []
    rows += [("unit", u.unit, p) for u in completeness.units for p in u.problems]
    rows += [("team", t.team_id, p) for t in completeness.teams for p in t.problems]
    rows += [("file", f.path, p) for f in completeness.files for p in f.problems]
    return rows


LEVEL_NAMES = {"unit": "推荐单位", "team": "班组", "file": "文件"}


def late_files(completeness: CompletenessReport) -> list[str]:
    """Files the completeness check found late (`late_submission`): it alone judges the deadline."""
    late: dict[str, None] = {}
    for _level, name, p in all_problems(completeness):
        if p.code == LATE_CODE:
            source = p.file or next((u.source_file for u in completeness.units if u.unit == name), None)
            late[source or name] = None
    return list(late)


def headline(completeness: CompletenessReport, flags: FlagsReport) -> dict[str, Any]:
    """The counts a reader sees first, shared by the HTML, the workbook and the flow's artifacts."""
    units_complete = sum(u.complete for u in completeness.units)
    teams_complete = sum(t.complete for t in completeness.teams)
    unreadable = [
        f.path
        for f in completeness.files
        if f.status == "error" or any(p.code == Code.UNREADABLE_FILE for p in f.problems)
    ]
    codes = Counter(p.code for _, _, p in all_problems(completeness))
    return {
        "year": completeness.year,
        "units": len(completeness.units),
        "units_complete": units_complete,
        "units_incomplete": len(completeness.units) - units_complete,
        "teams": len(completeness.teams),
        "teams_complete": teams_complete,
        "teams_incomplete": len(completeness.teams) - teams_complete,
        "files": len(completeness.files),
        "unreadable": len(unreadable),
        "unreadable_files": unreadable,
        "late": len(late_files(completeness)),
        "late_files": late_files(completeness),
        "flags_cross_team": sum(f.kind == "cross_team" for f in flags.flags),
        "flags_self_prior_year": sum(f.kind == "self_prior_year" for f in flags.flags),
        "problem_codes": dict(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def pct(value: float | None) -> str:
    """0.381 -> '38.1%' as CNKI prints its ratios."""
    if value is None:
        return "—"
    return f"{max(0.0, min(1.0, float(value))) * 100:.1f}%"
