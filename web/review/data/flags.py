"""The plagiarism flags the workspace lists and shows, with the decisions people recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import quote

from sqlalchemy import select

from core.model import Flag, FlagSide
from pipeline.store import Store, as_utc
from pipeline.store.tables import FlagRecord, TeamReportRecord


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


def _flag_row(r: FlagRecord, flag: Flag | None = None) -> FlagRow:
    """The row of a stored flag (or of a query row with the same names, its flag built from a few fields)."""
    flag = flag or Flag.model_validate(r.flag)
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
            rows.append(_flag_row(r, flag))
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
    with store.session() as s:
        return s.scalar(
            select(TeamReportRecord.sha256).where(
                TeamReportRecord.year == year,
                TeamReportRecord.team_id == team_id,
                TeamReportRecord.inbox_path == file,
            )
        )
