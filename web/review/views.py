"""Pages of the review workspace: roster, unit, team, flags queue, audit trail; and the decision forms.

Every view checks the role (web.accounts.roles) and resolves files only from the object named in the
URL; every change goes through pipeline.store.review, which checks the role again and writes the trail.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.reference import default_year
from core.settings import get_settings
from pipeline.reports.html import segments
from pipeline.store import Store
from pipeline.store import review as rv
from web.accounts.roles import actor, can, can_see, require_area
from web.review import data, integrations, originals
from web.review.integrations import accept_late_submission

EVIDENCE_SHOWN = 8  # passages on the flag page before "show all" (each has two page images)


@lru_cache(maxsize=1)
def store() -> Store:
    return Store(get_settings())


def _year(request: HttpRequest, year: int | None = None) -> int:
    if year is not None:
        return year
    raw = request.GET.get("year", "")
    if raw.isdigit():
        return int(raw)
    known = data.years(store())
    return known[0] if known else default_year()  # the newest year with rules, not the calendar's


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(fallback)


def _decide(request: HttpRequest, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied("无权进行此操作")


def _apply(request: HttpRequest, change, ok: str) -> None:  # noqa: ANN001 - a zero-argument callable
    """Run a change; a refusal the person can fix becomes a message, not an error page."""
    try:
        change()
    except rv.NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except rv.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ok)


def _match(text: str, *values: str) -> bool:
    needle = text.strip().casefold()
    return not needle or any(needle in (v or "").casefold() for v in values)


# ---------------------------------------------------------------- roster


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if can_see(request.user, "roster"):
        return roster(request)
    return render(request, "review/nothing.html", {})


@require_GET
@require_area("roster")
def roster(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    ws = data.Workspace(store(), year)
    status, q = request.GET.get("status", ""), request.GET.get("q", "")
    only_new = request.GET.get("new") == "1"
    units = [
        u
        for u in ws.units
        if (not status or u.status == status)
        and (not only_new or u.new)
        and _match(q, u.name, *(t.name for t in u.teams), *(t.team_id for t in u.teams))
    ]
    counts = {s: sum(u.status == s for u in ws.units) for s in data.UNIT_STATUSES}
    return render(
        request,
        "review/roster.html",
        {
            "year": year,
            "years": data.years(store()),
            "ws": ws,
            "units": units,
            "counts": counts,
            "statuses": data.UNIT_STATUSES,
            "status": status,
            "q": q,
            "only_new": only_new,
            "can_export": integrations.exports_available and can_see(request.user, "exports"),
        },
    )


@require_GET
@require_area("roster")
def team_list(request: HttpRequest, year: int) -> HttpResponse:
    ws = data.Workspace(store(), year)
    status, q = request.GET.get("status", ""), request.GET.get("q", "")
    only_new = request.GET.get("new") == "1"
    teams = [
        t
        for t in ws.teams
        if (not status or t.status == status)
        and (not only_new or t.new)
        and _match(q, t.team_id, t.name, t.company, t.recommender)
    ]
    counts = {s: sum(t.status == s for t in ws.teams) for s in data.TEAM_STATUSES}
    return render(
        request,
        "review/teams.html",
        {
            "year": year,
            "ws": ws,
            "teams": [t.cells() for t in teams],
            "counts": counts,
            "statuses": data.TEAM_STATUSES,
            "status": status,
            "q": q,
            "only_new": only_new,
        },
    )


# ---------------------------------------------------------------- unit


def _unit(year: int, name: str) -> tuple[data.Workspace, data.UnitRow]:
    ws = data.Workspace(store(), year)
    unit = ws.unit(name)
    if unit is None:
        raise Http404("没有这个推荐单位")
    return ws, unit


def _pages(
    ws: data.Workspace, path: str | None, findings: list[data.Finding], kinds: list[str] | None = None
):
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
                "places": range(len(_places(findings, n, path))),
            }
        )
    return {"file": f, "pages": pages, "image": originals.renderable(store(), f.sha256)}


def _places(findings: list[data.Finding], page: int, path: str | None) -> list[tuple[float, float, float, float]]:
    """The places findings point at on one page of a file (Problem.regions), without repeats."""
    out: list[tuple[float, float, float, float]] = []
    for x in findings:
        if x.problem.page == page and x.problem.file in (None, path):
            out.extend(r for r in (tuple(r) for r in x.problem.regions or []) if r not in out)  # type: ignore[misc]
    return out


@require_GET
@require_area("roster")
def unit_page(request: HttpRequest, year: int, name: str) -> HttpResponse:
    ws, unit = _unit(year, name)
    source = unit.result.source_file if unit.result else None
    return render(
        request,
        "review/unit.html",
        {
            "year": year,
            "ws": ws,
            "unit": unit,
            "doc": _pages(ws, source, unit.findings, unit.result.page_kinds if unit.result else None),
            "documents": [
                (data.DOCUMENT_TITLES[k], v)
                for k, v in (unit.result.documents.items() if unit.result else ())
            ],
            "audit": rv.audit_entries(store(), "unit", name, year=year),
            "can_followup": can(request.user, "unit_followup"),
            "can_accept_late": can(request.user, "accept_late") and accept_late_submission is not None,
            "can_dismiss": can(request.user, "dismiss_finding"),
            "exports_ready": integrations.exports_available and can_see(request.user, "exports"),
            "today": date.today().isoformat(),
        },
    )


def _unit_file(year: int, name: str) -> tuple[data.Workspace, str]:
    ws, unit = _unit(year, name)
    path = unit.result.source_file if unit.result else ""
    if not path or path not in ws.files:
        raise Http404("该单位没有提交文件")
    return ws, path


@require_GET
@require_area("roster")
def unit_original(request: HttpRequest, year: int, name: str) -> HttpResponse:
    ws, path = _unit_file(year, name)
    return _original(ws, path)


@require_GET
@require_area("roster")
def unit_page_image(request: HttpRequest, year: int, name: str, page: int) -> HttpResponse:
    ws, path = _unit_file(year, name)
    return _page_png(ws.files[path].sha256, page)


@require_GET
@require_area("roster")
def unit_place_image(request: HttpRequest, year: int, name: str, page: int, index: int) -> HttpResponse:
    """A picture of the place a finding of the unit points at (the row banzu could not read)."""
    ws, unit = _unit(year, name)
    _, path = _unit_file(year, name)
    places = _places(unit.findings, page, path)
    if not 0 <= index < len(places):
        raise Http404("没有这个位置")
    sha256 = ws.files[path].sha256
    doc = store().latest_document(sha256)
    rotation = next((p.rotation for p in doc.pages if p.page == page), 0) if doc else 0
    png = originals.region_image(store(), sha256, page, places[index], rotation)
    if png is None:
        raise Http404("无法显示这一处")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_POST
@require_area("roster")
def unit_followup(request: HttpRequest, year: int, name: str) -> HttpResponse:
    _decide(request, "unit_followup")
    _unit(year, name)
    status = request.POST.get("status", "")
    raw_date = request.POST.get("notified_on", "")
    try:
        notified_on = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        messages.error(request, "通知日期格式不正确（应为 YYYY-MM-DD）")
        return _back(request, reverse("unit", args=[year, name]))
    _apply(
        request,
        lambda: rv.set_unit_followup(
            store(),
            year,
            name,
            status,
            actor(request),
            notified_on=notified_on,
            note=request.POST.get("note"),
        ),
        "已记录跟进状态",
    )
    return _back(request, reverse("unit", args=[year, name]))


@require_POST
@require_area("roster")
def accept_late(request: HttpRequest, year: int, kind: str, object_id: str) -> HttpResponse:
    """Accept a unit's or a team's late submission with a reason (trust's record; later runs keep it)."""
    _decide(request, "accept_late")
    _, back = _object(year, kind, object_id)
    if accept_late_submission is None:
        raise Http404("逾期接收功能尚未接入")
    _apply(
        request,
        lambda: accept_late_submission(store(), year, kind, object_id, request.POST.get("reason", ""), actor(request)),
        "已接收逾期提交",
    )
    return _back(request, back)


# ---------------------------------------------------------------- team


def _team(year: int, team_id: str) -> tuple[data.Workspace, data.TeamRow]:
    ws = data.Workspace(store(), year)
    team = ws.team(team_id)
    if team is None:
        raise Http404("没有这个班组")
    return ws, team


def _team_file(year: int, team_id: str, kind: str) -> tuple[data.Workspace, str]:
    ws, team = _team(year, team_id)
    path = team.result.files.get(kind)
    if not path or path not in ws.files:
        raise Http404("该班组没有这份文件")
    return ws, path


@require_GET
@require_area("roster")
def team_page(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    ws, team = _team(year, team_id)
    docs = []
    for kind, path in team.result.files.items():
        docs.append(
            {
                "kind": kind,
                "title": data.DOCUMENT_TITLES.get(kind, kind),
                "path": path,
                "doc": _pages(ws, path, team.findings) if path else None,
            }
        )
    return render(
        request,
        "review/team.html",
        {
            "year": year,
            "ws": ws,
            "team": team,
            "docs": docs,
            "flags": data.flags_of_team(store(), year, team_id),
            "audit": rv.audit_entries(store(), "team", team_id, year=year),
            "can_review": can(request.user, "decide_team"),
            "can_accept_late": can(request.user, "accept_late") and accept_late_submission is not None,
            "can_dismiss": can(request.user, "dismiss_finding"),
            "can_see_flags": can(request.user, "decide_flag"),
        },
    )


@require_GET
@require_area("roster")
def team_original(request: HttpRequest, year: int, team_id: str, kind: str) -> HttpResponse:
    ws, path = _team_file(year, team_id, kind)
    return _original(ws, path)


@require_GET
@require_area("roster")
def team_page_image(request: HttpRequest, year: int, team_id: str, kind: str, page: int) -> HttpResponse:
    ws, path = _team_file(year, team_id, kind)
    return _page_png(ws.files[path].sha256, page)


@require_POST
@require_area("roster")
def team_review(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    _decide(request, "decide_team")
    _team(year, team_id)
    _apply(
        request,
        lambda: rv.decide_team(
            store(),
            year,
            team_id,
            request.POST.get("decision", ""),
            request.POST.get("reason"),
            actor(request),
        ),
        "已记录初选结论",
    )
    return _back(request, reverse("team", args=[year, team_id]))


# ---------------------------------------------------------------- findings


def _object(year: int, kind: str, object_id: str) -> tuple[list[data.Finding], str]:
    if kind == "unit":
        _, unit = _unit(year, object_id)
        return unit.findings, reverse("unit", args=[year, object_id])
    if kind == "team":
        _, team = _team(year, object_id)
        return team.findings, reverse("team", args=[year, object_id])
    raise Http404


@require_POST
@require_area("roster")
def finding_dismiss(request: HttpRequest, year: int, kind: str, object_id: str) -> HttpResponse:
    _decide(request, "dismiss_finding")
    findings, back = _object(year, kind, object_id)
    key = request.POST.get("key", "")
    finding = next((f for f in findings if f.key == key), None)
    if finding is None:
        raise Http404("没有这条问题")
    _apply(
        request,
        lambda: rv.dismiss_finding(
            store(), year, kind, object_id, finding.problem, request.POST.get("reason"), actor(request)
        ),
        "已排除该问题",
    )
    return _back(request, back)


@require_POST
@require_area("roster")
def finding_restore(request: HttpRequest, year: int, kind: str, object_id: str) -> HttpResponse:
    _decide(request, "dismiss_finding")
    findings, back = _object(year, kind, object_id)
    key = request.POST.get("key", "")
    if not any(f.key == key and f.dismissal for f in findings):
        raise Http404("没有这条已排除的问题")
    _apply(
        request,
        lambda: rv.restore_finding(
            store(), year, kind, object_id, key, request.POST.get("reason"), actor(request)
        ),
        "已恢复该问题",
    )
    return _back(request, back)


# ---------------------------------------------------------------- flags


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
    row = data.flag_row(store(), year, flag_id)
    if row is None:
        raise Http404("没有这个查重标记")
    return row


@require_GET
@require_area("flags")
def flag_page(request: HttpRequest, year: int, flag_id: str) -> HttpResponse:
    row = _flag(year, flag_id)
    f = row.flag
    evidence = []
    shown = len(f.evidence) if request.GET.get("all") == "1" else min(len(f.evidence), EVIDENCE_SHOWN)
    for i, e in enumerate(f.evidence[:shown]):
        evidence.append(
            {
                "i": i,
                "e": e,
                "a": segments(e.a_text, e.a_spans),
                "b": segments(e.b_text, e.b_spans),
                "a_image": _evidence_renderable(year, row, "a", i),
                "b_image": _evidence_renderable(year, row, "b", i),
            }
        )
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


def _evidence_renderable(year: int, row: data.FlagRow, side: str, index: int) -> bool:
    sha, _ = _side_file(row, side, index)
    return originals.renderable(store(), sha)


@require_GET
@require_area("flags")
def flag_evidence_image(request: HttpRequest, year: int, flag_id: str, side: str, index: int) -> HttpResponse:
    row = _flag(year, flag_id)
    if side not in ("a", "b"):
        raise Http404
    sha, page = _side_file(row, side, index)
    if sha is None or page is None:
        raise Http404("没有这段证据的原件")
    return _page_png(sha, page)


@require_GET
@require_area("flags")
def flag_original(request: HttpRequest, year: int, flag_id: str, side: str) -> HttpResponse:
    row = _flag(year, flag_id)
    if side not in ("a", "b"):
        raise Http404
    sha, _ = _side_file(row, side, None)
    path = originals.archived(store(), sha) if sha else None
    if path is None:
        raise Http404("原件不在档案中")
    s = row.flag.a if side == "a" else row.flag.b
    return _file_response(path, originals.download_name(s.file))


@require_POST
@require_area("flags")
def flag_decide(request: HttpRequest, year: int, flag_id: str) -> HttpResponse:
    _decide(request, "decide_flag")
    _flag(year, flag_id)
    _apply(
        request,
        lambda: rv.decide_flag(
            store(),
            year,
            flag_id,
            request.POST.get("decision", ""),
            request.POST.get("reason"),
            actor(request),
        ),
        "已记录复核结论",
    )
    return _back(request, reverse("flag", args=[year, flag_id]))


@require_GET
@require_area("flags")
def flag_casefile(request: HttpRequest, year: int, flag_id: str) -> HttpResponse:
    row = _flag(year, flag_id)
    pdf = integrations.case_file_pdf(store(), year, row.flag)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casefile-{flag_id}.pdf"'
    return response


# ---------------------------------------------------------------- audit


@require_GET
@require_area("audit")
def audit(
    request: HttpRequest, year: int, kind: str | None = None, object_id: str | None = None
) -> HttpResponse:
    if kind is not None and kind not in ("unit", "team", "flag"):
        raise Http404
    if kind == "flag" and not can_see(request.user, "flags"):
        raise PermissionDenied("无权查看")
    entries = rv.audit_entries(store(), kind, object_id, year=year, limit=None if kind else 500)
    return render(
        request, "review/audit.html", {"year": year, "kind": kind, "object_id": object_id, "entries": entries}
    )


# ---------------------------------------------------------------- files


def _file_response(path, name: str) -> FileResponse:  # noqa: ANN001 - a Path
    kind = originals.content_type(path)
    response = FileResponse(
        path.open("rb"),
        as_attachment=kind is None,
        filename=name,
        content_type=kind or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _original(ws: data.Workspace, path: str) -> HttpResponse:
    archived = originals.archived(store(), ws.files[path].sha256)
    if archived is None:
        raise Http404("原件不在档案中")
    return _file_response(archived, originals.download_name(path))


def _page_png(sha256: str, page: int) -> HttpResponse:
    png = originals.page_image(store(), sha256, page)
    if png is None:
        raise Http404("无法显示这一页")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response
