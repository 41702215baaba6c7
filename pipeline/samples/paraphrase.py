"""Paraphrased copies built from real paraphrase pairs (human-labelled "same meaning" sentence pairs).

A copier who rewrites a copied block sentence by sentence leaves almost no identical run of characters;
the generator's own synonym swaps (plagiarism.light_edit) are too kind to a detector. Here a block of the
source report is made of real first sentences of pairs and the copier's block of the matching second
sentences, so word order, particles and synonyms change the way people really change them. The same
pairs also make independent reports on one subject: two reports holding different sentences of one data
set (all about one app, say) share much vocabulary and must still not be flagged.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from pathlib import Path

from pipeline.samples.report_text import HEADINGS

_END = "。！？；!?;"


def load_pairs(paths: Iterable[Path], *, min_chars: int = 8) -> list[tuple[str, str]]:
    """(sentence, its paraphrase) from tab-separated files with a header row; identical pairs dropped."""
    out: list[tuple[str, str]] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(rows, None)
            for row in rows:
                if len(row) >= 2:
                    s1, s2 = row[0].strip(), row[1].strip()
                    if s1 != s2 and len(s1) >= min_chars and len(s2) >= min_chars:
                        out.append((s1, s2))
    return out


class PairPool:
    """Pairs handed out once each, so that no two reports share a sentence by accident."""

    def __init__(self, pairs: list[tuple[str, str]], rng: random.Random):
        self.pairs = list(pairs)
        rng.shuffle(self.pairs)

    def take(self) -> tuple[str, str]:
        if not self.pairs:
            raise ValueError("paraphrase pairs exhausted: ask for fewer paraphrase cases")
        return self.pairs.pop()

    def lines(self, lengths: list[int]) -> list[tuple[str, str]]:
        """One (original line, paraphrased line) per wanted length, sentence by sentence."""
        out = []
        for want in lengths:
            orig, para = [], []
            while sum(map(len, orig)) < want:
                s1, s2 = self.take()
                orig.append(_sentence(s1))
                para.append(_sentence(s2))
            out.append(("".join(orig), "".join(para)))
        return out


def _sentence(s: str) -> str:
    return s if s[-1] in _END else s + "。"


def body_lines(pages: list[str]) -> list[str]:
    """The report's lines after the title page, headings included."""
    return [ln for p in pages[1:] for ln in p.split("\n") if ln]


def block_of(rng: random.Random, lines: list[str], fraction: float) -> tuple[int, int]:
    """[start, end) of a contiguous run of non-heading lines covering about `fraction` of the body."""
    body = [k for k, ln in enumerate(lines) if ln not in HEADINGS]
    total = sum(len(lines[k]) for k in body)
    start = rng.randrange(0, max(1, len(body) // 3))
    got, end = 0, start
    while end < len(body) and got < fraction * total:
        got += len(lines[body[end]])
        end += 1
    return body[start], body[end - 1] + 1
