"""One recommending unit's e-mailed PDF: letter, statistics table and award list merged into one file.

Units merge in whatever order their scanner fed the sheets; some leave a document out; some scan
everything (crooked, some sheets sideways or upside down). The truth records which 1-based pages
hold which document, so completeness checks can be scored page by page.
"""

from __future__ import annotations

import random
from typing import Any

import pymupdf

from core.reference import YearRules
from pipeline.samples.pdfdraw import merge_pdfs
from pipeline.samples.scan import scan_pdf
from pipeline.samples.statistics_form import build_statistics_table_pdf, make_statistics_fields
from pipeline.samples.truth import UnitTruth
from pipeline.samples.unit_docs import LEVELS, TeamLine, build_award_list, build_recommendation_letter

KINDS = ("recommendation_letter", "statistics_table", "award_list")


def award_list_lines(rng: random.Random, recommended: list[TeamLine], others: list[TeamLine]) -> list[TeamLine]:
    """Last year's award list: the recommended teams (top levels) among the other awarded teams."""
    lines = [TeamLine(t.name, t.company, t.achievement, rng.choice(LEVELS[:2])) for t in recommended]
    lines += [TeamLine(t.name, t.company, t.achievement, t.level or rng.choice(LEVELS)) for t in others]
    rng.shuffle(lines)
    lines.sort(key=lambda t: LEVELS.index(t.level) if t.level in LEVELS else 9)
    return lines


def build_unit_bundle(rng: random.Random, unit: str, rules: YearRules, *, recommended: list[TeamLine],
                      award_others: list[TeamLine] | None = None, listed: bool = True, font: str = "china-s",
                      omit: tuple[str, ...] = (), blank: list[str] | None = None,
                      order: tuple[str, ...] | None = None, scanned: bool = False,
                      scanned_kinds: tuple[str, ...] = (),
                      rotations: dict[int, int] | None = None, letter_style: str = "table",
                      mark: str = "column", tick: str = "√", fields: dict[str, Any] | None = None,
                      scan_options: dict[str, Any] | None = None, numbers: str = "plain",
                      photo_kinds: tuple[str, ...] = ()) -> tuple[bytes, UnitTruth]:
    """The merged PDF of one unit and its truth (file left "" for the caller to set).

    `recommended` are the teams the letter names (as written); `omit` leaves documents out;
    `blank` leaves 附件3 items empty; `scanned` scans every page, `scanned_kinds` only those documents
    (a letter exported as PDF merged with scanned tables), `photo_kinds` as phone photos;
    `rotations` (1-based page -> degrees, the
    clockwise turn that makes the page upright) applies to scanned pages only; `scan_options` go to
    `scan_pdf` (dpi, grayscale, jpeg_quality, noise, blur, skew_max_deg).
    """
    year = rules.year
    if fields is None:
        fields = make_statistics_fields(rng, rules, recommended=len(recommended), unit=unit, blank=blank)
    award = award_list_lines(rng, recommended, award_others or [])
    marked = {t.name for t in recommended}
    parts: dict[str, bytes] = {}
    if "recommendation_letter" not in omit:
        parts["recommendation_letter"] = build_recommendation_letter(
            rng, unit, recommended, year=year, font=font, style=letter_style
        )
    if "statistics_table" not in omit:
        parts["statistics_table"] = build_statistics_table_pdf(fields, rules, unit, font=font, tick=tick,
                                                               numbers=numbers)
    if "award_list" not in omit:
        parts["award_list"] = build_award_list(rng, unit, award, marked, year=year, font=font, mark=mark)
    order = tuple(k for k in (order or KINDS) if k in parts) + tuple(k for k in KINDS if k in parts and k not in (order or KINDS))
    documents: dict[str, list[int]] = {}
    page = 1
    for kind in order:
        n = pymupdf.open("pdf", parts[kind]).page_count
        documents[kind] = list(range(page, page + n))
        page += n
    total = page - 1
    if scanned:
        scanned_kinds = order
    scanned_kinds = tuple(dict.fromkeys((*scanned_kinds, *photo_kinds)))
    scanned_pages = sorted(p for k in scanned_kinds for p in documents.get(k, []))
    photo_pages = sorted(p for k in photo_kinds for p in documents.get(k, []))
    turns = {p: r % 360 for p, r in (rotations or {}).items() if p in scanned_pages and r % 360}
    merged_parts = []
    for kind in order:
        if kind in scanned_kinds:  # this sheet went through the scanner; the others were exported as PDF
            first = documents[kind][0]
            local = {p - first + 1: r for p, r in turns.items() if p in documents[kind]}
            photos = {p - first + 1 for p in photo_pages if p in documents[kind]}
            merged_parts.append(scan_pdf(parts[kind], rotations=local, rng=rng, photo_pages=photos,
                                         **(scan_options or {})))
        else:
            merged_parts.append(parts[kind])
    merged = merge_pdfs(merged_parts)
    required = [i.key for i in rules.statistics_items if i.required and not i.when]
    if fields.get("是否组织发布会"):
        required += [i.key for i in rules.statistics_items if i.when]
    blanks = [k for k in required if fields.get(k) is None]
    problems = [f"missing_{k}" for k in KINDS if k in omit]
    if blanks and "statistics_table" not in omit:
        problems.append("incomplete_statistics_table")
    if not listed:
        problems.append("unlisted_recommender")
    truth = UnitTruth(
        file="",
        unit=unit,
        listed=listed,
        scanned=bool(scanned_pages),
        scanned_pages=scanned_pages,
        photo_pages=photo_pages,
        font=font,
        pages=total,
        documents=documents,
        page_rotations=[turns.get(p, 0) for p in range(1, total + 1)],
        fields=None if "statistics_table" in omit else fields,
        blank_fields=[] if "statistics_table" in omit else blanks,
        recommended_teams=[] if "recommendation_letter" in omit else [t.name for t in recommended],
        recommended_companies=[] if "recommendation_letter" in omit else [t.company for t in recommended],
        award_list_teams=[] if "award_list" in omit else [t.name for t in award],
        award_list_marked=[] if "award_list" in omit else sorted(marked),
        problems=problems,
    )
    return merged, truth
