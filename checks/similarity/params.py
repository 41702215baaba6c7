"""Every threshold of the plagiarism check, one typed set passed in (the caller reads settings, never
checks/)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .align import Params
from .paraphrase import ParaphraseParams

__all__ = ["SimilarityParams"]


@dataclass(frozen=True)
class SimilarityParams:
    """Every threshold of the check, one typed set passed in (the caller reads settings, never checks/);
    chosen with benchmarks/plagiarism.py (see its output for the figures). `align` holds the first
    alignment pass's, `paraphrase` the paraphrase pass's."""

    common_min: int = 5  # an n-gram in at least this many teams ...
    common_frac: float = 0.02  # ... or this share of all teams is common wording, never evidence
    # candidates are weighed on n-grams of at most this many teams: a copy's fingerprint. Wording more teams
    # share is the template's and the subject's; weighed, it buries a copied paragraph under the pairs
    # that merely share a subject (and it costs time)
    cand_df_max: int = 3
    rare_df: int = 3  # n-grams of at most this many teams are a copy's fingerprint
    top_k: int = 10
    min_cosine: float = 0.15
    # a query's best few candidates below min_cosine are still aligned (first pass only, cheap): one copied
    # paragraph moves a report's cosine little, but its source still ranks among the first
    probe_k: int = 3
    probe_floor: float = 0.05
    probe_shared: int = 40  # ... when they share this many 10-grams of at most rare_df teams ...
    probe_window: int = 200  # ... inside this many characters of the query (a copied paragraph packs them)
    min_rare_share: float = 0.055  # flag when the passages hold this share of a report's rare n-grams ...
    min_rare: int = 12  # ... and at least this many of them ...
    min_chars: int = 120  # ... and this many copied characters of A in all;
    min_ratio: float = 0.25  # or: a side's copy ratio reaches this (short reports) with min_rare rare n-grams
    # or: the other report is the query's one clear source (paraphrase.margin above the next candidate on
    # rare n-grams) and the passages hold this share of min_rare_share (and min_rare, min_chars)
    clear_share: float = 0.5
    small_corpus: int = 40  # below this many teams the share needed grows (up to 6x)
    ratio_min_length: int = 400  # a side shorter than this has no meaningful copy ratio
    max_evidence: int = 200  # a reshuffled copy is one piece of evidence per line
    # a pair that only just passes, whose aligned sentences carry different figures throughout, is two
    # teams filling in the same template on the same subject, not a copy (small corpora show it most)
    figures_share: float = 0.085  # below this rare share ...
    figures_min: int = 4  # ... with at least this many figures in the passages ...
    figures_agree: float = 0.4  # ... fewer than this share of them the same on both sides: no flag
    # ... unless the pair is a query's clear source with the full rare share whose passages read at least
    # this alike, figures aside (densify.likeness): edited (or OCR garbled) figures in a copy
    copy_likeness: float = 0.84
    # and not one of this many figures the same, below this rare share, whatever else: a copy keeps some of
    # its source's figures (a copier who changes each of them with even odds keeps one of 8 in 99 %)
    figures_none_min: int = 8
    figures_none_share: float = 0.17
    # one copied paragraph: a single passage with this many of the team's own characters whose figures all
    # agree (another team filling in the same template has its own figures) and this many rare n-grams
    paragraph_own: int = 70
    paragraph_rare: int = 20
    # ... or, fewer rare n-grams (its words the template's), but this many figures, all the source's: its
    # facts are copied (another team's paragraph on the same template carries its own dates and counts)
    paragraph_figures: int = 4
    # ... or a passage of this much running text (table rows and template aside) whose figures (at least
    # align.prose_figures) are all the source's, however common its phrases (align.Params.prose_run)
    paragraph_prose: int = 100
    densify: bool = True  # complete a copy's passages sentence by sentence inside its copied blocks
    # ... and, once the pair is flagged, follow its copied blocks outwards this many rounds (densify.margin
    # each): a copy anchored only in its middle (OCR noise, edits throughout) is shown to its edges
    grow_rounds: int = 6
    align: Params = field(default_factory=Params)
    paraphrase: ParaphraseParams = field(default_factory=ParaphraseParams)
