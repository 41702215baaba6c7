"""What the workspace shows, joined from the store: the latest run's results plus people's decisions.

Plain functions over the store (no Django here), so the benchmark and other adapters can call them.
The run's completeness.json is parsed once per file version; decisions are read fresh on every page.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select

from core.codes import is_blocking, title
from core.model import CompletenessReport, FileResult, Flag, FlagSide, Problem, TeamResult, UnitResult
from core.reference import recommending_units
from pipeline.store import Store, as_utc
from pipeline.store import review as rv
from pipeline.store.tables import FlagRecord, Run, Sighting

DOCUMENT_TITLES = {
    "recommendation_letter": "推荐函",
    "statistics_table": "统计表（附件3）",
    "award_list": "获奖名单公布通知",
    "registration_form": "报名表",
    "report_pdf": "成果报告（PDF）",
    "report_ppt": "成果报告（PPT）",
}
UNIT_STATUSES = ("未提交", "不完整", "待补交", "完整", "初选通过")
TEAM_STATUSES = ("不完整", "完整", "初选通过", "初选不通过", "取消资格")


@dataclass(frozen=True)
class RunInfo:
    id: int
    year: int
    finished_at: datetime | None
    out_dir: str
    earlier_runs: int


@dataclass
class Finding:
    problem: Problem
    key: str
    dismissal: rv.Dismissal | None = None

    @property
    def title(self) -> str:
        return title(self.problem.code)

    @property
    def blocking(self) -> bool:
        return is_blocking(self.problem.code)


STATUS_CSS = {
    "未提交": "bad",
    "不完整": "bad",
    "待补交": "warn",
    "完整": "ok",
    "初选通过": "good",
    "初选不通过": "bad",
    "取消资格": "dq",
}


class _Shown:
    """What the long lists print per row, computed once in Python (template tags cost ~0.5 ms a row)."""

    received_at: datetime | None

    @cached_property
    def status_css(self) -> str:
        return STATUS_CSS.get(self.status, "")  # type: ignore[attr-defined]

    @cached_property
    def received_text(self) -> str:
        return self.received_at.astimezone(rv.BEIJING).strftime("%Y-%m-%d %H:%M") if self.received_at else "—"

    @cached_property
    def missing_text(self) -> str:
        return "、".join(self.missing) or "—"  # type: ignore[attr-defined]

    def cells(self) -> dict[str, Any]:
        """The list's row as plain values (Django templates resolve dict keys fastest)."""
        return {k: getattr(self, k) for k in self.CELLS}  # type: ignore[attr-defined]


@dataclass(eq=False)
class TeamRow(_Shown):
    CELLS = (
        "team_id",
        "name",
        "company",
        "recommender",
        "url",
        "new",
        "status",
        "status_css",
        "received_text",
        "missing_text",
    )
    year: int
    team_id: str
    name: str
    company: str
    recommender: str
    result: TeamResult
    findings: list[Finding]
    review: Any
    disqualified_by: list[str]
    received_at: datetime | None
    new: bool

    @cached_property
    def url(self) -> str:
        return f"/{self.year}/teams/{quote(self.team_id, safe='')}/"

    @property
    def open_blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking and f.dismissal is None]

    @property
    def complete(self) -> bool:
        return self.result.complete or not self.open_blocking

    @property
    def status(self) -> str:
        if self.disqualified_by:
            return "取消资格"
        if self.review.decision == "failed":
            return "初选不通过"
        if self.review.decision == "passed":
            return "初选通过"
        return "完整" if self.complete else "不完整"

    @property
    def missing(self) -> list[str]:
        return list(dict.fromkeys(f.title for f in self.open_blocking))


@dataclass(eq=False)
class UnitRow(_Shown):
    year: int
    name: str
    no: int | None
    listed: bool
    submitted: bool
    result: UnitResult | None
    findings: list[Finding]
    followup: rv.UnitFollowUp
    received_at: datetime | None
    new: bool
    teams: list[TeamRow] = field(default_factory=list)

    @cached_property
    def url(self) -> str:
        return f"/{self.year}/units/{quote(self.name, safe='')}/"

    @property
    def open_blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking and f.dismissal is None]

    @property
    def complete(self) -> bool:
        return self.submitted and self.result is not None and (self.result.complete or not self.open_blocking)

    @property
    def status(self) -> str:
        if not self.submitted:
            return "未提交"
        if not self.complete:
            return "待补交" if self.followup.status == "notified" else "不完整"
        if self.teams and all(t.review.decision == "passed" for t in self.teams):
            return "初选通过"
        return "完整"

    @property
    def missing(self) -> list[str]:
        if not self.submitted:
            return ["全部材料"]
        return list(dict.fromkeys(f.title for f in self.open_blocking))


# ---------------------------------------------------------------- runs and their results


def years(store: Store) -> list[int]:
    with store.session() as s:
        return sorted(s.scalars(select(Run.year).where(Run.status == "completed").distinct()), reverse=True)


def latest_run(store: Store, year: int) -> RunInfo | None:
    with store.session() as s:
        run = s.scalars(
            select(Run).where(Run.year == year, Run.status == "completed").order_by(Run.id.desc()).limit(1)
        ).first()
        if run is None:
            return None
        earlier = s.scalar(select(func.count()).where(Run.year == year, Run.id < run.id)) or 0
        return RunInfo(run.id, run.year, as_utc(run.finished_at), run.out_dir, earlier)


_parsed: dict[str, tuple[int, CompletenessReport, dict[str, bool]]] = {}
_parsed_lock = threading.Lock()


def _unit_entry(raw: dict) -> dict:
    """completeness.json may list units that sent nothing (source_file null): the model wants a string."""
    return {**raw, "source_file": raw.get("source_file") or ""}


def load_results(run: RunInfo) -> tuple[CompletenessReport, dict[str, bool]]:
    """The run's completeness results and, per unit, whether it submitted (parsed once per file version)."""
    path = Path(run.out_dir) / "completeness.json"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return CompletenessReport(year=run.year), {}
    with _parsed_lock:
        hit = _parsed.get(str(path))
        if hit and hit[0] == stamp:
            return hit[1], hit[2]
    raw = json.loads(path.read_text(encoding="utf-8"))
    submitted = {
        u["unit"]: bool(u.get("submitted", bool(u.get("source_file")))) for u in raw.get("units", [])
    }
    raw["units"] = [_unit_entry(u) for u in raw.get("units", [])]
    for f in raw.get("files", []):
        if (
            isinstance(f.get("mail"), dict) and "from" in f["mail"]
        ):  # the contract's key for MailOrigin.sender
            f["mail"]["sender"] = f["mail"].pop("from")
    report = CompletenessReport.model_validate(raw)
    with _parsed_lock:
        _parsed[str(path)] = (stamp, report, submitted)
    return report, submitted


def _new_paths(store: Store, run: RunInfo) -> set[str]:
    """Inbox paths first seen by this run (nothing is 'new' on a year's first run)."""
    if run.earlier_runs == 0:
        return set()
    with store.session() as s:
        return set(s.scalars(select(Sighting.inbox_path).where(Sighting.first_run_id == run.id)))


# ---------------------------------------------------------------- the workspace of a year


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
        return _new_paths(self.store, self.run) if self.run else set()

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


# ---------------------------------------------------------------- flags


@dataclass
class FlagRow:
    record_id: int
    flag: Flag
    decision: str | None
    note: str | None
    by: str | None
    at: datetime | None
    active: bool

    @property
    def flag_id(self) -> str:
        return self.flag.flag_id

    @cached_property
    def url(self) -> str:
        return f"/{self.flag.a.year}/flags/{quote(self.flag_id, safe='')}/"

    @cached_property
    def figures(self) -> tuple[str, str, str]:
        """Strength and both copy ratios as percentages, for the queue."""
        f = self.flag
        return tuple(f"{v * 100:.0f}%" for v in (self.strength, f.copy_ratio_a, f.copy_ratio_b))  # type: ignore[return-value]

    def cells(self) -> dict[str, str | None]:
        """The queue's row as plain strings (Django templates resolve dict keys fastest)."""
        a, b = self.flag.a, self.flag.b
        return {
            "url": self.url,
            "strength": self.figures[0],
            "a": f"{a.team or a.team_id}（{a.year}）",
            "arrow": " ⇄ " if self.same_year else " ← ",
            "b": f"{b.team or b.team_id}（{b.year}）",
            "companies": " / ".join(c for c in (a.company, b.company) if c),
            "kind": self.kind_text,
            "ratios": f"{self.figures[1]} / {self.figures[2]}",
            "decision": self.decision,
        }

    @cached_property
    def kind_text(self) -> str:
        if self.flag.kind != "cross_team":
            return "本队沿用往年材料"
        return "同年两队雷同" if self.same_year else "与往年班组雷同"

    @property
    def same_year(self) -> bool:
        return self.flag.b.year == self.flag.a.year

    @property
    def strength(self) -> float:
        return max(self.flag.copy_ratio_a, self.flag.copy_ratio_b, self.flag.similarity)


def _flag_row(r: FlagRecord) -> FlagRow:
    flag = Flag.model_validate(r.flag)
    return FlagRow(r.id, flag, r.decision, r.decision_note, r.decided_by, as_utc(r.decided_at), r.active)


SIDE_FIELDS = ("team", "company", "file")


def flag_rows(store: Store, year: int, state: str = "open") -> list[FlagRow]:
    """The year's flags raised by the latest run, strongest first; state: open, decided or all.

    Only the figures and both sides' names are read (JSON paths in SQL), not the evidence: a queue of
    300 flags with long passages stays small.
    """
    sides = [FlagRecord.flag[(side, f)].as_string() for side in ("a", "b") for f in SIDE_FIELDS]
    q = select(
        FlagRecord.id,
        FlagRecord.flag_id,
        FlagRecord.kind,
        FlagRecord.a_team_id,
        FlagRecord.b_year,
        FlagRecord.b_team_id,
        FlagRecord.similarity,
        FlagRecord.copy_ratio_a,
        FlagRecord.copy_ratio_b,
        FlagRecord.decision,
        FlagRecord.decision_note,
        FlagRecord.decided_by,
        FlagRecord.decided_at,
        FlagRecord.active,
        *sides,
    ).where(FlagRecord.year == year, FlagRecord.active.is_(True))
    if state == "open":
        q = q.where(FlagRecord.decision.is_(None))
    elif state == "decided":
        q = q.where(FlagRecord.decision.is_not(None))
    rows = []
    with store.session() as s:
        for r in s.execute(q):
            a = dict(zip(SIDE_FIELDS, r[14:17], strict=True))
            b = dict(zip(SIDE_FIELDS, r[17:20], strict=True))
            flag = Flag.model_construct(
                a=FlagSide.model_construct(
                    year=year, team_id=r.a_team_id, **{k: v or "" for k, v in a.items()}
                ),
                b=FlagSide.model_construct(
                    year=r.b_year, team_id=r.b_team_id, **{k: v or "" for k, v in b.items()}
                ),
                kind=r.kind,
                similarity=r.similarity,
                copy_ratio_a=r.copy_ratio_a,
                copy_ratio_b=r.copy_ratio_b,
                evidence=[],
                flag_id=r.flag_id,
            )
            rows.append(
                FlagRow(r.id, flag, r.decision, r.decision_note, r.decided_by, as_utc(r.decided_at), r.active)
            )
    return sorted(rows, key=lambda r: (-r.strength, r.flag_id))


def flag_row(store: Store, year: int, flag_id: str) -> FlagRow | None:
    with store.session() as s:
        r = s.scalar(select(FlagRecord).where(FlagRecord.year == year, FlagRecord.flag_id == flag_id))
        return _flag_row(r) if r else None


def flags_of_team(store: Store, year: int, team_id: str) -> list[FlagRow]:
    with store.session() as s:
        q = select(FlagRecord).where(
            FlagRecord.year == year,
            (FlagRecord.a_team_id == team_id)
            | ((FlagRecord.b_team_id == team_id) & (FlagRecord.b_year == year)),
        )
        return [_flag_row(r) for r in s.scalars(q)]


def side_sha(store: Store, year: int, team_id: str, file: str) -> str | None:
    """The archived content of one side's report (looked up from the store, never taken from a URL)."""
    from pipeline.store.tables import TeamReportRecord

    with store.session() as s:
        return s.scalar(
            select(TeamReportRecord.sha256).where(
                TeamReportRecord.year == year,
                TeamReportRecord.team_id == team_id,
                TeamReportRecord.inbox_path == file,
            )
        )
