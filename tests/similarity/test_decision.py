"""The flag decision on one compared pair: what each rule needs, shown on the measurements alone."""

from __future__ import annotations

from checks.similarity import SimilarityParams
from checks.similarity.compared import PairResult
from checks.similarity.decision import flag_of
from core.model import Evidence, ReportText


def _reports() -> list[ReportText]:
    return [ReportText(year=2024, team_id=t, team=f"{t}班组", company=f"{t}公司", file=f"{t}/成果报告.pdf",
                       sha256=t, pages=["正文"]) for t in ("甲", "乙")]


def _pair(**kw) -> PairResult:
    base = {"a": 0, "b": 1, "cosine": 0.3, "ratio_a": 0.05, "ratio_b": 0.05, "chars": 200,
            "evidence": [Evidence(a_page=2, a_text="某段", b_page=2, b_text="某段", chars=40)],
            "rare_chars": 20, "rare_share": 0.04, "figures": (0, 0)}
    return PairResult(**{**base, **kw})


def test_the_clear_source_needs_half_the_rare_share() -> None:
    s = SimilarityParams()
    assert flag_of(_reports(), [_pair(clear=False)], s, groups=600) is None
    assert flag_of(_reports(), [_pair(clear=True)], s, groups=600) is not None
    assert flag_of(_reports(), [_pair(clear=True, rare_share=0.02)], s, groups=600) is None


def test_figures_of_its_own_veto_the_clear_source_too() -> None:
    s = SimilarityParams()
    assert flag_of(_reports(), [_pair(clear=True, figures=(1, 8))], s, groups=600) is None


def test_a_long_stretch_of_running_text_with_the_source_figures_is_a_paragraph_copy() -> None:
    s = SimilarityParams()
    weak = {"rare_chars": 3, "rare_share": 0.005, "chars": 150}
    assert flag_of(_reports(), [_pair(**weak)], s, groups=600) is None
    assert flag_of(_reports(), [_pair(**weak, prose=120)], s, groups=600) is not None
    assert flag_of(_reports(), [_pair(**weak, prose=60)], s, groups=600) is None


def test_the_clear_source_with_the_full_rare_share_is_not_vetoed_on_edited_figures() -> None:
    s = SimilarityParams()
    edited = {"rare_share": 0.07, "figures": (2, 8), "likeness": 0.9}  # a copier changed most figures (or OCR garbled them)
    assert flag_of(_reports(), [_pair(clear=True, **edited)], s, groups=600) is not None
    assert flag_of(_reports(), [_pair(clear=False, **edited)], s, groups=600) is None


def test_the_clear_source_whose_passages_read_otherwise_is_the_same_template_filled_in() -> None:
    """Two teams that chose one rare subject are each other's clear source; their template sentences differ
    in every slot, a copy's only in a few edited words."""
    s = SimilarityParams()
    refilled = {"rare_share": 0.07, "figures": (1, 8), "clear": True}
    assert flag_of(_reports(), [_pair(**refilled, likeness=0.75)], s, groups=600) is None
    assert flag_of(_reports(), [_pair(**refilled, likeness=0.88)], s, groups=600) is not None


def test_only_the_reports_own_clear_pair_spares_edited_figures() -> None:
    """Slides alike by their headings may make the teams' slides a clear pair; the reports (PDF) decide, so
    the veto is lifted only where the reports' own pair is the clear one."""
    s = SimilarityParams()
    edited = {"rare_share": 0.07, "figures": (1, 8), "likeness": 0.9}
    slides = [_pair(clear=True, a=2, b=3, chars=100, **edited)]
    reports = _reports() + [r.model_copy(update={"file": r.file.replace(".pdf", ".pptx"), "kind": "report_ppt"})
                            for r in _reports()]
    assert flag_of(reports, [_pair(clear=False, **edited), *slides], s, groups=600) is None
    assert flag_of(reports, [_pair(clear=True, **edited), *slides], s, groups=600) is not None


def test_not_one_figure_kept_is_no_copy_below_twice_the_veto_share() -> None:
    s = SimilarityParams()
    assert flag_of(_reports(), [_pair(rare_share=0.09, figures=(0, 11))], s, groups=600) is None
    assert flag_of(_reports(), [_pair(rare_share=0.09, figures=(1, 11))], s, groups=600) is not None
    assert flag_of(_reports(), [_pair(rare_share=0.09, figures=(0, 5))], s, groups=600) is not None
    assert flag_of(_reports(), [_pair(rare_share=0.2, figures=(0, 11))], s, groups=600) is not None


def test_a_chain_of_rewritten_sentences_needs_more_length_where_the_source_is_not_clear() -> None:
    s = SimilarityParams()
    weak = {"rare_chars": 3, "rare_share": 0.005, "chars": 150}
    assert flag_of(_reports(), [_pair(**weak, paraphrased=300, clear=True)], s, groups=600) is None
    assert flag_of(_reports(), [_pair(**weak, paraphrased=450, clear=True)], s, groups=600) is not None
    assert flag_of(_reports(), [_pair(**weak, paraphrased=450, clear=False)], s, groups=600) is None
    assert flag_of(_reports(), [_pair(**weak, paraphrased=650, clear=False)], s, groups=600) is not None
