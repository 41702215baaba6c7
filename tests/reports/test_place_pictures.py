"""Where banzu cannot decide, the finding carries a picture of the exact place (the item's row), cut
from the archived original, beside the page pictures and shown under the finding in index.html."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from checks.completeness.statistics_table import read_statistics
from core.codes import Code
from core.model import CompletenessReport, FileResult, FlagsReport, Problem, StatisticsReport, UnitResult
from core.reference import year_rules
from extractors import extract
from pipeline.reports.html import render_index
from pipeline.reports.thumbs import CROP_ZOOM, render_problem_pages
from pipeline.samples.statistics_form import FORM, MEETING, build_statistics_table_pdf, make_statistics_fields

RULES = year_rules(2024)
UNIT = "江苏省建筑行业协会"


def _unreadable_form(tmp_path: Path) -> tuple[Path, dict]:
    fields = make_statistics_fields(random.Random(2), RULES, recommended=3, unit=UNIT, holds_meeting=False)
    pdf = build_statistics_table_pdf(fields, RULES, UNIT, font="song", marking="circle",
                                     chosen={MEETING: ["是", "否"], FORM: ["资料评审"]})
    path = tmp_path / "江苏省建筑行业协会.pdf"
    path.write_bytes(pdf)
    return path, fields


def test_the_finding_carries_a_picture_of_the_item_row(tmp_path: Path) -> None:
    path, _ = _unreadable_form(tmp_path)
    reading = read_statistics(extract(path, name=path.name).pages, RULES)
    assert reading.unreadable == [MEETING]
    page, region = reading.places[MEETING]
    assert page == 1

    problem = Problem(code=Code.STATISTICS_UNREADABLE, file=path.name, page=1, regions=[region], message="无法识别")
    report = CompletenessReport(
        year=2024,
        units=[UnitResult(unit=UNIT, source_file=path.name, listed=True, problems=[problem])],
        files=[FileResult(path=path.name, sha256="ab" * 32, archive_path=str(path), pages=1)],
    )
    out = tmp_path / "out"
    (out / "thumbs").mkdir(parents=True)
    pictures = render_problem_pages(report, out)
    pic = pictures[(path.name, 1)]
    assert len(pic.crops) == 1
    crop_path = out / pic.crops[0][1]
    with Image.open(crop_path) as crop:
        crop.verify()
    with Image.open(crop_path) as crop, pymupdf.open(path) as doc:
        page_w, page_h = doc[0].rect.width * CROP_ZOOM, doc[0].rect.height * CROP_ZOOM
        assert crop.width * crop.height < 0.25 * page_w * page_h  # a row, not the page
        label = doc[0].search_for(MEETING)[0]
        answer = [r for r in doc[0].search_for("否") if r.x0 > label.x1 and abs(r.y0 - label.y0) < 10][0]
    # the picture covers the item's label and the marks beside it
    x0, y0, x1, y1 = region
    for r in (label, answer):
        assert x0 <= r.x0 and r.x1 <= x1 and y0 <= r.y0 and r.y1 <= y1, (r, region)
    assert crop.height >= (label.y1 - label.y0) * CROP_ZOOM

    html = render_index(report, FlagsReport(year=2024), StatisticsReport(year=2024), out, pictures, RULES)
    assert f'src="{pic.crops[0][1]}"' in html


def test_a_crop_is_cut_from_the_page_image(tmp_path: Path) -> None:
    """The crop is the page's pixels at the place, not a new drawing: its ink matches the page's."""
    from pipeline.reports.thumbs import render_region

    path, _ = _unreadable_form(tmp_path)
    with pymupdf.open(path) as doc:
        label = doc[0].search_for(MEETING)[0]
        png = render_region(doc, 0, 0, (label.x0, label.y0, label.x1, label.y1))
        blank = render_region(doc, 0, 0, (300, 760, 340, 780))  # below the form: empty paper
    ink = int((np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 128).sum())
    none = int((np.asarray(Image.open(io.BytesIO(blank)).convert("L")) < 128).sum())
    assert ink > 50 and none == 0
