"""index.html (reviewers) and flags.html (discipline officers): self-contained pages opened from disk.

Everything the pages show comes from uploaded files, so all text goes through Jinja's autoescape;
highlighting is done by cutting the text into segments here, never by building HTML strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from checks.completeness.statistics_table import is_required
from core.beijing import now_text
from core.model import CompletenessReport, Flag, FlagSide, FlagsReport, Problem, StatisticsReport, TeamResult
from core.reference import StatisticsItem, YearRules, year_rules
from pipeline.reports.common import (
    DOCUMENT_NAMES,
    FILE_STATUS_NAMES,
    LEVEL_NAMES,
    TEAM_FILE_NAMES,
    headline,
    href_to,
    pct,
    problem_title,
)
from pipeline.reports.flag_files import casefile_name
from pipeline.reports.thumbs import PagePicture
from pipeline.reports.wording import PairWording, page_label, pair_wording, segments

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = pct
    return env


class _Links:
    """Links to archived originals (by inbox path) and to page pictures, relative to OUT."""

    def __init__(
        self, completeness: CompletenessReport, out_dir: Path, pictures: dict[tuple[str, int], PagePicture]
    ):
        self.out_dir = out_dir
        self.archive = {f.path: f.archive_path for f in completeness.files if f.archive_path}
        self.pictures = pictures

    def original(self, path: str | None, page: int | None = None) -> str | None:
        return href_to(self.archive.get(path or ""), self.out_dir, page) if path else None

    def problem(self, p: Problem, default_file: str | None) -> dict[str, Any]:
        file = p.file or default_file
        pic = self.pictures.get((file or "", p.page or 0))
        return {
            "code": p.code,
            "title": problem_title(p.code),
            "message": p.message,
            "dismissed": p.dismissed,
            "page": p.page,
            "file": file if p.file or p.page else None,
            "href": self.original(file, p.page) if p.page else None,
            "thumb": pic.thumb if pic else None,
            "view": pic.view if pic else None,
            "thumb_height": round(pic.height * 110 / max(pic.width, 1)) if pic else None,
            "crops": [c for r, c in pic.crops if p.regions and tuple(r) in {tuple(x) for x in p.regions}] if pic else [],
        }


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "、".join(str(k) for k, v in value.items() if v)
    return "" if value is None else str(value)


def _field_rows(fields: dict[str, Any] | None, items: dict[str, StatisticsItem]) -> list[dict[str, Any]]:
    """The statistics items as read, in the form's order; blanks say whether the form required them."""
    if fields is None:
        return []
    keys = [*items, *(k for k in fields if k not in items)]  # every item of the form, read or not
    rows = []
    for key in keys:
        shown = _shown(fields.get(key))
        item = items.get(key)
        rows.append({
            "key": key,
            "value": shown,
            "unit": (item.unit if item else None) or "",
            "blank": not shown.strip(),
            "required": item is None or is_required(item, fields),
            "numeric": bool(item and item.numeric),
        })
    return rows


def index_context(
    completeness: CompletenessReport,
    out_dir: Path,
    pictures: dict[tuple[str, int], PagePicture],
    rules: YearRules | None = None,
) -> dict[str, Any]:
    links = _Links(completeness, out_dir, pictures)
    items = {i.key: i for i in (rules or year_rules(completeness.year)).statistics_items}
    team_anchor: dict[str, str] = {}
    for i, t in enumerate(completeness.teams, 1):
        team_anchor.setdefault(t.team_id, f"team-{i}")
    team_by_name = {t.team: t.team_id for t in completeness.teams}
    units = []
    for i, u in enumerate(completeness.units, 1):
        docs = []
        for key, finding in u.documents.items():
            pages = [{"n": n, "href": links.original(u.source_file, n)} for n in finding.pages]
            docs.append({"name": DOCUMENT_NAMES.get(key, key), "present": finding.present, "pages": pages})
        table = u.documents.get("statistics_table")
        teams = []
        for name in u.recommended_teams:
            tid = u.matched_teams.get(name) or team_by_name.get(name)
            teams.append({"name": name, "anchor": team_anchor.get(tid or ""), "team_id": tid})
        units.append(
            {
                "anchor": f"unit-{i}",
                "name": u.unit,
                "listed": u.listed,
                "submitted": u.submitted,
                "complete": u.complete,
                "source_file": u.source_file,
                "href": links.original(u.source_file),
                "documents": docs,
                "fields": _field_rows(table.fields if table else None, items),
                "teams": teams,
                "problems": [links.problem(p, u.source_file) for p in u.problems],
                "codes": " ".join(sorted({p.code for p in u.problems})),
            }
        )
    unit_anchor: dict[str, str] = {}
    for i, u in enumerate(completeness.units, 1):
        unit_anchor.setdefault(u.unit, f"unit-{i}")
    teams_view = []
    for i, t in enumerate(completeness.teams, 1):
        files = [
            {"name": TEAM_FILE_NAMES.get(k, k), "path": v, "href": links.original(v)}
            for k, v in t.files.items()
        ]
        teams_view.append(
            {
                "anchor": f"team-{i}",
                "team_id": t.team_id,
                "name": t.team,
                "company": t.company,
                "recommender": t.recommender,
                "recommender_anchor": unit_anchor.get(t.recommender or ""),
                "complete": t.complete,
                "review": review_view(t),
                "disqualified": t.disqualified,
                "files": files,
                "problems": [links.problem(p, None) for p in t.problems],
                "codes": " ".join(sorted({p.code for p in t.problems})),
            }
        )
    files_view = [
        {
            "path": f.path,
            "status": FILE_STATUS_NAMES.get(f.status, f.status),
            "bad": f.status != "ok" or bool(f.problems),
            "format": f.format or "",
            "pages": f.pages,
            "href": links.original(f.path),
            "problems": [links.problem(p, f.path) for p in f.problems],
            "codes": " ".join(sorted({p.code for p in f.problems})),
        }
        for f in completeness.files
    ]
    return {"units": units, "teams": teams_view, "files": files_view}


def _team_flags(flags: FlagsReport) -> dict[str, list[dict[str, Any]]]:
    """Per team of the year, the flags it is part of, strongest first, for a link to flags.html."""
    by_team: dict[str, list[dict[str, Any]]] = {}
    for i, f in enumerate(_flag_order(flags.flags), 1):
        entry = {"anchor": f"flag-{f.flag_id or i}", "kind": f.kind, "similarity": f.similarity}
        by_team.setdefault(f.a.team_id, []).append({**entry, "other": f"{f.b.year}年 {f.b.team or f.b.team_id}"})
        if f.b.year == flags.year and f.b.team_id != f.a.team_id:
            by_team.setdefault(f.b.team_id, []).append({**entry, "other": f"{f.a.year}年 {f.a.team or f.a.team_id}"})
    return by_team


REVIEW_NAMES = {"passed": "初选通过", "failed": "初选不通过"}
BEIJING = ZoneInfo("Asia/Shanghai")
DISQUALIFIED = "取消资格（第十五条）"


def review_view(t: TeamResult) -> dict[str, Any]:
    """What index.html says of a team's 初选: the decision, who and when, why; 待初选 while undecided."""
    r = t.review
    return {
        "decision": r.decision,
        "label": REVIEW_NAMES.get(r.decision or "", "待初选"),
        "short": {"passed": "通过", "failed": "不通过"}.get(r.decision or "", ""),
        "by": r.by,
        "at": r.at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if r.at else None,  # the activity's time
        "reason": r.reason,
    }


def review_counts(completeness: CompletenessReport) -> dict[str, int]:
    teams = completeness.teams
    return {
        "passed": sum(t.review.decision == "passed" and not t.disqualified for t in teams),
        "failed": sum(t.review.decision == "failed" for t in teams),
        "open": sum(t.review.decision is None and not t.disqualified for t in teams),
        "disqualified": sum(t.disqualified for t in teams),
    }


def render_index(
    completeness: CompletenessReport,
    flags: FlagsReport,
    statistics: StatisticsReport,
    out_dir: Path,
    pictures: dict[tuple[str, int], PagePicture],
    rules: YearRules | None = None,
    portable_zip: str | None = None,
) -> str:
    head = headline(completeness, flags)
    ctx = index_context(completeness, out_dir, pictures, rules)
    team_flags = _team_flags(flags)
    for t in ctx["teams"]:
        t["flags"] = team_flags.get(t["team_id"], [])
    codes = [{"code": c, "title": problem_title(c), "count": n} for c, n in head["problem_codes"].items()]
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            head=head,
            review=review_counts(completeness),
            disqualified_label=DISQUALIFIED,
            portable_zip=portable_zip,
            codes=codes,
            levels=LEVEL_NAMES,
            statistics=statistics,
            generated=now_text() + "（北京时间）",
            **ctx,
        )
    )


def _side_href(side: FlagSide, links: _Links, page: int | None = None, file: str | None = None) -> str | None:
    """Link to the passage's file: this run's archive, else the side's own archive path (earlier years)."""
    file = file or side.file
    href = links.original(file, page)
    if href is None and side.archive_path and file == side.file:
        href = href_to(side.archive_path, links.out_dir, page)
    return href


def _rel(path: Path | None, out_dir: Path) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_uri()


def ratio_rows(f: Flag, wording: PairWording) -> list[dict[str, Any]]:
    """The CNKI-style ratios of both sides, each number with its one-line Chinese explanation."""
    rows = []
    for label, r in ((wording.a_label, f.ratios_a), (wording.b_label, f.ratios_b)):
        if r is None:
            continue
        rows.append({
            "label": label,
            "r": r,
            "numbers": [(name, getattr(r, key), r.notes.get(key, "")) for key, name in (
                ("total", "总文字复制比"), ("without_template", "去除引用"), ("without_self", "去除本人"),
                ("largest", "单篇最大"))],
        })
    return rows


def _flag_view(f: Flag, index: int, links: _Links, year: int | None = None,
               pictures: dict[int, tuple[Path | None, Path | None]] | None = None) -> dict[str, Any]:
    wording = pair_wording(f, year if year is not None else f.a.year)
    evidence = []
    for k, e in enumerate(f.evidence):
        pics = (pictures or {}).get(k, (None, None))
        a_file, b_file = e.a_file or f.a.file, e.b_file or f.b.file
        evidence.append({
            "a_where": page_label(a_file, e.a_page, e.a_page_end) + (f"（{Path(a_file).name}）" if e.a_file else ""),
            "b_where": page_label(b_file, e.b_page, e.b_page_end) + (f"（{Path(b_file).name}）" if e.b_file else ""),
            "a_href": _side_href(f.a, links, e.a_page, a_file),
            "b_href": _side_href(f.b, links, e.b_page, b_file),
            "a_segments": segments(e.a_text, e.a_spans),
            "b_segments": segments(e.b_text, e.b_spans),
            "chars": e.chars or sum(b - a for a, b in e.a_spans),
            "a_picture": _rel(pics[0], links.out_dir),
            "b_picture": _rel(pics[1], links.out_dir),
            "a_slide": a_file.lower().endswith((".ppt", ".pptx")),
            "b_slide": b_file.lower().endswith((".ppt", ".pptx")),
        })
    return {
        "anchor": f"flag-{f.flag_id or index}",
        "no": index,
        "flag": f,
        "a_href": _side_href(f.a, links),
        "b_href": _side_href(f.b, links),
        "evidence": evidence,
        "copied_chars": sum(e["chars"] for e in evidence),
        "strength": max(f.similarity, f.copy_ratio_a, f.copy_ratio_b),
        "wording": wording,
        "ratios": ratio_rows(f, wording),
        "casefile": casefile_name(f.flag_id, index),
    }


def sort_flags(flags: list[Flag]) -> list[Flag]:
    """Strongest first: similarity, then the larger copy ratio, then a stable order by the teams."""
    return sorted(
        flags,
        key=lambda f: (
            -f.similarity,
            -max(f.copy_ratio_a, f.copy_ratio_b),
            f.a.team_id,
            f.b.year,
            f.b.team_id,
        ),
    )


def _flag_order(flags: list[Flag]) -> list[Flag]:
    """The order of flags.html: cross-team flags strongest first, then the self-reuse ones."""
    ordered = sort_flags(flags)
    return [f for f in ordered if f.kind != "self_prior_year"] + [f for f in ordered if f.kind == "self_prior_year"]


def render_flags(completeness: CompletenessReport, flags: FlagsReport, out_dir: Path,
                 pictures: dict[str, dict[int, tuple[Path | None, Path | None]]] | None = None) -> str:
    links = _Links(completeness, out_dir, {})
    order = _flag_order(flags.flags)
    number = {id(f): i for i, f in enumerate(flags.flags, 1)}  # case files are named in flags.json order
    views = []
    for i, f in enumerate(order, 1):
        v = _flag_view(f, i, links, flags.year, (pictures or {}).get(f.flag_id or f"flag-{number[id(f)]}"))
        v["casefile"] = casefile_name(f.flag_id, number[id(f)]) if (out_dir / casefile_name(f.flag_id, number[id(f)])).exists() else None
        views.append(v)
    n_cross = sum(f.kind != "self_prior_year" for f in order)
    return (
        _env()
        .get_template("flags.html.j2")
        .render(
            year=flags.year,
            cross=views[:n_cross],
            self_prior=views[n_cross:],
            generated=now_text() + "（北京时间）",
        )
    )
