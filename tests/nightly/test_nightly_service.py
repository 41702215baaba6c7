"""The nightly service end to end: mails on a real IMAP server (dovecot), `banzu serve` registering the
deployment on a real `prefect server start`, runs triggered through the API, receipts in the reports,
a late mail judged late, a link-only mail reported, the notification delivered over SMTP (aiosmtpd);
a second run fetches nothing and says so."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ..flow.helpers import text_pdf
from .messages import QQ_BIG_ATTACHMENT_HTML, attachment_part, mail

pytestmark = pytest.mark.flow
BJ = timezone(timedelta(hours=8))
ON_TIME_UNIT = "中国建筑第八工程局有限公司"
LATE_UNIT = "上海建工集团股份有限公司"


def _deployment(url: str):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
        return client.read_deployment_by_name("banzu-intake/nightly")


def _wait_for_deployment(url: str, serve: subprocess.Popen, log: Path, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if serve.poll() is not None:
            pytest.fail(f"banzu serve exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            return _deployment(url)
        except Exception:  # noqa: BLE001 - not registered yet
            time.sleep(0.5)
    pytest.fail(f"the deployment never appeared: {log.read_text(errors='replace')[-3000:]}")


def _run_through_api(url: str, log: Path):
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: url}):
        run = run_deployment("banzu-intake/nightly", timeout=400, poll_interval=1)
    assert run.state is not None and run.state.is_completed(), (run.state, log.read_text(errors="replace")[-4000:])
    return run


def _problems(report: dict) -> list[dict]:
    return [p for key in ("units", "teams", "files") for item in report[key] for p in item.get("problems", [])]


def test_mail_in_schedule_served_runs_through_the_api_and_word_when_done(
        mail_account, notify_mailbox, prefect_server, tmp_path, _banzu_home):
    on_time = datetime(2024, 5, 29, 16, 5, tzinfo=BJ)
    late = datetime(2024, 5, 31, 0, 20, tzinfo=BJ)  # UTC: 30 May 16:20, still the deadline day in UTC
    mail_account.append(mail("八局 <a@cscec8b.com.cn>", "推荐材料", attachments=[
        attachment_part(f"{ON_TIME_UNIT}.pdf", text_pdf([f"{ON_TIME_UNIT}\n关于推荐质量信得过班组的函"]))]), on_time)
    mail_account.append(mail("上海建工 <c@scg.com.cn>", "推荐材料（补）", attachments=[
        attachment_part(f"{LATE_UNIT}.pdf", text_pdf([f"{LATE_UNIT}\n关于推荐质量信得过班组的函"]), "rfc2231")]), late)
    mail_account.append(mail("中交一公局 <d@ccfeb.cn>", "推荐材料（超大附件）", body="请下载超大附件",
                             html=QQ_BIG_ATTACHMENT_HTML), on_time)

    inbox = tmp_path / "inbox"
    log = tmp_path / "serve.log"
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_HOME": str(tmp_path / "prefect-client"),
           "PREFECT_RUNNER_POLL_FREQUENCY": "1", "BANZU_INBOX": str(inbox), "BANZU_OCR_WORKERS": "1",
           "BANZU_SERVE_CRON": "30 1 * * *", "PREFECT_LOGGING_LEVEL": "INFO"}
    with log.open("wb") as out:
        serve = subprocess.Popen([sys.executable, "-m", "commands.main", "serve", "--year", "2024"], env=env,
                                 stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deployment = _wait_for_deployment(prefect_server, serve, log)
        [schedule] = deployment.schedules
        assert schedule.schedule.cron == "30 1 * * *" and schedule.schedule.timezone == "Asia/Shanghai"
        assert schedule.active and not deployment.paused
        assert deployment.global_concurrency_limit is not None and deployment.global_concurrency_limit.limit == 1
        assert deployment.parameters == {"inbox": str(inbox), "year": 2024}

        _run_through_api(prefect_server, log)
        reports = _banzu_home / "reports" / "2024"
        completeness = json.loads((reports / "completeness.json").read_text(encoding="utf-8"))
        files = {f["path"]: f for f in completeness["files"]}
        mailed = files[f"推荐材料/{ON_TIME_UNIT}.pdf"]
        assert mailed["received_via"] == "mail" and mailed["mail"]["from"] == "八局 <a@cscec8b.com.cn>"
        assert datetime.fromisoformat(mailed["received_at"]) == on_time
        late_path = f"推荐材料/{LATE_UNIT}.pdf"
        assert datetime.fromisoformat(files[late_path]["received_at"]) == late
        late_files = {p.get("file") for p in _problems(completeness) if p["code"] == "late_submission"}
        assert late_files == {late_path}  # Beijing time decides; the on-time mail is not late
        assert (inbox / late_path).is_file() and (reports / "index.html").is_file()
        log_mails = json.loads((reports / "mail.json").read_text(encoding="utf-8"))["mails"]
        link_only = [m for m in log_mails if m["from"].endswith("<d@ccfeb.cn>")]
        assert link_only and link_only[0]["problems"][0]["code"] == "mail_download_link"

        [(subject, body)] = notify_mailbox.texts()
        assert subject == "【质量信得过班组】2024 年材料夜间处理完成"
        assert "新邮件：3 封，收入附件 2 个" in body and "逾期 1 个" in body
        assert re.search(r"推荐单位：\d+ 家，材料齐全 \d+ 家", body)  # the roster's units, all of them
        assert "d@ccfeb.cn" in body and "index.html" in body
        assert f"新收到材料：{LATE_UNIT}（推荐单位）、{ON_TIME_UNIT}（推荐单位）" in body

        _run_through_api(prefect_server, log)  # the next night: nothing new in the mailbox
        assert len(notify_mailbox.messages) == 2
        second = notify_mailbox.texts()[1][1]
        assert "没有新邮件" in second and "新文件：0 个" in second and "新收到材料" not in second
        assert sorted(p.name for p in (inbox / "推荐材料").iterdir()) == sorted(
            [f"{ON_TIME_UNIT}.pdf", f"{LATE_UNIT}.pdf"])
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGINT)  # how systemd stops it
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait()
    after = _deployment(prefect_server)
    assert after.schedules[0].active and not after.paused  # a stopped service keeps its schedule
