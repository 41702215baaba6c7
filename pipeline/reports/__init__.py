"""The reports of one run, written into OUT: JSON for scripts, HTML and a workbook for people.

Each file is written atomically (temp file + rename), so a crash never leaves half a report; the
JSON files are the contract's shapes exactly (model `.contract()`), the rest is for reading.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from core.model import CompletenessReport, FlagsReport, RunSummary, StatisticsReport, TeamReview
from core.reference import YearRules, year_rules
from pipeline.reports.common import atomic_write_text, count_run, headline, problem_title
from pipeline.reports.flag_files import CASEFILE_DIR, EVIDENCE_DIR, Pictures, write_flag_files
from pipeline.reports.html import render_flags, render_index
from pipeline.reports.portable import portable_name, write_portable
from pipeline.reports.review_state import apply_review_state
from pipeline.reports.summary import format_summary_line, summary_counts, summary_markdown
from pipeline.reports.thumbs import PagePicture, render_problem_pages
from pipeline.reports.workbook import write_workbook

__all__ = [
    "write_reports",
    "count_run",
    "headline",
    "apply_review_state",
    "summary_markdown",
    "summary_counts",
    "format_summary_line",
    "problem_title",
]

log = logging.getLogger(__name__)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def write_reports(
    out_dir: Path,
    completeness: CompletenessReport,
    flags: FlagsReport,
    statistics: StatisticsReport,
    *,
    summary: RunSummary | None = None,
    rules: YearRules | None = None,
    team_reviews: Mapping[str, TeamReview] | None = None,
    portable: bool = True,
) -> dict[str, Path]:
    """Write every report into `out_dir`; returns {name: path} (names: the file names, plus "thumbs",
    and with `portable` "portable" and "portable.zip": the travelling folder and its zip).

    `rules` are the year's rules (the flow passes the ones it checked with); default: the year file's.
    `team_reviews` (team id -> 初选 decision, from the store) and the flags' decisions are applied first
    (`apply_review_state`), so a decision recorded before the run shows in every report of it.
    """
    out_dir = Path(out_dir)
    rules = rules or year_rules(completeness.year)
    out_dir.mkdir(parents=True, exist_ok=True)
    completeness = apply_review_state(completeness, team_reviews or {}, flags)
    written: dict[str, Path] = {}
    written["completeness.json"] = atomic_write_text(out_dir / "completeness.json", _json(completeness.contract()))
    written["flags.json"] = atomic_write_text(out_dir / "flags.json", _json(flags.contract()))
    written["statistics.json"] = atomic_write_text(
        out_dir / "statistics.json", _json(statistics.model_dump(mode="json"))
    )
    portable_zip = f"{portable_name(completeness.year)}.zip" if portable else None
    pages, failed, flag_pictures = _write_pages(out_dir, completeness, flags, statistics, rules, summary,
                                                portable_zip)
    written.update(pages)
    if portable and not failed:
        try:
            bundle = write_portable(
                out_dir, completeness, flags, statistics,
                lambda folder, c, f, s: _write_inside(folder, c, f, s, rules, out_dir, flag_pictures),
            )
            written["portable"], written["portable.zip"] = bundle.folder, bundle.zip
        except Exception as exc:
            log.exception("writing the travelling reports failed")
            failed.append(exc)
    if failed:
        raise failed[0]
    return written


def _write_pages(
    out_dir: Path,
    completeness: CompletenessReport,
    flags: FlagsReport,
    statistics: StatisticsReport,
    rules: YearRules,
    summary: RunSummary | None,
    portable_zip: str | None,
    flag_pictures: Pictures | None = None,
) -> tuple[dict[str, Path], list[BaseException], Pictures]:
    """The reports for people (page pictures, HTML, workbook, summary); what failed is returned, not raised.

    `flag_pictures` given: the flags' evidence pictures and case files are already in `out_dir`."""
    written: dict[str, Path] = {}
    pictures: dict[tuple[str, int], PagePicture] = {}
    (out_dir / "thumbs").mkdir(exist_ok=True)
    try:
        pictures = render_problem_pages(completeness, out_dir)
    except Exception:  # pictures are a help, never a reason to lose the reports
        log.exception("page thumbnails failed")
    written["thumbs"] = out_dir / "thumbs"
    if flag_pictures is None:
        flag_pictures = {}
        try:  # evidence pictures and one case file per flag, beside flags.html
            flag_pictures, _ = write_flag_files(completeness, flags, out_dir)
        except Exception:
            log.exception("flag evidence pictures or case files failed")
    jobs: list[tuple[str, Callable[[Path], Path]]] = [
        ("index.html", lambda p: atomic_write_text(p, render_index(completeness, flags, statistics, out_dir, pictures,
                                                                      rules, portable_zip=portable_zip))),
        ("flags.html", lambda p: atomic_write_text(p, render_flags(completeness, flags, out_dir, flag_pictures))),
        ("completeness.xlsx", lambda p: write_workbook(p, completeness, statistics, rules)),
    ]
    if summary is not None:
        jobs.append(
            ("summary.md", lambda p: atomic_write_text(p, summary_markdown(completeness, flags, statistics, summary)))
        )
    failed: list[BaseException] = []
    for name, job in jobs:  # one report failing must not keep the others from the people who need them
        try:
            written[name] = job(out_dir / name)
        except Exception as exc:
            log.exception("writing %s failed", name)
            failed.append(exc)
    return written, failed, flag_pictures


def _write_inside(folder: Path, completeness: CompletenessReport, flags: FlagsReport, statistics: StatisticsReport,
                  rules: YearRules, out_dir: Path, flag_pictures: Pictures) -> None:
    """The pages and workbook inside the travelling folder (it writes its own JSON); the flags' evidence
    pictures and case files are the run's, copied in rather than rendered again."""
    moved: Pictures = {}
    for name in (EVIDENCE_DIR, CASEFILE_DIR):
        if (out_dir / name).is_dir():
            shutil.rmtree(folder / name, ignore_errors=True)
            shutil.copytree(out_dir / name, folder / name)

    def inside(path: Path | None) -> Path | None:
        try:
            return folder / path.relative_to(out_dir) if path is not None else None
        except ValueError:  # not one of the run's pictures: shown without it
            return None

    for key, pairs in flag_pictures.items():
        moved[key] = {k: (inside(a), inside(b)) for k, (a, b) in pairs.items()}
    _written, failed, _ = _write_pages(folder, completeness, flags, statistics, rules, None, None, moved)
    if failed:
        raise failed[0]
