"""Plagiarism benchmark: quality on a labelled corpus, and speed/memory at scale.

    .venv/bin/python benchmarks/plagiarism.py            # quality: precision, recall, plagdet
    .venv/bin/python benchmarks/plagiarism.py --quick    # a smaller quality run
    .venv/bin/python benchmarks/plagiarism.py --scale    # 10,000 reports: full rebuild, then 100 new

Document level: a flag is right when its pair of teams is a labelled copy (any size); recall counts the
copies of >= 20 % of a report; template-only pairs must raise no flag. Passage level: PAN's plagdet
(Potthast et al. 2010) over the PDF-vs-PDF evidence, against the generator's copied paragraphs.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks.similarity import Settings, find_flags  # noqa: E402
from core.model import Flag, ReportText  # noqa: E402
from pipeline.samples.plagiarism import Corpus, make_corpus  # noqa: E402
from pipeline.samples.report_text import make_report  # noqa: E402

Span = tuple[int, int, int, int]  # (doc, start, end, side) in global character offsets


def _glob(pages: list[str], page: int, off: int) -> int:
    return sum(len(p) + 1 for p in pages[:page]) + off


def _cases(corpus: Corpus) -> list[tuple[frozenset[int], list[tuple[int, int]], list[tuple[int, int]], int, int]]:
    """PAN cases: every copied paragraph, as (pair, copier ranges, source ranges, copier, source) in
    global offsets (a case is a contiguous passage, as in PAN's corpora, not a whole report)."""
    out = []
    for c in corpus.cases:
        cp, sp = corpus.pdf_pages[c.copier], corpus.pdf_pages[c.source]
        lines: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
        for p, s, e, q, t, u in c.passages:
            lines[(p, s, e)].append((_glob(sp, q, t), _glob(sp, q, u)))
        for (p, s, e), src in sorted(lines.items()):
            out.append((frozenset((c.copier, c.source)), [(_glob(cp, p, s), _glob(cp, p, e))], src, c.copier, c.source))
    return out


def _detections(corpus: Corpus, flags: list[Flag]) -> list[tuple[int, list[tuple[int, int]], int, list[tuple[int, int]]]]:
    """Per PDF-vs-PDF evidence: (doc a, a ranges, doc b, b ranges) in global offsets."""
    tid = {t.team_id: i for i, t in enumerate(corpus.teams)}
    out = []
    for f in flags:
        ia, ib = tid[f.a.team_id], tid[f.b.team_id]
        for e in f.evidence:
            if not (e.a_file or "").endswith(".pdf") or not (e.b_file or "").endswith(".pdf"):
                continue
            pa, pb = corpus.pdf_pages[ia], corpus.pdf_pages[ib]
            oa = pa[e.a_page - 1].find(e.a_text)
            ob = pb[e.b_page - 1].find(e.b_text)
            if oa < 0 or ob < 0:
                continue
            ra = [(_glob(pa, e.a_page - 1, oa + s), _glob(pa, e.a_page - 1, oa + t)) for s, t in e.a_spans]
            rb = [(_glob(pb, e.b_page - 1, ob + s), _glob(pb, e.b_page - 1, ob + t)) for s, t in e.b_spans]
            out.append((ia, ra, ib, rb))
    return out


def _chars(ranges: list[tuple[int, int]]) -> set[int]:
    return {k for s, e in ranges for k in range(s, e)}


def plagdet(corpus: Corpus, flags: list[Flag]) -> dict[str, float]:
    """PAN plagdet: F1 of character-level macro precision and recall, divided by log2(1 + granularity)."""
    cases = _cases(corpus)
    dets = _detections(corpus, flags)
    case_sets = [({cp: _chars(cr), sc: _chars(sr)}, cp, sc) for _, cr, sr, cp, sc in cases]
    det_sets = [{a: _chars(ra), b: _chars(rb)} if a != b else {} for a, ra, b, rb in dets]
    rec_sum, detected, gran_sum = 0.0, 0, 0
    for cs, cp, sc in case_sets:
        size = len(cs[cp]) + len(cs[sc])
        hit_cp, hit_sc, n_det = set(), set(), 0
        for d in det_sets:
            if cp in d and sc in d:
                o1, o2 = cs[cp] & d[cp], cs[sc] & d[sc]
                if o1 and o2:
                    hit_cp |= o1
                    hit_sc |= o2
                    n_det += 1
        rec_sum += (len(hit_cp) + len(hit_sc)) / max(size, 1)
        if n_det:
            detected += 1
            gran_sum += n_det
    prec_sum = 0.0
    for d in det_sets:
        keys = list(d)
        if len(keys) != 2:
            continue
        size = sum(len(v) for v in d.values())
        hit = {k: set() for k in keys}
        for cs, cp, sc in case_sets:
            if cp in d and sc in d:
                for k in keys:
                    hit[k] |= cs[k] & d[k]
        prec_sum += sum(len(v) for v in hit.values()) / max(size, 1)
    rec = rec_sum / max(len(case_sets), 1)
    prec = prec_sum / max(len(det_sets), 1)
    gran = gran_sum / detected if detected else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "granularity": gran, "plagdet": f1 / math.log2(1 + gran)}


def quality(seed: int, quick: bool, settings: Settings | None = None, verbose: bool = True) -> dict[str, float]:
    rng = random.Random(seed)
    if quick:
        corpus = make_corpus(rng, background=60, prior=30)
    else:
        corpus = make_corpus(rng, background=300, prior=150, counts={
            "verbatim": 15, "light_edit": 15, "ocr": 12, "cross_year": 10, "self_reuse": 8, "paragraph": 12,
            "template_only": 20})
    reports = corpus.reports()
    t = time.perf_counter()
    flags = find_flags(reports, corpus.year, settings=settings)
    took = time.perf_counter() - t
    tid = {tm.team_id: i for i, tm in enumerate(corpus.teams)}
    truth = {frozenset((c.copier, c.source)): c for c in corpus.cases}
    flagged = {frozenset((tid[f.a.team_id], tid[f.b.team_id])): f for f in flags}
    big = {k: c for k, c in truth.items() if c.kind != "paragraph" and c.fraction >= 0.2}
    tp = sum(1 for k in flagged if k in truth)
    prec = tp / max(len(flagged), 1)
    rec = sum(1 for k in big if k in flagged) / max(len(big), 1)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for k, c in truth.items():
        by_kind[c.kind][0] += k in flagged
        by_kind[c.kind][1] += 1
    template_flags = sum(1 for p in corpus.template_pairs if frozenset(p) in flagged)
    kind_ok = sum(
        1 for k, c in truth.items() if k in flagged
        and (flagged[k].kind == "self_prior_year") == (c.kind == "self_reuse")
    ) / max(1, sum(1 for k in truth if k in flagged))
    pd = plagdet(corpus, flags)
    res = {"reports": len(reports), "flags": len(flags), "precision": prec, "recall_20": rec,
           "template_flags": template_flags, "kind_accuracy": kind_ok, "seconds": took,
           "paragraph_found": by_kind["paragraph"][0], "paragraph_cases": by_kind["paragraph"][1],
           **{f"pan_{k}": v for k, v in pd.items()}}
    if verbose:
        print(f"corpus: {len(corpus.teams)} teams, {len(reports)} reports (PDF+PPT), {len(corpus.cases)} labelled copies")
        print(f"find_flags: {took:.1f} s, {len(flags)} flags")
        print(f"document level: precision {prec:.3f}, recall (copies >= 20 %) {rec:.3f}, "
              f"template-only pairs flagged {template_flags}/{len(corpus.template_pairs)}, kind accuracy {kind_ok:.3f}")
        for kind, (hit, n) in sorted(by_kind.items()):
            print(f"  {kind:12s} detected {hit}/{n}")
        fp = [f for k, f in flagged.items() if k not in truth]
        for f in fp[:5]:
            print(f"  false flag: {f.a.team_id} / {f.b.team_id} ratio {f.copy_ratio_a:.3f}/{f.copy_ratio_b:.3f}")
        print("passage level (PAN): " + ", ".join(f"{k} {v:.3f}" for k, v in pd.items()))
    return res


def real_ocr_case(seed: int) -> None:
    """One copy through the real print-scan-OCR path (document level only: OCR moves every offset)."""
    from pipeline.samples.plagiarism import copy_into, print_scan_ocr

    rng = random.Random(seed)
    corpus = make_corpus(rng, background=60, prior=30, counts={})
    src = 0
    own = make_report(rng, team="钢筋班组", company="某某建设有限公司", year=corpus.year, topic="钢筋")
    copied, _ = copy_into(rng, own, corpus.pdf_pages[src], 0.9)
    t = time.perf_counter()
    ocr_pages = print_scan_ocr(rng, copied, team="钢筋班组", company="某某建设有限公司", max_pages=3)
    took = time.perf_counter() - t
    reports = corpus.reports() + [ReportText(year=corpus.year, team_id="OCR-钢筋班组", team="钢筋班组",
                                             company="某某建设有限公司", file="OCR/成果报告.pdf", sha256="ocr",
                                             pages=ocr_pages)]
    flags = [f for f in find_flags(reports, corpus.year) if "OCR-钢筋班组" in (f.a.team_id, f.b.team_id)]
    hit = [f for f in flags if corpus.teams[src].team_id in (f.a.team_id, f.b.team_id)]
    print(f"real print-scan-OCR copy ({len(ocr_pages)} pages OCR'd in {took:.0f} s, "
          f"{sum(map(len, ocr_pages))} characters): "
          + (f"flagged, copy ratio {hit[0].copy_ratio_a:.2f}/{hit[0].copy_ratio_b:.2f}, {len(hit[0].evidence)} passages"
             if hit else "NOT flagged") + f"; other flags on it: {len(flags) - len(hit)}")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(n: int, new: int) -> None:
    rng = random.Random(7)
    t = time.perf_counter()
    year = 2024
    reports = []
    for i in range(n):
        team = f"{rng.choice(['钢筋', '混凝土', '测量', '防水', '幕墙', '机电安装', '隧道', '桥梁', '钢结构', '装饰', '模板'])}班组"
        pages = make_report(rng, team=team, company=f"公司{i}", year=year - 1)
        reports.append(ReportText(year=year - 1, team_id=f"S{i:05d}", team=team, company=f"公司{i}",
                                  file=f"S{i:05d}/成果报告.pdf", sha256=f"s{i}", pages=pages))
    chars = sum(len(p) for r in reports for p in r.pages)
    print(f"generated {n} reports, {chars / n:.0f} characters each on average, in {time.perf_counter() - t:.1f} s "
          f"(RSS so far {_rss_mb():.0f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "similarity"
        full = [r.model_copy(update={"year": year}) for r in reports]
        t = time.perf_counter()
        flags = find_flags(full, year, state_dir=state)
        print(f"full rebuild: {n} reports all against all: {time.perf_counter() - t:.1f} s, {len(flags)} flags, "
              f"peak RSS {_rss_mb():.0f} MB")
        # the archive: the same reports as last year's, state warm; then `new` reports of this year
        find_flags(reports + [reports[0].model_copy(update={"year": year, "team_id": "warm"})], year, state_dir=state)
        fresh = []
        for i in range(new):
            pages = make_report(rng, team="钢筋班组", company=f"新公司{i}", year=year)
            if i % 10 == 0:  # some copy an archived report
                pages = pages[:3] + reports[rng.randrange(n)].pages[3:]
            fresh.append(ReportText(year=year, team_id=f"N{i:04d}", team="钢筋班组", company=f"新公司{i}",
                                    file=f"N{i:04d}/成果报告.pdf", sha256=f"n{i}", pages=pages))
        t = time.perf_counter()
        flags = find_flags(reports + fresh, year, state_dir=state)
        print(f"nightly: {new} new against {n} archived: {time.perf_counter() - t:.1f} s, {len(flags)} flags "
              f"(expected >= {len(range(0, new, 10))}), peak RSS {_rss_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scale", action="store_true")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2024)
    a = ap.parse_args()
    if a.scale:
        scale(a.n if not a.quick else 2000, a.new)
    else:
        quality(a.seed, a.quick)
        if not a.quick:
            real_ocr_case(a.seed)


if __name__ == "__main__":
    main()
