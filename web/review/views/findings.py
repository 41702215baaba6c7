"""Changes to a unit's or a team's findings: dismissing and restoring one, accepting a late submission."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from pipeline.store import review as rv
from web.accounts.roles import actor, require_area
from web.review import data
from web.review.integrations import accept_late_submission
from web.review.views.common import apply_change, back, require_action, store
from web.review.views.teams import team_of
from web.review.views.units import unit_of


def _object(year: int, kind: str, object_id: str) -> tuple[list[data.Finding], str]:
    """The findings of the unit or team named in the URL, and its page to go back to."""
    if kind == "unit":
        _, unit = unit_of(year, object_id)
        return unit.findings, reverse("unit", args=[year, object_id])
    if kind == "team":
        _, team = team_of(year, object_id)
        return team.findings, reverse("team", args=[year, object_id])
    raise Http404


@require_POST
@require_area("roster")
def finding_dismiss(request: HttpRequest, year: int, kind: str, object_id: str) -> HttpResponse:
    require_action(request, "dismiss_finding")
    findings, to = _object(year, kind, object_id)
    key = request.POST.get("key", "")
    finding = next((f for f in findings if f.key == key), None)
    if finding is None:
        raise Http404("没有这条问题")
    apply_change(
        request,
        lambda: rv.dismiss_finding(
            store(), year, kind, object_id, finding.problem, request.POST.get("reason"), actor(request)
        ),
        "已排除该问题",
    )
    return back(to)


@require_POST
@require_area("roster")
def finding_restore(request: HttpRequest, year: int, kind: str, object_id: str) -> HttpResponse:
    require_action(request, "dismiss_finding")
    findings, to = _object(year, kind, object_id)
    key = request.POST.get("key", "")
    if not any(f.key == key and f.dismissal for f in findings):
        raise Http404("没有这条已排除的问题")
    apply_change(
        request,
        lambda: rv.restore_finding(
            store(), year, kind, object_id, key, request.POST.get("reason"), actor(request)
        ),
        "已恢复该问题",
    )
    return back(to)


@require_POST
@require_area("roster")
def accept_late(request: HttpRequest, year: int, kind: str, object_id: str) -> HttpResponse:
    """Accept a unit's or a team's late submission with a reason (trust's record; later runs keep it)."""
    require_action(request, "accept_late")
    _, to = _object(year, kind, object_id)
    if accept_late_submission is None:
        raise Http404("逾期接收功能尚未接入")
    apply_change(
        request,
        lambda: accept_late_submission(store(), year, kind, object_id, request.POST.get("reason", ""), actor(request)),
        "已接收逾期提交",
    )
    return back(to)
