"""Candidate search: TF-IDF over rare character n-grams, scored over posting lists in dense blocks, plus
the document frequencies that tell copied passages from wording many reports share.

Features are 5-gram hashes of the normalised text; only n-grams found in 2..`cand_df` teams are weighed
(an n-gram of one team cannot link two, one of many teams is common wording). Per-report n-gram sets and
the frequency tables are persisted in `state_dir` (state.py), keyed by the text itself, so a nightly run
re-reads the archive and counts only the teams that changed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from .state import STATE_FILE, Grams, Stored, Table, read_state, write_state
from .text import COMMON_N, NGRAM, codepoint_hashes, normalized_codepoints

__all__ = ["STATE_FILE", "DocFreq", "candidates", "corpus_index", "corpus_ngrams", "doc_freq", "load_state",
           "text_key"]

log = logging.getLogger(__name__)
FEATURE_VERSION = f"sim-v3-n{NGRAM}-c{COMMON_N}"
_INCREMENTAL = 0.5  # count only the changed teams while they are at most this share of all teams


def text_key(pages: Sequence[str]) -> str:
    """Content key of a report's text: changed text (or a new normaliser) invalidates its state."""
    h = hashlib.blake2b(FEATURE_VERSION.encode(), digest_size=16)
    for p in pages:
        h.update(b"\x00")
        h.update((p or "").encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique for small arrays without its overhead (it dominates at 10,000 reports)."""
    if len(a) < 2:
        return a.copy()
    s = np.sort(a)
    return s[np.concatenate(([True], s[1:] != s[:-1]))]


def report_ngrams(pages: Sequence[str]) -> Grams:
    """Sorted unique seed n-grams (candidate features) and passage n-grams (for common wording)."""
    cp = normalized_codepoints(list(pages))
    return sorted_unique(codepoint_hashes(cp)), sorted_unique(codepoint_hashes(cp, COMMON_N))


def load_state(state_dir: Path | None) -> dict[str, Grams]:
    """key -> (seed n-grams, passage n-grams); {} when there is no state or it is unreadable (rebuild)."""
    return read_state(state_dir, FEATURE_VERSION).grams


@dataclass
class DocFreq:
    """How many teams (groups) use each n-gram."""

    hashes: np.ndarray  # sorted unique
    counts: np.ndarray
    groups: int

    def of(self, h: np.ndarray) -> np.ndarray:
        if not len(self.hashes):
            return np.zeros(len(h), np.int64)
        i = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
        return np.where(self.hashes[i] == h, self.counts[i], 0)


def _count(sets: Sequence[np.ndarray]) -> Table:
    """(sorted unique hashes, in how many of `sets` each is); each set sorted unique. One in-place sort of
    everything: np.unique would sort a copy and build more temporaries."""
    if not sets:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    flat = np.concatenate(sets)
    if not len(flat):
        return flat, np.zeros(0, np.int64)
    flat.sort()
    first = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    counts = np.diff(np.append(first, len(flat)))
    return flat[first], counts


def _team_sets(grams: dict[str, np.ndarray], teams: dict[str, list[str]], labels: Sequence[str]) -> list[np.ndarray]:
    """Each team's n-gram set: the union of its files' sets (a team's PDF and PPT count once)."""
    out = []
    for label in labels:
        parts = [grams[k] for k in teams[label]]
        out.append(parts[0] if len(parts) == 1 else sorted_unique(np.concatenate(parts)))
    return out


def _updated(table: Table, added: Table, removed: Table) -> Table | None:
    """`table` with the counts of teams added and removed; None when they do not fit it (a stale table)."""
    h = np.concatenate((added[0], removed[0]))
    if not len(h):
        return table
    u, inv = np.unique(h, return_inverse=True)
    delta = np.bincount(inv, weights=np.concatenate((added[1], -removed[1])), minlength=len(u)).astype(np.int64)
    hashes, counts = table
    i = np.minimum(np.searchsorted(hashes, u), max(len(hashes) - 1, 0))
    present = hashes[i] == u if len(hashes) else np.zeros(len(u), bool)
    counts = counts.astype(np.int64)  # a copy: the stored table is not changed in place
    np.add.at(counts, i[present], delta[present])
    if (delta[~present] < 0).any() or (counts < 0).any():
        return None
    new = ~present & (delta > 0)
    at = np.searchsorted(hashes, u[new])
    hashes, counts = np.insert(hashes, at, u[new]), np.insert(counts, at, delta[new])
    keep = counts > 0
    return hashes[keep], counts[keep]


def _tables(stored: Stored, grams: dict[str, Grams], teams: dict[str, list[str]]) -> tuple[Table, Table]:
    """Seed and passage frequency tables: the stored ones with the changed teams recounted when few
    changed (a nightly run: the new reports), else counted over all teams."""
    changed = [t for t in teams.keys() | stored.teams.keys() if teams.get(t) != stored.teams.get(t)]
    if stored.seed is not None and stored.passage is not None and len(changed) <= _INCREMENTAL * len(teams):
        now = [t for t in changed if t in teams]
        before = [t for t in changed if t in stored.teams]
        out = []
        for side, table in ((0, stored.seed), (1, stored.passage)):
            added = _count(_team_sets({k: g[side] for k, g in grams.items()}, teams, now))
            old = {k: stored.grams[k][side] for t in before for k in stored.teams[t] if k in stored.grams}
            if any(k not in stored.grams for t in before for k in stored.teams[t]):
                break
            got = _updated(table, added, _count(_team_sets(old, stored.teams, before)))
            if got is None:
                break
            out.append(got)
        else:
            return out[0], out[1]
        log.warning("similarity frequency tables out of step with their texts; counting them anew")
    labels = list(teams)
    seed = _count(_team_sets({k: g[0] for k, g in grams.items()}, teams, labels))
    return seed, _count(_team_sets({k: g[1] for k, g in grams.items()}, teams, labels))


def corpus_index(pages_list: Sequence[Sequence[str]], labels: Sequence[str], state_dir: Path | None
                 ) -> tuple[list[np.ndarray], DocFreq, DocFreq]:
    """Each report's seed n-grams, and the seed and passage frequency tables over teams (`labels`: the
    team of each report), from the state where the texts are unchanged."""
    stored = read_state(state_dir, FEATURE_VERSION)
    keys = [text_key(p) for p in pages_list]
    grams: dict[str, Grams] = {}
    fresh = 0
    for k, pages in zip(keys, pages_list, strict=True):
        if k not in grams:
            got = stored.grams.get(k)
            if got is None:
                got = report_ngrams(pages)
                fresh += 1
            grams[k] = got
    teams: dict[str, list[str]] = {}
    for k, label in zip(keys, labels, strict=True):
        teams.setdefault(label, []).append(k)
    teams = {t: sorted(set(ks)) for t, ks in teams.items()}
    seed, passage = _tables(stored, grams, teams)
    if fresh or teams != stored.teams or len(grams) != len(stored.grams):
        write_state(state_dir, FEATURE_VERSION, stored, grams, teams, seed, passage)
    n = len(teams)
    return [grams[k][0] for k in keys], DocFreq(*seed, n), DocFreq(*passage, n)


def corpus_ngrams(pages_list: Sequence[Sequence[str]], state_dir: Path | None) -> list[Grams]:
    """(seed, passage) n-gram sets of every report, each its own team (tests and tools)."""
    stored = read_state(state_dir, FEATURE_VERSION)
    return [stored.grams.get(text_key(p)) or report_ngrams(p) for p in pages_list]


def doc_freq(grams: Sequence[np.ndarray], group_of: Sequence[int]) -> DocFreq:
    """Document frequency over groups (a team's PDF and PPT count once)."""
    by_group: dict[int, list[np.ndarray]] = {}
    for g, arr in zip(group_of, grams, strict=True):
        by_group.setdefault(g, []).append(arr)
    parts = [a[0] if len(a) == 1 else sorted_unique(np.concatenate(a)) for a in by_group.values()]
    return DocFreq(*_count(parts), len(by_group))


_BUCKET_BITS = 22  # a 4 MB table on the hashes' high bits, a cheap first test of membership (it stays in cache)
_BLOCK_CELLS = 500_000  # dense score cells (queries x reports) per block: 4 MB of float64 stays in cache,
# which makes the scattered accumulation three times faster than a block of 50 MB
_BLOCK_PAIRS = 4_000_000  # shared-feature contributions per block: ~100 MB of temporaries


def feature_matrix(grams: Sequence[np.ndarray], vocab: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR structure of the reports' n-grams found in the sorted `vocab`: (indptr, columns, row of each
    entry). All reports at once, no Python loop per report: a table on the hashes' high bits drops most
    n-grams outside the vocabulary before the binary search, which is what costs at 30M+ n-grams."""
    lens = np.fromiter((len(g) for g in grams), np.int64, len(grams))
    if not len(vocab) or not lens.sum():
        return np.zeros(len(grams) + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    shift = np.uint32(32 - _BUCKET_BITS)
    table = np.zeros(1 << _BUCKET_BITS, bool)
    table[vocab >> shift] = True
    flat = np.concatenate(grams)
    pos = np.flatnonzero(table[flat >> shift])
    del table
    val = flat[pos]
    del flat
    j = np.minimum(np.searchsorted(vocab, val), len(vocab) - 1)
    hit = vocab[j] == val
    pos, cols = pos[hit], j[hit]
    indptr = np.concatenate(([0], np.searchsorted(pos, np.cumsum(lens))))  # `pos` is sorted
    rows = np.repeat(np.arange(len(grams), dtype=np.int64), np.diff(indptr))
    return indptr, cols, rows


def _blocks(queries: np.ndarray, cost: np.ndarray, n: int) -> list[np.ndarray]:
    """Consecutive query blocks bounded in dense cells and in shared-feature contributions."""
    out, start, acc = [], 0, 0.0
    most = max(1, _BLOCK_CELLS // max(n, 1))
    for k, c in enumerate(cost.tolist()):
        if k > start and (k - start >= most or acc + c > _BLOCK_PAIRS):
            out.append(queries[start:k])
            start, acc = k, 0.0
        acc += c
    if start < len(queries):
        out.append(queries[start:])
    return out


def candidates(
    grams: Sequence[np.ndarray],
    group_of: Sequence[int],
    queries: Sequence[int],
    df: DocFreq,
    *,
    cand_df: int,
    top_k: int,
    min_score: float,
    clear_floor: float = 1.0,
    clear_margin: float = 2.0,
    runner_up: dict[int, float] | None = None,
) -> list[tuple[int, int, float]]:
    """(query, other, cosine) for each query's top-k most similar reports of other groups, plus its best
    one below `min_score` when that reaches `clear_floor` and `clear_margin` times the next (a rewritten
    copy keeps less rare wording, but still far more with its source than with anything else).
    `runner_up`, when given, receives each query's second-best cosine.

    Scores are accumulated over posting lists (n-gram -> reports) into a dense block of queries x reports:
    every pair of reports shares some rare n-gram in a large corpus, so the score matrix is dense and a
    sparse product spends most of its time building its own structure."""
    if len(queries) * 2 < len(grams):  # nightly: only the new reports' n-grams can score
        vocab = sorted_unique(np.concatenate([grams[q] for q in queries]))
        counts = df.of(vocab)
    else:
        vocab, counts = df.hashes, df.counts
    keep = (counts >= 2) & (counts <= cand_df)
    vocab = vocab[keep]
    if not len(vocab):
        return []
    idf = np.log(df.groups / counts[keep]).astype(np.float32) + 1.0
    weight = idf.astype(np.float64) ** 2
    n = len(grams)
    indptr, cols, rows = feature_matrix(grams, vocab)
    norms = np.sqrt(np.bincount(rows, weights=weight[cols], minlength=n))
    norms[norms == 0] = 1.0
    # posting lists: the reports holding each n-gram
    post = sparse.csr_matrix((np.ones(len(cols), np.float32), cols, indptr), shape=(n, len(vocab))).tocsc()
    post_ptr, post_rows = post.indptr.astype(np.int64), post.indices.astype(np.int64)
    post_len = np.diff(post_ptr)
    feat_cost = np.bincount(rows, weights=post_len[cols], minlength=n)  # contributions per query
    del post, rows
    groups = np.asarray(group_of, dtype=np.int64)
    by_group = np.argsort(groups, kind="stable")  # the reports of each team, for leaving a team's own out
    group_ptr = np.searchsorted(groups[by_group], np.arange(groups.max() + 2))
    inv = 1.0 / norms
    q = np.asarray(queries, dtype=np.int64)
    out: list[tuple[int, int, float]] = []
    for qb in _blocks(q, feat_cost[q], n):
        scores = _block_scores(qb, indptr, cols, post_ptr, post_rows, post_len, weight, n)
        scores *= inv[None, :]
        scores *= inv[qb][:, None]
        own_len = group_ptr[groups[qb] + 1] - group_ptr[groups[qb]]
        own = by_group[_ranges(group_ptr[groups[qb]], own_len)]
        scores[np.repeat(np.arange(len(qb)), own_len), own] = 0.0  # the query's own team
        _pick(qb, scores, out, top_k, min_score, clear_floor, clear_margin, runner_up)
    return out


def _block_scores(qb: np.ndarray, indptr: np.ndarray, cols: np.ndarray, post_ptr: np.ndarray,
                  post_rows: np.ndarray, post_len: np.ndarray, weight: np.ndarray, n: int) -> np.ndarray:
    """Dense (len(qb), n) sums of the squared idf of the n-grams each query shares with each report."""
    starts, lens = indptr[qb], indptr[qb + 1] - indptr[qb]
    feats = cols[_ranges(starts, lens)]
    plen = post_len[feats]
    other = post_rows[_ranges(post_ptr[feats], plen)]
    local = np.repeat(np.repeat(np.arange(len(qb), dtype=np.int64) * n, lens), plen)
    acc = np.bincount(local + other, weights=np.repeat(weight[feats], plen), minlength=len(qb) * n)
    return acc.reshape(len(qb), n)


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Concatenated ranges [start, start + len) as one index array."""
    total = int(lens.sum())
    return np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total, dtype=np.int64)


def _pick(qb: np.ndarray, scores: np.ndarray, out: list[tuple[int, int, float]], top_k: int, min_score: float,
          clear_floor: float, clear_margin: float, runner_up: dict[int, float] | None) -> None:
    """Each query's candidates from its row of scores (see `candidates`)."""
    rows = np.arange(len(qb))
    best_j = scores.argmax(axis=1)
    best = scores[rows, best_j]
    saved = best.copy()
    scores[rows, best_j] = -1.0
    second = np.maximum(scores.max(axis=1), 0.0) if scores.shape[1] > 1 else np.zeros(len(qb))
    scores[rows, best_j] = saved
    for n, qi in enumerate(qb.tolist()):
        b = float(best[n])
        if b <= 0.0:
            continue  # shares no weighed n-gram with any other team
        if runner_up is not None:
            runner_up[qi] = float(second[n])
        if clear_floor <= b < min_score and b >= clear_margin * float(second[n]):
            out.append((qi, int(best_j[n]), b))
        if b < min_score:
            continue
        row = scores[n]
        idx = np.flatnonzero(row >= min_score)
        if len(idx) > top_k:
            idx = idx[np.argpartition(-row[idx], top_k)[:top_k]]
        idx = idx[np.lexsort((idx, -row[idx]))]
        out.extend((qi, int(j), float(row[j])) for j in idx.tolist())
