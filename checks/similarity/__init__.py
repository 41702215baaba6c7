"""Plagiarism flags (第十五条): candidates by TF-IDF over rare n-grams, evidence by text alignment,
boilerplate and common wording excluded, one flag per pair of teams with a stable id.

The flag decision rests on the first alignment pass (align.py): rare shared text (less of it for the
query's one clear source), vetoed when the aligned sentences' figures disagree throughout (same template,
another team), or one long passage whose figures all agree (a copied paragraph, found through a probe of
the query's best few candidates below the cosine floor), or sentences rewritten in order (paraphrase.py).
The second pass (densify.py) then completes the flagged copy's evidence; slides take theirs from the
reports' own (slides.py)."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.model import CopyRatios, Flag, ReportText

from .align import Params, Passage, Side, align, copied_chars, figures_in, prose_chars, rare_total
from .boilerplate import boilerplate_hashes, boilerplate_mask, common_mask
from .compared import FileJob, PairResult
from .decision import can_decide, deciding_pair, flag_of
from .densify import densify_both, likeness, same_figures
from .evidence import build_evidence
from .index import DocFreq, corpus_index
from .parallel import fork_map
from .params import SimilarityParams
from .paraphrase import ParaphraseParams, paraphrase_passages
from .ratios import Source, report_ratios
from .scoring import candidates, shared_rare
from .selection import DenseRare, clear_candidates, full_norms, split_candidates
from .slides import project_slides
from .text import COMMON_N, ngram_hashes, normalize_pages, original
from .tokens import warm_tokenizer

__all__ = ["ParaphraseParams", "Params", "Settings", "SimilarityParams", "find_flags"]


Settings = SimilarityParams  # the name callers used before


_FIGURE = re.compile(r"\d+(?:\.\d+)?")  # in the original text, where spaces and points still part figures
_YEAR = re.compile(r"(?:19|20)\d\d")


_SIDES_KEPT = 256  # prepared sides kept while comparing (each ~100 KB; all of them would cost GBs at scale)


class _Prepared:
    """Alignment-ready sides, built lazily: only candidate reports are ever normalised twice."""

    def __init__(self, reports: Sequence[ReportText], df: DocFreq, df_seed: DocFreq, common_df: int, rare_df: int):
        self.reports, self.df, self.df_seed = reports, df, df_seed
        self.common_df, self.rare_df = common_df, rare_df
        self.cache: OrderedDict[int, Side] = OrderedDict()  # the most recently used sides

    def side(self, i: int) -> Side:
        if i in self.cache:
            self.cache.move_to_end(i)
        else:
            if len(self.cache) >= _SIDES_KEPT:
                self.cache.popitem(last=False)
            nt = normalize_pages(list(self.reports[i].pages), lines_are_sentences=self.reports[i].kind == "report_ppt")
            h = ngram_hashes(nt.text)
            common = common_mask(self.df.used_over(ngram_hashes(nt.text, COMMON_N), self.common_df - 1), len(nt.text))
            template = boilerplate_mask(h, len(nt.text))
            excluded = template | common
            seed_ok = ~template[: len(h)] if len(h) else np.zeros(0, bool)
            rare = ~self.df_seed.used_over(h, self.rare_df) & seed_ok & ~excluded[: len(h)]
            self.cache[i] = Side(nt, h, seed_ok, excluded, rare, template)
        return self.cache[i]


def _exact_figures(a: Side, b: Side, p: Passage) -> bool:
    """The passage carries figures and all of them are the source's: copied, not written to a template."""
    same, total = same_figures(a, b, [p])
    return total >= 2 and same == total


def _own_measurements(a: Side, b: Side, p: Passage) -> bool:
    """A matched sentence whose figures all differ: each team wrote its own measurements into the same
    template sentence. Not evidence, even inside a copy (a copier keeps the source's figures)."""
    fa = [f for f in _FIGURE.findall(original(a.nt, p.a_start, p.a_end)) if not _YEAR.fullmatch(f)]
    fb = set(_FIGURE.findall(original(b.nt, p.b_start, p.b_end)))
    return not any(f in fb for f in fa) and len(fa) >= (2 if p.how in ("fuzzy", "dense") else 3)


def _compare(prep: _Prepared, ia: int, ib: int, cosine: float, s: SimilarityParams, reword: bool = False,
             light: bool = False, clear: bool = False) -> PairResult:
    a, b = prep.side(ia), prep.side(ib)
    passages, rare = align(a, b, s.align, fuzzy=not light)
    paraphrased = 0
    if reword:  # the query's one clear candidate: look for sentences rewritten in order
        taken = np.zeros(len(a.nt.text) + 1, bool)
        for p in passages:
            taken[p.a_start : p.a_end] = True
        extra = [q for q in paraphrase_passages(a, b, s.paraphrase) if taken[q.a_start : q.a_end].mean() < 0.5]
        paraphrased = sum(int((~a.excluded[q.a_start : q.a_end]).sum()) for q in extra)
        passages = sorted(passages + extra, key=lambda p: p.a_start)
    ca = copied_chars(len(a.nt.text), a.template, [(p.a_start, p.a_end) for p in passages])
    cb = copied_chars(len(b.nt.text), b.template, [(p.b_start, p.b_end) for p in passages])
    ra, rb = ca / max(a.countable, 1), cb / max(b.countable, 1)
    # the flag decision rests on the first pass alone; the second only completes a copy's evidence
    decisive = max([r for r, side in ((ra, a), (rb, b)) if side.countable >= s.ratio_min_length] or [0.0])
    share = rare / max(1, min(rare_total(a), rare_total(b)))
    longest = max(
        (int((~a.excluded[p.a_start : p.a_end]).sum()) for p in passages if _exact_figures(a, b, p)), default=0
    )
    prose = max((prose_chars(a, p.a_start, p.a_end) for p in passages
                 if _exact_figures(a, b, p) and len(figures_in(a.nt.text[p.a_start : p.a_end])) >= s.align.prose_figures),
                default=0)
    figures = same_figures(a, b, passages)
    alike = likeness(a, b, passages)
    if s.densify and not light and rare >= s.min_rare and ca >= s.min_chars:
        passages = sorted(passages + densify_both(a, b, passages), key=lambda p: p.a_start)
        passages = [p for p in passages if not _own_measurements(a, b, p)]
        ra = copied_chars(len(a.nt.text), a.template, [(p.a_start, p.a_end) for p in passages]) / max(a.countable, 1)
        rb = copied_chars(len(b.nt.text), b.template, [(p.b_start, p.b_end) for p in passages]) / max(b.countable, 1)
    ev = build_evidence(a.nt, b.nt, passages, a.template, b.template)
    fa, fb = prep.reports[ia].file, prep.reports[ib].file
    for e in ev:
        e.a_file, e.b_file = fa, fb
    return PairResult(ia, ib, cosine, ra, rb, ca, ev, decisive, rare, share, longest, figures, paraphrased, passages,
                       light, clear, prose, alike)


def _compare_all(prep: _Prepared, jobs: dict[tuple[int, int], list[FileJob]], s: SimilarityParams
                 ) -> dict[tuple[int, int], list[PairResult]]:
    """Every job compared, on both cores when there are many (parallel.py), grouped as `jobs` is."""
    flat = [j for team_jobs in jobs.values() for j in team_jobs]
    prep.df.over(prep.common_df - 1)  # the lookup tables alignment asks, built once here, not in every worker
    prep.df_seed.over(prep.rare_df)
    boilerplate_hashes()
    order = _side_sharing_order([(j.a, j.b) for j in flat])

    def job(k: int) -> PairResult:
        j = flat[order[k]]
        return _compare(prep, j.a, j.b, j.cosine, s, j.reword, light=j.light, clear=j.clear)

    by_job = dict(zip(order, fork_map(job, len(flat)), strict=True))
    done = (by_job[k] for k in range(len(flat)))
    return {key: [next(done) for _ in team_jobs] for key, team_jobs in jobs.items()}


def _side_sharing_order(pairs: list[tuple[int, int]]) -> list[int]:
    """The pairs in an order where each follows one it shares a report with wherever it can (a walk
    through the reports, depth first): a report is prepared for alignment once and reused while it is
    among the recently used sides, instead of once per pair (a fifth fewer preparations at scale)."""
    by_report: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(pairs):
        by_report.setdefault(a, []).append(k)
        by_report.setdefault(b, []).append(k)
    taken = [False] * len(pairs)
    order: list[int] = []
    for first in sorted(by_report):
        stack = [first]
        while stack:
            here = stack.pop()
            for k in by_report[here]:
                if not taken[k]:
                    taken[k] = True
                    order.append(k)
                    stack.append(pairs[k][1] if pairs[k][0] == here else pairs[k][0])
    return order


def find_flags(
    reports: Sequence[ReportText], year: int, *, state_dir: Path | None = None,
    settings: SimilarityParams | None = None,
) -> list[Flag]:
    """Flags for every pair of teams where side `a` is a team of `year`, strongest first."""
    s = settings or SimilarityParams()
    reports = [r for r in reports if any((p or "").strip() for p in r.pages)]
    if not reports or not any(r.year == year for r in reports):
        return []
    group_key = [(r.year, r.team_id) for r in reports]
    gid = {k: n for n, k in enumerate(dict.fromkeys(group_key))}
    group_of = [gid[k] for k in group_key]
    labels = [f"{y}|{t}" for y, t in group_key]
    warming = threading.Thread(target=warm_tokenizer, daemon=True)  # jieba loads while the index is built
    warming.start()
    both, df, df_passage = corpus_index([r.pages for r in reports], labels, state_dir)
    grams = [g for g, _ in both]
    common_df = max(s.common_min, math.ceil(s.common_frac * df.groups))
    queries = [i for i, r in enumerate(reports) if r.year == year]
    runner_up: dict[int, float] = {}
    cand_df = min(common_df, s.cand_df_max)
    found = candidates(grams, group_of, queries, df, cand_df=cand_df, top_k=s.top_k,
                       min_score=min(s.min_cosine, s.probe_floor), runner_up=runner_up)
    if len(queries) * 2 < len(grams):  # a nightly run: candidates weighed the queries' n-grams alone
        found = full_norms(found, grams, queries, df, cand_df)
    found, probes = split_candidates(found, s, runner_up)
    shared = shared_rare([p for _, p in both], [(q, o) for q, o, _ in probes], df_passage, s.rare_df)
    dense = DenseRare(reports, df_passage, s.rare_df)
    probes = [(q, o, c) for (q, o, c), n in zip(probes, shared.tolist(), strict=True)
              if n >= s.probe_shared  # cheap first
              and dense(q, both[o][1], s.probe_window) >= s.probe_shared]
    del both, grams  # the n-gram sets (hundreds of MB at scale) are done with: workers need not share them
    prep = _Prepared(reports, df_passage, df, common_df, s.rare_df)
    clear = clear_candidates(found, s.paraphrase, runner_up, group_of)
    reword = clear | clear_candidates(found, s.paraphrase, runner_up, group_of, s.paraphrase.reword_margin)
    jobs: dict[tuple[int, int], list[FileJob]] = {}  # per pair of teams, its pairs of files to compare
    seen: set[tuple[int, int]] = set()
    light = {(q, o) for q, o, _ in probes} | {(o, q) for q, o, _ in probes}
    for qa, qb, cos in found + probes:
        ga, gb = group_of[qa], group_of[qb]
        ra, rb = reports[qa], reports[qb]
        if rb.year == year and (ra.team_id, ga) > (rb.team_id, gb):
            qa, qb, ga, gb = qb, qa, gb, ga  # same-year pairs: one flag, `a` the smaller team id
        if (qa, qb) in seen:
            continue
        seen.add((qa, qb))
        jobs.setdefault((ga, gb), []).append(FileJob(qa, qb, cos, (qa, qb) in reword, (qa, qb) in light, (qa, qb) in clear))
    # the reports themselves decide: a pair found through slides is compared PDF to PDF too
    pdf_of = {g: i for i, (g, r) in enumerate(zip(group_of, reports, strict=True)) if r.kind == "report_pdf"}
    for (ga, gb), team_jobs in jobs.items():
        pa, pb = pdf_of.get(ga), pdf_of.get(gb)
        if pa is not None and pb is not None and (pa, pb) not in seen:
            seen.add((pa, pb))
            team_jobs.append(FileJob(pa, pb, 0.0, any((j.a, j.b) in reword for j in team_jobs),
                                  all(j.light for j in team_jobs)))
    warming.join()  # loaded before the fuzzy pass needs it, and before workers fork (they inherit it)
    deciding = {key: can_decide(reports, team_jobs) for key, team_jobs in jobs.items()}
    compared = _compare_all(prep, {key: [j for j, d in zip(team_jobs, deciding[key], strict=True) if d]
                                   for key, team_jobs in jobs.items()}, s)
    files_of: dict[int, list[int]] = {}
    for i, g in enumerate(group_of):
        files_of.setdefault(g, []).append(i)
    decided = []
    for (ga, gb), team_jobs in jobs.items():
        if deciding_pair(reports, compared[(ga, gb)], s, df.groups) is None:
            continue
        done = iter(compared[(ga, gb)])  # the rules flag the teams: the pairs that could not decide, compared now
        pairs = [next(done) if d else _compare(prep, j.a, j.b, j.cosine, s, j.reword, light=j.light, clear=j.clear)
                 for j, d in zip(team_jobs, deciding[(ga, gb)], strict=True)]
        if (got := flag_of(reports, pairs, s, df.groups)) is None:
            continue
        # a flagged pair: every file of one team against every file of the other (slides to pages, slides
        # to slides), so that each copied passage is shown wherever it is
        reword_pair = any(p.paraphrased for p in pairs)
        pairs[:] = [_compare(prep, p.a, p.b, p.cosine, s, reword_pair, clear=p.clear) if p.light else p for p in pairs]
        for ia in files_of[ga]:
            for ib in files_of[gb]:
                if (ia, ib) not in seen:
                    seen.add((ia, ib))
                    pairs.append(_compare(prep, ia, ib, 0.0, s, reword_pair))
        if s.densify and s.grow_rounds:
            for p in pairs:
                _grow(prep, p, s.grow_rounds)
        project_slides(prep, pairs)
        decided.append(flag_of(reports, pairs, s, df.groups) or got)
    return sorted(_with_ratios(prep, decided), key=lambda f: (-f.similarity, f.flag_id))


def _grow(prep: _Prepared, r: PairResult, rounds: int) -> None:
    """A flagged pair's passages completed outwards from its copied blocks (densify_both over `rounds`),
    its ratios and evidence with them. Updates `r` in place; never runs before the flag is decided."""
    if not r.passages or "report_ppt" in (prep.reports[r.a].kind, prep.reports[r.b].kind):
        return
    a, b = prep.side(r.a), prep.side(r.b)
    extra = [p for p in densify_both(a, b, r.passages, rounds=rounds, anchored=True) if not _own_measurements(a, b, p)]
    if not extra:
        return
    r.passages = sorted(r.passages + extra, key=lambda p: p.a_start)
    r.ratio_a = copied_chars(len(a.nt.text), a.template, [(p.a_start, p.a_end) for p in r.passages]) / max(a.countable, 1)
    r.ratio_b = copied_chars(len(b.nt.text), b.template, [(p.b_start, p.b_end) for p in r.passages]) / max(b.countable, 1)
    r.evidence = build_evidence(a.nt, b.nt, r.passages, a.template, b.template)
    for e in r.evidence:
        e.a_file, e.b_file = prep.reports[r.a].file, prep.reports[r.b].file


def _with_ratios(prep: _Prepared, decided: list[tuple[Flag, PairResult]]) -> list[Flag]:
    """Each flag with the CNKI-style ratios of both sides' reports over all flags they are in."""
    sources: dict[int, list[Source]] = {}
    for f, best in decided:
        own = f.kind == "self_prior_year"
        sides = ((best.a, best.b, f.b, lambda p: (p.a_start, p.a_end)), (best.b, best.a, f.a, lambda p: (p.b_start, p.b_end)))
        for me, _, other, span in sides:
            sources.setdefault(me, []).append(
                Source(other.team_id, other.year, other.team, own, [span(p) for p in best.passages])
            )
    done: dict[int, CopyRatios] = {}

    def ratios(i: int) -> CopyRatios:
        if i not in done:
            done[i] = report_ratios(prep.side(i), prep.reports[i].file, sources.get(i, []))
        return done[i]

    return [f.model_copy(update={"ratios_a": ratios(best.a), "ratios_b": ratios(best.b)}) for f, best in decided]
