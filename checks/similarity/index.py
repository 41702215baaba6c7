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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from .hashset import BucketIndex
from .parallel import chunks, fork_map, shared_array
from .state import STATE_FILE, Grams, Stored, Table, read_state, write_state
from .text import COMMON_N, NGRAM, normalized_codepoints, seed_and_passage_hashes

__all__ = ["STATE_FILE", "DocFreq", "candidates", "corpus_index", "corpus_ngrams", "doc_freq", "load_state",
           "text_key"]

log = logging.getLogger(__name__)
FEATURE_VERSION = f"sim-v3-n{NGRAM}-c{COMMON_N}"
_PACK = 500  # reports whose n-grams are packed together
_INCREMENTAL = 0.5  # count only the changed teams while they are at most this share of all teams
_PARALLEL_TEXTS = 2_000  # this many new texts are hashed on both cores (fewer: a fork costs more than it saves)


def text_key(pages: Sequence[str]) -> str:
    """Content key of a report's text: changed text (or a new normaliser) invalidates its state."""
    h = hashlib.blake2b(FEATURE_VERSION.encode(), digest_size=16)
    h.update("".join(f"\x00{p or ''}" for p in pages).encode("utf-8", "surrogatepass"))  # one call per report
    return h.hexdigest()


def sorted_unique(a: np.ndarray, in_place: bool = False) -> np.ndarray:
    """np.unique for small arrays without its overhead (it dominates at 10,000 reports); `in_place` sorts
    `a` itself (a temporary of the caller's)."""
    if len(a) < 2:
        return a.copy()
    if in_place:
        a.sort()
    else:
        a = np.sort(a)
    keep = np.empty(len(a), bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def report_ngrams(pages: Sequence[str]) -> Grams:
    """Sorted unique seed n-grams (candidate features) and passage n-grams (for common wording)."""
    cp = normalized_codepoints(list(pages))
    seed, passage = seed_and_passage_hashes(cp)
    return sorted_unique(seed, True), sorted_unique(passage, True)


def load_state(state_dir: Path | None) -> dict[str, Grams]:
    """key -> (seed n-grams, passage n-grams); {} when there is no state or it is unreadable (rebuild)."""
    return read_state(state_dir, FEATURE_VERSION).grams


@dataclass
class DocFreq:
    """How many teams (groups) use each n-gram."""

    hashes: np.ndarray  # sorted unique
    counts: np.ndarray
    groups: int
    _index: BucketIndex | None = field(default=None, repr=False, compare=False)  # see `of`
    _over: dict[int, BucketIndex] = field(default_factory=dict, repr=False, compare=False)  # see `used_over`

    def of(self, h: np.ndarray) -> np.ndarray:
        """Counts of hashes `h` (0 for unknown ones)."""
        if self._index is None:  # built on first use: alignment only asks `used_over`
            self._index = BucketIndex(self.hashes)
        at = self._index.find(h)
        out = np.zeros(len(h), np.int64)
        out[at >= 0] = self.counts[at[at >= 0]]
        return out

    def used_over(self, h: np.ndarray, k: int) -> np.ndarray:
        """Bool per hash of `h`: used by more than `k` teams (`of(h) > k`). Few n-grams are (a tenth or
        less), so their own table stays in the cache, where `of` reads the whole table's; preparing a
        report for alignment asks this at every position."""
        return self.over(k).has(h)

    def over(self, k: int) -> BucketIndex:
        """The n-grams used by more than `k` teams (built once: before forking, workers share it)."""
        if k not in self._over:
            self._over[k] = BucketIndex(self.hashes[self.counts > k])
        return self._over[k]


def _count(sets: Sequence[np.ndarray]) -> Table:
    """(sorted unique hashes, in how many of `sets` each is); each set sorted unique."""
    return _counted(np.concatenate(sets) if sets else np.zeros(0, np.uint32))


def _counted(flat: np.ndarray) -> Table:
    """`_count` of the sets laid end to end in `flat`, which is sorted in place: np.unique would sort a
    copy and build more temporaries."""
    if not len(flat):
        return flat.copy(), np.zeros(0, np.int64)
    flat.sort()
    first = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    counts = np.diff(np.append(first, len(flat)))
    return flat[first], counts


def _count_teams(grams: dict[str, np.ndarray], teams: dict[str, list[str]], labels: Sequence[str]) -> Table:
    """`_count` over each team's n-gram set: the union of its files' sets (a team's PDF and PPT count
    once). The unions go straight into one buffer: thousands of small arrays alive at once would leave
    the heap (and the peak memory) hundreds of MB larger."""
    flat = np.empty(sum(len(grams[k]) for t in labels for k in teams[t]), np.uint32)
    at = 0
    for label in labels:
        parts = [grams[k] for k in teams[label]]
        union = parts[0] if len(parts) == 1 else sorted_unique(np.concatenate(parts), True)
        flat[at : at + len(union)] = union
        at += len(union)
    return _counted(flat[:at])


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
            added = _count_teams({k: g[side] for k, g in grams.items()}, teams, now)
            old = {k: stored.grams[k][side] for t in before for k in stored.teams[t] if k in stored.grams}
            if any(k not in stored.grams for t in before for k in stored.teams[t]):
                break
            got = _updated(table, added, _count_teams(old, stored.teams, before))
            if got is None:
                break
            out.append(got)
        else:
            return out[0], out[1]
        log.warning("similarity frequency tables out of step with their texts; counting them anew")
    labels = list(teams)
    # the two tables at once: their large sorts release the GIL, so two threads use both cores
    with ThreadPoolExecutor(2) as pool:
        seed, passage = pool.map(lambda side: _count_teams({k: g[side] for k, g in grams.items()}, teams, labels),
                                 (0, 1))
    return seed, passage


def corpus_index(pages_list: Sequence[Sequence[str]], labels: Sequence[str], state_dir: Path | None
                 ) -> tuple[list[Grams], DocFreq, DocFreq]:
    """Each report's (seed, passage) n-grams, and the seed and passage frequency tables over teams
    (`labels`: the team of each report), from the state where the texts are unchanged."""
    stored = read_state(state_dir, FEATURE_VERSION)
    keys = [text_key(p) for p in pages_list]
    grams: dict[str, Grams] = {}
    todo: dict[str, Sequence[str]] = {}
    for k, pages in zip(keys, pages_list, strict=True):
        if k not in grams and k not in todo:
            got = stored.grams.get(k)
            if got is None:
                todo[k] = pages
            else:
                grams[k] = got
    fresh = list(todo)
    grams.update(_hashed(fresh, [todo[k] for k in fresh]))
    teams: dict[str, list[str]] = {}
    for k, label in zip(keys, labels, strict=True):
        teams.setdefault(label, []).append(k)
    teams = {t: sorted(set(ks)) for t, ks in teams.items()}
    seed, passage = _tables(stored, grams, teams)
    if fresh or teams != stored.teams or len(grams) != len(stored.grams):
        write_state(state_dir, FEATURE_VERSION, stored, grams, teams, seed, passage)
    n = len(teams)
    return [grams[k] for k in keys], DocFreq(*seed, n), DocFreq(*passage, n)


def _hashed(keys: Sequence[str], pages_list: Sequence[Sequence[str]]) -> dict[str, Grams]:
    """`report_ngrams` of each text, `_PACK` texts a job, on both cores when there are many (parallel.py).
    The n-grams go into two shared arrays, each job its own region (as long as its texts' raw text: the
    normalised one is never longer), its texts one after the other, and the texts' sets are views of
    them: only lengths come back from the workers, and thousands of small arrays do not scatter over
    the heap."""
    spans = [(a, min(len(keys), a + _PACK)) for a in range(0, len(keys), _PACK)]
    bound = [sum(sum(len(p or "") for p in pages) + len(pages) for pages in pages_list[a:b]) for a, b in spans]
    region = np.concatenate(([0], np.cumsum(bound, dtype=np.int64)))
    seed_buf, passage_buf = shared_array(int(region[-1])), shared_array(int(region[-1]))

    def job(i: int) -> np.ndarray:
        lens = np.zeros((spans[i][1] - spans[i][0], 2), np.int64)
        s_at = p_at = int(region[i])
        for n, k in enumerate(range(*spans[i])):
            seed, passage = report_ngrams(pages_list[k])
            seed_buf[s_at : s_at + len(seed)] = seed
            passage_buf[p_at : p_at + len(passage)] = passage
            s_at, p_at = s_at + len(seed), p_at + len(passage)
            lens[n] = len(seed), len(passage)
        return lens

    out: dict[str, Grams] = {}
    for i, lens in enumerate(fork_map(job, len(spans), min_jobs=_PARALLEL_TEXTS // _PACK)):
        s_end, p_end = region[i] + np.cumsum(lens[:, 0]), region[i] + np.cumsum(lens[:, 1])
        for k, se, sl, pe, pl in zip(keys[spans[i][0] : spans[i][1]], s_end.tolist(), lens[:, 0].tolist(),
                                     p_end.tolist(), lens[:, 1].tolist(), strict=True):
            out[k] = (seed_buf[se - sl : se], passage_buf[pe - pl : pe])
    return out


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
    best = _Best(n, min_score)
    if len(queries) == n:  # a full rebuild: each pair once, the upper triangle (half the work)
        at = np.empty(len(cols), post.data.dtype)  # position in the posting lists of each entry of `cols`
        at[post.data - 1] = np.arange(len(cols), dtype=post.data.dtype)
        del post
        _upper(indptr, cols, at, post_ptr, post_rows, weight, inv, groups, best)
    else:
        del post
        q = np.asarray(queries, dtype=np.int64)
        own = _Own(groups)
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
        g = self.groups[rows]
        lens = self.ptr[g + 1] - self.ptr[g]
        members = self.by_group[_ranges(self.ptr[g], lens)]
        local = np.repeat(np.arange(len(rows)), lens)
        at = members >= first
        return local[at], members[at] - first


class _Best:
    """Per report: the best other report (cosine, which), the second-best cosine, and every pair at or
    above `min_score`, gathered from blocks of scores in any order."""

    def __init__(self, n: int, min_score: float):
        self.v1, self.v2 = np.zeros(n), np.zeros(n)
        self.i1 = np.full(n, -1, np.int64)
        self.min_score = min_score
        self.pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def update(self, rows: np.ndarray, scores: np.ndarray, first: int, by_column: bool = False) -> None:
        """Scores of `rows` (global) against the columns first, first + 1, ...; with `by_column`, `scores`
        holds the rows as its columns (the transpose, read without copying it)."""
        axis = 0 if by_column else 1
        if not scores.shape[1 - axis]:
            return
        k = np.arange(len(rows))
        j1 = scores.argmax(axis=axis)
        cell = (j1, k) if by_column else (k, j1)
        w1 = scores[cell]
        scores[cell] = -1.0
        w2 = np.maximum(scores.max(axis=axis), 0.0) if scores.shape[axis] > 1 else np.zeros(len(rows))
        scores[cell] = w1
        v1, v2 = self.v1[rows], self.v2[rows]
        take = w1 > v1
        self.v2[rows] = np.where(take, np.maximum(v1, w2), np.maximum(v2, w1))
        self.v1[rows] = np.where(take, w1, v1)
        self.i1[rows] = np.where(take, j1 + first, self.i1[rows])
        hot = np.flatnonzero(w1 >= self.min_score)  # only these rows hold pairs over the threshold
        if len(hot):
            part = scores[:, hot] if by_column else scores[hot]
            r, c = np.nonzero(part >= self.min_score)
            if by_column:
                r, c = c, r
            self.pairs.append((rows[hot[r]], c + first, part[(c, r) if by_column else (r, c)]))

    def merge(self, later: _Best) -> None:
        """Takes in the stats another `_Best` gathered from later blocks (as if it had seen them itself)."""
        take = later.v1 > self.v1
        self.v2 = np.where(take, np.maximum(self.v1, later.v2), np.maximum(self.v2, later.v1))
        self.v1 = np.where(take, later.v1, self.v1)
        self.i1 = np.where(take, later.i1, self.i1)
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
           weight: np.ndarray, inv: np.ndarray, groups: np.ndarray, best: _Best) -> None:
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
    own = _Own(groups)
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
        part = _Best(n, best.min_score)
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
