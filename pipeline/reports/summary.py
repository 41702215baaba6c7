"""Short summaries of a run: the Prefect markdown and table artifacts, and the CLI's last line."""

from __future__ import annotations

from typing import Any

from core.model import CompletenessReport, FlagsReport, RunSummary, StatisticsReport
from pipeline.reports.common import headline, pct, problem_title
from pipeline.reports.html import sort_flags


def _md(text: Any) -> str:
    """Table-cell safe markdown text (uploaded names may carry | or line breaks)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def summary_counts(
    completeness: CompletenessReport,
    flags: FlagsReport,
    statistics: StatisticsReport | None = None,
    summary: RunSummary | None = None,
) -> list[dict[str, Any]]:
    """Rows {项目, 数量} for a table artifact: the headline counts, then one row per problem kind."""
    h = headline(completeness, flags)
    rows = [
        ("推荐单位", h["units"]),
        ("推荐单位：完整", h["units_complete"]),
        ("推荐单位：不完整", h["units_incomplete"]),
        ("班组", h["teams"]),
        ("班组：完整", h["teams_complete"]),
        ("班组：不完整", h["teams_incomplete"]),
        ("文件", h["files"]),
        ("无法读取的文件", h["unreadable"]),
        ("逾期提交的文件", h["late"]),
        ("抄袭嫌疑（跨班组）", h["flags_cross_team"]),
        ("本班组往年材料重复使用", h["flags_self_prior_year"]),
    ]
    if statistics is not None:
        rows.append(("计入统计汇总的单位", statistics.units_counted))
    if summary is not None:
        rows += [("本次新文件", summary.files_new), ("本次抽取", summary.extracted),
                 ("抽取缓存命中", summary.extraction_cache_hits)]
    rows += [(f"问题：{problem_title(c)}", n) for c, n in h["problem_codes"].items()]
    return [{"项目": k, "数量": v} for k, v in rows]


def summary_markdown(
    completeness: CompletenessReport,
    flags: FlagsReport,
    statistics: StatisticsReport | None = None,
    summary: RunSummary | None = None,
) -> str:
    """A markdown summary of the run for the flow run's artifact: counts, what to look at first, where."""
    h = headline(completeness, flags)
    lines = [f"# {h['year']}年工程建设质量信得过班组 初选结果", ""]
    if summary is not None:
        lines += [f"报告目录：`{summary.out_dir}`", ""]
    lines += [
        "| 项目 | 总数 | 完整 | 不完整 |",
        "|---|---:|---:|---:|",
        f"| 推荐单位 | {h['units']} | {h['units_complete']} | {h['units_incomplete']} |",
        f"| 班组 | {h['teams']} | {h['teams_complete']} | {h['teams_incomplete']} |",
        "",
        f"- 无法读取的文件：{h['unreadable']} 个；逾期提交的文件：{h['late']} 个",
        f"- 抄袭嫌疑（跨班组）：{h['flags_cross_team']} 条；本班组往年材料重复使用：{h['flags_self_prior_year']} 条",
    ]
    if statistics is not None:
        cov = statistics.coverage
        lines.append(f"- 统计汇总：已汇总 {cov.get('reported', 0)}/{cov.get('listed', 0)} 个名单内推荐单位的统计表")
    if h["problem_codes"]:
        lines += ["", "## 问题分类", "", "| 问题 | 数量 |", "|---|---:|"]
        lines += [f"| {_md(problem_title(c))} | {n} |" for c, n in h["problem_codes"].items()]
    incomplete = [u.unit for u in completeness.units if not u.complete]
    if incomplete:
        lines += ["", "## 材料不完整的推荐单位", ""]
        lines += [f"- {_md(u.unit)}：" + "；".join(_md(problem_title(p.code)) for p in u.problems if not p.dismissed)
                  for u in completeness.units if not u.complete][:30]
        if len(incomplete) > 30:
            lines.append(f"- ……共 {len(incomplete)} 个")
    strongest = [f for f in sort_flags(flags.flags) if f.kind == "cross_team"][:10]
    if strongest:
        lines += ["", "## 相似度最高的班组", "", "| A（本年度） | B | 相似度 | 复制比 A | 复制比 B |",
                  "|---|---|---:|---:|---:|"]
        lines += [
            f"| {_md(f.a.team or f.a.team_id)} | {f.b.year}年 {_md(f.b.team or f.b.team_id)} | "
            f"{pct(f.similarity)} | {pct(f.copy_ratio_a)} | {pct(f.copy_ratio_b)} |"
            for f in strongest
        ]
    lines += ["", "详见 index.html（评审）、flags.html（纪检）、completeness.xlsx（秘书处）。"]
    return "\n".join(lines) + "\n"


def format_summary_line(summary: RunSummary) -> str:
    """One Chinese line for the end of `banzu intake`."""
    took = ""
    if summary.started_at and summary.finished_at:
        took = f"，用时 {(summary.finished_at - summary.started_at).total_seconds():.1f} 秒"
    return (
        f"{summary.year}年：推荐单位 {summary.units} 家（完整 {summary.units_complete}，"
        f"不完整 {summary.units - summary.units_complete}）；班组 {summary.teams} 个（完整 {summary.teams_complete}，"
        f"不完整 {summary.teams - summary.teams_complete}）；无法读取文件 {summary.unreadable} 个；"
        f"查重标记 {summary.flags} 条；文件 {summary.files_seen} 个（新 {summary.files_new}，"
        f"抽取 {summary.extracted}，缓存命中 {summary.extraction_cache_hits}）{took}；报告在 {summary.out_dir}"
    )
