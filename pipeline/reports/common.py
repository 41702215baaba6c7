"""What every report needs: atomic writes, problem titles, links to originals, the headline counts."""

from __future__ import annotations

import importlib
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from core.model import CompletenessReport, FlagsReport, Problem

# Short titles of the contract's codes; core/codes.py overrides and extends them.
DEFAULT_TITLES: dict[str, str] = {
    "missing_recommendation_letter": "缺少推荐函",
    "missing_statistics_table": "缺少统计表",
    "missing_award_list": "缺少获奖名单公布通知",
    "incomplete_statistics_table": "统计表填写不全",
    "unlisted_recommender": "推荐单位不在名单内",
    "recommended_team_without_submission": "推荐班组未提交材料",
    "missing_registration_form": "缺少报名表",
    "missing_report_pdf": "缺少PDF版成果报告",
    "missing_report_ppt": "缺少PPT版成果报告",
    "team_not_recommended": "班组未获推荐",
    "unreadable_file": "文件无法读取",
    "unrecognized_file": "无法归属的文件",
    "duplicate_file": "重复文件",
    "late_submission": "逾期提交",
}

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
LATE_CODE = "late_submission"


def _load_titles() -> dict[str, str]:
    """The completeness engineer's titles if that module is there; ours otherwise. Never raises."""
    titles = dict(DEFAULT_TITLES)
    try:
        mod = importlib.import_module("core.codes")
    except Exception:  # absent or broken: the built-in titles still serve
        return titles
    for name in ("TITLES", "CODE_TITLES", "PROBLEM_TITLES", "CODES"):
        found = getattr(mod, name, None)
        if isinstance(found, dict):
            titles.update({str(k): str(v) for k, v in found.items() if isinstance(v, str)})
            return titles
    for value in vars(mod).values():  # any module-level dict that maps known codes to text
        if (
            isinstance(value, dict)
            and any(k in DEFAULT_TITLES for k in value)
            and all(isinstance(v, str) for v in value.values())
        ):
            titles.update({str(k): v for k, v in value.items()})
    return titles


_TITLES: dict[str, str] | None = None


def problem_title(code: str) -> str:
    """Short Chinese title of a problem code; the code itself when nobody named it."""
    global _TITLES
    if _TITLES is None:
        _TITLES = _load_titles()
    return _TITLES.get(code, code)


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
        if f.status == "error" or any(p.code == "unreadable_file" for p in f.problems)
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
