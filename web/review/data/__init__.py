"""What the workspace shows, joined from the store: the latest run's results plus people's decisions.

Plain functions over the store (no Django here), so the benchmark and other adapters can call them.
The run's completeness.json is parsed once per file version; decisions are read fresh on every page.
One module a job: runs (the latest run and its results), rows (a unit's or team's row and status),
workspace (a year's rows with decisions applied), flags (the plagiarism queue and one flag).
"""

from __future__ import annotations

from web.review.data.flags import SIDE_FIELDS, FlagRow, flag_row, flag_rows, flags_of_team, side_sha
from web.review.data.rows import (
    DOCUMENT_TITLES,
    STATUS_CSS,
    TEAM_STATUSES,
    UNIT_STATUSES,
    Finding,
    TeamRow,
    UnitRow,
)
from web.review.data.runs import RunInfo, latest_run, load_results, years
from web.review.data.workspace import Workspace

__all__ = [
    "DOCUMENT_TITLES",
    "SIDE_FIELDS",
    "STATUS_CSS",
    "TEAM_STATUSES",
    "UNIT_STATUSES",
    "Finding",
    "FlagRow",
    "RunInfo",
    "TeamRow",
    "UnitRow",
    "Workspace",
    "flag_row",
    "flag_rows",
    "flags_of_team",
    "latest_run",
    "load_results",
    "side_sha",
    "years",
]
