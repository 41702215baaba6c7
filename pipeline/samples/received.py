"""The secretariat's 收到时间 sheet for a generated inbox: when each unit's and team's material came.

A sample inbox's files carry their arrival as the file time, which banzu does not trust; this sheet is
what the secretariat would keep (or the mail would say), so lateness in samples comes from a record.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from core.beijing import in_beijing
from pipeline.samples.truth import GroundTruth


def received_rows(truth: GroundTruth) -> list[tuple[str, str]]:
    """(unit name or team id, Beijing time text) for every unit file and team package of TRUTH."""
    first: dict[str, datetime] = {}
    for name, when in [*((u.unit, u.mtime) for u in truth.units), *((t.team_id, t.mtime) for t in truth.teams)]:
        if when:
            at = datetime.fromisoformat(when)
            first[name] = min(first.get(name, at), at)  # a unit that sent twice: its first arrival
    return [(name, f"{in_beijing(at):%Y-%m-%d %H:%M}") for name, at in first.items()]


def write_received_sheet(truth: GroundTruth, path: Path) -> Path:
    """The sheet as CSV (UTF-8 with BOM, as Excel saves it): 单位或班组, 收到时间."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["单位或班组", "收到时间"])
    writer.writerows(received_rows(truth))
    path = Path(path)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path
