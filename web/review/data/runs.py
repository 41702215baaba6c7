"""A year's runs and the results the latest one wrote (completeness.json, parsed once per file version)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from core.model import CompletenessReport
from pipeline.store import Store, as_utc
from pipeline.store.tables import Run, Sighting


@dataclass(frozen=True)
class RunInfo:
    id: int
    year: int
    finished_at: datetime | None
    out_dir: str
    earlier_runs: int


def years(store: Store) -> list[int]:
    with store.session() as s:
        return sorted(s.scalars(select(Run.year).where(Run.status == "completed").distinct()), reverse=True)


def latest_run(store: Store, year: int) -> RunInfo | None:
    with store.session() as s:
        run = s.scalars(
            select(Run).where(Run.year == year, Run.status == "completed").order_by(Run.id.desc()).limit(1)
        ).first()
        if run is None:
            return None
        earlier = s.scalar(select(func.count()).where(Run.year == year, Run.id < run.id)) or 0
        return RunInfo(run.id, run.year, as_utc(run.finished_at), run.out_dir, earlier)


_parsed: dict[str, tuple[int, CompletenessReport, dict[str, bool]]] = {}
_parsed_lock = threading.Lock()


def _unit_entry(raw: dict) -> dict:
    """completeness.json may list units that sent nothing (source_file null): the model wants a string."""
    return {**raw, "source_file": raw.get("source_file") or ""}


def load_results(run: RunInfo) -> tuple[CompletenessReport, dict[str, bool]]:
    """The run's completeness results and, per unit, whether it submitted (parsed once per file version)."""
    path = Path(run.out_dir) / "completeness.json"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return CompletenessReport(year=run.year), {}
    with _parsed_lock:
        hit = _parsed.get(str(path))
        if hit and hit[0] == stamp:
            return hit[1], hit[2]
    raw = json.loads(path.read_text(encoding="utf-8"))
    submitted = {
        u["unit"]: bool(u.get("submitted", bool(u.get("source_file")))) for u in raw.get("units", [])
    }
    raw["units"] = [_unit_entry(u) for u in raw.get("units", [])]
    for f in raw.get("files", []):
        if (
            isinstance(f.get("mail"), dict) and "from" in f["mail"]
        ):  # the contract's key for MailOrigin.sender
            f["mail"]["sender"] = f["mail"].pop("from")
    report = CompletenessReport.model_validate(raw)
    with _parsed_lock:
        _parsed[str(path)] = (stamp, report, submitted)
    return report, submitted


def new_paths(store: Store, run: RunInfo) -> set[str]:
    """Inbox paths first seen by this run (nothing is 'new' on a year's first run)."""
    if run.earlier_runs == 0:
        return set()
    with store.session() as s:
        return set(s.scalars(select(Sighting.inbox_path).where(Sighting.first_run_id == run.id)))
