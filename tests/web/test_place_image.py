"""The workspace's unit page shows, on the page a finding points at, a picture of the exact place
(the statistics table's row banzu could not read or found blank), cut from the archived original."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from PIL import Image

from tests.web.conftest import YEAR, Served
from tests.web.test_security import login


def test_unit_page_shows_the_place_of_a_statistics_finding(served: Served) -> None:
    report = json.loads((served.out_dir / "completeness.json").read_text(encoding="utf-8"))
    placed = [(u, p) for u in report["units"] for p in u.get("problems", []) if p.get("regions")]
    if not placed:
        pytest.fail("the generated inbox has no statistics finding with a place")
    unit, problem = placed[0]
    c = login(served, "王审")
    base = f"/{YEAR}/units/{quote(unit['unit'])}"
    page = c.get(f"{base}/")
    assert page.status_code == 200
    src = f"{base}/pages/{problem['page']}/places/0.png"
    assert f"/pages/{problem['page']}/places/0.png" in page.text
    crop = c.get(src)
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    whole = c.get(f"{base}/pages/{problem['page']}.png")
    with Image.open(io.BytesIO(crop.content)) as a, Image.open(io.BytesIO(whole.content)) as b:
        a.verify()
        assert a.width * a.height < 0.3 * b.width * b.height  # the place, not the page
    assert c.get(f"{base}/pages/{problem['page']}/places/99.png").status_code == 404
