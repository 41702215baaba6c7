"""One FileResult per inbox file: readable, duplicate, unrecognised, late."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.codes import Code
from core.model import Document, FileResult, InboxFile, Problem
from core.reference import YearRules

# the contract's unreadable_file covers "not the format it claims", which the extractors name apart
UNREADABLE_CODES = (Code.UNREADABLE_FILE, Code.EXTENSION_MISMATCH)
# a file whose reading failed as a whole (the extractor crashed): an error, retried on the next run
FAILED_CODES = (Code.EXTRACTION_FAILED,)


def deadline_end(rules: YearRules) -> datetime:
    """The first instant after the deadline day, in the rules' time zone."""
    tz = ZoneInfo(rules.timezone)
    return datetime.combine(rules.deadline + timedelta(days=1), time(0, 0), tzinfo=tz)


def is_late(f: InboxFile, rules: YearRules) -> bool:
    """Late by a trusted time (mail or the secretariat's record); a folder's time claims nothing."""
    when = f.received_at if f.received_via in ("mail", "record") else None
    if when is None:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(rules.timezone))
    return when >= deadline_end(rules)


def unreadable_problems(f: InboxFile, doc: Document | None) -> list[Problem]:
    """The file's own unreadable_file problems (registration, extraction), with the file filled in."""
    found = [p for p in f.problems if p.code in UNREADABLE_CODES]
    if doc is not None:
        found += [p for p in doc.problems if p.code in UNREADABLE_CODES]
    elif not f.duplicate_of and not f.problems and f.role != "unrecognized":
        found.append(Problem(code=Code.UNREADABLE_FILE, message=(
            f"文件“{f.path}”未能读取（提取失败），请检查文件是否损坏，必要时请提交单位重新提交。")))
    out = []
    seen = set()
    for p in found:
        if p.message in seen:
            continue
        seen.add(p.message)
        out.append(p.model_copy(update={"file": p.file or f.path, "code": "unreadable_file"}))
    return out


def reading_problems(f: InboxFile, doc: Document | None) -> list[Problem]:
    """What reading ran into short of an unreadable file: a crash, pages lost to OCR, unsafe zip members."""
    found = [p for p in f.problems if p.code not in UNREADABLE_CODES]
    if doc is not None:
        found += [p for p in doc.problems if p.code not in UNREADABLE_CODES]
        found += [p.model_copy(update={"page": p.page or page.page}) for page in doc.pages for p in page.problems]
    return [p.model_copy(update={"file": p.file or f.path}) for p in found]


def file_result(f: InboxFile, doc: Document | None, rules: YearRules, in_archive: bool = False,
                member: bool = False) -> FileResult:
    """The file's status and problems.

    Zip containers are judged by their own problems only; a file that belongs to nobody is
    reported as unrecognised (whether it can be read does not matter then). `member` (a zip member)
    is kept for callers; lateness is never a file's finding.
    """
    result = FileResult(
        path=f.path, sha256=f.sha256, role=f.role, archive_path=f.archive_path, received_at=f.received_at,
        received_via=f.received_via, mail=f.mail,
        format=doc.format if doc is not None else None, pages=len(doc.pages) if doc is not None else 0,
        page_rotations=[p.rotation for p in doc.pages] if doc is not None else [],
    )
    if f.duplicate_of:
        result.status = "duplicate"
        result.problems.append(Problem(code=Code.DUPLICATE_FILE, file=f.path, message=(
            f"文件“{f.path}”与“{f.duplicate_of}”内容完全相同，是重复提交，审核时只看前者。")))
    else:
        own = in_archive or f.role == "unrecognized"
        bad = [p for p in f.problems if p.code == Code.UNREADABLE_FILE] if own else unreadable_problems(f, doc)
        if bad:
            result.status = "error"
            result.problems.extend(bad)
        result.problems.extend(reading_problems(f, None if own else doc))
        if any(p.code in FAILED_CODES for p in result.problems):
            result.status = "error"
        if f.role == "unrecognized":
            if not bad:
                result.status = "unrecognized"
            result.problems.append(Problem(code=Code.UNRECOGNIZED_FILE, file=f.path, message=(
                f"文件“{f.path}”既不在推荐材料目录也不属于任何班组的申报文件夹，无法归属，"
                "请确认它是谁提交的并放到正确的位置。")))
    return result  # lateness is judged once per unit or team (lateness.py), never per file
