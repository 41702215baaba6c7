"""The grading documents: the expert groups, the graded list, each expert's scores, the certificate list.

Plain functions over grading's models that return .xlsx bytes (the web app and the CLI share them);
`write_grading_exports` writes all of a year's at once from the store.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from grading.draw import request_fingerprint
from grading.model import Expert, GradedList, Group, MaterialScore, PresentationScore, Team
from grading.rules import GradingRules
from pipeline.exports.sheets import titled_sheet, workbook_bytes
from pipeline.exports.shortlist import activity_name
from pipeline.store.grading import GradingStore

STATUS_NAMES = {"graded": "", "no_show": "视同放弃", "disqualified": "取消资格", "unscored": "评分未完成"}
GRADE_CODES = {"卓越级": "ZY", "示范级": "SF", "改进级": "GJ"}


def groups_workbook(year: int, groups: list[Group], experts: dict[str, Expert], teams: dict[str, Team],
                    seed: int | None, fingerprint: str = "") -> bytes:
    """Each group with its 组长, 组员 and teams (one row per team), and the draw's seed."""
    rows = []
    for g in groups:
        names = "、".join(experts[k].name if k in experts else k for k in g.members)
        leader = experts[g.leader].name if g.leader in experts else g.leader
        for i, team_id in enumerate(g.teams, 1):
            t = teams.get(team_id, Team(team_id=team_id))
            rows.append([g.no, leader if i == 1 else "", names if i == 1 else "", i, t.team, t.company,
                         t.recommender, team_id])
    wb = Workbook()
    titled_sheet(wb.active, f"{activity_name(year)}专家组及评审班组",
                 f"{len(groups)} 个专家组，{len(rows)} 个班组；随机种子 {seed}　输入指纹 {fingerprint[:16]}",
                 ["组号", "组长", "组员", "序号", "班组名称", "所在单位", "推荐单位", "班组编号"], rows, landscape=True)
    wb.active.title = "专家组"
    return workbook_bytes(wb)


def graded_list_workbook(graded: GradedList, state_name: str) -> bytes:
    """The graded list: every team, ranked, with its scores, grade, or why it has none."""
    rows = [
        [o.rank or "", o.team.team_id, o.team.team, o.team.company, o.team.recommender, o.group or "",
         _num(o.material), _num(o.presentation), _num(o.total), o.grade or STATUS_NAMES[o.status], o.note]
        for o in graded.outcomes
    ]
    quota = "，".join(f"{k}不超过 {v} 个" for k, v in graded.quotas.items())
    wb = Workbook()
    titled_sheet(wb.active, f"{activity_name(graded.year)}评定结果（{state_name}）",
                 f"参评 {graded.graded_count} 个班组；{quota}；同分跨越配额界线时同分班组一并评为较低等级",
                 ["名次", "班组编号", "班组名称", "所在单位", "推荐单位", "专家组", "申报材料（80）",
                  "现场发布（20）", "总分（100）", "等级", "说明"], rows, landscape=True)
    wb.active.title = "评定结果"
    return workbook_bytes(wb)


def expert_scores_workbook(year: int, groups: list[Group], material: list[MaterialScore],
                           presentation: list[PresentationScore], experts: dict[str, Expert],
                           teams: dict[str, Team], rules: GradingRules) -> bytes:
    """Per team, each expert's item scores, total, presentation score and comment (secretariat only)."""
    group_of = {t: g.no for g in groups for t in g.teams}
    pres = {(p.team_id, p.expert): p.score for p in presentation}
    items = [i.key for i in rules.material_items]
    rows = []
    for m in sorted(material, key=lambda m: (group_of.get(m.team_id, 0), m.team_id, m.expert)):
        e = experts.get(m.expert)
        rows.append([group_of.get(m.team_id, ""), m.team_id, teams.get(m.team_id, Team(team_id=m.team_id)).team,
                     e.name if e else m.expert, m.expert, *(_num(m.items.get(k)) for k in items), _num(m.total),
                     _num(pres.get((m.team_id, m.expert))), m.comment])
    wb = Workbook()
    titled_sheet(wb.active, f"{activity_name(year)}专家评分明细（仅限秘书处）",
                 "每位专家对本组各班组的申报材料分项得分、合计、现场发布得分与评语；不得对外提供",
                 ["专家组", "班组编号", "班组名称", "专家", "专家编号",
                  *(f"{i.key}（{i.max}）" for i in rules.material_items), "材料合计", "现场发布", "评语"],
                 rows, landscape=True)
    wb.active.title = "专家评分"
    if any(p.expert not in experts for p in presentation):
        ws = wb.create_sheet("秘书处录入的发布得分")
        sheet_rows = [[p.team_id, p.expert, _num(p.score)] for p in presentation if p.expert not in experts]
        titled_sheet(ws, "发布会评分表导入的现场发布得分", "", ["班组编号", "录入来源", "得分"], sheet_rows)
    return workbook_bytes(wb)


def certificates_workbook(graded: GradedList) -> bytes:
    """The list for certificates (第十三条): graded teams only, best grade first, with certificate numbers."""
    rows = []
    counters: dict[str, int] = {}
    for o in graded.outcomes:
        if not o.grade:
            continue
        counters[o.grade] = counters.get(o.grade, 0) + 1
        number = f"{graded.year}{GRADE_CODES.get(o.grade, 'DJ')}{counters[o.grade]:03d}"
        rows.append([len(rows) + 1, o.grade, o.team.team, o.team.company, o.team.recommender, number])
    wb = Workbook()
    titled_sheet(wb.active, f"{activity_name(graded.year)}获得等级班组证书名单",
                 "，".join(f"{k} {v} 个" for k, v in counters.items()),
                 ["序号", "等级", "班组名称", "所在单位", "推荐单位", "证书编号"], rows)
    wb.active.title = "证书名单"
    return workbook_bytes(wb)


def _num(value: object) -> float | None:
    return None if value is None else float(value)


def write_grading_exports(gs: GradingStore, year: int, out_dir: Path) -> list[Path]:
    """Write the year's grading documents into `out_dir`; the certificate list only once approved."""
    out_dir.mkdir(parents=True, exist_ok=True)
    experts = {e.key: e for e in gs.experts()}
    teams = {t.team_id: t for t in gs.teams(year)}
    groups = gs.groups(year)
    draw = gs.current_draw(year)
    approved = gs.approved_list(year)
    graded = approved or gs.compute(year)
    files: dict[str, bytes] = {}
    if groups:
        files[f"{year}年专家组名单.xlsx"] = groups_workbook(
            year, groups, experts, teams, draw.request.seed if draw else None,
            request_fingerprint(draw.request) if draw else "")
    files[f"{year}年评定结果.xlsx"] = graded_list_workbook(graded, gs.state_name(year))
    files[f"{year}年专家评分明细（仅限秘书处）.xlsx"] = expert_scores_workbook(
        year, groups, gs.material_scores(year), gs.presentation_scores(year), experts, teams, gs.rules(year))
    if approved is not None:
        files[f"{year}年证书名单.xlsx"] = certificates_workbook(approved)
    written = []
    for name, data in files.items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written
