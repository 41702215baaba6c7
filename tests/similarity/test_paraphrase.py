"""Real paraphrase (pairs of sentences people wrote to say the same thing) is found, and reports that only
share a subject are not flagged; sentences go on across wrapped lines."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from checks.similarity import find_flags
from checks.similarity.paraphrase import folded, synonym_class
from checks.similarity.text import normalize_pages, sentences
from pipeline.samples.paraphrase import load_pairs
from pipeline.samples.plagiarism import Corpus, make_corpus

FILES = ("afqmc_train_paraphrase.tsv", "oppo_xiaobu_dev_paraphrase.tsv", "snli_test_entailment.tsv")


@pytest.fixture(scope="module")
def corpus(realdata: Path) -> Corpus:
    pairs = load_pairs(realdata / "paraphrase" / f for f in FILES)
    assert len(pairs) > 4000
    return make_corpus(random.Random(8), background=70, prior=0, paraphrase_pairs=pairs,
                       counts={"paraphrase": 3, "real_independent": 2, "template_only": 3})


@pytest.fixture(scope="module")
def flags(corpus: Corpus):
    return find_flags(corpus.reports(), corpus.year)


def _pairs(corpus: Corpus, flags) -> dict[frozenset[int], object]:
    tid = {t.team_id: i for i, t in enumerate(corpus.teams)}
    return {frozenset((tid[f.a.team_id], tid[f.b.team_id])): f for f in flags}


def test_paraphrased_copies_are_flagged_with_their_passages(corpus, flags):
    flagged = _pairs(corpus, flags)
    for case in corpus.cases:
        f = flagged.get(frozenset((case.copier, case.source)))
        assert f is not None, f"paraphrase copy {case.copier} <- {case.source} missed"
        pdf = [e for e in f.evidence if e.a_file.endswith(".pdf") and e.b_file.endswith(".pdf")]
        copied = sum(ce - cs for _, cs, ce, _, _, _ in case.passages)
        shown = sum(b - a for e in pdf for a, b in e.a_spans)
        assert shown >= 0.4 * copied  # most of the rewritten block is shown, not a sentence or two
        biggest = max(sum(b - a for a, b in e.a_spans) for e in pdf)
        assert biggest >= 0.25 * copied, [sum(b - a for a, b in e.a_spans) for e in pdf]  # whole passages


def test_subject_twins_and_template_twins_are_not_flagged(corpus, flags):
    flagged = _pairs(corpus, flags)
    truth = {frozenset((c.copier, c.source)) for c in corpus.cases}
    assert not [p for p in corpus.real_pairs if frozenset(p) in flagged]  # same data set, other sentences
    assert not [p for p in corpus.template_pairs if frozenset(p) in flagged]
    assert set(flagged) <= truth  # and nothing else either


def test_synonyms_fold_to_one_class():
    syn = synonym_class()
    assert len(syn) > 30000  # the thesaurus ships with the package: nothing downloaded
    assert folded(["采用", "钢筋"]) == folded(["使用", "钢筋"])
    assert folded(["明显"]) == folded(["显著"]) and folded(["的", "了", "吗"]) == []


def test_a_sentence_goes_on_across_wrapped_lines_but_not_after_headings_or_table_rows():
    one = normalize_pages(["一、班组概况\n本班组成立于2019年，现有成员12人，主要承担\n钢筋工程施工。第二句。\n"
                           "1 孔晨林 男 48 技校 班组长\n2 吕欣芳 男 27 高中 机械员"])
    other = normalize_pages(["一、班组概况\n本班组成立于2019年，现有成员12人，主要\n承担钢筋工程施工。第二句。"])
    texts = [one.text[s:e] for s, e in sentences(one)]
    assert texts[:3] == ["一班组概况", "本班组成立于2019年现有成员12人主要承担钢筋工程施工", "第二句"]
    assert texts[3:] == ["1孔晨林男48技校班组长", "2吕欣芳男27高中机械员"]
    assert [other.text[s:e] for s, e in sentences(other)] == texts[:3]  # wrapped elsewhere: the same
    assert np.all(np.diff(one.sent_id) >= 0)
