"""A team's page: its registration form and reports with findings, the originals, the 初选 decision."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pipeline.store import review as rv
from web.accounts.roles import can, require_area
from web.review import data
from web.review.integrations import accept_late_submission
from web.review.views.common import back, decide_from_form, found, require_action, store
from web.review.views.files import original, page_png
from web.review.views.pages import document_pages


def team_of(year: int, team_id: str) -> tuple[data.Workspace, data.TeamRow]:
    ws = data.Workspace(store(), year)
    return ws, found(ws.team(team_id), "没有这个班组")


def _team_file(year: int, team_id: str, kind: str) -> tuple[data.Workspace, str]:
    ws, team = team_of(year, team_id)
    path = team.result.files.get(kind)
    if not path or path not in ws.files:
        raise Http404("该班组没有这份文件")
    return ws, path


@require_GET
@require_area("roster")
def team_page(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    ws, team = team_of(year, team_id)
    docs = [
        {
            "kind": kind,
            "title": data.DOCUMENT_TITLES.get(kind, kind),
            "path": path,
            "doc": document_pages(ws, path, team.findings) if path else None,
        }
        for kind, path in team.result.files.items()
    ]
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
    return original(ws.files[path].sha256, path)


@require_GET
@require_area("roster")
def team_page_image(request: HttpRequest, year: int, team_id: str, kind: str, page: int) -> HttpResponse:
    ws, path = _team_file(year, team_id, kind)
    return page_png(ws.files[path].sha256, page)


@require_POST
@require_area("roster")
def team_review(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    require_action(request, "decide_team")
    team_of(year, team_id)
    decide_from_form(request, rv.decide_team, year, team_id, "已记录初选结论")
    return back(reverse("team", args=[year, team_id]))
