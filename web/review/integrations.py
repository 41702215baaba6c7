"""Functions other rooms provide, looked up once: the workspace offers each action when it is installed.

INTEGRATION points (wired by import; absent → the page hides the action and the URL answers 404):
- late acceptance (trust helper, issue 14): pipeline.store.received.accept_late(store, year, kind, name,
  reason, actor).
- case file PDF of a flag (plag helper, pipeline/reports/casefile.py): wired in `case_file_pdf` below.
- the secretariat's exports (exports helper, pipeline/exports/): shortlist, 补交通知, 附件3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:  # trust helper: accept a late submission with a reason (later runs keep it)
    from pipeline.store.received import accept_late as accept_late_submission
except ImportError:  # not on main
    accept_late_submission: Callable[..., Any] | None = None  # type: ignore[no-redef]


def case_file_pdf(store: Any, year: int, flag: Any) -> bytes:
    """The printable case file of a flag (plag helper's pipeline/reports/casefile.py), decision included."""
    import tempfile
    from pathlib import Path

    from pipeline.reports.casefile import write_case_file
    from pipeline.store.review import with_flag_decisions

    (decided,) = with_flag_decisions(store, year, [flag])
    with tempfile.TemporaryDirectory(prefix="banzu-casefile-") as tmp:
        return write_case_file(decided, Path(tmp) / "casefile.pdf", year=year).read_bytes()


try:  # exports helper
    from pipeline.exports import attachment3 as _attachment3
    from pipeline.exports import followup as _followup
    from pipeline.exports import shortlist as _shortlist
except ImportError:  # not on main yet
    _attachment3 = _followup = _shortlist = None

exports_available = _shortlist is not None and _followup is not None and _attachment3 is not None
