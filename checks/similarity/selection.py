"""Which candidate pairs are compared, and how: in full, as a cheap probe, or as a query's one clear
source (which also looks for paraphrase); and the candidates' cosines of a nightly run put on the scale
of a full one."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from core.model import ReportText

from .index import DocFreq, sorted_unique
from .paraphrase import ParaphraseParams
from .text import COMMON_N, ngram_hashes, normalize_pages

if TYPE_CHECKING:
    from .params import SimilarityParams

__all__ = ["DenseRare", "clear_candidates", "full_norms", "split_candidates"]


def full_norms(found: list[tuple[int, int, float]], grams: Sequence[np.ndarray], queries: Sequence[int],
                df: DocFreq, cand_df: int) -> list[tuple[int, int, float]]:
    """Cosines of a nightly run put on the scale of a full one. There the other report's vector holds only
    the n-grams the new reports use, so its norm is too small and every cosine too large (more so the
    rarer the features weighed); the product itself is exact. Recomputed for the candidates alone."""
    vocab = sorted_unique(np.concatenate([grams[q] for q in queries])) if queries else np.zeros(0, np.uint32)
    scale: dict[int, float] = {}
    for o in {o for _, o, _ in found}:
        g = grams[o]
        c = df.of(g)
        keep = (c >= 2) & (c <= cand_df)
        w = (np.log(df.groups / np.maximum(c[keep], 1)) + 1.0) ** 2
        i = np.minimum(np.searchsorted(vocab, g[keep]), max(len(vocab) - 1, 0))
        seen = vocab[i] == g[keep] if len(vocab) else np.zeros(int(keep.sum()), bool)
        full = float(w.sum())
        scale[o] = math.sqrt(float(w[seen].sum()) / full) if full else 1.0
    return [(q, o, cos * scale[o]) for q, o, cos in found]


class DenseRare:
    """For a probe: how many passage n-grams of at most `rare_df` teams a query shares with another report
    inside its densest window. A copied paragraph packs them together; two reports merely on one subject
    share as many, scattered. Costs one normalisation per query, a lookup per probe."""

    def __init__(self, reports: Sequence[ReportText], df: DocFreq, rare_df: int):
        self.reports, self.df, self.rare_df = reports, df, rare_df
        self.cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, q: int, other: np.ndarray, window: int) -> int:
        if q not in self.cache:
            h = ngram_hashes(normalize_pages(list(self.reports[q].pages)).text, COMMON_N)
            self.cache[q] = (h, ~self.df.used_over(h, self.rare_df))
        h, rare = self.cache[q]
        if not len(h) or not len(other):
            return 0
        i = np.minimum(np.searchsorted(other, h), len(other) - 1)
        hit = (other[i] == h) & rare
        c = np.concatenate(([0], np.cumsum(hit)))
        return int((c[window:] - c[:-window]).max()) if len(hit) > window else int(c[-1])


def split_candidates(found: list[tuple[int, int, float]], s: SimilarityParams, runner_up: dict[int, float]
           ) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    """(candidates compared in full, probes): in full those reaching min_cosine, and a query's best when it
    stands the paraphrase margin above any other team's (a rewritten copy keeps less rare wording, but far
    more with its source than with anything else); probes the query's other first `probe_k`."""
    by_query: dict[int, list[tuple[float, int]]] = {}
    for q, o, cos in found:
        by_query.setdefault(q, []).append((cos, o))
    full, probes = [], []
    p = s.paraphrase
    for q, lst in by_query.items():
        lst.sort(reverse=True)
        for rank, (cos, o) in enumerate(lst):
            clear = rank == 0 and cos >= p.floor and cos >= min(p.clear_margin, p.reword_margin) * runner_up.get(q, 0.0)
            if cos >= s.min_cosine or clear:
                full.append((q, o, cos))
            elif rank < s.probe_k:
                probes.append((q, o, cos))
    return full, probes


def clear_candidates(found: list[tuple[int, int, float]], p: ParaphraseParams, runner_up: dict[int, float],
                     group_of: Sequence[int], margin: float | None = None) -> set[tuple[int, int]]:
    """Pairs (both orders) where the other report is the query's best candidate by a clear margin over
    any other team's (its own other file is the same source): a rewritten copy still shares more rare
    wording with its source than with anything else. `margin`, when given, replaces both of `p`'s."""
    near, far = (p.margin, p.clear_margin) if margin is None else (margin, margin)
    by_query: dict[int, list[tuple[float, int]]] = {}
    for q, o, cos in found:
        by_query.setdefault(q, []).append((cos, o))
    out: set[tuple[int, int]] = set()
    for q, lst in by_query.items():
        lst.sort(reverse=True)
        cos, o = lst[0]
        others = [c for c, x in lst[1:] if group_of[x] != group_of[o]]
        second = max(others[0] if others else 0.0, runner_up.get(q, 0.0))
        if (cos >= p.min_cosine and cos >= near * second) or (cos >= p.floor and cos >= far * second):
            out |= {(q, o), (o, q)}
    return out
