"""Session fixtures: generated inboxes checked once, extraction cached by sha256."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.completeness import ReceivedRecord, check_completeness
from core.model import CompletenessReport, Document, Inbox
from core.reference import recommending_units, year_rules
from pipeline.received_sheet import read_sheet
from pipeline.samples.generate import generate_inbox
from pipeline.samples.received import write_received_sheet
from pipeline.samples.truth import GroundTruth

from .inboxes import extract_all, load_inbox


def sheet_records(truth: GroundTruth, path: Path) -> list[ReceivedRecord]:
    """The secretariat's 收到时间 sheet of the generated inbox, written and read back as banzu imports it."""
    write_received_sheet(truth, path)
    return [ReceivedRecord(kind=row.kind or "team", subject=row.name, received_at=row.received_at)
            for row in read_sheet(path).rows]


@dataclass
class Checked:
    truth: GroundTruth
    inbox: Inbox
    documents: dict[str, Document]
    report: CompletenessReport


@pytest.fixture(scope="session")
def doc_cache() -> dict[str, Document]:
    return {}


def _generate_and_check(root: Path, profile: str, scanned: bool, doc_cache: dict[str, Document]) -> Checked:
    """Generate an inbox of `profile`, read it (extractions cached for the session) and check it."""
    truth = generate_inbox(root / "inbox", profile=profile, seed=0, scanned=scanned)
    inbox, sources = load_inbox(root / "inbox", root / "work")
    docs = extract_all(inbox, sources, doc_cache)
    report = check_completeness(inbox, docs, year_rules(2024), recommending_units(),
                                received=sheet_records(truth, root / "收到时间.csv"))
    return Checked(truth, inbox, docs, report)


@pytest.fixture(scope="session")
def small_born_digital(tmp_path_factory: pytest.TempPathFactory, doc_cache: dict[str, Document]) -> Checked:
    """The generator's `small` profile, every file born-digital: all situations of the code table."""
    return _generate_and_check(tmp_path_factory.mktemp("small"), "small", False, doc_cache)


@pytest.fixture(scope="session")
def tiny_scanned(tmp_path_factory: pytest.TempPathFactory, doc_cache: dict[str, Document]) -> Checked:
    """The generator's `tiny` profile with every unit file scanned (about 6 OCR'd pages)."""
    return _generate_and_check(tmp_path_factory.mktemp("tiny-scanned"), "tiny", True, doc_cache)
