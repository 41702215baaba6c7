"""The roster of a year's units and the list of its teams, filtered by status, newness and a search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from web.accounts.roles import can_see, require_area
from web.review import data, integrations
from web.review.views.common import matches, store, year_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if can_see(request.user, "roster"):
        return roster(request)
    return render(request, "review/nothing.html", {})


def _filters(request: HttpRequest) -> tuple[str, str, bool]:
    """The list's filters from the query: status, search text, only what the latest run brought."""
    return request.GET.get("status", ""), request.GET.get("q", ""), request.GET.get("new") == "1"


@require_GET
@require_area("roster")
def roster(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    ws = data.Workspace(store(), year)
    status, q, only_new = _filters(request)
    units = [
        u
        for u in ws.units
        if (not status or u.status == status)
        and (not only_new or u.new)
        and matches(q, u.name, *(t.name for t in u.teams), *(t.team_id for t in u.teams))
    ]
    counts = {s: sum(u.status == s for u in ws.units) for s in data.UNIT_STATUSES}
    return render(
        request,
        "review/roster.html",
        {
            "year": year,
            "years": data.years(store()),
            "ws": ws,
            "units": units,
            "counts": counts,
            "statuses": data.UNIT_STATUSES,
            "status": status,
            "q": q,
            "only_new": only_new,
            "can_export": integrations.exports_available and can_see(request.user, "exports"),
        },
    )


@require_GET
@require_area("roster")
def team_list(request: HttpRequest, year: int) -> HttpResponse:
    ws = data.Workspace(store(), year)
    status, q, only_new = _filters(request)
    teams = [
        t
        for t in ws.teams
        if (not status or t.status == status)
        and (not only_new or t.new)
        and matches(q, t.team_id, t.name, t.company, t.recommender)
    ]
    counts = {s: sum(t.status == s for t in ws.teams) for s in data.TEAM_STATUSES}
    return render(
        request,
        "review/teams.html",
        {
            "year": year,
            "ws": ws,
            "teams": [t.cells() for t in teams],
            "counts": counts,
            "statuses": data.TEAM_STATUSES,
            "status": status,
            "q": q,
            "only_new": only_new,
        },
    )
