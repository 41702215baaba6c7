"""A team's presentation shows its slides in the workspace, as its PDFs show their pages: LibreOffice lays
the deck out once (time-limited, cached) and each slide is served as a picture."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

from PIL import Image

from extractors.legacy import soffice_path
from tests.conftest import require_tool
from tests.web.conftest import YEAR, Served
from tests.web.test_security import login


def test_a_presentation_shows_its_slides(served: Served) -> None:
    require_tool("LibreOffice", soffice_path() is not None)
    report = json.loads((served.out_dir / "completeness.json").read_text(encoding="utf-8"))
    team = next(
        t for t in report["teams"] if (t["files"].get("report_ppt") or "").lower().endswith(".pptx")
    )
    c = login(served, "王审")
    page = c.get(f"/{YEAR}/teams/{quote(team['team_id'])}/")
    slide_url = f"/{YEAR}/teams/{quote(team['team_id'])}/files/report_ppt/pages/1.png"
    assert page.status_code == 200 and f'src="{slide_url}"' in page.text  # the slide is pictured on the page
    shot = c.get(slide_url)
    assert shot.status_code == 200 and shot.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(shot.content))
    assert image.width >= 800 and image.width > image.height  # a slide: landscape
    assert image.convert("L").getextrema()[0] < 128  # something is drawn on it, not a blank picture
    assert c.get(slide_url.replace("1.png", "999.png")).status_code == 404
