"""Word when the night is done: apprise delivering Chinese messages to a local SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.model import Problem, RunSummary
from core.settings import get_settings
from pipeline import notify
from pipeline.store import Store


def _summary(out_dir, **kw) -> RunSummary:
    base = dict(year=2024, out_dir=str(out_dir), files_seen=12, files_new=3, units=5, units_complete=4,
                teams=6, teams_complete=5, unreadable=1, flags=2, started_at=datetime.now(UTC),
                finished_at=datetime.now(UTC), mail_checked=True, mails_new=3, mail_files=2)
    return RunSummary(**{**base, **kw})


def test_after_a_run_the_counts_and_the_news_since_last_night_are_delivered(notify_mailbox, tmp_path):
    settings = get_settings()
    store = Store(settings)
    last_night = store.start_run(2024, "inbox", str(tmp_path))
    store.finish_run(last_night, "completed", _summary(tmp_path, units_complete=2, flags=2).model_dump(mode="json"))
    problem = Problem(code="mail_download_link", message="来信 中交一公局 <d@ccfeb.cn> 以下载链接代替附件")
    summary = _summary(tmp_path, started_at=datetime.now(UTC) + timedelta(seconds=1), mail_problems=[problem])
    assert notify.notify_run(settings, store, summary)
    [(subject, body)] = notify_mailbox.texts()
    assert subject == "【质量信得过班组】2024 年材料夜间处理完成"
    assert "新邮件：3 封，收入附件 2 个" in body and "材料齐全 4 家，较上次+2" in body
    assert "疑似抄袭 2 处；" not in body and "疑似抄袭 2 处" in body  # unchanged: no delta
    assert "d@ccfeb.cn" in body and (tmp_path / "index.html").as_uri() in body


def test_no_new_mail_is_said_so(notify_mailbox, tmp_path):
    settings = get_settings()
    assert notify.notify_run(settings, Store(settings), _summary(tmp_path, mails_new=0, mail_files=0))
    assert "没有新邮件" in notify_mailbox.texts()[0][1]


def test_a_failed_run_and_an_overdue_night_are_reported(notify_mailbox, tmp_path):
    settings = get_settings()
    assert notify.notify_failure(settings, 2024, "OperationalError: database is locked", "run-1")
    store = Store(settings)
    due = notify.due_time(settings, datetime(2024, 5, 31, 0, 0, tzinfo=UTC))  # 07:30 Beijing on 31 May
    assert not notify.check_overdue(settings, store, due - timedelta(minutes=1))  # not yet the hour
    assert notify.check_overdue(settings, store, due + timedelta(minutes=1))  # nothing completed tonight
    subjects = [s for s, _ in notify_mailbox.texts()]
    assert subjects == ["【质量信得过班组】2024 年材料夜间处理失败", "【质量信得过班组】夜间处理尚未完成"]
    assert "database is locked" in notify_mailbox.texts()[0][1]
    run = store.start_run(2024, "inbox", str(tmp_path))
    store.finish_run(run, "completed", {})  # tonight's run done (now): no message at today's hour
    today_due = notify.due_time(settings, datetime.now(UTC))
    assert not notify.check_overdue(settings, store, max(datetime.now(UTC), today_due) + timedelta(minutes=1))
    assert len(notify_mailbox.messages) == 2


def test_a_bad_channel_never_raises(monkeypatch, tmp_path):
    monkeypatch.setenv("BANZU_NOTIFY", "mailto://127.0.0.1:1?mode=insecure&from=a@b.cn&to=c@d.cn not-a-url")
    assert notify.notify_failure(get_settings(), 2024, "x") is False


def test_dingtalk_and_wecom_robots_are_channels_apprise_knows():
    import apprise

    sink = apprise.Apprise()
    assert sink.add("dingtalk://a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6abcd/")
    assert sink.add("wecombot://0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")
    assert len(sink) == 2
