"""A pair of files to compare, and what comparing it found."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.model import Evidence

from .align import Passage

__all__ = ["FileJob", "PairResult"]


@dataclass
class PairResult:
    """What comparing a pair of files found: its passages and evidence, and the figures the flag rules read."""

    a: int
    b: int
    cosine: float
    ratio_a: float
    ratio_b: float
    chars: int
    evidence: list[Evidence]
    decisive_ratio: float = 0.0  # the larger copy ratio of a side long enough for a ratio to mean something
    rare_chars: int = 0  # distinct shared rare n-grams inside the passages
    rare_share: float = 0.0  # ... as a share of the rare n-grams of the report that has fewer
    longest: int = 0  # own (not common) characters of the longest first-pass passage whose figures all agree
    figures: tuple[int, int] = (0, 0)  # figures inside the passages: the same on both sides, all
    paraphrased: int = 0  # characters of A in chains of sentences rewritten in order (paraphrase.py)
    passages: list[Passage] = field(default_factory=list)  # all passages, normalised positions
    light: bool = False  # first pass only (a probe): compared again in full once flagged
    clear: bool = False  # the other report is the query's one clear source by candidate cosine
    prose: int = 0  # running-text characters of the longest first-pass passage whose figures all agree
    likeness: float = 0.0  # how alike the first pass's passages read, figures aside (densify.likeness)


@dataclass(frozen=True)
class FileJob:
    """A pair of files to compare (see `_compare`)."""

    a: int
    b: int
    cosine: float
    reword: bool  # look for sentences rewritten in order (this pair or its teams' reports are a clear source)
    light: bool
    clear: bool = False  # this pair itself: the other file is the query's one clear source
