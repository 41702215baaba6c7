"""The reports (PDF) decide a pair of teams: the pairs of other files are compared only once the teams
are flagged, and the flags are exactly those of comparing every pair of files up front."""

from __future__ import annotations

import pytest

import checks.similarity as similarity
from core.model import Flag
from pipeline.samples.plagiarism import Corpus


def _run(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Flag], int]:
    calls = []
    compare = similarity._compare

    def counted(*args, **kwargs):
        calls.append(args[1:3])
        return compare(*args, **kwargs)

    monkeypatch.setattr(similarity, "_compare", counted)
    return similarity.find_flags(corpus.reports(), corpus.year), len(calls)


def test_only_pairs_that_can_decide_are_compared_before_the_flag(corpus: Corpus, flags: list[Flag],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    lazily, fewer = _run(corpus, monkeypatch)
    monkeypatch.setattr(similarity, "can_decide", lambda reports, team_jobs: [True] * len(team_jobs))
    eagerly, every = _run(corpus, monkeypatch)
    assert flags and [f.model_dump() for f in lazily] == [f.model_dump() for f in eagerly] == [
        f.model_dump() for f in flags]
    assert fewer < every
