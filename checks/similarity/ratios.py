"""CNKI-style 文字复制比 of one report, the numbers a discipline officer already knows how to read.

CNKI's report gives the total ratio, the ratio without quoted and standard text (去除引用), without the
author's own earlier work (去除本人), the largest single source and the ratio per section. Here the
sources are the reports of every flag the report is in; 'quoted' is the activity's template and standard
wording plus phrases most reports share (they are never evidence); 'own earlier work' is the same team's
report of an earlier year. All ratios share one denominator, the report's characters without punctuation
and spaces, so they can be compared with each other as CNKI's can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from core.model import CopyRatios, SectionRatio

from .align import Side

HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3}[、.．][^\n]{1,30})$", re.MULTILINE)


@dataclass
class Source:
    """The passages of one flagged source, on this report's side (normalised positions)."""

    team_id: str
    year: int
    team: str
    own_earlier: bool  # the same team's earlier report (去除本人 leaves it out)
    spans: list[tuple[int, int]]


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def sections(side: Side) -> list[tuple[str, int, int]]:
    """(heading, start, end) in normalised positions, from the report's own headings (一、… 十、…); the text
    before the first heading is left out."""
    nt = side.nt
    if not len(nt.text):
        return []
    key = nt.page.astype(np.int64) * (1 << 32) + nt.offset.astype(np.int64)
    starts: list[tuple[str, int]] = []
    for p, text in enumerate(nt.pages):
        for m in HEADING.finditer(text or ""):
            pos = int(np.searchsorted(key, p * (1 << 32) + m.start(1)))
            if pos < len(nt.text) and (not starts or pos > starts[-1][1]):
                starts.append((m.group(1).strip(), pos))
    return [(h, s, starts[k + 1][1] if k + 1 < len(starts) else len(nt.text)) for k, (h, s) in enumerate(starts)]


def report_ratios(side: Side, file: str, sources: list[Source]) -> CopyRatios:
    """The ratios of one report over its flagged sources."""
    n = len(side.nt.text)
    quoted = side.excluded[:n]  # template, standard wording, common phrases

    def cover(srcs: list[Source]) -> np.ndarray:
        out = np.zeros(n, bool)
        for s in srcs:
            for a, b in s.spans:
                out[max(0, a) : min(n, b)] = True
        return out

    every = cover(sources)
    own = every & ~quoted
    others = cover([s for s in sources if not s.own_earlier]) & ~quoted
    denom = max(n, 1)
    per_source = [(int((cover([s]) & ~quoted).sum()), s) for s in sources]
    largest_chars, largest = max(per_source, key=lambda t: t[0], default=(0, None))
    secs = []
    for heading, s, e in sections(side):
        secs.append(SectionRatio(heading=heading, chars=e - s, ratio=round(float(own[s:e].sum()) / max(e - s, 1), 4)))
    total = round(float((every | side.template[:n]).sum()) / denom, 4)
    r = CopyRatios(
        file=file,
        chars=n,
        total=total,
        without_template=round(float(own.sum()) / denom, 4),
        without_self=round(float(others.sum()) / denom, 4),
        largest=round(largest_chars / denom, 4),
        largest_team_id=largest.team_id if largest else None,
        largest_year=largest.year if largest else None,
        largest_team=largest.team if largest else "",
        sections=secs,
    )
    who = f"{largest.year}年“{largest.team or largest.team_id}”的报告" if largest else "任何单一来源"
    r.notes = {
        "total": f"总文字复制比 {_pct(r.total)}：与被标记的其他报告相同的文字，连同活动模板和标准用语，占全文字数（不计标点空格）的比例。",
        "without_template": f"去除引用文字复制比 {_pct(r.without_template)}：不计活动模板、标准用语和多数报告共有的行业常用语后，与其他报告相同的文字占全文的比例。",
        "without_self": f"去除本人文字复制比 {_pct(r.without_self)}：再不计与本班组往年报告相同的文字后，与其他班组报告相同的文字占全文的比例。",
        "largest": f"单篇最大文字复制比 {_pct(r.largest)}：与{who}相同的文字占全文的比例（不计模板和常用语）。",
        "sections": "各部分文字复制比：按报告自己的标题（一、班组概况……）分段，每段中与其他报告相同的文字占该段字数的比例。",
    }
    return r
