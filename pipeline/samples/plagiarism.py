"""A labelled plagiarism corpus: team reports (PDF text and slide text) with known copies between them.

Cases: verbatim copies, light edits (synonyms, changed numbers, reordered sentences), copies that went
through print, scan and OCR, cross-year copies, a team reusing its own earlier report, one-paragraph
copies, and pairs that share only the template. Every copied paragraph is recorded with its character
ranges in both reports (the standard wording excluded), so passage-level plagdet can be measured.

OCR noise is simulated from confusions RapidOCR really makes on Chinese print (形近字, dropped or
doubled characters, half/full-width punctuation, spaces): the real print-scan-OCR path costs 2-5 s per
page, too slow for a labelled corpus of hundreds of reports; see benchmarks/ocr.py for the real path.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from core.model import ReportText
from core.reference import recommending_units
from pipeline.samples import names
from pipeline.samples.paraphrase import PairPool, block_of, body_lines
from pipeline.samples.report_text import (
    HEADINGS,
    PAGE_CHARS,
    STANDARD_WORDING,
    domains,
    make_report,
    make_slides,
)

CASE_KINDS = ("verbatim", "light_edit", "ocr", "cross_year", "self_reuse", "paragraph", "paraphrase", "template_only",
              "real_independent")

SYNONYMS = {
    "提高": "提升", "检查": "检测", "进行": "开展", "通过": "经过", "问题": "缺陷", "采用": "使用",
    "施工": "作业", "现场": "工地", "组织": "安排", "明显": "显著", "全面": "全方位", "要求": "标准",
    "措施": "办法", "效果": "成效", "确认": "认定", "分析": "剖析", "达到": "实现", "共计": "合计",
    "合格率": "达标率", "班组": "小组", "质量": "品质", "制定": "制订", "实施": "执行", "发现": "查出",
}
OCR_CONFUSIONS = {
    "己": "已", "已": "己", "末": "未", "未": "末", "土": "士", "人": "入", "日": "曰", "千": "干",
    "大": "太", "天": "夫", "工": "エ", "力": "カ", "口": "囗", "0": "O", "1": "l", "5": "S", "8": "B",
    "旦": "且", "析": "折", "侧": "测", "测": "侧", "间": "问", "问": "间", "筋": "简", "确": "硝",
    "准": "淮", "率": "卒", "组": "姐", "班": "斑", "施": "旆", "检": "捡", "验": "险", "量": "最",
}
_COMPANY_HEADS = ("中建", "中铁", "中交", "中冶", "中电建", "中能建", "中化", "中核", "陕建", "湖南建工", "浙江建工",
                  "江苏省建", "上海建工", "北京城建", "云南建投", "四川华西", "广东建工", "山西建投", "河南五建")
_COMPANY_MID = ("一局", "二局", "三局", "四局", "五局", "七局", "八局", "十局", "十二局", "十五局", "集团", "路桥", "安装")
_COMPANY_TAIL = ("第一建设有限公司", "第二工程有限公司", "第三建设有限公司", "工程有限公司", "建设集团有限公司",
                 "市政工程有限公司", "安装工程有限公司", "基础设施有限公司")


@dataclass
class Team:
    team_id: str
    team: str
    company: str
    year: int


@dataclass
class Case:
    """One labelled copy: `copier` took paragraphs of `source` (indices into Corpus.teams)."""

    kind: str
    copier: int
    source: int
    fraction: float = 0.0  # share of the copier's report that is copied
    # (copier page, start, end, source page, start, end), 0-based pages of the PDF text
    passages: list[tuple[int, int, int, int, int, int]] = field(default_factory=list)
    # every copied line whole, the same way (standard wording and short table rows included): what a
    # detector may show as copied without being required to find it on its own
    lines: list[tuple[int, int, int, int, int, int]] = field(default_factory=list)


@dataclass
class Corpus:
    year: int
    teams: list[Team]
    pdf_pages: list[list[str]]  # per team: the report's page texts
    cases: list[Case]
    template_pairs: list[tuple[int, int]]  # pairs that share only the template: must not be flagged
    # independent reports whose blocks are different real sentences of one data set: must not be flagged
    real_pairs: list[tuple[int, int]] = field(default_factory=list)

    def reports(self, with_slides: bool = True) -> list[ReportText]:
        out = []
        for t, pages in zip(self.teams, self.pdf_pages, strict=True):
            base = {"year": t.year, "team_id": t.team_id, "team": t.team, "company": t.company}
            out.append(ReportText(**base, file=f"{t.team_id}/成果报告.pdf", sha256=f"{t.team_id}-pdf", pages=pages))
            if with_slides:
                out.append(ReportText(**base, file=f"{t.team_id}/成果报告.pptx", sha256=f"{t.team_id}-ppt",
                                      kind="report_ppt", pages=make_slides(pages)))
        return out


def _company(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(_COMPANY_HEADS) + rng.choice(_COMPANY_MID) + rng.choice(_COMPANY_TAIL)
    return names.company(rng, rng.choice(recommending_units()))


def new_team(rng: random.Random, year: int, n: int, topic: str | None = None) -> Team:
    topic = topic or rng.choice(domains())
    team = f"{rng.choice(['', '第一', '第二', '第三', '项目部', '一分部', '二分部'])}{topic}班组"
    return Team(f"T{year % 100:02d}{n:05d}-{topic}班组", team, _company(rng), year)


# ---------------------------------------------------------------- paragraphs with offsets


def _paragraphs(pages: list[str], headings: bool = False) -> list[tuple[str, int, int]]:
    """(text, page, start offset) of every line of the report body (headings only if asked)."""
    out = []
    for p, text in enumerate(pages):
        if p == 0:
            continue
        pos = 0
        for line in text.split("\n"):
            if line and (headings or line not in HEADINGS):
                out.append((line, p, pos))
            pos += len(line) + 1
    return out


def _without_standard(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) minus the standard wording it contains (boilerplate is not plagiarism)."""
    cuts = [(start, end)]
    for sw in STANDARD_WORDING:
        i = text.find(sw)
        if i < 0:
            continue
        nxt = []
        for s, e in cuts:
            a, b = start + i, start + i + len(sw)
            if b <= s or a >= e:
                nxt.append((s, e))
                continue
            if a > s:
                nxt.append((s, a))
            if b < e:
                nxt.append((b, e))
        cuts = nxt
    return [(s, e) for s, e in cuts if e - s >= 13]


def _paginate(blocks: list[tuple[str, object]]) -> tuple[list[str], list[tuple[int, int, int, object]]]:
    """Packs (line, tag) into pages; returns the pages and (page, start, end, tag) of tagged lines."""
    pages: list[str] = []
    where: list[tuple[int, int, int, object]] = []
    cur: list[str] = []
    size = 0
    for line, tag in blocks:
        if cur and size + len(line) > PAGE_CHARS and line not in HEADINGS:
            pages.append("\n".join(cur))
            cur, size = [], 0
        start = len("\n".join(cur)) + 1 if cur else 0
        cur.append(line)
        size = len("\n".join(cur))
        if tag is not None:
            where.append((len(pages) + 1, start, start + len(line), tag))  # +1: the title page comes first
    if cur:
        pages.append("\n".join(cur))
    return pages, where


# ---------------------------------------------------------------- edits


def light_edit(rng: random.Random, text: str, synonyms: float = 0.5, numbers: float = 0.6,
               reorder: bool = True) -> str:
    """Synonym swaps, changed numbers and reordered sentences, as a copier hiding a copy would."""
    for w, s in SYNONYMS.items():
        if w in text and rng.random() < synonyms:
            text = text.replace(w, s)

    def num(m: re.Match[str]) -> str:
        if rng.random() >= numbers:
            return m.group(0)
        v = m.group(0)
        if "." in v:
            return f"{float(v) * rng.uniform(0.9, 1.1):.1f}"
        return str(max(1, round(int(v) * rng.uniform(0.8, 1.25)))) if len(v) < 4 else v

    text = re.sub(r"\d+(?:\.\d+)?", num, text)
    if reorder:
        parts = [s for s in re.split(r"(?<=[。；])", text) if s]
        if len(parts) > 2:
            head, rest = parts[0], parts[1:]
            rng.shuffle(rest)
            text = head + "".join(rest) if rng.random() < 0.5 else "".join(rest) + head
    return text


def ocr_noise(rng: random.Random, text: str, rate: float = 0.03) -> str:
    """Confusions, drops, doubled characters and stray spaces at about `rate` per character."""
    out = []
    for ch in text:
        r = rng.random()
        if r < rate * 0.55 and ch in OCR_CONFUSIONS:
            out.append(OCR_CONFUSIONS[ch])
        elif r < rate * 0.7:
            continue
        elif r < rate * 0.8:
            out.append(ch + ch)
        elif r < rate:
            out.append(ch + " ")
        elif ch in "，。：；（）" and rng.random() < 0.3:
            out.append({"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")"}[ch])
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- copying


def copy_into(rng: random.Random, copier_pages: list[str], source_pages: list[str], fraction: float, *,
              edit: bool = False, ocr: bool = False, one_paragraph: bool = False,
              lines_out: list[tuple[int, int, int, int, int, int]] | None = None,
              ) -> tuple[list[str], list[tuple[int, int, int, int, int, int]]]:
    """The copier's report with a contiguous block of the source's paragraphs put in place of its own.
    `lines_out`, when given, receives every copied line whole (see Case.lines)."""
    src = _paragraphs(source_pages)
    own = _paragraphs(copier_pages, headings=True)
    if one_paragraph:
        k0, block = _one_paragraph(rng, src)
    else:
        total = sum(len(t) for t, _, _ in src)
        want = fraction * total
        k0 = rng.randrange(0, max(1, len(src) - 3)) if fraction < 0.9 else 0
        block, got = [], 0
        k = k0
        while got < want and k < len(src) + k0:
            block.append(k % len(src))
            got += len(src[k % len(src)][0])
            k += 1
        block.sort()
    # the copier keeps its own title and headings; copied lines replace its own lines at the same share
    keep_own = own[: int(len(own) * (k0 / max(len(src), 1)))] if not one_paragraph else own[: len(own) // 2]
    tail_own = own[len(keep_own) + len(block):]
    order = list(block)
    if edit and len(order) > 2:
        rng.shuffle(order)
    blocks: list[tuple[str, object]] = [(t, None) for t, _, _ in keep_own]
    for k in order:
        text, page, start = src[k]
        new = light_edit(rng, text) if edit else text
        blocks.append((new, (k, text, page, start)))
    blocks += [(t, None) for t, _, _ in tail_own]
    if ocr:
        blocks = [(ocr_noise(rng, t), tag) for t, tag in blocks]
    body, where = _paginate(blocks)
    pages = [ocr_noise(rng, copier_pages[0]) if ocr else copier_pages[0], *body]
    passages = []
    for cpage, cs, ce, tag in where:
        _, text, spage, sstart = tag  # type: ignore[misc]
        if lines_out is not None:
            lines_out.append((cpage, cs, ce, spage, sstart, sstart + len(text)))
        for s, e in _without_standard(text, sstart, sstart + len(text)):
            # the copier's whole line is the copy (edits move words around inside it)
            passages.append((cpage, cs, ce, spage, s, e))
    return pages, _dedupe(passages)


def _prose(line: str) -> bool:
    """A line of running text (not a table row of cells, not a line of figures)."""
    return line.count(" ") < 2 and len(re.sub(r"[\d\s\W_]+", "", line)) >= 13


def _one_paragraph(rng: random.Random, src: list[tuple[str, int, int]]) -> tuple[int, list[int]]:
    """One paragraph of running text, 180-600 characters: consecutive prose lines of the source (a report
    wraps a paragraph over several lines), else its longest line."""
    cand = []
    for k in range(len(src)):
        got, end = 0, k
        while end < len(src) and _prose(src[end][0]) and got < 180:
            got += len(src[end][0])
            end += 1
        if 180 <= got <= 600:
            cand.append(list(range(k, end)))
    if not cand:
        k = max(range(len(src)), key=lambda k: len(src[k][0]))
        return k, [k]
    block = rng.choice(cand)
    return block[0], block


def _dedupe(passages: list[tuple[int, int, int, int, int, int]]) -> list[tuple[int, int, int, int, int, int]]:
    return sorted(set(passages))


# ---------------------------------------------------------------- the corpus


def with_real_block(rng: random.Random, pages: list[str], pool: PairPool, fraction: float
                    ) -> tuple[list[str], list[tuple[str, int, int, int]]]:
    """The report with a contiguous block of its lines replaced by real sentences (first of each pair);
    returns the pages and (paraphrased line, page, start, end) of every replaced line."""
    lines = body_lines(pages)
    lo, hi = block_of(rng, lines, fraction)
    ks = [k for k in range(lo, hi) if lines[k] not in HEADINGS]
    real = dict(zip(ks, pool.lines([len(lines[k]) for k in ks]), strict=True))
    blocks = [(real[k][0], real[k][1]) if k in real else (ln, None) for k, ln in enumerate(lines)]
    body, where = _paginate(blocks)
    return [pages[0], *body], [(tag, p, s, e) for p, s, e, tag in where]  # type: ignore[misc]


def paraphrase_copy(rng: random.Random, copier_pages: list[str], block: list[tuple[str, int, int, int]]
                    ) -> tuple[list[str], list[tuple[int, int, int, int, int, int]]]:
    """The copier's report with the source's block in place of its own lines at the same share, every
    sentence replaced by its real paraphrase."""
    own = body_lines(copier_pages)
    at = rng.randrange(1, max(2, len(own) // 3))
    blocks: list[tuple[str, object]] = [(ln, None) for ln in own[:at]]
    blocks += [(para, (p, s, e)) for para, p, s, e in block]
    blocks += [(ln, None) for ln in own[at + len(block):]]
    body, where = _paginate(blocks)
    passages = [(cp, cs, ce, *tag) for cp, cs, ce, tag in where]  # type: ignore[misc]
    return [copier_pages[0], *body], _dedupe(passages)


def make_corpus(rng: random.Random, *, year: int = 2024, background: int = 60, prior: int = 30,
                counts: dict[str, int] | None = None, min_fraction: float = 0.2,
                paraphrase_pairs: list[tuple[str, str]] | None = None) -> Corpus:
    """A labelled corpus: `background` independent reports of `year`, `prior` of earlier years, plus cases.

    `paraphrase` cases and `real_independent` pairs need real sentence pairs (`paraphrase_pairs`, see
    pipeline.samples.paraphrase.load_pairs): 30-60 % of the source rewritten sentence by sentence."""
    counts = counts or {"verbatim": 6, "light_edit": 6, "ocr": 4, "cross_year": 4, "self_reuse": 3,
                        "paragraph": 4, "template_only": 6}
    teams: list[Team] = []
    pages: list[list[str]] = []

    def add(t: Team, p: list[str] | None = None) -> int:
        teams.append(t)
        pages.append(p or make_report(rng, team=t.team, company=t.company, year=t.year,
                                      topic=t.team_id.split("-")[1][:-2]))
        return len(teams) - 1

    for _ in range(background):
        add(new_team(rng, year, len(teams)))
    for _ in range(prior):
        add(new_team(rng, year - rng.randint(1, 3), len(teams)))
    cases: list[Case] = []
    for kind in ("verbatim", "light_edit", "ocr", "cross_year", "self_reuse", "paragraph"):
        for _ in range(counts.get(kind, 0)):
            src_year = year - rng.randint(1, 2) if kind in ("cross_year", "self_reuse") else year
            src = add(new_team(rng, src_year, len(teams)))
            if kind == "self_reuse":
                s = teams[src]
                t = Team(f"T{year % 100:02d}{len(teams):05d}-{s.team_id.split('-')[1]}", s.team, s.company, year)
            else:
                t = new_team(rng, year, len(teams), topic=teams[src].team_id.split("-")[1][:-2])
            own = make_report(rng, team=t.team, company=t.company, year=year, topic=t.team_id.split("-")[1][:-2])
            frac = 1.0 if kind == "self_reuse" and rng.random() < 0.5 else round(rng.uniform(min_fraction, 0.95), 2)
            lines: list[tuple[int, int, int, int, int, int]] = []
            new_pages, passages = copy_into(
                rng, own, pages[src], frac, edit=kind in ("light_edit", "self_reuse") or (kind == "ocr" and rng.random() < 0.5),
                ocr=kind == "ocr", one_paragraph=kind == "paragraph", lines_out=lines,
            )
            cop = add(t, new_pages)
            copied = sum(ce - cs for _, cs, ce, _, _, _ in passages)
            cases.append(Case(kind, cop, src, round(copied / max(1, sum(map(len, new_pages))), 3), passages,
                              sorted(lines)))
    pool = PairPool(paraphrase_pairs or [], rng)
    for _ in range(counts.get("paraphrase", 0)):
        src_team = new_team(rng, year, len(teams))
        src_pages, block = with_real_block(rng, make_report(rng, team=src_team.team, company=src_team.company,
                                                            year=year), pool, rng.uniform(0.3, 0.6))
        src = add(src_team, src_pages)
        t = new_team(rng, year, len(teams), topic=src_team.team_id.split("-")[1][:-2])
        own = make_report(rng, team=t.team, company=t.company, year=year, topic=t.team_id.split("-")[1][:-2])
        new_pages, passages = paraphrase_copy(rng, own, block)
        cop = add(t, new_pages)
        copied = sum(ce - cs for _, cs, ce, _, _, _ in passages)
        cases.append(Case("paraphrase", cop, src, round(copied / max(1, sum(map(len, new_pages))), 3), passages))
    real_pairs = []
    for _ in range(counts.get("real_independent", 0)):
        topic = rng.choice(domains())
        pair = []
        for _ in range(2):
            t = new_team(rng, year, len(teams), topic)
            plain = make_report(rng, team=t.team, company=t.company, year=year, topic=topic)
            pair.append(add(t, with_real_block(rng, plain, pool, rng.uniform(0.3, 0.6))[0]))
        real_pairs.append((pair[0], pair[1]))
    template_pairs = []
    for _ in range(counts.get("template_only", 0)):
        topic = rng.choice(domains())
        i = add(new_team(rng, year, len(teams), topic))
        j = add(new_team(rng, year, len(teams), topic))
        template_pairs.append((i, j))
    return Corpus(year, teams, pages, cases, template_pairs, real_pairs)


def print_scan_ocr(rng: random.Random, pages: list[str], *, team: str, company: str, max_pages: int = 3) -> list[str]:
    """The report as banzu would read it after print, scan and OCR: rendered to PDF, scanned
    (pipeline.samples.scan), extracted (extractors.extract, RapidOCR). Costs 2-5 s per page, so only the
    first `max_pages` printed pages are kept."""
    import tempfile
    from pathlib import Path

    import pymupdf

    from extractors import extract
    from pipeline.samples.scan import scan_pdf
    from pipeline.samples.team_docs import build_report_pdf

    pdf = build_report_pdf(pages, team=team, company=company)
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    doc.select(list(range(min(max_pages, doc.page_count))))
    short = doc.tobytes()
    scanned = scan_pdf(short, rng=rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan.pdf"
        path.write_bytes(scanned)
        return [p.text for p in extract(path).pages]
