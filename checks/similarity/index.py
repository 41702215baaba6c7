"""The corpus index: each report's n-gram sets and the document frequencies that tell copied passages
from wording many reports share (the candidate search over them is scoring.py).

Seed n-grams are 5-gram hashes of the normalised text, passage n-grams 10-grams. Per-report n-gram sets
and the frequency tables are persisted in `state_dir` (state.py), keyed by the text itself, so a nightly
run re-reads the archive and counts only the teams that changed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .hashset import BucketIndex
from .parallel import fork_map, shared_array
from .state import STATE_FILE, Grams, Stored, Table, read_state, write_state
from .text import COMMON_N, NGRAM, normalized_codepoints, seed_and_passage_hashes

__all__ = ["STATE_FILE", "DocFreq", "corpus_index", "corpus_ngrams", "doc_freq", "load_state", "text_key"]

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
