"""What every report needs: atomic writes, problem titles, links to originals, the headline counts."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from core.codes import Code, title
from core.model import CompletenessReport, FlagsReport, Problem, RunSummary
from core.reference import TEAM_FILE_LABELS, UNIT_DOCUMENT_LABELS

DOCUMENT_NAMES = UNIT_DOCUMENT_LABELS
TEAM_FILE_NAMES = TEAM_FILE_LABELS
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
        if p.code == LATE_CODE and not p.dismissed:
            source = p.file or next((u.source_file for u in completeness.units if u.unit == name), None)
            late[source or name] = None
    return list(late)


def problem_counts(completeness: CompletenessReport) -> dict[str, int]:
    """Per code, how many things it concerns, most first: files by path, else the unit or team.

    A late file is one thing whether the unit, the team and the file each say so; so the chips of
    index.html, the summaries and the cards count the same.
    """
    concerned: dict[str, set[str]] = {}
    for level, name, p in all_problems(completeness):
        if p.dismissed:  # a reviewer found it wrong: shown, not counted
            continue
        what = p.file or (name if level == "file" else f"{level}:{name}")
        concerned.setdefault(p.code, set()).add(what)
    counts = Counter({code: len(things) for code, things in concerned.items()})
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def unreadable_files(completeness: CompletenessReport) -> list[str]:
    """Files that could not be read: unreadable bytes, or a reader that crashed (status error)."""
    return [
        f.path
        for f in completeness.files
        if f.status == "error" or any(p.code == Code.UNREADABLE_FILE for p in f.problems)
    ]


def headline(completeness: CompletenessReport, flags: FlagsReport) -> dict[str, Any]:
    """The counts a reader sees first: the one place they are counted (HTML cards and chips, workbook,
    the flow's artifacts and the CLI's summary line via count_run)."""
    units_complete = sum(u.complete for u in completeness.units)
    teams_complete = sum(t.complete for t in completeness.teams)
    unreadable = unreadable_files(completeness)
    late = late_files(completeness)
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
        "late": len(late),
        "late_files": late,
        "flags_cross_team": sum(f.kind == "cross_team" for f in flags.flags),
        "flags_self_prior_year": sum(f.kind == "self_prior_year" for f in flags.flags),
        "problem_codes": problem_counts(completeness),
    }


def count_run(summary: RunSummary, completeness: CompletenessReport, flags: FlagsReport) -> RunSummary:
    """The run summary with the headline's counts (a copy): the CLI line counts what the reports count."""
    h = headline(completeness, flags)
    return summary.model_copy(update={
        "units": h["units"], "units_complete": h["units_complete"], "teams": h["teams"],
        "teams_complete": h["teams_complete"], "unreadable": h["unreadable"],
        "flags": len(flags.flags),
    })


def pct(value: float | None) -> str:
    """0.381 -> '38.1%' as CNKI prints its ratios."""
    if value is None:
        return "—"
    return f"{max(0.0, min(1.0, float(value))) * 100:.1f}%"


def file_owners(completeness: CompletenessReport) -> dict[str, tuple[str, str]]:
    """Inbox path -> ("unit", unit name) or ("team", team id): whose file it is, for every file of the run
    that belongs to someone (a team's zip, its members and loose files under its folder included)."""
    owners: dict[str, tuple[str, str]] = {}
    team_of_source = {t.source.rstrip("/"): t.team_id for t in completeness.teams if t.source}
    for f in completeness.files:
        path = PurePosixPath(f.path)
        team = team_of_source.get(f.path) or next(
            (team_of_source[str(p)] for p in path.parents if str(p) in team_of_source), None
        )
        if team is not None:
            owners[f.path] = ("team", team)
    for t in completeness.teams:
        owners.update({p: ("team", t.team_id) for p in t.files.values() if p})
    owners.update({u.source_file: ("unit", u.unit) for u in completeness.units if u.source_file})
    return owners
