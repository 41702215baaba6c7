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


def candidates(
    grams: Sequence[np.ndarray],
    group_of: Sequence[int],
    queries: Sequence[int],
    df: DocFreq,
    *,
    cand_df: int,
    top_k: int,
    min_score: float,
    block: int = 512,
    clear_floor: float = 1.0,
    clear_margin: float = 2.0,
    runner_up: dict[int, float] | None = None,
) -> list[tuple[int, int, float]]:
    """(query, other, cosine) for each query's top-k most similar reports of other groups, plus its best
    one below `min_score` when that reaches `clear_floor` and `clear_margin` times the next (a rewritten
    copy keeps less rare wording, but still far more with its source than with anything else).
    `runner_up`, when given, receives each query's second-best cosine."""
    if len(queries) * 2 < len(grams):  # nightly: only the new reports' n-grams can score
        vocab = sorted_unique(np.concatenate([grams[q] for q in queries]))
        counts = df.of(vocab)
    else:
        vocab, counts = df.hashes, df.counts
    keep = (counts >= 2) & (counts <= cand_df)
    vocab = vocab[keep]
    idf = np.log(df.groups / counts[keep]).astype(np.float32) + 1.0
    rows, cols = [], []
    for r, g in enumerate(grams):
        j = np.searchsorted(vocab, g)
        j = np.minimum(j, max(len(vocab) - 1, 0))
        hit = vocab[j] == g if len(vocab) else np.zeros(len(g), bool)
        cols.append(j[hit])
        rows.append(np.full(int(hit.sum()), r, dtype=np.int32))
    if not len(vocab):
        return []
    ci = np.concatenate(cols)
    ri = np.concatenate(rows)
    x = sparse.csr_matrix((idf[ci], (ri, ci)), shape=(len(grams), len(vocab)), dtype=np.float32)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = sparse.diags(1.0 / norms).astype(np.float32) @ x
    xt = x.T.tocsr()
    groups = np.asarray(group_of)
    out: list[tuple[int, int, float]] = []
    q = np.asarray(queries, dtype=np.int64)
    for start in range(0, len(q), block):
        qb = q[start : start + block]
        s = (x[qb] @ xt).tocsr()
        for n, qi in enumerate(qb):
            lo, hi = s.indptr[n], s.indptr[n + 1]
            idx, val = s.indices[lo:hi], s.data[lo:hi]
            other = groups[idx] != groups[qi]
            idx, val = idx[other], val[other]
            if len(val):
                top2 = np.sort(val[np.argpartition(-val, min(1, len(val) - 1))[:2]])[::-1]
                best, second = float(top2[0]), float(top2[1]) if len(top2) > 1 else 0.0
                if runner_up is not None:
                    runner_up[int(qi)] = second
                if clear_floor <= best < min_score and best >= clear_margin * second:
                    out.append((int(qi), int(idx[int(np.argmax(val))]), best))
            ok = val >= min_score
            idx, val = idx[ok], val[ok]
            if len(idx) > top_k:
                part = np.argpartition(-val, top_k)[:top_k]
                idx, val = idx[part], val[part]
            out.extend((int(qi), int(j), float(v)) for j, v in zip(idx, val, strict=True))
    return out
