"""`banzu grading …`: the expert pool, the draw, scores, the 发布会 sheet, grades and approval (issue 13)."""

from __future__ import annotations

import getpass
import json
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from commands.years import YearOption

grading_app = typer.Typer(no_args_is_help=True, help="专家评审：专家库、抽取专家组、评分、等级评定与审定")
experts_app = typer.Typer(no_args_is_help=True, help="专家库（第十一条、第十二条）")
grading_app.add_typer(experts_app, name="experts")
console = Console(stderr=True)
out = Console()

YEAR = YearOption  # the newest year with rules by default (commands.years)
BY = Annotated[str | None, typer.Option(help="操作人姓名，默认为当前系统用户")]
THIS_YEAR = None
REASON = Annotated[str | None, typer.Option(help="理由（必填）")]


def _store():
    from core.settings import get_settings
    from pipeline.store import Store
    from pipeline.store.grading import GradingStore

    return GradingStore(Store(get_settings()))


def _secretary(by: str | None):
    from pipeline.store.review import Actor

    return Actor(by or getpass.getuser(), "secretariat", "cli")


def _expert(key: str):
    from pipeline.store.review import Actor

    return Actor(key, "expert", "cli")


@contextmanager
def _refusals() -> Iterator[None]:
    """Every refusal of the rules ends the command with its Chinese message and exit code 2."""
    from grading.draw import DrawInfeasible
    from pipeline.store.review import NotAllowed, ReviewError

    try:
        yield
    except (ReviewError, NotAllowed, DrawInfeasible) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


def _print_problems(problems) -> None:
    for p in problems:
        console.print(f"[yellow]{p.file or ''} {p.message}[/yellow]")


def _need(path: Path) -> None:
    if not path.is_file():
        console.print(f"[red]文件不存在：{path}[/red]")
        raise typer.Exit(2)


# ---------------------------------------------------------------- the pool


@experts_app.command("import")
def experts_import(
    workbook: Annotated[Path, typer.Argument(help="专家库工作簿（姓名、推荐单位、所在单位、专业、聘任期、联系方式）")],
    by: BY = None,
) -> None:
    """导入专家库工作簿：新专家加入，已有专家（按编号）更新；无法导入的行逐条说明。"""
    from grading.pool import read_pool_workbook

    _need(workbook)
    result = read_pool_workbook(workbook)
    _print_problems(result.problems)
    with _refusals():
        counts = _store().import_experts(result.experts, _secretary(by), workbook.name)
    console.print(f"已导入专家库：新增 {counts['added']} 人，更新 {counts['updated']} 人，"
                  f"未导入或有疑问的行 {len(result.problems)} 条")


@experts_app.command("list")
def experts_list(on: Annotated[str | None, typer.Option(help="按该日（YYYY-MM-DD）判断可否抽取，默认今天")] = None) -> None:
    """列出专家库，并说明各专家在指定日期能否被抽取（第十二条）。"""
    from grading.pool import ineligibility_reason

    day = date.fromisoformat(on) if on else date.today()
    table = Table("编号", "姓名", "推荐单位", "所在单位", "专业", "聘任期", f"{day} 可抽取")
    for e in _store().experts():
        why = ineligibility_reason(e, day)
        table.add_row(e.key, e.name, e.unit, e.company, e.specialty, f"{e.appointed_from}～{e.appointed_to}",
                      "是" if why is None else f"否：{why}")
    out.print(table)


@experts_app.command("set")
def experts_set(
    key: Annotated[str, typer.Argument(help="专家编号")],
    reason: REASON = None,
    registered: Annotated[bool | None, typer.Option("--registered/--deregistered", help="在库或注销")] = None,
    appointed_to: Annotated[str | None, typer.Option("--to", help="聘任期截止日 YYYY-MM-DD")] = None,
    account: Annotated[str | None, typer.Option(help="该专家登录工作台的用户名")] = None,
    avoid: Annotated[str | None, typer.Option(help="申报的回避单位，用；分隔")] = None,
    by: BY = None,
) -> None:
    """修改一位专家的信息（在库状态、聘任期、账号、回避单位），修改与理由记入审计记录。"""
    changes: dict[str, object] = {}
    if registered is not None:
        changes["registered"] = registered
    if appointed_to:
        changes["appointed_to"] = date.fromisoformat(appointed_to)
    if account:
        changes["account"] = account
    if avoid is not None:
        changes["avoid"] = [a.strip() for a in avoid.replace("；", ";").split(";") if a.strip()]
    if not changes or not (reason or "").strip():
        console.print("[red]请给出要修改的内容，并用 --reason 写明理由[/red]")
        raise typer.Exit(2)
    with _refusals():
        e = _store().update_expert(key, _secretary(by), reason or "", **changes)
    console.print(f"已修改专家 {e.key}（{e.name}）")


# ---------------------------------------------------------------- teams and the draw


@grading_app.command("teams")
def teams_import(
    source: Annotated[Path, typer.Argument(help="completeness.json（取初选通过的班组）或初选合格名单工作簿")],
    year: YEAR = THIS_YEAR,
    complete_passes: Annotated[bool, typer.Option(help="尚无初选结论时，把材料齐全的班组视为初选通过")] = False,
    by: BY = None,
) -> None:
    """设定本年度待评班组：初选通过的班组。"""
    from core.model import CompletenessReport
    from grading.teams import read_teams_workbook, teams_from_report
    from pipeline.store.review import with_reviews

    _need(source)
    gs = _store()
    if source.suffix.lower() == ".json":
        report = with_reviews(gs.store, CompletenessReport.model_validate_json(source.read_text("utf-8")))
        teams = teams_from_report(report, complete_passes)
    else:
        teams, problems = read_teams_workbook(source)
        _print_problems(problems)
    if not teams:
        console.print("[red]没有初选通过的班组（可先完成初选，或加 --complete-passes）[/red]")
        raise typer.Exit(1)
    with _refusals():
        n = gs.import_teams(year, teams, _secretary(by), source.name)
    console.print(f"{year} 年待评班组：{n} 个（其中取消资格 {sum(t.disqualified for t in teams)} 个）")


@grading_app.command("draw")
def draw(
    groups: Annotated[int, typer.Option(help="专家组数")],
    year: YEAR = THIS_YEAR,
    size: Annotated[int | None, typer.Option(help="每组人数（含组长），默认取年度文件")] = None,
    seed: Annotated[int | None, typer.Option(help="随机种子，默认随机生成并记录")] = None,
    on: Annotated[str | None, typer.Option(help="抽取日 YYYY-MM-DD（判断聘任期），默认今天")] = None,
    by: BY = None,
) -> None:
    """从专家库随机抽取专家组（第十二条），记录随机种子并输出抽取记录。"""
    from grading.draw import draw_protocol

    seed = seed if seed is not None else secrets.randbits(62)
    with _refusals():
        result = _store().draw(year, _secretary(by), seed=seed, drawn_on=date.fromisoformat(on) if on else date.today(),
                               group_count=groups, group_size=size)
    typer.echo(draw_protocol(result))


@grading_app.command("show")
def show(year: YEAR = THIS_YEAR) -> None:
    """显示当前专家组（含全部人工调整）及各组班组。"""
    gs = _store()
    names = {e.key: e.name for e in gs.experts()}
    status = gs.group_status(year)
    if not status:
        console.print(f"[red]{year} 年尚未抽取专家组[/red]")
        raise typer.Exit(1)
    for g in gs.groups(year):
        by, _ = status[g.no]
        out.print(f"第 {g.no} 组　组长：{names.get(g.leader, g.leader)}（{g.leader}）　组员："
                  f"{'、'.join(f'{names.get(k, k)}（{k}）' for k in g.members)}　"
                  f"{'已提交' if by else '未提交'}")
        out.print("　班组：" + "、".join(g.teams))


@grading_app.command("verify")
def verify(year: YEAR = THIS_YEAR) -> None:
    """按记录的种子与输入重新抽取，结果一致时退出码为 0。"""
    with _refusals():
        same = _store().verify_draw(year)
    if not same:
        console.print("[red]按记录的种子与输入重新抽取，结果与记录不一致[/red]")
        raise typer.Exit(1)
    console.print("按记录的种子与输入重新抽取，结果与记录完全一致")


def _change(fn: Callable[[], object], done: str) -> None:
    with _refusals():
        fn()
    console.print(done)


@grading_app.command("replace-expert")
def replace_expert(
    old: Annotated[str, typer.Argument(help="被替换专家编号")],
    new: Annotated[str, typer.Argument(help="替补专家编号")],
    reason: REASON = None,
    year: YEAR = THIS_YEAR,
    by: BY = None,
) -> None:
    """替换专家组中的一位专家（替补须在聘且无回避关系）。"""
    _change(lambda: _store().replace_expert(year, old, new, _secretary(by), reason or ""), f"已用 {new} 替换 {old}")


@grading_app.command("move-team")
def move_team(
    team_id: Annotated[str, typer.Argument(help="班组编号")],
    group: Annotated[int, typer.Argument(help="调入的组号")],
    reason: REASON = None,
    year: YEAR = THIS_YEAR,
    by: BY = None,
) -> None:
    """把班组调到另一组（该组专家均不得与班组有回避关系）。"""
    _change(lambda: _store().move_team(year, team_id, group, _secretary(by), reason or ""),
            f"已将 {team_id} 调入第 {group} 组")


@grading_app.command("set-leader")
def set_leader(
    group: Annotated[int, typer.Argument(help="组号")],
    key: Annotated[str, typer.Argument(help="新组长的专家编号（须为本组组员）")],
    reason: REASON = None,
    year: YEAR = THIS_YEAR,
    by: BY = None,
) -> None:
    """指定本组一名组员为组长。"""
    _change(lambda: _store().set_leader(year, group, key, _secretary(by), reason or ""),
            f"第 {group} 组组长改为 {key}")


# ---------------------------------------------------------------- scores


@grading_app.command("score")
def score(
    team_id: Annotated[str, typer.Argument(help="班组编号")],
    expert: Annotated[str, typer.Option(help="评分专家编号（本人）")],
    item: Annotated[list[str], typer.Option(help="评分项=得分，每项一个，如 --item 班组基础建设=10")],
    comment: Annotated[str, typer.Option(help="评语")] = "",
    year: YEAR = THIS_YEAR,
) -> None:
    """专家本人为本组班组填写申报材料评分（评分项取自年度文件）。"""
    from grading.model import MaterialScore
    from grading.scores import parse_score

    items: dict[str, Decimal] = {}
    for pair in item:
        key, _, value = pair.partition("=")
        parsed = parse_score(value)
        if parsed is None:
            console.print(f"[red]“{pair}”应写作 评分项=得分[/red]")
            raise typer.Exit(2)
        items[key.strip()] = parsed
    with _refusals():
        total = _store().save_material(
            year, MaterialScore(team_id=team_id, expert=expert, items=items, comment=comment), _expert(expert))
    console.print(f"已保存 {expert} 对 {team_id} 的申报材料评分：{total}")


@grading_app.command("submit-group")
def submit_group(
    group: Annotated[int, typer.Argument(help="组号")],
    leader: Annotated[str, typer.Option(help="组长的专家编号")],
    year: YEAR = THIS_YEAR,
) -> None:
    """组长提交本组评分（须每位专家已为本组每个班组评分）。"""
    _change(lambda: _store().submit_group(year, group, _expert(leader)), f"第 {group} 组评分已提交")


@grading_app.command("reopen-group")
def reopen_group(
    group: Annotated[int, typer.Argument(help="组号")],
    reason: REASON = None,
    year: YEAR = THIS_YEAR,
    by: BY = None,
) -> None:
    """秘书处退回已提交的专家组评分以便修改。"""
    _change(lambda: _store().reopen_group(year, group, _secretary(by), reason or ""), f"第 {group} 组评分已退回")


@grading_app.command("presentations")
def presentations(
    workbook: Annotated[Path, typer.Argument(help="发布会评分表（班组编号、得分，可含专家、是否发布）")],
    year: YEAR = THIS_YEAR,
    by: BY = None,
) -> None:
    """导入发布会现场评分（满分 20 分）及未参与发布的班组。"""
    from grading.presentation_sheet import read_presentation_sheet

    _need(workbook)
    gs = _store()
    experts = {e.key: e.key for e in gs.experts()} | {e.name: e.key for e in gs.experts()}
    sheet = read_presentation_sheet(workbook, gs.rules(year), {t.team_id for t in gs.teams(year)}, experts)
    _print_problems(sheet.problems)
    with _refusals():
        gs.import_presentations(year, sheet.scores, sheet.absent, _secretary(by), workbook.name)
    console.print(f"已导入发布得分 {len(sheet.scores)} 条，未参与发布（视同放弃）{len(sheet.absent)} 个班组，"
                  f"未导入的行 {len(sheet.problems)} 条")


@grading_app.command("absent")
def absent(
    team_id: Annotated[str, typer.Argument(help="班组编号")],
    year: YEAR = THIS_YEAR,
    undo: Annotated[bool, typer.Option(help="撤销未发布登记")] = False,
    reason: REASON = None,
    by: BY = None,
) -> None:
    """登记班组未参与发布（第十条：视同放弃）。"""
    _change(lambda: _store().set_absent(year, team_id, not undo, _secretary(by), reason),
            f"{team_id}：{'已撤销未发布登记' if undo else '已登记为未参与发布（视同放弃）'}")


# ---------------------------------------------------------------- grades


@grading_app.command("results")
def results(
    year: YEAR = THIS_YEAR,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """显示当前评定结果（秘书处审定前为草稿）。"""
    gs = _store()
    graded = gs.approved_list(year) or gs.compute(year)
    if as_json:
        data = graded.model_dump(mode="json") | {"state": gs.state(year)}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("名次", "班组编号", "班组名称", "推荐单位", "材料", "发布", "总分", "等级", "说明",
                  title=f"{year} 年评定结果（{gs.state_name(year)}）")
    for o in graded.outcomes:
        table.add_row(str(o.rank or ""), o.team.team_id, o.team.team, o.team.recommender,
                      str(o.material or ""), str(o.presentation or ""), str(o.total or ""), o.grade or "", o.note)
    out.print(table)
    out.print(f"参评 {graded.graded_count} 个；配额上限：" + "，".join(f"{k} {v} 个" for k, v in graded.quotas.items()))


def _transition(action: str, year: int, by: str | None, reason: str | None, done: str) -> None:
    _change(lambda: _store().transition(year, action, _secretary(by), reason), done)


@grading_app.command("submit")
def submit(year: YEAR = THIS_YEAR, by: BY = None) -> None:
    """提交评定结果待审定（各组均已提交、每个班组评分完整）。"""
    _transition("submit", year, by, None, f"{year} 年评定结果已提交审定")


@grading_app.command("approve")
def approve(year: YEAR = THIS_YEAR, by: BY = None) -> None:
    """审定评定结果（第十条；审定人不能是提交人），审定后名单为最终结果。"""
    _transition("approve", year, by, None, f"{year} 年评定结果已审定，名单为最终结果")


@grading_app.command("return")
def return_list(year: YEAR = THIS_YEAR, reason: REASON = None, by: BY = None) -> None:
    """退回已提交的评定结果（须写明理由）。"""
    _transition("return", year, by, reason, f"{year} 年评定结果已退回修改")


@grading_app.command("export")
def export(
    out_dir: Annotated[Path, typer.Argument(help="输出目录")],
    year: YEAR = THIS_YEAR,
) -> None:
    """导出专家组名单、评定结果、各专家评分明细（仅供秘书处）及证书名单。"""
    from pipeline.exports.grading import write_grading_exports

    gs = _store()
    written = write_grading_exports(gs, year, out_dir)
    for path in written:
        typer.echo(str(path))
