"""Every problem code the completeness check emits, with a short Chinese title, and which block.

A blocking code makes its unit or team incomplete (`complete: false`); a warning is shown to the
reviewer but leaves `complete` alone, because it either does not make the package non-compliant
(a late file, a plausibility doubt about a number) or concerns someone else's package.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # contract codes
    "missing_recommendation_letter": "缺少推荐函",
    "missing_statistics_table": "缺少统计表（附件3）",
    "missing_award_list": "缺少获奖名单公布通知",
    "incomplete_statistics_table": "统计表填写不完整",
    "unlisted_recommender": "推荐单位不在推荐单位名单内",
    "recommended_team_without_submission": "推荐的班组未提交申报材料",
    "missing_registration_form": "缺少报名表",
    "missing_report_pdf": "缺少成果报告（PDF版）",
    "missing_report_ppt": "缺少成果报告（PPT版）",
    "team_not_recommended": "班组未被任何推荐单位推荐",
    "unreadable_file": "文件无法读取",
    "unrecognized_file": "无法归属的文件",
    "duplicate_file": "重复提交的文件",
    # banzu's own codes
    "late_submission": "逾期提交",
    "unit_name_mismatch": "文件名与推荐函中的推荐单位不一致",
    "unit_not_identified": "无法确定推荐单位",
    "duplicate_unit_file": "同一推荐单位提交了多个文件",
    "recommended_team_not_in_award_list": "推荐的班组不在获奖名单中",
    "recommended_team_not_marked": "推荐的班组在获奖名单中未标注",
    "no_recommended_teams_found": "推荐函中未读到推荐班组",
    "statistics_published_exceeds_registered": "发布班组数大于发布会报名班组数",
    "statistics_recommended_count_mismatch": "推荐班组数与推荐函不一致",
    "statistics_enterprises_exceed_teams": "开展活动企业数大于班组数",
    "statistics_recommended_exceeds_teams": "推荐班组数大于开展活动班组数",
    "statistics_cumulative_below_current": "历年累计班组数小于本年度推荐班组数",
    "team_file_unreadable": "班组申报文件无法读取",
    "team_recommended_twice": "班组被多个推荐单位推荐",
    "team_recommender_unlisted": "推荐该班组的单位不在推荐单位名单内",
    "registration_form_incomplete": "报名表信息不完整",
    "team_recommender_mismatch": "报名表中的推荐单位与推荐函不一致",
    # what reading a file ran into (file level; the file's text may be partly missing)
    "extraction_failed": "系统读取文件出错",
    "ocr_timeout": "页面文字识别超时",
    "ocr_failed": "页面文字识别失败",
    "ocr_disabled": "页面无文字层且未识别",
    "page_unreadable": "页面无法读取",
    "too_many_pages": "页数超过上限",
    "slide_partly_unreadable": "幻灯片部分内容无法读取",
    "unsafe_archive_member": "压缩包中有不安全或超限的文件",
    # hostile input (issue 16)
    "archive_name_clash": "压缩包内有同名文件",
    "special_file": "收件箱中的链接或特殊文件（未读取）",
    "file_damaged": "文件已损坏（可能传输不完整）",
    "reading_budget_exceeded": "文件读取超出时间或页数上限",
    "image_too_large": "图片尺寸过大",
    "team_id_variant": "班组编号的全角/半角写法不一致",
}

# codes that make a unit or a team incomplete
BLOCKING: frozenset[str] = frozenset(
    {
        "missing_recommendation_letter",
        "missing_statistics_table",
        "missing_award_list",
        "incomplete_statistics_table",
        "unlisted_recommender",
        "missing_registration_form",
        "missing_report_pdf",
        "missing_report_ppt",
        "team_not_recommended",
        "unreadable_file",
        "team_file_unreadable",
        "unit_not_identified",
    }
)

WARNINGS: frozenset[str] = frozenset(CODES) - BLOCKING


def title(code: str) -> str:
    """The short Chinese title of a code (the code itself when unknown)."""
    return CODES.get(code, code)


def is_blocking(code: str) -> bool:
    return code in BLOCKING
