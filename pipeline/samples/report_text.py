"""Realistic Chinese team achievement reports (成果报告) for samples, tests and the plagiarism benchmark.

A report follows the activity's standard template (一、班组概况 … 十、总结及下一步打算) and repeats the
activity's standard wording, as real reports do, but its content is composed from a construction domain's
vocabulary (data/similarity/report_vocab.toml), random people, places, projects and numbers, so that
thousands of generated reports are not near-duplicates of each other: plagiarism detection must find
copies, not the generator's own phrasing.
"""

from __future__ import annotations

import random

from pipeline.samples.report_constants import HEADINGS, PAGE_CHARS, STANDARD_WORDING, VOCAB_PATH
from pipeline.samples.report_writer import _domain, _Writer, domains, vocab

__all__ = [
    "HEADINGS",
    "PAGE_CHARS",
    "STANDARD_WORDING",
    "VOCAB_PATH",
    "domains",
    "make_report",
    "make_slides",
    "vocab",
]


def make_report(
    rng: random.Random, *, team: str, company: str, year: int, topic: str | None = None
) -> list[str]:
    """The text of one team achievement report, split into pages (~6,000 characters in all)."""
    dom = _domain(rng, team, topic)
    w = _Writer(rng, team, company, year, dom)
    title = (
        f"{company}\n{team}\n"
        + f"{year}年度工程建设质量信得过班组活动成果报告\n"
        + f"提高{w.element}{w.item}合格率\n"
        + f"发布人：{w.leader}\n{w.date(6)}"
    )
    sections = [
        w.overview(),
        w.reasons(),
        w.survey(),
        w.causes_section(),
        w.confirm(),
        w.plans(),
        w.implement(),
        w.effect(),
        w.consolidate(),
        w.summary(),
    ]
    pages: list[str] = [title]
    current = ""
    for heading, paras in zip(HEADINGS, sections, strict=True):
        for i, p in enumerate(paras):
            block = f"{heading}\n{p}" if i == 0 else p
            if current and len(current) + len(block) > PAGE_CHARS:
                pages.append(current)
                current = block
            else:
                current = f"{current}\n{block}" if current else block
    if current:
        pages.append(current)
    return pages


def make_slides(report_pages: list[str]) -> list[str]:
    """Condensed slide texts (the PPT version): the title, then one slide per heading with key sentences."""
    if not report_pages:
        return []
    slides = ["\n".join(report_pages[0].splitlines()[:4])]
    text = "\n".join(report_pages[1:])
    chunks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line in HEADINGS:
            chunks.append((line, []))
        elif chunks:
            chunks[-1][1].append(line)
    for heading, lines in chunks:
        keep: list[str] = []
        size = 0
        for line in lines:
            first = line.split("。")[0].strip()
            if not first or len(first) < 6:
                continue
            first = first[:90]
            keep.append(first)
            size += len(first)
            if size > 260:
                break
        slides.append(heading + "\n" + "\n".join(keep))
    return slides
