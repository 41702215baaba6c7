"""Sorted n-gram hash tables looked up through a table of where each bucket of high bits starts.

Alignment asks, at every position of every compared report, how many teams use its n-gram (or only
whether it is one of a class: rare, common, boilerplate). A binary search in a table of millions costs
about twenty cache misses per hash; hashes are uniform, so a bucket of the high bits holds about one
entry and a lookup is a few probes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BucketIndex"]


class BucketIndex:
    """Where each hash of a sorted unique uint32 array is, found through its bucket of high bits."""

    def __init__(self, hashes: np.ndarray):
        self.hashes = hashes
        bits = int(min(24, max(8, np.ceil(np.log2(max(len(hashes), 1))))))
        self.shift = np.uint32(32 - bits)
        per = np.bincount(hashes >> self.shift, minlength=1 << bits)
        self.start = np.concatenate(([0], np.cumsum(per))).astype(np.int64)

    def find(self, h: np.ndarray) -> np.ndarray:
        """Index in `hashes` of each hash of `h`, -1 where it is not there."""
        out = np.full(len(h), -1, np.int64)
        if not len(self.hashes) or not len(h):
            return out
        h = np.asarray(h, dtype=np.uint32)
        b = h >> self.shift
        lo = self.start[b]
        size = self.start[b + 1] - lo
        todo = np.flatnonzero(size)
        k = 0
        while len(todo):  # the k-th entry of every bucket still searched, all at once
            at = lo[todo] + k
            hit = self.hashes[at] == h[todo]
            out[todo[hit]] = at[hit]
            k += 1
            todo = todo[~hit & (size[todo] > k)]
        return out

    def has(self, h: np.ndarray) -> np.ndarray:
        """Bool per hash of `h`: in the table."""
        return self.find(h) >= 0
