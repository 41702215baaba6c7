"""Every problem code banzu emits: one typed registry (code, Chinese title, blocking or not, where it applies).

A blocking code makes its unit or team incomplete (`complete: false`); a warning is shown to the
reviewer but leaves `complete` alone, because it either does not make the package non-compliant
(a late file, a plausibility doubt about a number) or concerns someone else's package.

Reports show `Code.X.title_zh` only; the code itself stays in the JSON files and in tooltips.
To add a code, add one member line: `NAME = "code", "中文标题", BLOCKS or WARNS, "unit team file"`.
"""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    """What a problem is attached to in completeness.json."""

    UNIT = "unit"
    TEAM = "team"
    FILE = "file"
    MAIL = "mail"  # a mail of the activity's mailbox (mail.json), naming its sender


BLOCKS = True
WARNS = False


class Code(StrEnum):
    """A problem code; a `str`, so `Problem(code=Code.X)` writes "x" to JSON and compares equal to it."""

    title_zh: str
    blocking: bool
    scopes: frozenset[Scope]

    def __new__(cls, value: str, title_zh: str, blocking: bool, scopes: str) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.title_zh = title_zh
        member.blocking = blocking
        member.scopes = frozenset(Scope(s) for s in scopes.split())
        return member

    # contract codes
    MISSING_RECOMMENDATION_LETTER = "missing_recommendation_letter", "缺少推荐函", BLOCKS, "unit"
    MISSING_STATISTICS_TABLE = "missing_statistics_table", "缺少统计表（附件3）", BLOCKS, "unit"
    MISSING_AWARD_LIST = "missing_award_list", "缺少获奖名单公布通知", BLOCKS, "unit"
    INCOMPLETE_STATISTICS_TABLE = "incomplete_statistics_table", "统计表填写不完整", BLOCKS, "unit"
    STATISTICS_UNREADABLE = "statistics_unreadable", "统计表部分内容无法识别，请人工核对", WARNS, "unit"
    UNLISTED_RECOMMENDER = "unlisted_recommender", "推荐单位不在推荐单位名单内", BLOCKS, "unit"
    RECOMMENDED_TEAM_WITHOUT_SUBMISSION = (
        "recommended_team_without_submission", "推荐的班组未提交申报材料", WARNS, "unit")
    MISSING_REGISTRATION_FORM = "missing_registration_form", "缺少报名表", BLOCKS, "team"
    MISSING_REPORT_PDF = "missing_report_pdf", "缺少成果报告（PDF版）", BLOCKS, "team"
    MISSING_REPORT_PPT = "missing_report_ppt", "缺少成果报告（PPT版）", BLOCKS, "team"
    TEAM_NOT_RECOMMENDED = "team_not_recommended", "班组未被任何推荐单位推荐", BLOCKS, "team"
    UNREADABLE_FILE = "unreadable_file", "文件无法读取", BLOCKS, "unit file"
    UNRECOGNIZED_FILE = "unrecognized_file", "无法归属的文件", WARNS, "file"
    DUPLICATE_FILE = "duplicate_file", "重复提交的文件", WARNS, "file"
    # banzu's own codes
    LATE_SUBMISSION = "late_submission", "逾期提交", WARNS, "unit team file"
    LATE_SUBMISSION_ACCEPTED = "late_submission_accepted", "逾期提交（秘书处已接受）", WARNS, "unit team"
    UNIT_NOT_SUBMITTED = "unit_not_submitted", "推荐单位未提交材料", BLOCKS, "unit"
    UNIT_NAME_MISMATCH = "unit_name_mismatch", "文件名与推荐函中的推荐单位不一致", WARNS, "unit"
    UNIT_NOT_IDENTIFIED = "unit_not_identified", "无法确定推荐单位", BLOCKS, "unit"
    DUPLICATE_UNIT_FILE = "duplicate_unit_file", "同一推荐单位提交了多个文件", WARNS, "unit"
    RECOMMENDED_TEAM_NOT_IN_AWARD_LIST = (
        "recommended_team_not_in_award_list", "推荐的班组不在获奖名单中", WARNS, "unit")
    RECOMMENDED_TEAM_NOT_MARKED = "recommended_team_not_marked", "推荐的班组在获奖名单中未标注", WARNS, "unit"
    NO_RECOMMENDED_TEAMS_FOUND = "no_recommended_teams_found", "推荐函中未读到推荐班组", WARNS, "unit"
    STATISTICS_PUBLISHED_EXCEEDS_REGISTERED = (
        "statistics_published_exceeds_registered", "发布班组数大于发布会报名班组数", WARNS, "unit")
    STATISTICS_RECOMMENDED_COUNT_MISMATCH = (
        "statistics_recommended_count_mismatch", "推荐班组数与推荐函不一致", WARNS, "unit")
    STATISTICS_ENTERPRISES_EXCEED_TEAMS = (
        "statistics_enterprises_exceed_teams", "开展活动企业数大于班组数", WARNS, "unit")
    STATISTICS_RECOMMENDED_EXCEEDS_TEAMS = (
        "statistics_recommended_exceeds_teams", "推荐班组数大于开展活动班组数", WARNS, "unit")
    STATISTICS_CUMULATIVE_BELOW_CURRENT = (
        "statistics_cumulative_below_current", "历年累计班组数小于本年度推荐班组数", WARNS, "unit")
    TEAM_FILE_UNREADABLE = "team_file_unreadable", "班组申报文件无法读取", BLOCKS, "team"
    TEAM_RECOMMENDED_TWICE = "team_recommended_twice", "班组被多个推荐单位推荐", WARNS, "team"
    TEAM_RECOMMENDER_UNLISTED = "team_recommender_unlisted", "推荐该班组的单位不在推荐单位名单内", WARNS, "team"
    REGISTRATION_FORM_INCOMPLETE = "registration_form_incomplete", "报名表信息不完整", WARNS, "team"
    TEAM_RECOMMENDER_MISMATCH = "team_recommender_mismatch", "报名表中的推荐单位与推荐函不一致", WARNS, "team"
    # what reading a file ran into (file level; the file's text may be partly missing)
    EXTRACTION_FAILED = "extraction_failed", "系统读取文件出错", WARNS, "file"
    EXTENSION_MISMATCH = "extension_mismatch", "文件扩展名与实际格式不符", WARNS, "file"
    OCR_TIMEOUT = "ocr_timeout", "页面文字识别超时", WARNS, "file"
    OCR_FAILED = "ocr_failed", "页面文字识别失败", WARNS, "file"
    OCR_DISABLED = "ocr_disabled", "页面无文字层且未识别", WARNS, "file"
    PAGE_UNREADABLE = "page_unreadable", "页面无法读取", WARNS, "file"
    TOO_MANY_PAGES = "too_many_pages", "页数超过上限", WARNS, "file"
    SLIDE_PARTLY_UNREADABLE = "slide_partly_unreadable", "幻灯片部分内容无法读取", WARNS, "file"
    UNSAFE_ARCHIVE_MEMBER = "unsafe_archive_member", "压缩包中有不安全或超限的文件", WARNS, "file"
    # what the mail intake found in the activity's mailbox, for the secretariat
    MAIL_WITHOUT_ATTACHMENT = "mail_without_attachment", "来信没有附件", WARNS, "mail"
    MAIL_DOWNLOAD_LINK = "mail_download_link", "来信以下载链接代替附件", WARNS, "mail"
    MAIL_NON_DOCUMENT_ATTACHMENT = "mail_non_document_attachment", "来信附件不是申报材料", WARNS, "mail"
    # hostile input (issue 16)
    ARCHIVE_NAME_CLASH = "archive_name_clash", "压缩包内有同名文件", WARNS, "file"
    SPECIAL_FILE = "special_file", "收件箱中的链接或特殊文件（未读取）", WARNS, "file"
    IMAGE_TOO_LARGE = "image_too_large", "图片尺寸过大", WARNS, "file"
    TEAM_ID_VARIANT = "team_id_variant", "班组编号的全角/半角写法不一致", WARNS, "file"
    # grading (issue 13): the secretariat's workbooks (expert pool, teams to grade, presentation scores)
    EXPERT_SHEET_INVALID = "expert_sheet_invalid", "专家名单无法导入", WARNS, "file"
    EXPERT_ROW_INVALID = "expert_row_invalid", "专家名单中的行无法导入", WARNS, "file"
    EXPERT_DUPLICATE = "expert_duplicate", "专家名单中有重复的专家", WARNS, "file"
    EXPERT_UNIT_UNLISTED = "expert_unit_unlisted", "专家的推荐单位不在推荐单位名单内", WARNS, "file"
    SCORE_SHEET_INVALID = "score_sheet_invalid", "评分表无法导入", WARNS, "file"
    SCORE_ROW_INVALID = "score_row_invalid", "评分表中的行无法导入", WARNS, "file"


# views kept for callers that want plain data
CODES: dict[str, str] = {c.value: c.title_zh for c in Code}
BLOCKING: frozenset[str] = frozenset(c.value for c in Code if c.blocking)
WARNINGS: frozenset[str] = frozenset(CODES) - BLOCKING


def title(code: str) -> str:
    """The short Chinese title of a code (the code itself when unknown, e.g. in an old report)."""
    return CODES.get(code, code)


def is_blocking(code: str) -> bool:
    return code in BLOCKING
