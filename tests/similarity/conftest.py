"""A small labelled corpus, generated once per module run: every kind of copy and template-only pairs."""

from __future__ import annotations

import random

import pytest

from checks.similarity import find_flags
from core.model import Flag
from pipeline.samples.plagiarism import Corpus, make_corpus

COUNTS = {"verbatim": 2, "light_edit": 2, "ocr": 2, "cross_year": 1, "self_reuse": 1, "paragraph": 1,
          "template_only": 3}


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    # copies of >= 30 % here: the 20 % boundary is the benchmark's business (benchmarks/plagiarism.py)
    return make_corpus(random.Random(3), year=2024, background=100, prior=50, counts=COUNTS, min_fraction=0.3)


@pytest.fixture(scope="session")
def flags(corpus: Corpus) -> list[Flag]:
    return find_flags(corpus.reports(), corpus.year)


def flag_for(corpus: Corpus, flags: list[Flag], i: int, j: int) -> Flag | None:
    ids = {corpus.teams[i].team_id, corpus.teams[j].team_id}
    found = [f for f in flags if {f.a.team_id, f.b.team_id} == ids]
    assert len(found) <= 1, "one flag per pair of teams"
    return found[0] if found else None
