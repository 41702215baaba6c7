"""A group's scores for the 组长 and the secretariat: the 组长 submits them, the secretariat may return them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from pipeline.store import grading as gr
from web.accounts.roles import actor
from web.grading.views.common import (
    grading_actor,
    gs,
    require_secretariat,
    to,
)
from web.review.views.common import apply_change


@require_GET
def group(request: HttpRequest, year: int, no: int) -> HttpResponse:
    """The 组长 (and the secretariat) see every score of the group and where sheets are missing."""
    who = grading_actor(request)
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
    apply_change(request, lambda: gs().submit_group(year, no, grading_actor(request)), f"第 {no} 组评分已提交")
    return to("grading_group", year, no)


@require_POST
def group_reopen(request: HttpRequest, year: int, no: int) -> HttpResponse:
    require_secretariat(request)
    apply_change(request, lambda: gs().reopen_group(year, no, actor(request), request.POST.get("reason", "")),
                 f"第 {no} 组评分已退回")
    return to("grading_overview", year)
