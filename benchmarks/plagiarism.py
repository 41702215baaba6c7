"""Plagiarism benchmark: quality on a labelled corpus, and speed/memory at scale.

    .venv/bin/python benchmarks/plagiarism.py            # quality: precision, recall, plagdet
    .venv/bin/python benchmarks/plagiarism.py --quick    # a smaller quality run
    .venv/bin/python benchmarks/plagiarism.py --scale    # 10,000 teams x 2 files: full rebuild, then 100 new
    .venv/bin/python benchmarks/plagiarism.py --sweep 20 # copies found per kind, false flags, over 20 corpora

Document level: a flag is right when its pair of teams is a labelled copy (any size); recall counts the
copies of >= 20 % of a report; template-only pairs must raise no flag. Passage level: PAN's plagdet
(Potthast et al. 2010) over the PDF-vs-PDF evidence, against the generator's copied lines (a passage as
a reader sees it: consecutive copied lines are one case). Copied characters nobody could attribute are
neutral, neither to be found nor wrong when shown: standard wording, lines many reports hold whole
(table headers), table rows of figures and short labels (edited, nothing of the source is left), the
source's headings inside a copied block, whitespace. Slides vs a PDF are scored in each direction apart
(the copier's slides against the source's pages and the reverse) and averaged; on slides a case is cut
to the lines the slides show, the other side to the same lines.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.plagiarism_scale import scale  # noqa: E402
from benchmarks.plagiarism_sweep import sweep  # noqa: E402
from checks.similarity import Settings, find_flags  # noqa: E402
from core.model import Flag, ReportText  # noqa: E402
from pipeline.samples.paraphrase import load_pairs  # noqa: E402
from pipeline.samples.plagiarism import Corpus, make_corpus  # noqa: E402
from pipeline.samples.report_text import make_report, make_slides  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PAIR_FILES = ("afqmc_train_paraphrase.tsv", "oppo_xiaobu_dev_paraphrase.tsv", "snli_test_entailment.tsv")
Ranges = list[tuple[int, int]]


def pair_dir() -> Path:
    """../shared/realdata/paraphrase beside the checkout (a worktree sits one level deeper)."""
    for base in (REPO.parent, REPO.parent.parent):
        d = base / "shared" / "realdata" / "paraphrase"
        if d.is_dir():
            return d
    raise SystemExit("real paraphrase pairs not found: ../shared/realdata/paraphrase")


def _glob(pages: list[str], page: int, off: int) -> int:
    return sum(len(p) + 1 for p in pages[:page]) + off


class Views:
    """Each team's PDF text in global offsets, and every slide character mapped to the PDF character it
    shows (slides are condensed from the report's lines): PPT evidence is scored in PDF coordinates."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.text = ["\n".join(p) for p in corpus.pdf_pages]
        self.slide_map: list[list[np.ndarray]] = []
        self.on_slides: list[set[int]] = []
        for pages in corpus.pdf_pages:
            full = "\n".join(pages)
            maps, shown, pos = [], set(), 0
            for slide in make_slides(pages):
                m = np.full(len(slide), -1, np.int64)
                off = 0
                for line in slide.split("\n"):
                    at = full.find(line, pos) if line else -1
                    if at < 0 and line:
                        at = full.find(line)
                    if at >= 0:
                        m[off : off + len(line)] = np.arange(at, at + len(line))
                        shown.update(range(at, at + len(line)))
                        pos = at + len(line) if full.find(line, pos) >= 0 else pos
                    off += len(line) + 1
                maps.append(m)
            self.slide_map.append(maps)
            self.on_slides.append(shown)

    def ranges(self, team: int, file: str, page: int, end: int | None, text: str, spans: Ranges) -> set[int] | None:
        """PDF character positions of an evidence side, or None when its text cannot be located (a
        passage over a page break: its pages' texts joined with a line break)."""
        end = end or page
        if file.endswith(".pdf"):
            pages = self.corpus.pdf_pages[team]
            o = "\n".join(pages[page - 1 : end]).find(text) if end <= len(pages) else -1
            if o < 0:
                return None
            base = _glob(pages, page - 1, o)
            return {k for s, e in spans for k in range(base + s, base + e)}
        slides = make_slides(self.corpus.pdf_pages[team])
        if end > len(slides):
            return None
        o = "\n".join(slides[page - 1 : end]).find(text)
        if o < 0:
            return None
        m = np.concatenate([np.append(x, -1) for x in self.slide_map[team][page - 1 : end]])
        return {int(m[k]) for s, e in spans for k in range(o + s, min(len(m), o + e)) if m[k] >= 0}


CASE_GAP = 40  # source characters a passage may skip and stay one (standard wording left out of a case)
MIN_TEXT = 13  # CNKI's shortest copy: a line with less text than this besides figures is a table's data row
_NOT_TEXT = re.compile(r"[\d\s\W_]+", re.UNICODE)

Case = tuple[str, int, set[int], int, set[int], set[int], set[int], list[tuple[int, int, int, int]]]


def _fold(text: str) -> str:
    return re.sub(r"\d+(?:\.\d+)?", "#", re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text)))


_TEMPLATE_LINES: dict[int, set[str]] = {}


def _template_lines(corpus: Corpus) -> set[str]:
    """Lines that at least 2 % of the reports (and 5) hold whole, figures aside: the template's table
    headers and fixed lines, standard wording like the rules' quotations."""
    if id(corpus) not in _TEMPLATE_LINES:
        counts: dict[str, int] = defaultdict(int)
        for pages in corpus.pdf_pages:
            for line in {_fold(ln) for p in pages for ln in p.split("\n")}:
                counts[line] += 1
        floor = max(5, math.ceil(0.02 * len(corpus.pdf_pages)))
        _TEMPLATE_LINES[id(corpus)] = {ln for ln, c in counts.items() if c >= floor}
    return _TEMPLATE_LINES[id(corpus)]


def _data_row(line: str) -> bool:
    """A line of figures and short labels (a table row): copied unchanged it is part of the copied block,
    but edited (its figures changed) nothing of the source is left to recognise."""
    return len(_NOT_TEXT.sub("", line)) < MIN_TEXT


def _cases(corpus: Corpus, kinds: set[str] | None = None) -> list[Case]:
    """PAN cases, as (kind, copier, copier chars, source, source chars, copier neutral, source neutral) in
    global offsets, whitespace left out. A case is a contiguous copied passage, as a reader sees it and as
    in PAN's corpora: consecutive copied lines that follow each other in both reports are one case, across
    line and page breaks; lines put in another order (a reshuffled copy) are cases of their own.
    Neutral characters are copied but need not be found (table data rows, standard wording, the source's
    headings inside a copied block, the template's fixed lines): evidence covering them is neither right
    nor wrong. A block of neutral
    lines alone is a case without characters (not counted, only its neutral ones used)."""
    out = []
    template = _template_lines(corpus)
    for c in corpus.cases:
        if kinds and c.kind not in kinds:
            continue
        cp, sp = corpus.pdf_pages[c.copier], corpus.pdf_pages[c.source]
        cfull, sfull = "\n".join(cp), "\n".join(sp)
        segs: dict[tuple[int, int, int], set[int]] = defaultdict(set)
        for p, s, e, q, t, u in c.passages:
            segs[(p, s, e)].update(range(_glob(sp, q, t), _glob(sp, q, u)))
        whole = {(p, s, e): (_glob(sp, q, t), _glob(sp, q, u)) for p, s, e, q, t, u in c.lines or c.passages}
        merged: list[list] = []
        for (p, s, e), (s0, s1) in sorted(whole.items()):
            a0, a1 = _glob(cp, p, s), _glob(cp, p, e)
            src = segs.get((p, s, e), set())
            if _data_row(sfull[s0:s1]) or _fold(sfull[s0:s1]) in template:
                src = set()
            own = set(range(a0, a1)) if src else set()
            last = merged[-1] if merged else None
            if last and 0 <= a0 - last[1] <= 1 and 0 <= s0 - last[5] <= CASE_GAP:
                last[1], last[5] = a1, max(last[5], s1)
                last[2] |= own
                last[3] |= src
                last[6] |= set(range(a0, a1))
                last[7] += [(a0, a1, s0, s1)] if src else []
            else:
                merged.append([a0, a1, own, src, s0, s1, set(range(a0, a1)), [(a0, a1, s0, s1)] if src else []])
        for _, _, own, src, s0, s1, lines, pairs in merged:
            own = {k for k in own if not cfull[k].isspace()}
            src = {k for k in src if not sfull[k].isspace()}
            out.append((c.kind, c.copier, own, c.source, src, lines - own, set(range(s0, s1)) - src, pairs))
    return out


def _on_slides(views: Views, case: Case, ppt: str, slides_of: int | None) -> Case:
    """The case cut to what the compared slides can show: a slide shows the start of some lines. Against a
    PDF, the slide side is cut to its slides and the PDF side to the characters of the same lines there
    (mapped line by line, in proportion); slides against slides keep what both sides' slides show."""
    kind, cp, cc, sc, scs, nc, ns, pairs = case
    show_c, show_s = views.on_slides[cp], views.on_slides[sc]
    to_s, to_c = set(), set()
    for a0, a1, s0, s1 in pairs:
        ka = [k for k in range(a0, a1) if k in show_c]
        ks = [k for k in range(s0, s1) if k in show_s]
        to_s |= {s0 + (k - a0) * (s1 - s0) // max(a1 - a0, 1) for k in ka}
        to_c |= {a0 + (k - s0) * (a1 - a0) // max(s1 - s0, 1) for k in ks}
    if ppt == "ppt":
        return kind, cp, cc & show_c & to_c, sc, scs & show_s & to_s, nc, ns, pairs
    if slides_of == 1:
        return kind, cp, cc & to_c, sc, scs & show_s, nc, ns, pairs
    return kind, cp, cc & show_c, sc, scs & to_s, nc, ns, pairs


def _detections(views: Views, flags: list[Flag], ppt: str, slides_of: int | None = None,
                copier_of: dict[frozenset[int], int] | None = None) -> list[dict[int, set[int]]]:
    """Per evidence of PDF vs PDF (ppt ""), slides vs a PDF ("pdf") or slides vs slides ("ppt"):
    team -> PDF positions. With slides vs a PDF, `slides_of` 0 keeps the copier's slides against the
    source's PDF, 1 the copier's PDF against the source's slides (`copier_of` tells the copier)."""
    tid = {t.team_id: i for i, t in enumerate(views.corpus.teams)}
    out = []
    for f in flags:
        ia, ib = tid[f.a.team_id], tid[f.b.team_id]
        for e in f.evidence:
            fa, fb = e.a_file or f.a.file, e.b_file or f.b.file
            slides = fa.endswith(".pptx") + fb.endswith(".pptx")
            if slides != {"": 0, "pdf": 1, "ppt": 2}[ppt]:
                continue
            if slides_of is not None and copier_of is not None:
                slide_team = ia if fa.endswith(".pptx") else ib
                if (slide_team == copier_of.get(frozenset((ia, ib)), -1)) != (slides_of == 0):
                    continue
            ra = views.ranges(ia, fa, e.a_page, e.a_page_end, e.a_text, e.a_spans)
            rb = views.ranges(ib, fb, e.b_page, e.b_page_end, e.b_text, e.b_spans)
            if ra is not None and rb is not None and ia != ib:
                out.append({ia: ra, ib: rb})
    return out


def plagdet(views: Views, flags: list[Flag], kinds: set[str] | None = None, ppt: str = "") -> dict[str, float]:
    """PAN plagdet; slides vs a PDF measured in each direction apart (the copier's slides against the
    source's pages, its pages against the source's slides: each is one view of the case) and averaged."""
    if ppt != "pdf":
        return _plagdet(views, flags, kinds, ppt)
    both = [_plagdet(views, flags, kinds, ppt, k) for k in (0, 1)]
    out = {k: (both[0][k] + both[1][k]) / 2 for k in ("precision", "recall", "granularity")}
    f1 = 2 * out["precision"] * out["recall"] / (out["precision"] + out["recall"]) if out["recall"] else 0.0
    return {"plagdet": f1 / math.log2(1 + out["granularity"]), **out, "cases": both[0]["cases"]}


def _plagdet(views: Views, flags: list[Flag], kinds: set[str] | None, ppt: str, slides_of: int | None = None
             ) -> dict[str, float]:
    """PAN plagdet: F1 of character-level macro precision and recall, divided by log2(1 + granularity).
    On slides the cases are cut to what the slides show of each side (a slide shows a line's start).
    Characters of evidence that are whitespace or a case's neutral characters count neither way."""
    cases = _cases(views.corpus, kinds)
    if ppt:
        cases = [_on_slides(views, x, ppt, slides_of) for x in cases]
    cases = [x for x in cases if x[2] and x[4]]
    copiers = {(cp, sc) for _, cp, _, sc, *_ in cases}
    copier_of = {frozenset((c.copier, c.source)): c.copier for c in views.corpus.cases}
    dets = [d for d in _detections(views, flags, ppt, slides_of, copier_of)
            if tuple(d) in copiers or tuple(d)[::-1] in copiers]
    all_cases = _cases(views.corpus)
    rec_sum, detected, gran_sum = 0.0, 0, 0
    for _, cp, cc, sc, scs, *_ in cases:
        hit_cp, hit_sc, n_det = set(), set(), 0
        for d in dets:
            if cp in d and sc in d:
                o1, o2 = cc & d[cp], scs & d[sc]
                if o1 and o2:
                    hit_cp |= o1
                    hit_sc |= o2
                    n_det += 1
        rec_sum += (len(hit_cp) + len(hit_sc)) / max(len(cc) + len(scs), 1)
        if n_det:
            detected += 1
            gran_sum += n_det
    prec_sum, judged = 0.0, 0
    for d in dets:
        keys = list(d)
        hit = {k: set() for k in keys}
        neutral = {k: set() for k in keys}
        for _, cp, cc, sc, scs, nc, ns, _ in all_cases:
            if cp in d and sc in d:
                hit[cp] |= cc & d[cp]
                hit[sc] |= scs & d[sc]
                neutral[cp] |= nc
                neutral[sc] |= ns
        size = sum(len({x for x in d[k] - neutral[k] if not views.text[k][x].isspace()} | hit[k]) for k in keys)
        if size:  # evidence on neutral characters alone is not judged
            judged += 1
            prec_sum += sum(len(v) for v in hit.values()) / size
    rec = rec_sum / max(len(cases), 1)
    prec = prec_sum / max(judged, 1)
    gran = gran_sum / detected if detected else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"plagdet": f1 / math.log2(1 + gran), "precision": prec, "recall": rec, "granularity": gran,
            "cases": len(cases)}


def baseline(corpus: Corpus, threshold: float) -> tuple[set[frozenset[int]], float]:
    """The naive method: TF-IDF over character 1-3-grams of whole PDF texts, all pairs, flag when the
    cosine reaches `threshold`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    t = time.perf_counter()
    docs = ["\n".join(p) for p in corpus.pdf_pages]
    x = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(docs)
    sim = (x @ x.T).tocoo()
    year = corpus.year
    out = {frozenset((int(i), int(j))) for i, j, v in zip(sim.row, sim.col, sim.data, strict=True)
           if i < j and v >= threshold and year in (corpus.teams[i].year, corpus.teams[j].year)}
    return out, time.perf_counter() - t


def _fmt(d: dict[str, float]) -> str:
    return (f"plagdet {d['plagdet']:.3f}  precision {d['precision']:.3f}  recall {d['recall']:.3f}  "
            f"granularity {d['granularity']:.2f}  ({d['cases']} passages)")


def quality(seed: int, quick: bool, settings: Settings | None = None, verbose: bool = True,
            base_threshold: float = 0.5) -> dict[str, float]:
    rng = random.Random(seed)
    pairs = load_pairs(pair_dir() / f for f in PAIR_FILES)
    if quick:
        corpus = make_corpus(rng, background=60, prior=30, paraphrase_pairs=pairs, counts={
            "verbatim": 6, "light_edit": 6, "ocr": 4, "cross_year": 4, "self_reuse": 3, "paragraph": 4,
            "paraphrase": 6, "template_only": 6, "real_independent": 3})
    else:
        corpus = make_corpus(rng, background=300, prior=150, paraphrase_pairs=pairs, counts={
            "verbatim": 15, "light_edit": 15, "ocr": 12, "cross_year": 10, "self_reuse": 8, "paragraph": 12,
            "paraphrase": 14, "template_only": 20, "real_independent": 6})
    reports = corpus.reports()
    t = time.perf_counter()
    flags = find_flags(reports, corpus.year, settings=settings)
    took = time.perf_counter() - t
    tid = {tm.team_id: i for i, tm in enumerate(corpus.teams)}
    truth = {frozenset((c.copier, c.source)): c for c in corpus.cases}
    flagged = {frozenset((tid[f.a.team_id], tid[f.b.team_id])): f for f in flags}
    base, base_took = baseline(corpus, base_threshold)
    big = {k: c for k, c in truth.items() if c.kind != "paragraph" and c.fraction >= 0.2}
    tp = sum(1 for k in flagged if k in truth)
    prec = tp / max(len(flagged), 1)
    rec = sum(1 for k in big if k in flagged) / max(len(big), 1)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for k, c in truth.items():
        by_kind[c.kind][0] += k in flagged
        by_kind[c.kind][1] += k in base
        by_kind[c.kind][2] += 1
    controls = {"template_only": corpus.template_pairs, "real_independent": corpus.real_pairs}
    false = {name: (sum(frozenset(p) in flagged for p in ps), sum(frozenset(p) in base for p in ps), len(ps))
             for name, ps in controls.items()}
    other_fp = sum(1 for k in flagged if k not in truth)
    base_fp = sum(1 for k in base if k not in truth)
    kind_ok = sum(
        1 for k, c in truth.items() if k in flagged
        and (flagged[k].kind == "self_prior_year") == (c.kind == "self_reuse")
    ) / max(1, sum(1 for k in truth if k in flagged))
    views = Views(corpus)
    pd_pdf, pd_ppt, pd_pp = plagdet(views, flags), plagdet(views, flags, ppt="pdf"), plagdet(views, flags, ppt="ppt")
    kinds = sorted(by_kind)
    per_kind = {k: [plagdet(views, flags, {k}, ppt=m) for m in ("", "pdf", "ppt")] for k in kinds}
    res = {"reports": len(reports), "flags": len(flags), "precision": prec, "recall_20": rec,
           "template_flags": false["template_only"][0], "real_independent_flags": false["real_independent"][0],
           "kind_accuracy": kind_ok, "seconds": took, "baseline_seconds": base_took,
           **{f"found_{k}": v[0] / max(v[2], 1) for k, v in by_kind.items()},
           **{f"pan_{k}": v for k, v in pd_pdf.items()}, **{f"ppt_pdf_{k}": v for k, v in pd_ppt.items()},
           **{f"ppt_ppt_{k}": v for k, v in pd_pp.items()}}
    if verbose:
        print(f"corpus: {len(corpus.teams)} teams, {len(reports)} reports (PDF+PPT), {len(corpus.cases)} labelled copies")
        print(f"banzu find_flags: {took:.1f} s, {len(flags)} flags; naive TF-IDF baseline (char 1-3-grams, "
              f"cosine >= {base_threshold}): {base_took:.1f} s, {len(base)} flags")
        print(f"document level: precision {prec:.3f} (baseline {sum(k in truth for k in base) / max(len(base), 1):.3f}), "
              f"recall (copies >= 20 %) {rec:.3f}, kind accuracy {kind_ok:.3f}")
        print(f"  {'kind':16s} {'banzu':>7s} {'baseline':>9s}")
        for kind in kinds:
            hit, bhit, n = by_kind[kind]
            print(f"  {kind:16s} {hit:3d}/{n:<3d} {bhit:5d}/{n}")
        for name, (fl, bfl, n) in false.items():
            print(f"  {name:16s} false flags {fl}/{n} (baseline {bfl}/{n})")
        print(f"  other false flags: {other_fp - false['template_only'][0] - false['real_independent'][0]} "
              f"(baseline {base_fp - false['template_only'][1] - false['real_independent'][1]})")
        for f in [f for k, f in flagged.items() if k not in truth][:5]:
            print(f"  false flag: {f.a.team_id} / {f.b.team_id} ratio {f.copy_ratio_a:.3f}/{f.copy_ratio_b:.3f}")
        print(f"passage level (PAN), PDF vs PDF: {_fmt(pd_pdf)}")
        print(f"passage level (PAN), slides vs PDF: {_fmt(pd_ppt)}")
        print(f"passage level (PAN), slides vs slides: {_fmt(pd_pp)}")
        for k in kinds:
            for name, d in zip(("PDF/PDF", "PPT/PDF", "PPT/PPT"), per_kind[k], strict=True):
                print(f"  {k if name == 'PDF/PDF' else '':16s} {name} {_fmt(d)}")
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scale", action="store_true")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--sweep", type=int, default=0, help="document level over this many corpora (seeds 1..N)")
    a = ap.parse_args()
    if a.sweep:
        sweep(range(1, a.sweep + 1), load_pairs(pair_dir() / f for f in PAIR_FILES))
    elif a.scale:
        scale(a.n if not a.quick else 2000, a.new)
    else:
        quality(a.seed, a.quick)
        if not a.quick:
            real_ocr_case(a.seed)


if __name__ == "__main__":
    main()
