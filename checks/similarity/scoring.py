"""Candidate search: TF-IDF over rare character n-grams (index.py's sets and frequencies), scored over
posting lists in dense blocks, and the rare passage n-grams pairs of reports share.

Features are 5-gram hashes of the normalised text; only n-grams found in 2..`cand_df` teams are weighed
(an n-gram of one team cannot link two, one of many teams is common wording).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .hashset import BucketIndex
from .index import DocFreq, sorted_unique
from .parallel import chunks, fork_map

__all__ = ["candidates", "feature_matrix", "shared_rare"]

_CHUNK = 4_000_000  # n-grams looked up at once
_BUCKET_BITS = 22  # a 4 MB table on the hashes' high bits, a cheap first test of membership (it stays in cache)
_BLOCK_CELLS = 500_000  # dense score cells (queries x reports) per block: 4 MB of float64 stays in cache,
# which makes the scattered accumulation three times faster than a block of 50 MB
_PARALLEL_CHUNKS = 4  # this many chunks are looked up on both cores
_BLOCK_PAIRS = 4_000_000  # shared-feature contributions per block: ~100 MB of temporaries
_UPPER_RUNS = 16  # runs of consecutive blocks a full rebuild's scoring is cut into (spread over the cores)


def feature_matrix(grams: Sequence[np.ndarray], vocab: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR structure of the reports' n-grams found in the sorted `vocab`: (indptr, columns, row of each
    entry). Reports in chunks of some millions of n-grams, no Python work per report: a table on the
    hashes' high bits drops most n-grams outside the vocabulary before the lookup (hashset.py; a binary
    search is what cost at 30M+ n-grams); chunks keep the temporaries small."""
    lens = np.fromiter((len(g) for g in grams), np.int64, len(grams))
    if not len(vocab) or not lens.sum():
        return np.zeros(len(grams) + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    shift = np.uint32(32 - _BUCKET_BITS)
    table = np.zeros(1 << _BUCKET_BITS, bool)
    table[vocab >> shift] = True
    where = BucketIndex(vocab)
    ends = np.cumsum(lens)
    spans, start = [], 0
    while start < len(grams):
        stop = max(start + 1, int(np.searchsorted(ends, ends[start] - lens[start] + _CHUNK, "right")))
        spans.append((start, stop))
        start = stop

    def chunk(k: int) -> tuple[np.ndarray, np.ndarray]:
        """(entries per report, columns) of the reports of span k."""
        start, stop = spans[k]
        flat = np.concatenate(grams[start:stop])
        pos = np.flatnonzero(table[flat >> shift])
        j = where.find(flat[pos])
        hit = j >= 0
        bounds = np.searchsorted(pos[hit], ends[start:stop] - (ends[start] - lens[start]))  # `pos` is sorted
        return np.diff(np.concatenate(([0], bounds))), j[hit]

    parts = fork_map(chunk, len(spans), min_jobs=_PARALLEL_CHUNKS)  # the chunks on both cores when many
    counts = np.concatenate([c for c, _ in parts])
    indptr = np.concatenate(([0], np.cumsum(counts)))
    rows = np.repeat(np.arange(len(grams), dtype=np.int64), counts)
    return indptr, np.concatenate([c for _, c in parts]), rows


def shared_rare(passages: Sequence[np.ndarray], pairs: Sequence[tuple[int, int]], df: DocFreq, rare_df: int
                ) -> np.ndarray:
    """For each pair of reports (of different teams), how many passage n-grams (sorted unique sets) both
    use that at most `rare_df` teams use. All pairs at once: the reports' rare n-grams as a sparse matrix,
    rows of each pair multiplied, instead of an intersection and a lookup per pair (tens of thousands)."""
    if not len(pairs):
        return np.zeros(0, np.int64)
    ends = np.asarray(pairs, dtype=np.int64)
    rows = np.unique(ends)
    vocab = df.hashes[(df.counts >= 2) & (df.counts <= rare_df)]  # a pair's shared n-gram has 2 teams at least
    indptr, cols, _ = feature_matrix([passages[r] for r in rows], vocab)
    x = sparse.csr_matrix((np.ones(len(cols), np.float32), cols, indptr), shape=(len(rows), max(len(vocab), 1)))
    at = np.searchsorted(rows, ends)
    return np.asarray(x[at[:, 0]].multiply(x[at[:, 1]]).sum(axis=1)).ravel().round().astype(np.int64)


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
    `runner_up`, when given, receives each query's best cosine with any team but its best candidate's.

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
    cols = cols.astype(np.int32)  # 32-bit indices halve the index's memory (10M+ entries)
    norms = np.sqrt(np.bincount(rows, weights=weight[cols], minlength=n))
    norms[norms == 0] = 1.0
    # posting lists: the reports holding each n-gram, in report order; data: the entry's place in `cols`
    entry = np.arange(1, len(cols) + 1, dtype=np.int32 if len(cols) < 2**31 - 1 else np.int64)
    post = sparse.csr_matrix((entry, cols, indptr), shape=(n, len(vocab))).tocsc()
    del entry
    post_ptr, post_rows = post.indptr.astype(np.int64), post.indices
    post_len = np.diff(post_ptr)
    feat_cost = np.bincount(rows, weights=post_len[cols], minlength=n)  # contributions per query
    del rows
    groups = np.asarray(group_of, dtype=np.int64)
    inv = 1.0 / norms
    own = _Own(groups)
    best = _Best(n, min_score, own)
    if len(queries) == n:  # a full rebuild: each pair once, the upper triangle (half the work)
        at = np.empty(len(cols), post.data.dtype)  # position in the posting lists of each entry of `cols`
        at[post.data - 1] = np.arange(len(cols), dtype=post.data.dtype)
        del post
        _upper(indptr, cols, at, post_ptr, post_rows, weight, inv, own, best)
    else:
        del post
        q = np.asarray(queries, dtype=np.int64)
        for qb in _blocks(q, feat_cost[q], n):
            scores = _block_scores(qb, indptr, cols, post_ptr, post_rows, post_len, weight, n)
            scores *= inv[None, :]
            scores *= inv[qb][:, None]
            r, c = own.cells(qb, 0)
            scores[r, c] = 0.0  # the query's own team
            best.update(qb, scores, 0)
    return best.emit(queries, top_k, clear_floor, clear_margin, runner_up)


class _Own:
    """The reports of each team, for leaving a query's own team out of its scores."""

    def __init__(self, groups: np.ndarray):
        self.groups = groups
        self.by_group = np.argsort(groups, kind="stable")
        self.ptr = np.searchsorted(groups[self.by_group], np.arange(groups.max() + 2))

    def cells(self, rows: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray]:
        """(row in `rows`, column - first) of each report of the rows' teams at column >= first."""
        return self.members(self.groups[rows], first, len(self.groups))

    def members(self, g: np.ndarray, first: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """(k, column - first) of each report of team g[k] at a column in [first, stop)."""
        lens = self.ptr[g + 1] - self.ptr[g]
        members = self.by_group[_ranges(self.ptr[g], lens)]
        local = np.repeat(np.arange(len(g)), lens)
        at = (members >= first) & (members < stop)
        return local[at], members[at] - first


class _Best:
    """Per report: the best other report (cosine, which, its team), the runner-up (the best cosine of any
    other team: a source's own slides are the same source, not a second one), and every pair at or above
    `min_score`, gathered from blocks of scores in any order."""

    def __init__(self, n: int, min_score: float, own: _Own):
        self.v1, self.v2 = np.zeros(n), np.zeros(n)
        self.i1 = np.full(n, -1, np.int64)
        self.g1 = np.full(n, -1, np.int64)
        self.min_score, self.own = min_score, own
        self.pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def update(self, rows: np.ndarray, scores: np.ndarray, first: int, by_column: bool = False) -> None:
        """Scores of `rows` (global) against the columns first, first + 1, ...; with `by_column`, `scores`
        holds the rows as its columns (the transpose, read without copying it)."""
        axis = 0 if by_column else 1
        if not scores.shape[1 - axis]:
            return
        k = np.arange(len(rows))
        j1 = scores.argmax(axis=axis)
        w1 = scores[(j1, k) if by_column else (k, j1)]
        g1 = self.own.groups[j1 + first]
        kk, jj = self.own.members(g1, first, first + scores.shape[axis])  # every report of the best's team
        cells = (jj, kk) if by_column else (kk, jj)
        kept = scores[cells]
        scores[cells] = -1.0
        w2 = np.maximum(scores.max(axis=axis), 0.0)
        scores[cells] = kept
        self._take(rows, w1, j1 + first, g1, w2)
        hot = np.flatnonzero(w1 >= self.min_score)  # only these rows hold pairs over the threshold
        if len(hot):
            part = scores[:, hot] if by_column else scores[hot]
            r, c = np.nonzero(part >= self.min_score)
            if by_column:
                r, c = c, r
            self.pairs.append((rows[hot[r]], c + first, part[(c, r) if by_column else (r, c)]))

    def _take(self, rows: np.ndarray | slice, w1: np.ndarray, i1: np.ndarray, g1: np.ndarray, w2: np.ndarray) -> None:
        """Folds in another view of `rows`: its best (w1 at i1, of team g1) and its best of any other team."""
        v1, v2, h1 = self.v1[rows], self.v2[rows], self.g1[rows]
        take = w1 > v1
        self.v2[rows] = np.where(g1 == h1, np.maximum(v2, w2),
                                 np.where(take, np.maximum(v1, w2), np.maximum(v2, w1)))
        self.v1[rows] = np.where(take, w1, v1)
        self.i1[rows] = np.where(take, i1, self.i1[rows])
        self.g1[rows] = np.where(take, g1, h1)

    def merge(self, later: _Best) -> None:
        """Takes in the stats another `_Best` gathered from later blocks (as if it had seen them itself)."""
        self._take(slice(None), later.v1, later.i1, later.g1, later.v2)
        self.pairs += later.pairs

    def emit(self, queries: Sequence[int], top_k: int, clear_floor: float, clear_margin: float,
             runner_up: dict[int, float] | None) -> list[tuple[int, int, float]]:
        """Each query's best below the threshold when it is clear, then its top-k at or above it."""
        rows, cols, vals = (np.concatenate(x) for x in zip(*self.pairs, strict=True)) if self.pairs else (
            np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        order = np.lexsort((cols, -vals, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        q = np.asarray(queries, dtype=np.int64)
        lo, hi = np.searchsorted(rows, q, "left"), np.searchsorted(rows, q, "right")
        out: list[tuple[int, int, float]] = []
        for qi, a, b in zip(q.tolist(), lo.tolist(), hi.tolist(), strict=True):
            v1 = float(self.v1[qi])
            if v1 <= 0.0:
                continue  # shares no weighed n-gram with any other team
            v2 = float(self.v2[qi])
            if runner_up is not None:
                runner_up[qi] = v2
            if clear_floor <= v1 < self.min_score and v1 >= clear_margin * v2:
                out.append((qi, int(self.i1[qi]), v1))
            b = min(b, a + top_k)
            out.extend(zip([qi] * (b - a), cols[a:b].tolist(), vals[a:b].tolist(), strict=True))
        return out


def _upper(indptr: np.ndarray, cols: np.ndarray, at: np.ndarray, post_ptr: np.ndarray, post_rows: np.ndarray,
           weight: np.ndarray, inv: np.ndarray, own: _Own, best: _Best) -> None:
    """All reports against all: each pair scored once. A block of rows [a, b) is scored against the
    columns from a on, each row only over the tail of each posting list from itself (posting lists are in
    row order), so the block's square is its upper triangle; the rows take their stats from the block
    (square made whole), the columns after b theirs from its transpose. Runs of consecutive blocks are
    scored on both cores, each into its own stats, merged in block order (parallel.py)."""
    n = len(inv)
    tail = (post_ptr[cols + 1] - at).astype(at.dtype)  # postings from the entry's own report on
    row_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    cost = np.bincount(row_of, weights=tail, minlength=n)
    del row_of
    blocks = []
    a = 0
    while a < n:
        b, acc = a + 1, float(cost[a])
        most = max(1, _BLOCK_CELLS // (n - a))
        while b < n and b - a < most and acc + cost[b] <= _BLOCK_PAIRS:
            acc += float(cost[b])
            b += 1
        blocks.append((a, b))
        a = b
    runs = chunks(len(blocks), _UPPER_RUNS)

    def run(k: int) -> _Best:
        part = _Best(n, best.min_score, own)
        for a, b in blocks[runs[k][0] : runs[k][1]]:
            e0, e1 = int(indptr[a]), int(indptr[b])
            lens = tail[e0:e1]
            other = post_rows[_ranges(at[e0:e1], lens)] - a
            local = np.repeat(np.repeat(np.arange(b - a, dtype=np.int64) * (n - a), np.diff(indptr[a : b + 1])), lens)
            w = np.repeat(weight[cols[e0:e1]], lens)
            scores = np.bincount(local + other, weights=w, minlength=(b - a) * (n - a)).reshape(b - a, n - a)
            del other, local, w
            scores *= inv[None, a:]
            scores *= inv[a:b][:, None]
            square = scores[:, : b - a]
            square += np.triu(square, 1).T  # the lower triangle from the upper
            r, c = own.cells(np.arange(a, b), a)
            scores[r, c] = 0.0  # each row's own team
            part.update(np.arange(a, b), scores, a)
            part.update(np.arange(b, n), scores[:, b - a :], a, by_column=True)
        return part

    for part in fork_map(run, len(runs), min_jobs=_UPPER_RUNS // 2):  # few blocks: not worth a fork
        best.merge(part)


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
