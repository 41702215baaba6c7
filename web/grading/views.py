"""Pages of expert review: an expert's group and score sheets, the 组长's group view, the secretariat's
results with the 发布会 sheet, submission, approval and the exports.

Every view checks the role here and every change goes through pipeline.store.grading, which checks
again (an expert outside the team's group is refused there too) and writes the audit trail.
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grading.model import MaterialScore
from grading.pool import ineligibility_reason, read_pool_workbook
from grading.presentation_sheet import read_presentation_sheet
from grading.scores import parse_score
from pipeline.exports import grading as grading_exports
from pipeline.store import grading as gr
from web.accounts.roles import actor, role_of
from web.review import data, originals
from web.review.views.common import apply_change, store
from web.review.views.files import original, page_png  # the workspace's safe download (no inline HTML)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@lru_cache(maxsize=1)
def gs() -> gr.GradingStore:
    return gr.GradingStore(store())


def _is_secretariat(request: HttpRequest) -> bool:
    return role_of(request.user) in gr.SECRETARIAT_ROLES


def _require_secretariat(request: HttpRequest) -> None:
    if not _is_secretariat(request):
        raise PermissionDenied("只有秘书处可以进行此操作")


def _expert_key(request: HttpRequest) -> str:
    """The expert of the pool this login belongs to (its linked account, or the same key)."""
    if role_of(request.user) != "expert":
        raise PermissionDenied("只有评审专家可以进行此操作")
    name = request.user.get_username()
    found = gs().expert_for_account(name)
    if found is not None:
        return found.key
    if any(e.key == name for e in gs().experts()):
        return name
    raise PermissionDenied("您的账户未关联专家库中的专家，请联系秘书处")


def _actor(request: HttpRequest) -> gr.Actor:
    a = actor(request)
    return gr.Actor(_expert_key(request), "expert", "web") if a.role == "expert" else a


def _to(name: str, *args: object) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name, args=args))


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    years = gs().years()
    return _to("grading_overview", years[0] if years else date.today().year)


@require_GET
def pool(request: HttpRequest) -> HttpResponse:
    """The expert pool (专家库) and who may be drawn on a day (第十二条); the secretariat edits it here."""
    _require_secretariat(request)
    try:
        day = date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else date.today()
    except ValueError:
        day = date.today()
    rows = [{"e": e, "why": ineligibility_reason(e, day)} for e in gs().experts()]
    return render(request, "grading/pool.html", {"rows": rows, "day": day, "year": (gs().years() or [None])[0]})


@require_POST
def pool_import(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, "请选择专家库工作簿（.xlsx）")
        return _to("grading_pool")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pool.xlsx"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        result = read_pool_workbook(path)
    for p in result.problems:
        messages.error(request, p.message)
    apply_change(request, lambda: gs().import_experts(result.experts, actor(request), upload.name),
                 f"已导入专家 {len(result.experts)} 人")
    return _to("grading_pool")


@require_POST
def pool_edit(request: HttpRequest) -> HttpResponse:
    """One expert's registration, appointment end, login account or declared 回避单位, with a reason."""
    _require_secretariat(request)
    key = request.POST.get("key", "").strip()
    changes: dict[str, object] = {}
    if request.POST.get("registered") in ("yes", "no"):
        changes["registered"] = request.POST["registered"] == "yes"
    if request.POST.get("appointed_to"):
        try:
            changes["appointed_to"] = date.fromisoformat(request.POST["appointed_to"])
        except ValueError:
            messages.error(request, "聘任期截止日须为 YYYY-MM-DD")
            return _to("grading_pool")
    if request.POST.get("account", "").strip():
        changes["account"] = request.POST["account"].strip()
    if request.POST.get("avoid", "").strip():
        changes["avoid"] = [a.strip() for a in request.POST["avoid"].replace("；", ";").split(";") if a.strip()]
    reason = request.POST.get("reason", "").strip()
    if not changes or not reason:
        messages.error(request, "请填写要修改的内容和理由")
    else:
        apply_change(request, lambda: gs().update_expert(key, actor(request), reason, **changes), f"已修改专家 {key}")
    return _to("grading_pool")


@require_GET
def overview(request: HttpRequest, year: int) -> HttpResponse:
    """An expert: the own group's teams and sheets. The secretariat: every group and its state."""
    if _is_secretariat(request):
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
    key = _expert_key(request)
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
    if _is_secretariat(request):
        if team_id not in {t.team_id for t in gs().teams(year)}:
            raise Http404("没有这个班组")
        return
    try:
        gs().ensure_may_see(year, _expert_key(request), team_id)
    except gr.NotAllowed as error:
        raise PermissionDenied(str(error)) from None


@require_GET
def team(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    _check_team(request, year, team_id)
    info = next(t for t in gs().teams(year) if t.team_id == team_id)
    row, docs = _team_docs(year, team_id)
    rules = gs().rules(year)
    context = {"year": year, "team": info, "row": row, "docs": docs, "rules": rules}
    if _is_secretariat(request):
        names = {e.key: e.name for e in gs().experts()}
        context["sheets"] = [{"name": names.get(m.expert, m.expert), "m": m}
                             for m in gs().material_scores(year, [team_id])]
    else:
        key = _expert_key(request)
        sheet = next((m for m in gs().material_scores(year, [team_id]) if m.expert == key), None)
        context["items"] = [{"item": i, "value": sheet.items.get(i.key) if sheet else None}
                            for i in rules.material_items]
        context["sheet"] = sheet
        context["presentation"] = next(
            (p.score for p in gs().presentation_scores(year) if p.team_id == team_id and p.expert == key), None)
    return render(request, "grading/team.html", context)


@require_POST
def score(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    key = _expert_key(request)
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
        apply_change(request, lambda: gs().save_material(year, sheet, _actor(request)),
                     f"已保存对 {team_id} 的评分：{sheet.total} 分")
    return _to("grading_team", year, team_id)


@require_POST
def presentation(request: HttpRequest, year: int, team_id: str) -> HttpResponse:
    _check_team(request, year, team_id)
    value = parse_score(request.POST.get("score", ""))
    if value is None:
        messages.error(request, "现场发布得分须为数字")
    else:
        apply_change(request, lambda: gs().save_presentation(year, team_id, value, _actor(request)),
                     f"已保存 {team_id} 的现场发布得分：{value} 分")
    return _to("grading_team", year, team_id)


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


@require_GET
def group(request: HttpRequest, year: int, no: int) -> HttpResponse:
    """The 组长 (and the secretariat) see every score of the group and where sheets are missing."""
    who = _actor(request)
    try:
        sheets = gs().group_scores(year, no, who)
    except gr.NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except gr.ReviewError as error:
        raise Http404(str(error)) from None
    g = next(g for g in gs().groups(year) if g.no == no)
    names = {e.key: e.name for e in gs().experts()}
    by = {(m.team_id, m.expert): m for m in sheets}
    teams = {t.team_id: t for t in gs().teams(year)}
    rows = [{"t": teams[t], "cells": [by.get((t, k)) for k in g.experts]} for t in g.teams]
    return render(request, "grading/group.html", {
        "year": year, "g": g, "experts": [names.get(k, k) for k in g.experts], "rows": rows,
        "missing": gs().missing_scores(year, g), "submitted": gs().group_status(year).get(no, (None, None))[0],
        "is_leader": who.name == g.leader,
    })


@require_POST
def group_submit(request: HttpRequest, year: int, no: int) -> HttpResponse:
    apply_change(request, lambda: gs().submit_group(year, no, _actor(request)), f"第 {no} 组评分已提交")
    return _to("grading_group", year, no)


@require_POST
def group_reopen(request: HttpRequest, year: int, no: int) -> HttpResponse:
    _require_secretariat(request)
    apply_change(request, lambda: gs().reopen_group(year, no, actor(request), request.POST.get("reason", "")),
                 f"第 {no} 组评分已退回")
    return _to("grading_overview", year)


@require_POST
def presentations_import(request: HttpRequest, year: int) -> HttpResponse:
    """The 发布会 sheet uploaded by the secretariat: scores, and teams that did not present."""
    _require_secretariat(request)
    upload = request.FILES.get("sheet")
    if upload is None:
        messages.error(request, "请选择发布会评分表（.xlsx）")
        return _to("grading_results", year)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sheet.xlsx"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        experts = {e.key: e.key for e in gs().experts()} | {e.name: e.key for e in gs().experts()}
        sheet = read_presentation_sheet(path, gs().rules(year), {t.team_id for t in gs().teams(year)}, experts)
    for p in sheet.problems:
        messages.error(request, p.message)
    apply_change(request, lambda: gs().import_presentations(year, sheet.scores, sheet.absent, actor(request),
                                                            upload.name),
                 f"已导入发布得分 {len(sheet.scores)} 条，未参与发布 {len(sheet.absent)} 个班组")
    return _to("grading_results", year)


@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    _require_secretariat(request)
    final = gs().approved_list(year)
    graded = final or gs().compute(year)
    return render(request, "grading/results.html", {
        "year": year, "graded": graded, "state": gs().state(year), "state_name": gs().state_name(year),
        "final": final is not None,
    })


@require_POST
def results_transition(request: HttpRequest, year: int, action: str) -> HttpResponse:
    _require_secretariat(request)
    if action not in ("submit", "approve", "return"):
        raise Http404("未知操作")
    words = {"submit": "评定结果已提交审定", "approve": "评定结果已审定，名单为最终结果", "return": "评定结果已退回"}
    apply_change(request, lambda: gs().transition(year, action, actor(request), request.POST.get("reason")),
                 words[action])
    return _to("grading_results", year)


@require_GET
def export(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    """The workbooks; the per-expert scores are for the secretariat only, the certificates only once approved."""
    _require_secretariat(request)
    g = gs()
    experts = {e.key: e for e in g.experts()}
    teams = {t.team_id: t for t in g.teams(year)}
    if kind == "groups":
        draw = g.current_draw(year)
        body = grading_exports.groups_workbook(year, g.groups(year), experts, teams,
                                               draw.request.seed if draw else None)
        name = f"{year}年专家组名单.xlsx"
    elif kind == "list":
        body = grading_exports.graded_list_workbook(g.approved_list(year) or g.compute(year), g.state_name(year))
        name = f"{year}年评定结果.xlsx"
    elif kind == "scores":
        body = grading_exports.expert_scores_workbook(year, g.groups(year), g.material_scores(year),
                                                      g.presentation_scores(year), experts, teams, g.rules(year))
        name = f"{year}年专家评分明细（仅限秘书处）.xlsx"
    elif kind == "certificates":
        final = g.approved_list(year)
        if final is None:
            raise Http404("评定结果审定后才有证书名单")
        body = grading_exports.certificates_workbook(final)
        name = f"{year}年证书名单.xlsx"
    else:
        raise Http404("没有这种导出")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
