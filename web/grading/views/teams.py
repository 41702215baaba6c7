"""An expert's group and a team's page: its documents, the score sheet (80) and the presentation score (20)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from grading.model import MaterialScore
from grading.scores import parse_score
from pipeline.store import grading as gr
from web.grading.views.common import (
    expert_key,
    grading_actor,
    gs,
    is_secretariat,
    to,
)
from web.review import data, originals
from web.review.views.common import apply_change, store
from web.review.views.files import original, page_png


@require_GET
def overview(request: HttpRequest, year: int) -> HttpResponse:
    """An expert: the own group's teams and sheets. The secretariat: every group and its state."""
    if is_secretariat(request):
        names = {e.key: e.name for e in gs().experts()}
        status = gs().group_status(year)
        groups = [
            {"g": g, "leader": names.get(g.leader, g.leader), "members": [names.get(k, k) for k in g.members],
             "submitted": status.get(g.no, (None, None))[0]}
            for g in gs().groups(year)
        ]
        return render(request, "grading/secretariat.html", {
            "year": year, "groups": groups, "state": gs().state_name(year), "draw": gs().current_draw(year),
        })
    key = expert_key(request)
    group = gs().group_of(year, key)
    if group is None:
        return render(request, "grading/expert.html", {"year": year, "group": None})
    mine = {m.team_id: m for m in gs().material_scores(year, group.teams) if m.expert == key}
    pres = {p.team_id: p.score for p in gs().presentation_scores(year) if p.expert == key}
    rows = [{"t": t, "sheet": mine.get(t.team_id), "presentation": pres.get(t.team_id)}
            for t in gs().teams_for_expert(year, key)]
    return render(request, "grading/expert.html", {
        "year": year, "group": group, "rows": rows, "is_leader": group.leader == key,
        "submitted": gs().group_status(year).get(group.no, (None, None))[0],
    })


def _team_docs(year: int, team_id: str) -> tuple[object | None, list[dict]]:
    """The team's documents from the year's latest intake run, for the expert to read."""
    ws = data.Workspace(store(), year)
    row = ws.team(team_id)
    if row is None:
        return None, []
    docs = []
    for kind, path in row.result.files.items():
        f = ws.files.get(path or "")
        docs.append({
            "kind": kind, "title": data.DOCUMENT_TITLES.get(kind, kind), "path": path,
            "pages": range(1, (f.pages if f else 0) + 1),
            "image": bool(f and originals.renderable(store(), f.sha256)),
        })
    return row, docs


def _check_team(request: HttpRequest, year: int, team_id: str) -> None:
    """Experts see only their group's teams (403 otherwise); the secretariat sees every team."""
    if is_secretariat(request):
        if team_id not in {t.team_id for t in gs().teams(year)}:
            raise Http404("没有这个班组")
        return
    try:
        gs().ensure_may_see(year, expert_key(request), team_id)
    except gr.NotAllowed as error:
        raise PermissionDenied(str(error)) from None


@require_GET
def team(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    _check_team(request, year, team_id)
    info = next(t for t in gs().teams(year) if t.team_id == team_id)
    row, docs = _team_docs(year, team_id)
    rules = gs().rules(year)
    context = {"year": year, "team": info, "row": row, "docs": docs, "rules": rules}
    if is_secretariat(request):
        names = {e.key: e.name for e in gs().experts()}
        context["sheets"] = [{"name": names.get(m.expert, m.expert), "m": m}
                             for m in gs().material_scores(year, [team_id])]
    else:
        key = expert_key(request)
        sheet = next((m for m in gs().material_scores(year, [team_id]) if m.expert == key), None)
        context["items"] = [{"item": i, "value": sheet.items.get(i.key) if sheet else None}
                            for i in rules.material_items]
        context["sheet"] = sheet
        context["presentation"] = next(
            (p.score for p in gs().presentation_scores(year) if p.team_id == team_id and p.expert == key), None)
    return render(request, "grading/team.html", context)


@require_POST
def score(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    key = expert_key(request)
    _check_team(request, year, team_id)
    items: dict[str, Decimal] = {}
    errors = []
    for i in gs().rules(year).material_items:
        raw = request.POST.get(f"item-{i.key}", "")
        value = parse_score(raw)
        if value is None:
            errors.append(f"“{i.key}”的得分“{raw}”不是数字")
        else:
            items[i.key] = value
    if errors:
        messages.error(request, "；".join(errors))
    else:
        sheet = MaterialScore(team_id=team_id, expert=key, items=items, comment=request.POST.get("comment", ""))
        apply_change(request, lambda: gs().save_material(year, sheet, grading_actor(request)),
                     f"已保存对 {team_id} 的评分：{sheet.total} 分")
    return to("grading_team", year, team_id)


@require_POST
def presentation(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    _check_team(request, year, team_id)
    value = parse_score(request.POST.get("score", ""))
    if value is None:
        messages.error(request, "现场发布得分须为数字")
    else:
        apply_change(request, lambda: gs().save_presentation(year, team_id, value, grading_actor(request)),
                     f"已保存 {team_id} 的现场发布得分：{value} 分")
    return to("grading_team", year, team_id)


def _team_file_sha(year: int, team_id: str, kind: str) -> tuple[str, str]:
    ws = data.Workspace(store(), year)
    row = ws.team(team_id)
    path = row.result.files.get(kind) if row else None
    if not path or path not in ws.files:
        raise Http404("该班组没有这份文件")
    return ws.files[path].sha256, path


@require_GET
def team_file(request: HttpRequest, year: int, team_id: str, kind: str) -> HttpResponse:
    """The team's original (report PDF, PPT) for the expert; only for a team of the expert's group."""
    _check_team(request, year, team_id)
    sha, path = _team_file_sha(year, team_id, kind)
    return original(sha, path)


@require_GET
def team_page_image(request: HttpRequest, year: int, team_id: str, kind: str, page: int) -> HttpResponse:
    _check_team(request, year, team_id)
    sha, _ = _team_file_sha(year, team_id, kind)
    return page_png(sha, page)
