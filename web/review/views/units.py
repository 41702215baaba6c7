"""A recommending unit's page: its merged PDF with findings, the original, page pictures, follow-up."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pipeline.store import review as rv
from web.accounts.roles import actor, can, can_see, require_area
from web.review import data, integrations, originals
from web.review.integrations import accept_late_submission
from web.review.views.common import apply_change, back, found, require_action, store
from web.review.views.files import original, page_png, png_response
from web.review.views.pages import document_pages, places


def unit_of(year: int, name: str) -> tuple[data.Workspace, data.UnitRow]:
    ws = data.Workspace(store(), year)
    return ws, found(ws.unit(name), "没有这个推荐单位")


def _unit_file(year: int, name: str) -> tuple[data.Workspace, data.UnitRow, str]:
    ws, unit = unit_of(year, name)
    path = unit.result.source_file if unit.result else ""
    if not path or path not in ws.files:
        raise Http404("该单位没有提交文件")
    return ws, unit, path


@require_GET
@require_area("roster")
def unit_page(request: HttpRequest, year: int, name: str) -> HttpResponse:
    ws, unit = unit_of(year, name)
    source = unit.result.source_file if unit.result else None
    return render(
        request,
        "review/unit.html",
        {
            "year": year,
            "ws": ws,
            "unit": unit,
            "doc": document_pages(ws, source, unit.findings, unit.result.page_kinds if unit.result else None),
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


@require_GET
@require_area("roster")
def unit_original(request: HttpRequest, year: int, name: str) -> HttpResponse:
    ws, _, path = _unit_file(year, name)
    return original(ws.files[path].sha256, path)


@require_GET
@require_area("roster")
def unit_page_image(request: HttpRequest, year: int, name: str, page: int) -> HttpResponse:
    ws, _, path = _unit_file(year, name)
    return page_png(ws.files[path].sha256, page)


@require_GET
@require_area("roster")
def unit_place_image(request: HttpRequest, year: int, name: str, page: int, index: int) -> HttpResponse:
    """A picture of the place a finding of the unit points at (the row banzu could not read)."""
    ws, unit, path = _unit_file(year, name)
    found = places(unit.findings, page, path)
    if not 0 <= index < len(found):
        raise Http404("没有这个位置")
    sha256 = ws.files[path].sha256
    doc = store().latest_document(sha256)
    rotation = next((p.rotation for p in doc.pages if p.page == page), 0) if doc else 0
    return png_response(originals.region_image(store(), sha256, page, found[index], rotation), "无法显示这一处")


@require_POST
@require_area("roster")
def unit_followup(request: HttpRequest, year: int, name: str) -> HttpResponse:
    require_action(request, "unit_followup")
    unit_of(year, name)
    status = request.POST.get("status", "")
    raw_date = request.POST.get("notified_on", "")
    try:
        notified_on = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        messages.error(request, "通知日期格式不正确（应为 YYYY-MM-DD）")
        return back(reverse("unit", args=[year, name]))
    apply_change(
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
    return back(reverse("unit", args=[year, name]))
