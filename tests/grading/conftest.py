"""A generated grading year shared by the grading tests: 40 experts, 120 teams that passed 初选."""

from __future__ import annotations

from datetime import date

import pytest

from grading.model import Expert, Team
from grading.rules import GradingRules, grading_rules
from pipeline.samples.experts import expert_pool, passed_teams

DRAW_DAY = date(2024, 7, 1)


@pytest.fixture(scope="session")
def rules() -> GradingRules:
    return grading_rules(2024)


@pytest.fixture(scope="session")
def teams() -> list[Team]:
    return passed_teams(seed=7, count=120)


@pytest.fixture(scope="session")
def experts(teams: list[Team]) -> list[Expert]:
    return expert_pool(seed=7, teams=teams, day=DRAW_DAY, count=40)
