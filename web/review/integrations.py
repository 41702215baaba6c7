"""Functions other rooms provide, looked up once: the workspace offers each action when it is installed.

INTEGRATION points (wired by import; absent → the page hides the action and the URL answers 404):
- late acceptance (trust helper, issue 14): `accept_late_submission(store, year, kind, name, reason, actor)`
  — INTEGRATOR: point this at trust's function once it is on main (its name is not known here yet).
- case file PDF of a flag (plag helper, pipeline/reports/casefile.py): `case_file_pdf(store, year, flag)`.
- the secretariat's exports (exports helper, pipeline/exports/): shortlist, 补交通知, 附件3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

accept_late_submission: Callable[..., Any] | None = None  # INTEGRATION: trust's late acceptance

try:  # plag helper
    from pipeline.reports import casefile as _casefile
except ImportError:  # not on main yet
    _casefile = None


def _case_file(store: Any, year: int, flag: Any) -> bytes:
    for name in ("case_file_pdf", "casefile_pdf", "render_case_file", "write_case_file"):
        fn = getattr(_casefile, name, None)
        if fn is not None:
            return fn(flag)  # INTEGRATION: check the signature when plag's module lands
    raise RuntimeError("casefile module has no known entry point")


case_file_pdf: Callable[..., bytes] | None = _case_file if _casefile is not None else None

try:  # exports helper
    from pipeline.exports import attachment3 as _attachment3
    from pipeline.exports import followup as _followup
    from pipeline.exports import shortlist as _shortlist
except ImportError:  # not on main yet
    _attachment3 = _followup = _shortlist = None

exports_available = _shortlist is not None and _followup is not None and _attachment3 is not None
