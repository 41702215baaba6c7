"""The workspace's unit page shows, on the page a finding points at, a picture of the exact place the
finding names (Problem.regions: the statistics rows banzu could not read), cut from the original."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

from PIL import Image

from pipeline.reports.thumbs import CROP_MARGIN, CROP_ZOOM
from tests.web.conftest import YEAR, Served
from tests.web.test_security import login

REGION = (60.0, 140.0, 540.0, 180.0)  # a row across the table, in upright-page points


def test_unit_page_shows_the_place_of_a_finding(served: Served) -> None:
    path = served.out_dir / "completeness.json"
    original = path.read_text(encoding="utf-8")
    report = json.loads(original)
    unit = next(u for u in report["units"] if u.get("source_file"))
    unit["problems"].append({"code": "statistics_unreadable", "message": "统计表中“是否组织发布会”已填写但无法识别，请人工核对。",
                             "page": 1, "file": unit["source_file"], "regions": [list(REGION)]})
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    try:
        c = login(served, "王审")
        base = f"/{YEAR}/units/{quote(unit['unit'])}"
        page = c.get(f"{base}/")
        assert page.status_code == 200
        assert "/pages/1/places/0.png" in page.text
        crop = c.get(f"{base}/pages/1/places/0.png")
        assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
        whole = c.get(f"{base}/pages/1.png")
        with Image.open(io.BytesIO(crop.content)) as a, Image.open(io.BytesIO(whole.content)) as b:
            a.verify()
            assert a.width * a.height < 0.3 * b.width * b.height  # the place, not the page
            width = (REGION[2] - REGION[0] + 2 * CROP_MARGIN) * CROP_ZOOM
            height = (REGION[3] - REGION[1] + 2 * CROP_MARGIN) * CROP_ZOOM
            assert abs(a.width - width) <= 2 and abs(a.height - height) <= 2  # exactly the place, with its margin
        assert c.get(f"{base}/pages/1/places/1.png").status_code == 404
    finally:
        path.write_text(original, encoding="utf-8")
