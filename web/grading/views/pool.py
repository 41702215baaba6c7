"""The expert pool (专家库): who may be drawn on a day and why not, the workbook import, edits with a reason."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from grading.pool import ineligibility_reason, read_pool_workbook
from web.accounts.roles import actor
from web.grading.views.common import (
    gs,
    require_secretariat,
    saved_upload,
    to,
)
from web.review.views.common import apply_change


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    years = gs().years()
    return to("grading_overview", years[0] if years else date.today().year)


@require_GET
def pool(request: HttpRequest) -> HttpResponse:
    """The expert pool (专家库) and who may be drawn on a day (第十二条); the secretariat edits it here."""
    require_secretariat(request)
    try:
        day = date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else date.today()
    except ValueError:
        day = date.today()
    rows = [{"e": e, "why": ineligibility_reason(e, day)} for e in gs().experts()]
    return render(request, "grading/pool.html", {"rows": rows, "day": day, "year": (gs().years() or [None])[0]})


@require_POST
def pool_import(request: HttpRequest) -> HttpResponse:
    require_secretariat(request)
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, "请选择专家库工作簿（.xlsx）")
        return to("grading_pool")
    with saved_upload(upload) as path:
        result = read_pool_workbook(path)
    for p in result.problems:
        messages.error(request, p.message)
    apply_change(request, lambda: gs().import_experts(result.experts, actor(request), upload.name),
                 f"已导入专家 {len(result.experts)} 人")
    return to("grading_pool")


@require_POST
def pool_edit(request: HttpRequest) -> HttpResponse:
    """One expert's registration, appointment end, login account or declared 回避单位, with a reason."""
    require_secretariat(request)
    key = request.POST.get("key", "").strip()
    changes: dict[str, object] = {}
    if request.POST.get("registered") in ("yes", "no"):
        changes["registered"] = request.POST["registered"] == "yes"
    if request.POST.get("appointed_to"):
        try:
            changes["appointed_to"] = date.fromisoformat(request.POST["appointed_to"])
        except ValueError:
            messages.error(request, "聘任期截止日须为 YYYY-MM-DD")
            return to("grading_pool")
    if request.POST.get("account", "").strip():
        changes["account"] = request.POST["account"].strip()
    if request.POST.get("avoid", "").strip():
        changes["avoid"] = [a.strip() for a in request.POST["avoid"].replace("；", ";").split(";") if a.strip()]
    reason = request.POST.get("reason", "").strip()
    if not changes or not reason:
        messages.error(request, "请填写要修改的内容和理由")
    else:
        apply_change(request, lambda: gs().update_expert(key, actor(request), reason, **changes), f"已修改专家 {key}")
    return to("grading_pool")
