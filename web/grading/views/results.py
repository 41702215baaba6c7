"""The secretariat's results: the 发布会 sheet, the graded list submitted and approved (第十条), the exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from grading.presentation_sheet import read_presentation_sheet
from pipeline.exports import grading as grading_exports
from web.accounts.roles import actor
from web.grading.views.common import (
    gs,
    require_secretariat,
    saved_upload,
    to,
)
from web.review.views.common import apply_change
from web.review.views.files import XLSX, download


@require_POST
def presentations_import(request: HttpRequest, year: int) -> HttpResponse:
    """The 发布会 sheet uploaded by the secretariat: scores, and teams that did not present."""
    require_secretariat(request)
    upload = request.FILES.get("sheet")
    if upload is None:
        messages.error(request, "请选择发布会评分表（.xlsx）")
        return to("grading_results", year)
    with saved_upload(upload) as path:
        experts = {e.key: e.key for e in gs().experts()} | {e.name: e.key for e in gs().experts()}
        sheet = read_presentation_sheet(path, gs().rules(year), {t.team_id for t in gs().teams(year)}, experts)
    for p in sheet.problems:
        messages.error(request, p.message)
    apply_change(request, lambda: gs().import_presentations(year, sheet.scores, sheet.absent, actor(request),
                                                            upload.name),
                 f"已导入发布得分 {len(sheet.scores)} 条，未参与发布 {len(sheet.absent)} 个班组")
    return to("grading_results", year)


@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    require_secretariat(request)
    final = gs().approved_list(year)
    graded = final or gs().compute(year)
    return render(request, "grading/results.html", {
        "year": year, "graded": graded, "state": gs().state(year), "state_name": gs().state_name(year),
        "final": final is not None,
    })


@require_POST
def results_transition(request: HttpRequest, year: int, action: str) -> HttpResponse:
    require_secretariat(request)
    if action not in ("submit", "approve", "return"):
        raise Http404("未知操作")
    words = {"submit": "评定结果已提交审定", "approve": "评定结果已审定，名单为最终结果", "return": "评定结果已退回"}
    apply_change(request, lambda: gs().transition(year, action, actor(request), request.POST.get("reason")),
                 words[action])
    return to("grading_results", year)


@require_GET
def export(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    """The workbooks; the per-expert scores are for the secretariat only, the certificates only once approved."""
    require_secretariat(request)
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
    return download(body, XLSX, name)
