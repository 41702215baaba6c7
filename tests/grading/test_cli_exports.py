"""`banzu grading …` on a generated year, and the workbooks it exports."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from commands.main import app
from core.settings import get_settings
from grading.model import Expert, MaterialScore, Team
from pipeline.samples.experts import write_pool_workbook, write_teams_workbook
from pipeline.store import Store
from pipeline.store.grading import GradingStore
from pipeline.store.review import Actor, audit_entries
from tests.grading.walk import write_presentation_sheet

runner = CliRunner()


def banzu(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def _rows(path: Path) -> list[list]:
    ws = load_workbook(path, read_only=True).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_a_year_through_the_command_line(tmp_path: Path, experts: list[Expert], teams: list[Team]) -> None:
    pool = write_pool_workbook(tmp_path / "专家库.xlsx", experts, bad_rows=True)
    assert "新增 40 人" in banzu("grading", "experts", "import", str(pool), "--by", "王秘书")
    assert "否：" in banzu("grading", "experts", "list", "--on", "2024-07-01")
    sheet = write_teams_workbook(tmp_path / "初选合格名单.xlsx", teams)
    assert "待评班组：120 个" in banzu("grading", "teams", str(sheet), "--year", "2024")
    assert "不足 9 组" in banzu("grading", "draw", "--groups", "9", "--year", "2024", "--on", "2024-07-01", code=2)
    protocol = banzu("grading", "draw", "--groups", "6", "--seed", "777", "--year", "2024", "--on", "2024-07-01")
    assert "随机种子：777" in protocol and "第 6 组" in protocol
    assert "完全一致" in banzu("grading", "verify", "--year", "2024")
    gs = GradingStore(Store(get_settings()))
    groups = gs.groups(2024)
    g1, g2 = groups[0], groups[1]
    items = [f"--item={i.key}={int(i.max) - 1}" for i in gs.rules(2024).material_items]
    refused = banzu("grading", "score", g2.teams[0], "--expert", g1.members[0], *items, "--year", "2024", code=2)
    assert "不在您所在的专家组中" in refused
    assert "74" in banzu("grading", "score", g1.teams[0], "--expert", g1.members[0], *items, "--year", "2024")
    assert "尚未完成" in banzu("grading", "submit-group", "1", "--leader", g1.leader, "--year", "2024", code=2)
    rng = random.Random(3)
    rules = gs.rules(2024)
    for g in groups:
        for team_id in g.teams:
            for key in g.experts:
                scores = {i.key: Decimal(rng.randint(int(i.max) // 2, int(i.max))) for i in rules.material_items}
                gs.save_material(2024, MaterialScore(team_id=team_id, expert=key, items=scores), Actor(key, "expert"))
        banzu("grading", "submit-group", str(g.no), "--leader", g.leader, "--year", "2024")
    team_ids = [t for g in groups for t in g.teams]
    rows = [[t, "", "" if i < 2 else 10 + i % 11, "缺席" if i < 2 else ""] for i, t in enumerate(team_ids)]
    presentation = write_presentation_sheet(tmp_path / "发布会.xlsx", rows)
    assert "视同放弃）2 个" in banzu("grading", "presentations", str(presentation), "--year", "2024")
    assert "草稿" in banzu("grading", "results", "--year", "2024")
    banzu("grading", "submit", "--year", "2024", "--by", "王秘书")
    assert "不能是提交人本人" in banzu("grading", "approve", "--year", "2024", "--by", "王秘书", code=2)
    banzu("grading", "approve", "--year", "2024", "--by", "李主任")
    assert "已审定" in banzu("grading", "absent", team_ids[5], "--year", "2024", code=2)
    written = banzu("grading", "export", str(tmp_path / "out"), "--year", "2024").splitlines()
    assert len(written) == 4
    graded = _rows(tmp_path / "out" / "2024年评定结果.xlsx")
    assert "已审定" in graded[0][0]
    body = [r for r in graded[3:] if r[1]]
    assert len(body) == 120
    assert sum(r[9] == "卓越级" for r in body) <= 11 and sum(r[9] == "示范级" for r in body) <= 47
    assert {r[1] for r in body if r[9] == "视同放弃"} == set(team_ids[:2])
    certificates = [r for r in _rows(tmp_path / "out" / "2024年证书名单.xlsx")[3:] if r[0]]
    assert len(certificates) == 118 and certificates[0][1] == "卓越级" and certificates[0][5] == "2024ZY001"
    detail = [r for r in _rows(tmp_path / "out" / "2024年专家评分明细（仅限秘书处）.xlsx")[3:] if r[1]]
    assert len(detail) == 120 * 5
    groups_sheet = _rows(tmp_path / "out" / "2024年专家组名单.xlsx")
    assert "随机种子 777" in groups_sheet[1][0]
    actions = {e.action for e in audit_entries(gs.store, year=2024)}
    assert {"grading_draw", "material_score", "group_submit", "team_absent", "presentation_score",
            "graded_list_submit", "graded_list_approve"} <= actions
    assert all(e.via == "cli" for e in audit_entries(gs.store, year=2024) if e.action == "grading_draw")
