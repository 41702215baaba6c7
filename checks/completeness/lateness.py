"""Lateness from trusted received times only, one finding per unit or team.

A file copied into the inbox has the time it was copied, not the time it was sent: a batch copied
after the deadline would make everyone late. Only two times are trusted: the mail's INTERNALDATE
(`received_via == "mail"`) and the secretariat's own record of when a unit's or team's material came
(`"record"`, imported from a sheet or entered in the workspace). The record wins over the mail, and a
late submission the secretariat accepted (with its reason) stays accepted in every later run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import reduce
from typing import Literal
from zoneinfo import ZoneInfo

from core.codes import Code
from core.model import InboxFile, Problem
from core.reference import RecommendingUnit, YearRules

from .files import deadline_end
from .text import squash
from .units import match_unit

TRUSTED = ("mail", "record")
SubjectKind = Literal["unit", "team"]


@dataclass(frozen=True)
class ReceivedRecord:
    """The secretariat's record for one unit or team: when its material came, and/or its acceptance."""

    kind: SubjectKind
    subject: str  # the unit's name, or the team's id or name, as the secretariat wrote it
    received_at: datetime | None = None  # aware; None when only an acceptance is recorded
    accepted: bool = False  # a late submission accepted by the secretariat
    reason: str | None = None
    accepted_by: str | None = None
    accepted_at: datetime | None = None


def trusted_time(files: Iterable[InboxFile]) -> tuple[datetime, str] | None:
    """The earliest trusted received time among FILES and how it is known, or None."""
    times = [(f.received_at, f.received_via) for f in files if f.received_via in TRUSTED and f.received_at]
    return min(times, key=lambda t: t[0]) if times else None


def unit_records(records: Sequence[ReceivedRecord], units: Sequence[RecommendingUnit]) -> dict[str, ReceivedRecord]:
    """Records by unit name: a listed unit's canonical name, any other subject squashed as written (a
    unit off the list may have been recorded without saying it is a unit)."""
    out: dict[str, ReceivedRecord] = {}
    for r in records:
        m = match_unit(r.subject, units) if r.kind == "unit" else None
        key = m.name if m is not None and m.listed else squash(r.subject)
        out[key] = merge(out[key], r) if key in out else r
    return out


def merge(a: ReceivedRecord, b: ReceivedRecord) -> ReceivedRecord:
    """Two records of one subject (a time recorded as one kind, an acceptance as another): one record."""
    accepted = a if a.accepted else b
    return replace(accepted, received_at=a.received_at or b.received_at, accepted=a.accepted or b.accepted)


def unit_record(by_name: dict[str, ReceivedRecord], unit: str) -> ReceivedRecord | None:
    return by_name.get(unit) or by_name.get(squash(unit))


def team_record(records: Sequence[ReceivedRecord], team_id: str, names: Iterable[str]) -> ReceivedRecord | None:
    """The record naming this team by its id or by one of its names (folder name, form, letter)."""
    keys = {squash(team_id)} | {squash(n) for n in names if n}
    found = [r for r in records if r.kind != "unit" and squash(r.subject) in keys]
    return reduce(merge, found) if found else None


def apply_record(files: Iterable[InboxFile], record: ReceivedRecord | None) -> None:
    """The record's time becomes the files' received time (`record`): the secretariat's word is trusted."""
    if record is None or record.received_at is None:
        return
    for f in files:
        f.received_at = record.received_at
        f.received_via = "record"  # a mail's sender and subject stay: only its time is overruled


def lateness_problem(what: str, files: Sequence[InboxFile], record: ReceivedRecord | None, rules: YearRules,
                     file: str | None) -> Problem | None:
    """At most one finding for one unit or team: late (or late and accepted), from trusted times only."""
    if record is not None and record.received_at is not None:
        when, via = record.received_at, "record"
    elif (found := trusted_time(files)) is not None:
        when, via = found
    else:
        return None  # no trusted time: banzu does not claim lateness
    if when < deadline_end(rules):
        return None
    local = when.astimezone(ZoneInfo(rules.timezone))
    how = "秘书处登记的收到时间" if via == "record" else "邮件收到时间"
    base = (f"{what}的材料于{local:%Y年%m月%d日 %H:%M}（北京时间，{how}）收到，"
            f"晚于{rules.deadline:%Y年%m月%d日}的截止日期")
    if record is not None and record.accepted:
        by = f"，{record.accepted_by}" if record.accepted_by else ""
        return Problem(code=Code.LATE_SUBMISSION_ACCEPTED, file=file, message=(
            f"{base}；秘书处已接受该逾期材料（理由：{record.reason or '未写明'}{by}）。"))
    return Problem(code=Code.LATE_SUBMISSION, file=file, message=f"{base}，请确认是否接受逾期材料。")
