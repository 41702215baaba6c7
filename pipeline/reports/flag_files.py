"""The files beside flags.html: evidence pictures (the original pages' regions) and one case-file PDF
per flag. Both are a help to the officer, never a reason to lose the reports: failures are logged."""

from __future__ import annotations

import logging
from pathlib import Path

from core.model import CompletenessReport, FlagsReport
from pipeline.reports.casefile import write_case_file
from pipeline.reports.evidence_images import evidence_images

log = logging.getLogger(__name__)

MAX_PICTURES = 3000  # a pathological run must not render tens of thousands of regions
CASEFILE_DIR = "casefiles"
EVIDENCE_DIR = "evidence"

Pictures = dict[str, dict[int, tuple[Path | None, Path | None]]]


def casefile_name(flag_id: str, index: int) -> str:
    return f"{CASEFILE_DIR}/{flag_id or f'flag-{index}'}.pdf"


def write_flag_files(completeness: CompletenessReport, flags: FlagsReport, out_dir: Path
                     ) -> tuple[Pictures, dict[str, Path]]:
    """Render every flag's evidence pictures into OUT/evidence/ and its case file into OUT/casefiles/;
    returns ({flag id: {evidence index: (A picture, B picture)}}, {flag id: case file})."""
    archive_of = {f.path: f.archive_path for f in completeness.files if f.archive_path}
    pictures: Pictures = {}
    casefiles: dict[str, Path] = {}
    budget = MAX_PICTURES
    keep: set[str] = set()
    for i, flag in enumerate(flags.flags, 1):
        key = flag.flag_id or f"flag-{i}"
        if budget > 0:
            try:
                shown = flag.model_copy(update={"evidence": flag.evidence[: budget // 2]})
                pictures[key] = evidence_images(shown, archive_of, out_dir / EVIDENCE_DIR)
                budget -= 2 * len(shown.evidence)
                keep |= {p.name for pair in pictures[key].values() for p in pair if p is not None}
            except Exception:
                log.exception("evidence pictures of flag %s failed", key)
        try:
            casefiles[key] = write_case_file(flag, out_dir / casefile_name(flag.flag_id, i), year=flags.year,
                                             images=pictures.get(key))
        except Exception:
            log.exception("case file of flag %s failed", key)
    _prune(out_dir / EVIDENCE_DIR, keep)
    _prune(out_dir / CASEFILE_DIR, {p.name for p in casefiles.values()})
    return pictures, casefiles


def _prune(folder: Path, keep: set[str]) -> None:
    """Drop what earlier runs left that no flag shows any more (the folder is ours alone)."""
    if folder.is_dir():
        for old in folder.iterdir():
            if old.is_file() and old.name not in keep:
                old.unlink(missing_ok=True)
