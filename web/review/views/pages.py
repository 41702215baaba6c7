"""The pages of a unit's or a team's file as the workspace shows them, each with its findings."""

from __future__ import annotations

from web.review import data, originals
from web.review.views.common import store


def document_pages(
    ws: data.Workspace, path: str | None, findings: list[data.Finding], kinds: list[str] | None = None
) -> dict | None:
    """The pages of one file of the object, each with the findings that point at it."""
    f = ws.files.get(path or "")
    if f is None:
        return None
    doc = store().latest_document(f.sha256)
    count = f.pages or (len(doc.pages) if doc else 0)
    by_number = {p.page: p for p in doc.pages} if doc else {}
    pages = []
    for n in range(1, count + 1):
        page = by_number.get(n)
        w, h = (page.width, page.height) if page and page.width and page.height else (595.0, 842.0)
        kind = kinds[n - 1] if kinds and n <= len(kinds) else ""
        pages.append(
            {
                "n": n,
                "kind": data.DOCUMENT_TITLES.get(kind, ""),
                "text": page.text if page else "",
                "height": round(originals.PAGE_WIDTH_PX * h / w),
                "findings": [x for x in findings if x.problem.page == n and x.problem.file in (None, path)],
                "places": range(len(places(findings, n, path))),
            }
        )
    return {"file": f, "pages": pages, "image": originals.renderable(store(), f.sha256)}


def places(findings: list[data.Finding], page: int, path: str | None) -> list[tuple[float, float, float, float]]:
    """The places findings point at on one page of a file (Problem.regions), without repeats."""
    out: list[tuple[float, float, float, float]] = []
    for x in findings:
        if x.problem.page == page and x.problem.file in (None, path):
            out.extend(r for r in (tuple(r) for r in x.problem.regions or []) if r not in out)  # type: ignore[misc]
    return out
