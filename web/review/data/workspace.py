"""A year's workspace: the latest run's units and teams with every person's decision applied."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from core.model import CompletenessReport, FileResult, Problem
from core.reference import recommending_units
from pipeline.store import Store, as_utc
from pipeline.store import review as rv
from web.review.data.rows import Finding, TeamRow, UnitRow
from web.review.data.runs import latest_run, load_results, new_paths


class Workspace:
    """A year's units, teams and flags with every decision applied; built per request."""

    def __init__(self, store: Store, year: int) -> None:
        self.store = store
        self.year = year
        self.run = latest_run(store, year)
        if self.run is not None:
            self.report, self.submitted = load_results(self.run)
        else:
            self.report, self.submitted = CompletenessReport(year=year), {}
        self.files: dict[str, FileResult] = {f.path: f for f in self.report.files}

    @cached_property
    def dismissed(self) -> dict[tuple[str, str], dict[str, rv.Dismissal]]:
        return rv.dismissed_findings(self.store, self.year)

    @cached_property
    def new_paths(self) -> set[str]:
        return new_paths(self.store, self.run) if self.run else set()

    def _findings(self, kind: str, object_id: str, problems: list[Problem]) -> list[Finding]:
        gone = self.dismissed.get((kind, object_id), {})
        out = []
        for p in problems:
            key = rv.finding_key(p)
            out.append(Finding(p, key, gone.get(key)))
        return out

    def received(self, paths: list[str]) -> datetime | None:
        times = [
            as_utc(self.files[p].received_at) for p in paths if p in self.files and self.files[p].received_at
        ]
        return max(times) if times else None

    @cached_property
    def teams(self) -> list[TeamRow]:
        reviews = rv.team_reviews(self.store, self.year)
        out = rv.disqualified_teams(self.store, self.year)
        rows = []
        for t in self.report.teams:
            paths = [p for p in t.files.values() if p]
            source = t.source or ""
            rows.append(
                TeamRow(
                    year=self.year,
                    team_id=t.team_id,
                    name=t.team or t.team_id,
                    company=t.company or t.form_fields.get("所在单位", "") or "",
                    recommender=t.recommender or "",
                    result=t,
                    findings=self._findings("team", t.team_id, t.problems),
                    review=reviews.get(t.team_id, rv.TeamReview()),
                    disqualified_by=out.get(t.team_id, []),
                    received_at=self.received([*paths, source]),
                    new=any(p in self.new_paths for p in paths)
                    or any(n.startswith(source + "/") or n == source for n in self.new_paths if source),
                )
            )
        return rows

    @cached_property
    def team_by_id(self) -> dict[str, TeamRow]:
        return {t.team_id: t for t in self.teams}

    @cached_property
    def units(self) -> list[UnitRow]:
        followups = rv.unit_followups(self.store, self.year)
        results = {u.unit: u for u in self.report.units}
        listed = {u.name: u.no for u in recommending_units()}
        names = list(dict.fromkeys([*listed, *results]))
        teams_of: dict[str, list[TeamRow]] = {}
        for t in self.teams:
            teams_of.setdefault(t.recommender, []).append(t)
        rows = []
        for name in names:
            r = results.get(name)
            submitted = bool(r and self.submitted.get(name, bool(r.source_file)))
            matched = [
                self.team_by_id[i] for i in (r.matched_teams.values() if r else ()) if i in self.team_by_id
            ]
            teams = list({t.team_id: t for t in [*matched, *teams_of.get(name, [])]}.values())
            rows.append(
                UnitRow(
                    year=self.year,
                    name=name,
                    no=listed.get(name),
                    listed=name in listed if r is None else r.listed,
                    submitted=submitted,
                    result=r,
                    findings=self._findings("unit", name, r.problems) if r else [],
                    followup=followups.get(name, rv.UnitFollowUp()),
                    received_at=self.received([r.source_file]) if r and r.source_file else None,
                    new=bool(r and r.source_file in self.new_paths),
                    teams=teams,
                )
            )
        return rows

    def unit(self, name: str) -> UnitRow | None:
        return next((u for u in self.units if u.name == name), None)

    def team(self, team_id: str) -> TeamRow | None:
        return self.team_by_id.get(team_id)
