"""The plagiarism flags: the queue, one flag with its evidence side by side, originals, decision, case file."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pipeline.reports.html import segments
from pipeline.store import review as rv
from web.accounts.roles import can, require_area
from web.review import data, integrations, originals
from web.review.views.common import back, decide_from_form, found, require_action, store
from web.review.views.files import original, page_png

EVIDENCE_SHOWN = 8  # passages on the flag page before "show all" (each has two page images)


@require_GET
@require_area("flags")
def flags_queue(request: HttpRequest, year: int) -> HttpResponse:
    state = request.GET.get("state", "open")
    if state not in ("open", "decided", "all"):
        state = "open"
    everything = data.flag_rows(store(), year, "all")
    wanted = {"open": lambda r: r.decision is None, "decided": lambda r: r.decision is not None}.get(state)
    rows = [r for r in everything if wanted is None or wanted(r)]  # one query for the rows and the counts
    return render(
        request,
        "review/flags.html",
        {
            "year": year,
            "rows": [r.cells() for r in rows],
            "state": state,
            "counts": {
                "open": sum(r.decision is None for r in everything),
                "decided": sum(r.decision is not None for r in everything),
                "all": len(everything),
            },
        },
    )


def _flag(year: int, flag_id: str) -> data.FlagRow:
    return found(data.flag_row(store(), year, flag_id), "没有这个查重标记")


@require_GET
@require_area("flags")
def flag_page(request: HttpRequest, year: int, flag_id: str) -> HttpResponse:
    row = _flag(year, flag_id)
    f = row.flag
    shown = len(f.evidence) if request.GET.get("all") == "1" else min(len(f.evidence), EVIDENCE_SHOWN)
    evidence = [
        {
            "i": i,
            "e": e,
            "a": segments(e.a_text, e.a_spans),
            "b": segments(e.b_text, e.b_spans),
            "a_image": originals.renderable(store(), _side_file(row, "a", i)[0]),
            "b_image": originals.renderable(store(), _side_file(row, "b", i)[0]),
        }
        for i, e in enumerate(f.evidence[:shown])
    ]
    return render(
        request,
        "review/flag.html",
        {
            "year": year,
            "row": row,
            "flag": f,
            "evidence": evidence,
            "hidden": len(f.evidence) - shown,
            "decisions": rv.FLAG_DECISIONS,
            "audit": rv.audit_entries(store(), "flag", flag_id, year=year),
            "can_decide": can(request.user, "decide_flag"),
            "casefile": True,
        },
    )


def _side_file(row: data.FlagRow, side: str, index: int | None) -> tuple[str | None, int | None]:
    """The SHA-256 and page of one side (of one evidence passage, or the side's report)."""
    if side not in ("a", "b"):
        raise Http404
    f = row.flag
    s = f.a if side == "a" else f.b
    file, page = s.file, None
    if index is not None:
        if not 0 <= index < len(f.evidence):
            return None, None
        e = f.evidence[index]
        file = (e.a_file if side == "a" else e.b_file) or s.file
        page = e.a_page if side == "a" else e.b_page
    return data.side_sha(store(), s.year, s.team_id, file), page


@require_GET
@require_area("flags")
def flag_evidence_image(request: HttpRequest, year: int, flag_id: str, side: str, index: int) -> HttpResponse:
    sha, page = _side_file(_flag(year, flag_id), side, index)
    if sha is None or page is None:
        raise Http404("没有这段证据的原件")
    return page_png(sha, page)


@require_GET
@require_area("flags")
def flag_original(request: HttpRequest, year: int, flag_id: str, side: str) -> HttpResponse:
    row = _flag(year, flag_id)
    sha, _ = _side_file(row, side, None)
    return original(sha, (row.flag.a if side == "a" else row.flag.b).file)


@require_POST
@require_area("flags")
def flag_decide(request: HttpRequest, year: int, flag_id: str) -> HttpResponse:
    require_action(request, "decide_flag")
    _flag(year, flag_id)
    decide_from_form(request, rv.decide_flag, year, flag_id, "已记录复核结论")
    return back(reverse("flag", args=[year, flag_id]))


@require_GET
@require_area("flags")
def flag_casefile(request: HttpRequest, year: int, flag_id: str) -> HttpResponse:
    row = _flag(year, flag_id)
    pdf = integrations.case_file_pdf(store(), year, row.flag)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casefile-{flag_id}.pdf"'
    return response
