"""Word when the night is done: a short Chinese message to the channels in BANZU_NOTIFY (apprise URLs:
mailto/mailtos, dingtalk://, wecombot://), after each run, when a run fails, and when the nightly run
has not completed by the set hour. Prefect's own notification blocks have neither DingTalk nor WeCom.

Sending never raises: a channel that is down is logged and the run's outcome stands.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.codes import Code
from core.model import RunSummary
from core.settings import Settings
from pipeline.store import Store, as_utc
from pipeline.store.tables import Run, Sighting

log = logging.getLogger(__name__)
BEIJING = ZoneInfo("Asia/Shanghai")
TITLE = "【质量信得过班组】"
MAX_PROBLEMS = 5  # mails needing attention listed by name; the rest are counted


def send(urls: list[str], title: str, body: str) -> bool:
    """Deliver to every URL; True when all accepted it."""
    if not urls:
        return False
    import apprise

    sink = apprise.Apprise()
    added = [u for u in urls if sink.add(u)]
    if len(added) != len(urls):
        log.warning("通知地址无效：%s", ", ".join(u.split("://", 1)[0] for u in urls if u not in added))
    if not added:
        return False
    try:
        delivered = sink.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
        return bool(delivered) and len(added) == len(urls)
    except Exception as exc:  # noqa: BLE001 - a channel that is down does not fail the run
        log.warning("通知发送失败：%s", exc)
        return False


def _bj(dt: datetime | None) -> str:
    return as_utc(dt).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if dt else "—"


def _delta(now: int, before: int | None) -> str:
    if before is None or now == before:
        return ""
    return f"，较上次{'+' if now > before else ''}{now - before}"


def previous_summary(store: Store, year: int, before: datetime | None) -> dict | None:
    """The last completed run of the year before this one (what "since last night" compares to)."""
    with store.session() as s:
        query = select(Run).where(Run.year == year, Run.status == "completed").order_by(Run.started_at.desc())
        for run in s.scalars(query):
            started = as_utc(run.started_at)
            if before is None or (started is not None and started < before):
                return run.summary or {}
    return None


def new_senders(store: Store, year: int, since: datetime | None) -> list[str]:
    """Units (file names) and teams whose files this run saw for the first time."""
    if since is None:
        return []
    with store.session() as s:
        rows = s.execute(select(Sighting.role, Sighting.group_name, Sighting.first_seen)
                         .where(Sighting.year == year, Sighting.group_name.is_not(None))).all()
    fresh = [(role, group) for role, group, first in rows if (f := as_utc(first)) is not None and f >= since]
    return sorted({f"{group}（{'推荐单位' if role == 'unit' else '班组'}）" for role, group in fresh})


def late_count(out_dir: Path) -> int | None:
    """Late submissions in the run's completeness.json (None when it is not there)."""
    path = out_dir / "completeness.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    items = [*data.get("units", []), *data.get("teams", []), *data.get("files", [])]
    late = {p.get("file") or id(p) for item in items for p in item.get("problems", [])
            if p.get("code") == Code.LATE_SUBMISSION}
    return len(late)


def report_link(settings: Settings, out_dir: Path) -> str:
    if settings.reports_url:
        return settings.reports_url
    return (out_dir / "index.html").resolve().as_uri()


def run_message(summary: RunSummary, previous: dict | None, link: str, late: int | None,
                fresh: list[str] | None = None) -> tuple[str, str]:
    """(title, body) of the message after a completed run."""
    prev = previous or {}
    title = f"{TITLE}{summary.year} 年材料夜间处理完成"
    lines = [f"完成时间：{_bj(summary.finished_at)}（北京时间）"]
    if summary.mail_checked:
        if summary.mails_new:
            lines.append(f"新邮件：{summary.mails_new} 封，收入附件 {summary.mail_files} 个")
        else:
            lines.append("新邮件：没有新邮件（no new mail）")
    lines.append(f"新文件：{summary.files_new} 个（共 {summary.files_seen} 个）")
    if fresh:
        more = f" 等 {len(fresh)} 家/个" if len(fresh) > MAX_PROBLEMS * 2 else ""
        lines.append(f"新收到材料：{'、'.join(fresh[: MAX_PROBLEMS * 2])}{more}")
    lines.append(f"推荐单位：{summary.units} 家，材料齐全 {summary.units_complete} 家"
                 f"{_delta(summary.units_complete, prev.get('units_complete'))}")
    lines.append(f"申报班组：{summary.teams} 个，材料齐全 {summary.teams_complete} 个"
                 f"{_delta(summary.teams_complete, prev.get('teams_complete'))}")
    tail = [f"无法读取 {summary.unreadable} 个"]
    if late is not None:
        tail.append(f"逾期 {late} 个")
    tail.append(f"疑似抄袭 {summary.flags} 处{_delta(summary.flags, prev.get('flags'))}")
    lines.append("；".join(tail))
    if summary.mail_problems:
        lines.append(f"需秘书处处理的来信 {len(summary.mail_problems)} 封：")
        lines.extend(f"- {p.message}" for p in summary.mail_problems[:MAX_PROBLEMS])
        if len(summary.mail_problems) > MAX_PROBLEMS:
            lines.append(f"- 另有 {len(summary.mail_problems) - MAX_PROBLEMS} 封，见 mail.json")
    if summary.mail_errors:
        lines.append(f"收取邮件出错 {len(summary.mail_errors)} 处，下次运行将重试：{summary.mail_errors[0]}")
    lines.append(f"报告：{link}")
    return title, "\n".join(lines)


def notify_run(settings: Settings, store: Store, summary: RunSummary) -> bool:
    """After a completed run: counts, what is new since the previous run, the link to the reports."""
    if not settings.notify_urls:
        return False
    out_dir = Path(summary.out_dir)
    previous = previous_summary(store, summary.year, summary.started_at)
    fresh = new_senders(store, summary.year, summary.started_at)
    title, body = run_message(summary, previous, report_link(settings, out_dir), late_count(out_dir), fresh)
    return send(settings.notify_urls, title, body)


def notify_failure(settings: Settings, year: int | None, error: str, flow_run: str | None = None) -> bool:
    """When a run failed or crashed: what broke, so someone looks before the morning."""
    if not settings.notify_urls:
        return False
    title = f"{TITLE}{year or ''} 年材料夜间处理失败"
    body = "\n".join([
        f"时间：{_bj(datetime.now(UTC))}（北京时间）",
        f"错误：{error[:500]}",
        *([f"运行：{flow_run}"] if flow_run else []),
        "已收到的文件均已保存；请查看 Prefect 界面中的运行日志，修复后可手动重跑（banzu intake）。",
    ])
    return send(settings.notify_urls, title, body)


def due_time(settings: Settings, now: datetime) -> datetime:
    """Today's (Beijing) deadline for the nightly run, as an aware datetime."""
    hour, minute = (int(v) for v in settings.notify_late_after.split(":", 1))
    day = now.astimezone(BEIJING).date()
    return datetime.combine(day, time(hour, minute), tzinfo=BEIJING)


def overdue(store: Store, since: datetime) -> bool:
    """Whether no run completed since `since` (the night's start)."""
    with store.session() as s:
        runs = s.scalars(select(Run).where(Run.status == "completed")).all()
    return not any((f := as_utc(r.finished_at)) is not None and f >= since for r in runs)


def check_overdue(settings: Settings, store: Store, now: datetime | None = None,
                  night_starts: time = time(0, 0)) -> bool:
    """At the set hour: tell the channels when tonight's run has not completed. True when a message went out."""
    now = now or datetime.now(UTC)
    due = due_time(settings, now)
    since = datetime.combine(due.date(), night_starts, tzinfo=BEIJING)
    if now < due or not overdue(store, since):
        return False
    title = f"{TITLE}夜间处理尚未完成"
    body = (f"截至 {due:%Y-%m-%d %H:%M}（北京时间），今晚的材料处理仍未完成（自 {since:%H:%M} 起没有完成的运行）。\n"
            "请检查 banzu serve 与 Prefect 服务是否在运行，或在 Prefect 界面查看运行状态。")
    return send(settings.notify_urls, title, body)


def seconds_until(target: datetime, now: datetime | None = None) -> float:
    now = now or datetime.now(UTC)
    while target <= now:
        target += timedelta(days=1)
    return (target - now).total_seconds()
