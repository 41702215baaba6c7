"""The flag decision of a pair of teams, on their compared pairs of files: the rules (rare shared text,
a short report's copy ratio, one copied paragraph, sentences rewritten in order, the figures veto), which
pairs can decide it, and the flag itself with its evidence."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.model import Evidence, Flag, FlagSide, ReportText

if TYPE_CHECKING:
    from .compared import FileJob, PairResult
    from .params import SimilarityParams

__all__ = ["can_decide", "deciding_pair", "flag_of"]

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def _ident(r: ReportText) -> str:
    t, c = _PUNCT.sub("", r.team or ""), _PUNCT.sub("", r.company or "")
    return f"{c}|{t}" if t and c else ""


def _flag_id(a: ReportText, b: ReportText) -> str:
    key = f"{a.year}|{a.team_id}|{b.year}|{b.team_id}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def flag_of(reports: Sequence[ReportText], pairs: list[PairResult], s: SimilarityParams, groups: int
            ) -> tuple[Flag, PairResult] | None:
    """The flag of one pair of teams, and the compared pair of files it rests on, or None."""
    best = deciding_pair(reports, pairs, s, groups)
    if best is None:
        return None
    evidence: list[Evidence] = []
    seen: set[tuple] = set()
    pdf_first = sorted(pairs, key=lambda p: (reports[p.a].kind != "report_pdf", reports[p.b].kind != "report_pdf", -p.chars))
    for p in pdf_first:
        for e in p.evidence:
            key = (e.a_text, e.b_text)
            if key not in seen:
                seen.add(key)
                evidence.append(e)
    evidence = evidence[: s.max_evidence]  # the reports' own passages first, in reading order
    if not evidence:
        return None
    ra, rb = reports[best.a], reports[best.b]
    same = ra.year != rb.year and (ra.team_id == rb.team_id or (_ident(ra) and _ident(ra) == _ident(rb)))

    def side(r: ReportText) -> FlagSide:
        return FlagSide(year=r.year, team_id=r.team_id, file=r.file, team=r.team, company=r.company)

    flag = Flag(
        a=side(ra),
        b=side(rb),
        kind="self_prior_year" if same else "cross_team",
        similarity=round(max(best.ratio_a, best.ratio_b), 4),
        copy_ratio_a=round(best.ratio_a, 4),
        copy_ratio_b=round(best.ratio_b, 4),
        evidence=evidence,
        flag_id=_flag_id(ra, rb),
    )
    return flag, best


def deciding_pair(reports: Sequence[ReportText], pairs: list[PairResult], s: SimilarityParams, groups: int
                  ) -> PairResult | None:
    """The compared pair of files a flag of the two teams would rest on, when the rules flag them."""
    # the reports (PDF) speak for the team; slides only when no PDF pair was compared
    best = max(pairs, key=lambda p: (reports[p.a].kind == reports[p.b].kind == "report_pdf", p.chars))
    # few teams tell little about which wording is common: then demand a larger share
    factor = min(6.0, max(1.0, s.small_corpus / max(groups, 1)))
    # the reports' own pair must be the clear one (slides alike by their headings are no clear source)
    strong = best.rare_chars >= s.min_rare and best.chars >= s.min_chars and best.rare_share >= s.min_rare_share * factor * (
        s.clear_share if best.clear else 1.0
    )
    short = best.decisive_ratio >= min(0.9, s.min_ratio * factor) and best.rare_chars >= s.min_rare
    same, figures = best.figures
    paragraph = best.longest >= s.paragraph_own * factor and (
        best.rare_chars >= s.paragraph_rare or (figures >= s.paragraph_figures and same == figures)
    ) or best.prose >= s.paragraph_prose * factor
    # the report's one clear source, holding the full rare share a copy of anything else would need, whose
    # passages read alike is not vetoed: its copier edited or OCR garbled the figures (the veto guards pairs
    # that only just pass; two teams that chose one rare subject fill in the template's slots each their
    # own way)
    clear_copy = best.clear and best.rare_share >= s.min_rare_share * factor and best.likeness >= s.copy_likeness
    if best.rare_share < s.figures_share and figures >= s.figures_min and same < s.figures_agree * figures \
            and not clear_copy:
        strong = short = False
    if best.rare_share < s.figures_none_share and figures >= s.figures_none_min and not same:
        strong = short = False
    chain = s.paraphrase.flag_chars * factor * (1.0 if any(p.clear for p in pairs) else s.paraphrase.unclear_chain_factor)
    reworded = max(p.paraphrased for p in pairs) >= chain
    return best if strong or short or paragraph or reworded else None


def can_decide(reports: Sequence[ReportText], team_jobs: list[FileJob]) -> list[bool]:
    """Per job of a pair of teams: whether the flag decision (`deciding_pair`) can depend on it. The reports
    (PDF) speak for the team: where theirs are compared and no pair is a query's clear candidate (which
    lowers the bar and looks for paraphrase), the other files' pairs only add evidence to a flagged pair,
    and are compared only then (half the comparisons at scale)."""
    pdf = [reports[j.a].kind == reports[j.b].kind == "report_pdf" for j in team_jobs]
    if not any(pdf) or any(j.reword for j in team_jobs):
        return [True] * len(team_jobs)
    return pdf
