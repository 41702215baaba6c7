"""A flagged copy is followed to its edges: where OCR noise and edits leave the first pass only the
middle of a copied block, the block grows outwards sentence by sentence, never before the flag is decided
and never into the same template filled in by another team; an OCR'd full stop ends a sentence; a
paraphrased block is one passage across the sentences rewritten beyond recognition."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from checks.similarity import Settings, find_flags
from checks.similarity.align import Passage
from checks.similarity.densify import densify_both
from checks.similarity.evidence import build_evidence
from checks.similarity.text import normalize_pages, sentences
from core.model import Flag
from pipeline.samples.plagiarism import Corpus
from pipeline.samples.report_text import make_report

from .test_densify import _copied_share, _report, _sides


@pytest.fixture(scope="module")
def without_growth(corpus: Corpus) -> list[Flag]:
    return find_flags(corpus.reports(), corpus.year, settings=dataclasses.replace(Settings(), grow_rounds=0))


def test_ocr_copies_are_shown_to_their_edges(corpus: Corpus, flags: list[Flag], without_growth) -> None:
    before = _copied_share(corpus, without_growth, "ocr")
    after = _copied_share(corpus, flags, "ocr")
    assert after >= before + 0.02, f"OCR'd copy highlighted {before:.0%} -> {after:.0%}"


def test_growth_never_changes_which_pairs_are_flagged(flags: list[Flag], without_growth) -> None:
    assert {f.flag_id for f in flags} == {f.flag_id for f in without_growth}


def test_an_ocr_full_stop_ends_a_sentence_but_a_decimal_point_does_not() -> None:
    nt = normalize_pages(["时间:2024年6月22日.确认标准：设备完好率84.5%.班组抽查30点．对症结影响程度大"])
    got = [nt.text[s:e] for s, e in sentences(nt)]
    assert got == ["时间2024年6月22日", "确认标准设备完好率845", "班组抽查30点", "对症结影响程度大"]


def _smudged(line: str) -> str:
    """Every ninth character misread where it is a Chinese character (figures and punctuation kept): no
    identical run of 13 characters is left, the sentence is still plainly the same."""
    return "".join("囗" if k % 9 == 4 and "\u4e00" <= ch <= "\u9fff" else ch for k, ch in enumerate(line))


def test_a_block_anchored_in_its_middle_grows_to_its_edges() -> None:
    rng = random.Random(4)
    src = make_report(rng, team="钢筋班组", company="甲建设有限公司", year=2024, topic="钢筋")
    own = make_report(rng, team="模板班组", company="乙建设有限公司", year=2024, topic="模板")
    body = [ln for p in src[1:] for ln in p.split("\n")]
    lines = body[len(body) // 3 : len(body) // 3 + 16]  # a contiguous block of the source
    copier = [own[0], own[1], "\n".join(_smudged(ln) for ln in lines), own[2]]
    a, b = _sides([_report(0, copier), _report(1, src)])
    mid = normalize_pages([_smudged(lines[8])]).text
    a0, b0 = a.nt.text.find(mid), b.nt.text.find(normalize_pages([lines[8]]).text)
    assert a0 >= 0 and b0 >= 0
    anchor = [Passage(a0, a0 + len(mid), b0, b0 + len(mid), "run", [(a0, b0)])]
    block = normalize_pages(["\n".join(_smudged(ln) for ln in lines)]).text
    lo = a.nt.text.find(block)

    def reached(rounds: int) -> float:
        got = densify_both(a, b, anchor, rounds=rounds, anchored=True)
        cover = {k for p in got + anchor for k in range(p.a_start, p.a_end)}
        return len(cover & set(range(lo, lo + len(block)))) / len(block)

    one, six = reached(1), reached(6)
    assert one < 0.6 and six >= 0.75 and six >= one + 0.2, (one, six)


def test_a_long_passage_goes_on_across_a_rewritten_hole_of_the_same_size() -> None:
    a, b = normalize_pages(["甲" * 1400]), normalize_pages(["乙" * 1400])
    none = np.zeros(1400, bool)
    # a paraphrased block: found in three stretches, 200-300 characters rewritten between them on both sides
    found = [Passage(0, 300, 50, 350, "run"), Passage(550, 800, 620, 870, "fuzzy"), Passage(1100, 1300, 1150, 1350, "run")]
    assert len(build_evidence(a, b, found, none)) == 1
    # holes of unlike size (another block of the source), or a short piece before the hole: apart
    assert len(build_evidence(a, b, [Passage(0, 300, 50, 350, "run"), Passage(550, 800, 1000, 1250, "run")], none)) == 2
    assert len(build_evidence(a, b, [Passage(0, 100, 50, 150, "run"), Passage(350, 600, 400, 650, "run")], none)) == 2
