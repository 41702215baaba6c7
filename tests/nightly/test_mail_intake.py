"""Mail intake against a real dovecot: attachments land in the inbox under the right folder with their
GBK names, receipts come from INTERNALDATE, findings name the sender, nothing is read twice."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from checks.completeness.files import is_late
from core.reference import year_rules
from core.settings import get_settings
from pipeline.inbox import discover
from pipeline.mail import apply_mail_receipts, fetch_mail_step, fetch_new_mail
from pipeline.store import Store

from ..flow.helpers import text_pdf
from .messages import QQ_BIG_ATTACHMENT_HTML, attachment_part, mail

BJ = timezone(timedelta(hours=8))
UNIT_A = "中国建筑第八工程局有限公司"
UNIT_B = "中铁建工集团有限公司"
UNIT_C = "上海建工集团股份有限公司"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _fetch(inbox: Path, **kw):
    settings = get_settings()
    return fetch_new_mail(settings, Store(settings), inbox, **kw)


def test_attachments_land_in_the_inbox_with_receipts_and_findings(mail_account, tmp_path):
    inbox = tmp_path / "inbox"
    pdf_a, pdf_b, pdf_c = (text_pdf([f"{u}\n关于推荐质量信得过班组的函"]) for u in (UNIT_A, UNIT_B, UNIT_C))
    team_zip = _zip({"报名表.pdf": text_pdf(["报名表"]), "成果报告.pdf": text_pdf(["成果报告"])})
    on_time = datetime(2024, 5, 28, 9, 30, tzinfo=BJ)
    mail_account.append(mail("八局 <a@cscec8b.com.cn>", "推荐材料-中建八局",
                             attachments=[attachment_part(f"{UNIT_A}.pdf", pdf_a, "rfc2047")]), on_time)
    mail_account.append(mail("中铁建工 <b@crccg.com>", "推荐材料",
                             attachments=[attachment_part(f"{UNIT_B}.pdf", pdf_b, "rfc2231")]), on_time)
    late = datetime(2024, 5, 31, 0, 20, tzinfo=BJ)  # 30 May 16:20 UTC: the UTC date is still the 30th
    mail_account.append(mail("上海建工 <c@scg.com.cn>", "推荐材料（上海建工）",
                             attachments=[attachment_part(f"{UNIT_C}.pdf", pdf_c, "raw")]), late)
    mail_account.append(mail("钢筋班组 <team@example.cn>", "A0001-钢筋班组申报材料",
                             attachments=[attachment_part("A0001-钢筋班组.zip", team_zip, "rfc2047")]), on_time)
    mail_account.append(mail("中交一公局 <d@ccfeb.cn>", "推荐材料（超大附件）", body="请下载超大附件",
                             html=QQ_BIG_ATTACHMENT_HTML), on_time)
    mail_account.append(mail("张三 <zhang@example.cn>", "材料已发", body="材料已发，请查收"), on_time)
    mail_account.append(mail("李四 <li@example.cn>", "申报工具",
                             attachments=[attachment_part("安装程序.exe", b"MZ\x90\x00" + b"\0" * 200)]), on_time)

    result = _fetch(inbox)
    assert result.errors == [] and result.mails_new == 7
    assert sorted(result.files_saved) == sorted([f"推荐材料/{UNIT_A}.pdf", f"推荐材料/{UNIT_B}.pdf",
                                                 f"推荐材料/{UNIT_C}.pdf", "班组申报/A0001-钢筋班组.zip"])
    assert (inbox / "推荐材料" / f"{UNIT_C}.pdf").read_bytes() == pdf_c  # GBK bytes straight in the header
    assert (inbox / "推荐材料" / f"{UNIT_A}.pdf").stat().st_mtime == on_time.timestamp()
    by_code = {p.code: p.message for p in result.findings}
    assert set(by_code) == {"mail_download_link", "mail_without_attachment", "mail_non_document_attachment"}
    assert "d@ccfeb.cn" in by_code["mail_download_link"] and "wx.mail.qq.com/ftn" in by_code["mail_download_link"]
    assert "zhang@example.cn" in by_code["mail_without_attachment"]
    assert "li@example.cn" in by_code["mail_non_document_attachment"] and "安装程序.exe" in by_code["mail_non_document_attachment"]

    # the run's discovery sees the mail's receipt: INTERNALDATE, received_via "mail", the mail itself
    found, _ = discover(inbox)
    settings = get_settings()
    received = apply_mail_receipts(Store(settings), found)
    assert sum(f.received_via == "mail" for f in received.all_files()) == 4
    assert all(f.received_via == "folder" for f in found.all_files())  # a new inbox; the given one stays
    files = {f.path: f for f in received.all_files()}
    a, c = files[f"推荐材料/{UNIT_A}.pdf"], files[f"推荐材料/{UNIT_C}.pdf"]
    assert a.received_via == "mail" and a.received_at == on_time
    assert a.mail.sender == "八局 <a@cscec8b.com.cn>" and a.mail.subject == "推荐材料-中建八局"
    assert a.mail.message_id.endswith("@mail.example.cn>")
    rules = year_rules(2024)
    assert c.received_at.astimezone(UTC).date().isoformat() == "2024-05-30"
    assert is_late(c, rules) and not is_late(a, rules)  # Beijing time decides: 00:20 on 31 May is late

    # nothing is read twice; the mail log beside the reports lists every mail
    again = fetch_mail_step(settings, Store(settings), inbox, tmp_path / "out")
    assert again.mails_new == 0 and again.files_saved == [] and again.findings == []
    log = json.loads((tmp_path / "out" / "mail.json").read_text(encoding="utf-8"))["mails"]
    assert len(log) == 7 and {m["outcome"] for m in log} == {"archived", "finding"}


def test_duplicates_and_a_mail_arriving_during_the_fetch(mail_account, tmp_path):
    inbox = tmp_path / "inbox"
    pdf = text_pdf([UNIT_A])
    when = datetime(2024, 5, 20, 10, 0, tzinfo=BJ)
    first = mail("八局 <a@cscec8b.com.cn>", "推荐材料", message_id="<same@cscec8b>",
                 attachments=[attachment_part(f"{UNIT_A}.pdf", pdf)])
    mail_account.append(first, when)
    mail_account.append(first, when + timedelta(minutes=1))  # the server got it twice
    resent = mail("八局 <a@cscec8b.com.cn>", "再次发送：推荐材料", attachments=[attachment_part(f"{UNIT_A}.pdf", pdf)])
    mail_account.append(resent, when + timedelta(hours=1))  # sent again by hand: same bytes
    corrected = text_pdf([UNIT_A, "更正版"])
    mail_account.append(mail("八局 <a@cscec8b.com.cn>", "更正", attachments=[
        attachment_part(f"{UNIT_A}.pdf", corrected)]), when + timedelta(days=1))

    arrived: list[int] = []

    def arrives_meanwhile(uid: int) -> None:
        if not arrived:  # a new mail lands while the fetch is busy with the first one
            arrived.append(uid)
            mail_account.append(mail("中铁建工 <b@crccg.com>", "推荐材料", attachments=[
                attachment_part(f"{UNIT_B}.pdf", text_pdf([UNIT_B]))]), when + timedelta(days=2))

    result = _fetch(inbox, on_mail=arrives_meanwhile)
    assert result.mails_new == 4 and result.duplicates == 2 and not result.findings
    assert sorted(result.files_saved) == [f"推荐材料/{UNIT_A}.pdf", f"推荐材料/{UNIT_A}（2）.pdf"]
    assert (inbox / "推荐材料" / f"{UNIT_A}（2）.pdf").read_bytes() == corrected
    later = _fetch(inbox)
    assert later.mails_new == 1 and later.files_saved == [f"推荐材料/{UNIT_B}.pdf"]
    assert _fetch(inbox).mails_new == 0


def test_a_mail_is_processed_only_after_its_attachments_are_saved(mail_account, tmp_path, monkeypatch):
    import pipeline.mail.intake as intake

    inbox = tmp_path / "inbox"
    mail_account.append(mail("八局 <a@cscec8b.com.cn>", "推荐材料", attachments=[
        attachment_part(f"{UNIT_A}.pdf", text_pdf([UNIT_A]))]), datetime(2024, 5, 20, tzinfo=BJ))
    real_write = intake.write_durably

    def disk_full(dest: Path, data: bytes, mtime=None) -> None:
        if dest.suffix == ".pdf":
            raise OSError(28, "No space left on device")
        real_write(dest, data, mtime)

    monkeypatch.setattr(intake, "write_durably", disk_full)
    failed = _fetch(inbox)
    assert failed.mails_new == 0 and "No space left" in failed.errors[0]
    assert not (inbox / "推荐材料").exists() or not any((inbox / "推荐材料").iterdir())
    monkeypatch.setattr(intake, "write_durably", real_write)
    retried = _fetch(inbox)
    assert retried.mails_new == 1 and retried.files_saved == [f"推荐材料/{UNIT_A}.pdf"]


def test_password_from_a_file_and_no_mailbox_means_no_fetch(mail_account, tmp_path, monkeypatch):
    secret = tmp_path / "imap-password"
    secret.write_text(mail_account.password + "\n")
    monkeypatch.delenv("BANZU_MAIL_PASSWORD")
    monkeypatch.setenv("BANZU_MAIL_PASSWORD_FILE", str(secret))
    assert _fetch(tmp_path / "inbox").errors == []
    monkeypatch.delenv("BANZU_MAIL_HOST")
    assert _fetch(tmp_path / "inbox").enabled is False


@pytest.mark.parametrize("style", ["rfc2047", "rfc2231", "raw"])
def test_gbk_names_are_decoded(style):
    from email import message_from_bytes

    from pipeline.mail.names import fix_8bit_headers, part_filename

    name = "中国建筑第八工程局有限公司（推荐材料）.pdf"
    part = message_from_bytes(attachment_part(name, b"%PDF-1.4", style))
    fix_8bit_headers(part)
    assert part_filename(part) == name


def test_a_rebuilt_mailbox_new_uidvalidity_brings_nothing_twice(mail_account, tmp_path, monkeypatch):
    """UIDs mean nothing across UIDVALIDITY: the folder is listed again, known mails (Message-ID) are
    recorded as duplicates and no file is written twice."""
    monkeypatch.setenv("BANZU_MAIL_FOLDER", "Submissions")
    mail_account.create("Submissions")
    message = mail("八局 <a@cscec8b.com.cn>", "推荐材料", message_id="<rebuilt@cscec8b>",
                   attachments=[attachment_part(f"{UNIT_A}.pdf", text_pdf([UNIT_A]))])
    mail_account.append(message, datetime(2024, 5, 20, tzinfo=BJ), folder="Submissions")
    inbox = tmp_path / "inbox"
    assert _fetch(inbox).files_saved == [f"推荐材料/{UNIT_A}.pdf"]
    mail_account.recreate("Submissions")  # e.g. the provider migrated the mailbox
    mail_account.append(message, datetime(2024, 5, 20, tzinfo=BJ), folder="Submissions")
    again = _fetch(inbox)
    assert again.mails_new == 1 and again.duplicates == 1 and again.files_saved == []


def test_a_unit_zipping_its_merged_pdf_lands_in_the_unit_folder(mail_account, tmp_path):
    pdf = text_pdf([UNIT_B])
    mail_account.append(mail("中铁建工 <b@crccg.com>", "推荐材料（压缩包）", attachments=[
        attachment_part("推荐材料.zip", _zip({f"{UNIT_B}.pdf": pdf, "__MACOSX/._x": b"junk"}))]),
        datetime(2024, 5, 20, tzinfo=BJ))
    result = _fetch(tmp_path / "inbox")
    assert result.files_saved == [f"推荐材料/{UNIT_B}.pdf"]
    assert (tmp_path / "inbox" / "推荐材料" / f"{UNIT_B}.pdf").read_bytes() == pdf


def test_a_team_sending_loose_files_gets_its_own_folder(mail_account, tmp_path):
    from pptx import Presentation

    buf = io.BytesIO()
    Presentation().save(buf)
    mail_account.append(mail("钢筋班组 <team@example.cn>", "回复：A0002-模板班组 申报材料", attachments=[
        attachment_part("成果报告.pptx", buf.getvalue()), attachment_part("报名表.pdf", text_pdf(["报名表"]))]),
        datetime(2024, 5, 20, tzinfo=BJ))
    result = _fetch(tmp_path / "inbox")
    assert sorted(result.files_saved) == ["班组申报/A0002-模板班组 申报材料/成果报告.pptx",
                                          "班组申报/A0002-模板班组 申报材料/报名表.pdf"]


def test_mail_check_says_what_the_next_run_fetches(mail_account, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from commands.main import app

    mail_account.append(mail("八局 <a@cscec8b.com.cn>", "推荐材料", attachments=[
        attachment_part(f"{UNIT_A}.pdf", text_pdf([UNIT_A]))]), datetime(2024, 5, 20, tzinfo=BJ))
    result = CliRunner().invoke(app, ["mail", "check"])
    assert result.exit_code == 0 and "共 1 封，下次运行将收取 1 封新邮件" in result.output
    _fetch(tmp_path / "inbox")
    assert "下次运行将收取 0 封新邮件" in CliRunner().invoke(app, ["mail", "check"]).output
    monkeypatch.setenv("BANZU_MAIL_PASSWORD", "wrong")
    wrong = CliRunner().invoke(app, ["mail", "check"])
    assert wrong.exit_code == 1 and "无法登录邮箱" in wrong.output
