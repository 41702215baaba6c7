"""The candidate index: blocked posting-list scores equal a brute-force cosine, and the persisted frequency
tables, updated by the changed teams only, equal tables counted anew."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from checks.similarity import index, scoring
from checks.similarity.index import STATE_FILE, corpus_index, doc_freq, report_ngrams
from checks.similarity.scoring import candidates, shared_rare
from checks.similarity.text import (
    COMMON_N,
    ngram_hashes,
    normalize_pages,
    normalized_codepoints,
    seed_and_passage_hashes,
)
from pipeline.samples.report_text import make_report

TRADES = ["钢筋", "混凝土", "测量", "防水", "幕墙"]


def _pages(rng: random.Random, n: int) -> list[list[str]]:
    out = [make_report(rng, team=f"{rng.choice(TRADES)}班组", company=f"公司{i}", year=2024) for i in range(n)]
    for i in range(0, n - 1, 5):  # some copy part of another, so that scores spread out
        src = out[rng.randrange(n)]
        out[i + 1] = out[i + 1][:2] + src[2:]
    return out


@pytest.fixture(scope="module")
def pages() -> list[list[str]]:
    return _pages(random.Random(11), 40)


def _brute(grams, group_of, queries, df, cand_df, top_k, min_score, clear_floor, clear_margin):
    """Dense cosine over the same features: the definition the blocked search must meet."""
    if len(queries) * 2 < len(grams):
        vocab = np.unique(np.concatenate([grams[q] for q in queries]))
        counts = df.of(vocab)
    else:
        vocab, counts = df.hashes, df.counts
    keep = (counts >= 2) & (counts <= cand_df)
    vocab, idf = vocab[keep], np.log(df.groups / counts[keep]) + 1.0
    x = np.array([np.isin(vocab, g) * idf for g in grams])
    norms = np.linalg.norm(x, axis=1)
    norms[norms == 0] = 1.0
    s = (x / norms[:, None]) @ (x / norms[:, None]).T
    groups = np.asarray(group_of)
    out, runner = {}, {}
    for q in queries:
        row = np.where(groups == groups[q], 0.0, s[q])
        order = np.argsort(-row, kind="stable")
        best = row[order[0]]
        second = row[groups != groups[order[0]]].max()  # another team's best: the best's own slides are no second source
        if best <= 0:
            continue
        runner[q] = second
        if clear_floor <= best < min_score and best >= clear_margin * second:
            out[(q, int(order[0]))] = best
        for j in order[:top_k]:
            if row[j] >= min_score:
                out[(q, int(j))] = row[j]
    return out, runner


@pytest.mark.parametrize("nightly", [False, True])
def test_blocked_scores_equal_brute_force_cosine(pages: list[list[str]], nightly: bool,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "_BLOCK_CELLS", 90)  # blocks of two queries: every block boundary is crossed
    monkeypatch.setattr(scoring, "_CHUNK", 7000)  # n-grams looked up a few reports at a time
    grams = [report_ngrams(p)[0] for p in pages]
    group_of = [i // 2 if i < 10 else i for i in range(len(pages))]  # some teams hand in two files
    queries = list(range(30, 40)) if nightly else list(range(len(pages)))
    df = doc_freq(grams, group_of)
    kw = {"cand_df": 6, "top_k": 3, "min_score": 0.15, "clear_floor": 0.05, "clear_margin": 1.5}
    runner: dict[int, float] = {}
    got = candidates(grams, group_of, queries, df, runner_up=runner, **kw)
    want, want_runner = _brute(grams, group_of, queries, df, **kw)
    assert len(want) > len(queries)  # the corpus does score: copies above min_score, more than one each
    assert {(q, o) for q, o, _ in got} == set(want)
    assert len(got) == len(want)  # no pair twice
    for q, o, v in got:
        assert v == pytest.approx(want[(q, o)], abs=1e-5)
        assert group_of[q] != group_of[o]
    assert runner.keys() == want_runner.keys()
    assert all(runner[q] == pytest.approx(want_runner[q], abs=1e-5) for q in runner)


def _tables(pages: list[list[str]], labels: list[str], state: Path | None):
    grams, seed, passage = corpus_index(pages, labels, state)
    return [g for pair in grams for g in pair], (seed.hashes, seed.counts, seed.groups), (
        passage.hashes, passage.counts, passage.groups)


def _same(a, b) -> None:
    assert len(a[0]) == len(b[0]) and all(np.array_equal(x, y) for x, y in zip(a[0], b[0], strict=True))
    for ta, tb in ((a[1], b[1]), (a[2], b[2])):
        assert np.array_equal(ta[0], tb[0]) and np.array_equal(ta[1], tb[1]) and ta[2] == tb[2]


def test_tables_updated_by_changed_teams_equal_tables_counted_anew(pages: list[list[str]], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "_INCREMENTAL", 1.0)  # always update, however many teams changed
    monkeypatch.setattr(index, "_PACK", 7)  # n-grams packed a few reports at a time
    state = tmp_path / "similarity"
    labels = [f"2023|T{i // 2 if i < 10 else i}" for i in range(30)]  # five teams with two files
    first = _tables(pages[:30], labels, state)
    _same(first, _tables(pages[:30], labels, None))
    # the next night: three teams gone, ten new ones, one team's text changed, one team adds a file, a
    # report moved to another team
    new_pages = pages[:30] + pages[30:]
    new_labels = labels + [f"2024|N{i}" for i in range(10)]
    new_pages[12] = pages[35][::-1]
    new_labels[20] = "2023|T0"
    new_pages.append(pages[31])
    new_labels.append("2023|T14")
    keep = [i for i, lb in enumerate(new_labels) if lb not in ("2023|T15", "2023|T16", "2023|T3")]
    night_pages, night_labels = [new_pages[i] for i in keep], [new_labels[i] for i in keep]
    data_before = sorted(p.name for p in state.glob("*.bin"))
    night = _tables(night_pages, night_labels, state)
    _same(night, _tables(night_pages, night_labels, None))
    assert sorted(p.name for p in state.glob("*.bin")) == data_before  # appended to, not rewritten
    # then almost everything replaced: the data file is written anew, the stale one removed
    other = _pages(random.Random(12), 12)
    later = _tables(other + night_pages[:2], [f"2025|M{i}" for i in range(12)] + night_labels[:2], state)
    _same(later, _tables(other + night_pages[:2], [f"2025|M{i}" for i in range(12)] + night_labels[:2], None))
    assert len(list(state.glob("*.bin"))) == 1 and sorted(p.name for p in state.glob("*.bin")) != data_before


def test_interrupted_or_damaged_data_file(pages: list[list[str]], tmp_path: Path) -> None:
    state = tmp_path / "similarity"
    labels = [f"2024|T{i}" for i in range(20)]
    want = _tables(pages[:20], labels, None)
    _same(_tables(pages[:20], labels, state), want)
    (data,) = state.glob("*.bin")
    with open(data, "ab") as f:  # a run that appended and died before naming it: the tail is ignored
        f.write(np.arange(1000, dtype="<u4").tobytes())
    _same(_tables(pages[:20], labels, state), want)
    _same(_tables(pages[:25], labels + [f"2024|T{i}" for i in range(20, 25)], state),
          _tables(pages[:25], labels + [f"2024|T{i}" for i in range(20, 25)], None))
    data.write_bytes(data.read_bytes()[:400])  # cut short: rebuilt from the texts
    _same(_tables(pages[:20], labels, state), want)
    (state / STATE_FILE).write_bytes(b"no npz")
    _same(_tables(pages[:20], labels, state), want)
    assert len(list(state.glob("*.bin"))) == 1


def test_seed_and_passage_hashes_equal_the_hashes_of_the_text(pages: list[list[str]]) -> None:
    for p in [*pages[:5], ["短"], ["𠀀𠀁ａｂｃ，。\n一二三四五六七八九十", "", "ＡＢＣ１２３ ４５６"]]:
        text = normalize_pages(p).text
        seed, passage = seed_and_passage_hashes(normalized_codepoints(p))
        assert np.array_equal(seed, ngram_hashes(text)) and np.array_equal(passage, ngram_hashes(text, COMMON_N))


def test_shared_rare_counts_each_pairs_common_rare_passage_ngrams(pages: list[list[str]]) -> None:
    passages = [report_ngrams(p)[1] for p in pages]
    df = doc_freq(passages, list(range(len(pages))))
    pairs = [(i, j) for i in range(0, 40, 3) for j in range(1, 40, 4) if i != j]
    got = shared_rare(passages, pairs, df, 3)
    want = [int((df.of(np.intersect1d(passages[i], passages[j])) <= 3).sum()) for i, j in pairs]
    assert got.tolist() == want and max(want) > 40  # copies share long stretches of rare wording
