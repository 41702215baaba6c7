"""The secretariat's downloads: 初选合格名单, 补交通知 (one .docx per unit, or mail-merge rows), 附件3.

The documents are built by pipeline.exports (the exports helper's plain functions) from the latest
run's results with the workspace's decisions applied; this module only checks who asks and serves them.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from core.model import StatisticsReport
from pipeline.store import review as rv
from web.accounts.roles import require_area
from web.review import data, integrations
from web.review.views.common import store
from web.review.views.files import DOCX, XLSX, download


def _workspace(year: int) -> data.Workspace:
    if not integrations.exports_available:
        raise Http404("导出功能尚未接入")
    ws = data.Workspace(store(), year)
    if ws.run is None:
        raise Http404("该年度还没有运行结果")
    return ws


def _resubmit_by(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("by", ""))
    except ValueError:
        return date.today() + timedelta(days=7)


def _notices(ws: data.Workspace, by: date) -> list:
    dismissed = ws.dismissed

    def is_dismissed(f) -> bool:  # noqa: ANN001 - pipeline.exports.followup.Finding
        return rv.finding_key(f.problem) in dismissed.get((f.level, f.subject), {})

    return integrations._followup.followup_notices(ws.report, by, dismissed=is_dismissed)  # noqa: SLF001


@require_GET
@require_area("exports")
def shortlist(request: HttpRequest, year: int) -> HttpResponse:
    ws = _workspace(year)
    body = integrations._shortlist.shortlist_workbook(rv.with_reviews(store(), ws.report))  # noqa: SLF001
    return download(body, XLSX, f"{year}年初选合格名单.xlsx")


@require_GET
@require_area("exports")
def followup_rows(request: HttpRequest, year: int) -> HttpResponse:
    ws = _workspace(year)
    body = integrations._followup.mail_merge_workbook(_notices(ws, _resubmit_by(request)))  # noqa: SLF001
    return download(body, XLSX, f"{year}年补交通知（邮件合并）.xlsx")


@require_GET
@require_area("exports")
def followup_unit(request: HttpRequest, year: int, name: str) -> HttpResponse:
    ws = _workspace(year)
    notice = next((n for n in _notices(ws, _resubmit_by(request)) if n.unit == name), None)
    if notice is None:
        raise Http404("该单位没有需要补交的内容")
    body = integrations._followup.notice_docx(notice)  # noqa: SLF001
    return download(body, DOCX, f"{year}年补交通知-{name}.docx")


@require_GET
@require_area("exports")
def attachment3(request: HttpRequest, year: int) -> HttpResponse:
    ws = _workspace(year)
    path = Path(ws.run.out_dir) / "statistics.json"
    if not path.exists():
        raise Http404("该次运行没有统计结果")
    statistics = StatisticsReport.model_validate(json.loads(path.read_text(encoding="utf-8")))
    body = integrations._attachment3.attachment3_workbook(statistics, ws.report)  # noqa: SLF001
    return download(body, XLSX, f"{year}年附件3统计汇总.xlsx")
