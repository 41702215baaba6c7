"""What is never evidence: the template's headings, the activity's standard wording, the rules' text.

Passages shared by many reports are excluded separately, by document frequency (see index.py); this
module handles the fixed wording that even a small corpus must not count.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from core.reference import DATA_DIR

from .hashset import BucketIndex
from .text import COMMON_N, NGRAM, ngram_hashes, normalize_pages

BOILERPLATE_PATH = DATA_DIR / "similarity" / "boilerplate.txt"
MIN_RUN = 8  # shorter stretches of template words inside a sentence stay countable


@lru_cache(maxsize=1)
def boilerplate_hashes() -> BucketIndex:
    """The n-gram hashes of all boilerplate passages."""
    try:
        lines = BOILERPLATE_PATH.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    parts = [ngram_hashes(normalize_pages([ln]).text) for ln in lines if ln.strip() and not ln.startswith("#")]
    return BucketIndex(np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.uint32))


def common_mask(common_pos: np.ndarray, length: int, min_run: int = 13) -> np.ndarray:
    """Bool per char: inside a stretch of >= `min_run` chars whose passage n-grams are all common."""
    return _stretches(common_pos, length, COMMON_N, min_run)


def boilerplate_mask(hashes: np.ndarray, length: int) -> np.ndarray:
    """Bool per normalised char: True inside a stretch of >= MIN_RUN chars made only of boilerplate.

    A stretch is a run of consecutive n-gram positions that are all boilerplate; isolated common
    words inside a team's own sentence do not hide the sentence.
    """
    return _stretches(boilerplate_hashes().has(hashes), length, NGRAM, MIN_RUN)


def _stretches(hit: np.ndarray, length: int, n: int, min_run: int) -> np.ndarray:
    """Bool per char covered by a run of consecutive hit n-gram positions spanning >= `min_run` chars."""
    out = np.zeros(length, dtype=bool)
    if not len(hit) or not hit.any():
        return out
    padded = np.concatenate(([False], hit, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    for s, e in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if e - s + n - 1 >= min_run:
            out[s : min(length, e + n - 1)] = True
    return out
