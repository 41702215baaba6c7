"""Candidate search: TF-IDF over rare character n-grams with a blocked sparse top-k, plus the document
frequencies that tell copied passages from wording many reports share.

Features are 5-gram hashes of the normalised text; only n-grams found in 2..`cand_df` teams are weighed
(an n-gram of one team cannot link two, one of many teams is common wording), which keeps the sparse
products small: no dense N×N matrix is ever built. Per-report n-gram sets are persisted in `state_dir`
keyed by the text itself, so a nightly run re-reads the archive instead of recomputing it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from .text import COMMON_N, NGRAM, ngram_hashes, normalize_pages

log = logging.getLogger(__name__)
FEATURE_VERSION = f"sim-v2-n{NGRAM}-c{COMMON_N}"
STATE_FILE = "ngrams.npz"


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


def report_ngrams(pages: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique seed n-grams (candidate features) and passage n-grams (for common wording)."""
    text = normalize_pages(list(pages)).text
    return sorted_unique(ngram_hashes(text)), sorted_unique(ngram_hashes(text, COMMON_N))


def load_state(state_dir: Path | None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """key -> (seed n-grams, passage n-grams); {} when there is no state or it is unreadable (rebuild)."""
    if state_dir is None:
        return {}
    path = Path(state_dir) / STATE_FILE
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["version"]) != FEATURE_VERSION:
                return {}
            keys = json.loads(str(z["keys"]))
            offsets, split, data = z["offsets"], z["split"], z["data"]
            if len(offsets) != len(keys) + 1 or offsets[-1] != len(data) or len(split) != len(keys):
                raise ValueError("inconsistent state")
            return {
                k: (data[offsets[i] : split[i]], data[split[i] : offsets[i + 1]]) for i, k in enumerate(keys)
            }
    except FileNotFoundError:
        return {}
    except Exception as exc:  # corrupted or foreign file: rebuild from the texts
        log.warning("similarity state %s unreadable (%s); rebuilding", path, exc)
        return {}


def save_state(state_dir: Path | None, grams: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    if state_dir is None:
        return
    state_dir = Path(state_dir)
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        keys = list(grams)
        sizes = np.array([len(grams[k][0]) + len(grams[k][1]) for k in keys], dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(sizes)))
        split = offsets[:-1] + np.array([len(grams[k][0]) for k in keys], dtype=np.int64)
        parts = [a for k in keys for a in grams[k]]
        data = np.concatenate(parts) if parts else np.zeros(0, np.uint32)
        tmp = state_dir / (STATE_FILE + ".tmp.npz")
        np.savez(tmp, version=FEATURE_VERSION, keys=json.dumps(keys), offsets=offsets, split=split, data=data)
        tmp.replace(state_dir / STATE_FILE)
    except OSError as exc:  # a read-only or full disk costs speed, never the run
        log.warning("similarity state not saved to %s: %s", state_dir, exc)


def corpus_ngrams(
    pages_list: Sequence[Sequence[str]], state_dir: Path | None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(seed, passage) n-gram hash sets of every report, from the state where the text is unchanged."""
    state = load_state(state_dir)
    keys = [text_key(p) for p in pages_list]
    out: list[tuple[np.ndarray, np.ndarray]] = []
    fresh = 0
    for k, pages in zip(keys, pages_list, strict=True):
        g = state.get(k)
        if g is None:
            g = report_ngrams(pages)
            fresh += 1
        out.append(g)
    if fresh or len(state) != len(set(keys)):
        save_state(state_dir, dict(zip(keys, out, strict=True)))
    return out


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


def doc_freq(grams: Sequence[np.ndarray], group_of: Sequence[int]) -> DocFreq:
    """Document frequency over groups (a team's PDF and PPT count once)."""
    by_group: dict[int, list[np.ndarray]] = {}
    for g, arr in zip(group_of, grams, strict=True):
        by_group.setdefault(g, []).append(arr)
    parts = [a[0] if len(a) == 1 else sorted_unique(np.concatenate(a)) for a in by_group.values()]
    if not parts:
        return DocFreq(np.zeros(0, np.uint32), np.zeros(0, np.int64), 0)
    h, c = np.unique(np.concatenate(parts), return_counts=True)
    return DocFreq(h, c, len(by_group))


_BUCKET_BITS = 24  # 16M-entry table (16 MB) on the hashes' high bits: a cheap first test of membership
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
    rows = np.searchsorted(np.cumsum(lens), pos, side="right")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(grams)))))
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
