"""The audit trail of a year, or of one unit, team or flag."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pipeline.store import review as rv
from web.accounts.roles import can_see, require_area
from web.review.views.common import store


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
