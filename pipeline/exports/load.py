"""The results of a run read back from its reports (completeness.json, statistics.json), so the exports
can be made from the command line after any run, without the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.model import CompletenessReport, StatisticsReport


class MissingReports(FileNotFoundError):
    """The folder holds no reports of a run (message in Chinese)."""


def _read(path: Path) -> Any:
    if not path.is_file():
        raise MissingReports(f"找不到 {path}：请先运行 banzu intake，或用 --reports 指向报告目录")
    return json.loads(path.read_text("utf-8"))


def load_results(reports_dir: Path) -> tuple[CompletenessReport, StatisticsReport]:
    """(completeness, statistics) of the run whose reports are in `reports_dir`."""
    data = _read(Path(reports_dir) / "completeness.json")
    for f in data.get("files", []):
        mail = f.get("mail")
        if isinstance(mail, dict) and "from" in mail:  # the contract's key for MailOrigin.sender
            mail["sender"] = mail.pop("from")
    completeness = CompletenessReport.model_validate(data)
    statistics = StatisticsReport.model_validate(_read(Path(reports_dir) / "statistics.json"))
    return completeness, statistics
