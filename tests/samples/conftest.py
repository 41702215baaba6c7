"""Inboxes generated once per session: the generator is what these tests check."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.samples import GroundTruth, generate_inbox


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth]:
    root = tmp_path_factory.mktemp("tiny") / "inbox"
    return root, generate_inbox(root, profile="tiny", seed=7)


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth]:
    root = tmp_path_factory.mktemp("small") / "inbox"
    return root, generate_inbox(root, profile="small", seed=3)
