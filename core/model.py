"""The one data model that flows through banzu.

Extractors turn bytes into a `Document` of `Page`s; checks turn documents into the result
models below; reports and the store only ever see these classes. Field names of the result
models follow ../shared/CONTRACT.md exactly; extra fields are extensions the contract allows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.codes import Code, is_blocking

PageSource = Literal["text_layer", "ocr", "mixed"]
BBox = tuple[float, float, float, float]


class Problem(BaseModel):
    """A finding a person can act on: `message` is a Chinese sentence."""

    code: str
    message: str
    page: int | None = None  # 1-based page of the file the problem concerns, when there is one
    file: str | None = None  # inbox-relative path of the file the problem concerns, when there is one
    # extension: the places on `page` the finding is about (upright-page points: the rows of the items
    # banzu could not read), so a reviewer sees a picture of each place, not only of the page
    regions: list[BBox] | None = None
    # extension: the reviewer's reason when the finding was dismissed in the workspace as wrong; it is still
    # shown (struck through) but no longer counts
    dismissed: str | None = None

    @property
    def blocks(self) -> bool:
        """Whether this finding keeps its unit or team from being complete: the one rule for `complete`."""
        return is_blocking(self.code) and not self.dismissed

    def contract(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


# ---------------------------------------------------------------- extraction


class Line(BaseModel):
    """One line of text with its box in the coordinates of the upright page (PDF points)."""

    text: str
    bbox: BBox
    confidence: float | None = None  # OCR score in [0, 1]; None for the text layer


class Table(BaseModel):
    """A table as rows of cell texts ('' for an empty cell); merged cells repeat or stay ''."""

    rows: list[list[str]]
    bbox: BBox | None = None


class Page(BaseModel):
    page: int  # 1-based
    source: PageSource
    rotation: int = 0  # degrees the page was turned (clockwise) before reading: 0, 90, 180, 270
    text: str = ""  # reading order, lines joined with "\n"
    reason: str = ""  # why this source was chosen (e.g. "no_text_layer", "garbled_text_layer")
    width: float = 0.0  # upright page size in points
    height: float = 0.0
    lines: list[Line] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    images: int = 0  # how many raster images cover the page (scans: >= 1)
    problems: list[Problem] = Field(default_factory=list)
    kind: str = "page"  # "page", "slide", "image"
    notes: str = ""  # speaker notes of a slide


class Document(BaseModel):
    """What the extractors read from one file."""

    path: str
    format: str  # what the bytes are: pdf, pptx, ppt, doc, docx, image, zip, unknown, empty
    problems: list[Problem] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    extractor_version: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def readable(self) -> bool:
        return not any(p.code == Code.UNREADABLE_FILE for p in self.problems)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    def contract(self) -> dict[str, Any]:
        """The JSON of `banzu extract --json` (contract fields first, extensions after)."""
        return {
            "path": self.path,
            "format": self.format,
            "problems": [p.contract() for p in self.problems],
            "pages": [
                {
                    "page": p.page,
                    "source": p.source,
                    "rotation": p.rotation,
                    "text": p.text,
                    "reason": p.reason,
                    "kind": p.kind,
                    "tables": [t.rows for t in p.tables],
                    **({"notes": p.notes} if p.notes else {}),
                    **({"problems": [q.contract() for q in p.problems]} if p.problems else {}),
                }
                for p in self.pages
            ],
        }


# ---------------------------------------------------------------- the inbox of one run

FileRole = Literal["unit", "team", "unrecognized"]
ReceivedVia = Literal["mail", "folder", "record"]


class MailOrigin(BaseModel):
    """The mail a file came in (contract: `mail` of a file entry)."""

    sender: str = Field(serialization_alias="from")
    subject: str = ""
    message_id: str = ""


class InboxFile(BaseModel):
    """One file of the inbox (or one member of a team's zip), as registered in the store."""

    path: str  # inbox-relative POSIX path; zip members: "班组申报/A0001-钢筋班组.zip/报名表.pdf"
    sha256: str
    size: int
    role: FileRole
    group: str | None = None  # the unit file's stem, or the team id
    received_at: datetime | None = None  # when it arrived; decides late_submission only when trusted
    received_via: ReceivedVia = "folder"  # mail (INTERNALDATE), record (the secretariat's sheet), folder (mtime)
    mail: MailOrigin | None = None
    first_seen: datetime | None = None  # when banzu first registered these bytes
    archive_path: str | None = None  # absolute path of the archived original bytes
    duplicate_of: str | None = None  # inbox path of the earlier file with the same bytes
    problems: list[Problem] = Field(default_factory=list)  # problems found before extraction


class TeamPackage(BaseModel):
    team_id: str  # the folder or zip name without .zip
    source: str  # inbox-relative path of the folder or zip
    files: list[InboxFile] = Field(default_factory=list)  # the package's documents (zip members unpacked)
    archives: list[InboxFile] = Field(default_factory=list)  # the zip(s) the documents came in


class Inbox(BaseModel):
    """What discovery found: the unit files, the team packages and everything else."""

    root: str
    units: list[InboxFile] = Field(default_factory=list)
    teams: list[TeamPackage] = Field(default_factory=list)
    other: list[InboxFile] = Field(default_factory=list)

    def all_files(self) -> list[InboxFile]:
        return [*self.units, *(f for t in self.teams for f in (*t.archives, *t.files)), *self.other]


# ---------------------------------------------------------------- completeness results

UNIT_DOCUMENTS = ("recommendation_letter", "statistics_table", "award_list")
TEAM_FILES = ("registration_form", "report_pdf", "report_ppt")


class DocumentFinding(BaseModel):
    present: bool = False
    pages: list[int] = Field(default_factory=list)
    fields: dict[str, Any] | None = None  # statistics_table only

    def contract(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class UnitResult(BaseModel):
    unit: str
    source_file: str | None  # None: the unit sent nothing (submitted false)
    listed: bool
    submitted: bool = True  # false for a listed unit of whom nothing arrived (the whole roster is reported)
    documents: dict[str, DocumentFinding] = Field(
        default_factory=lambda: {k: DocumentFinding() for k in UNIT_DOCUMENTS}
    )
    recommended_teams: list[str] = Field(default_factory=list)
    complete: bool = False
    problems: list[Problem] = Field(default_factory=list)
    # extensions
    unit_in_file_name: str | None = None
    unit_in_letter: str | None = None
    page_kinds: list[str] = Field(default_factory=list)  # per page: the document kind or "other"
    matched_teams: dict[str, str | None] = Field(default_factory=dict)  # recommended name -> team_id

    def contract(self) -> dict[str, Any]:
        d = self.model_dump()
        d["documents"] = {k: v.contract() for k, v in self.documents.items()}
        d["problems"] = [p.contract() for p in self.problems]
        return d


ReviewDecision = Literal["passed", "failed"]


class TeamReview(BaseModel):
    """A reviewer's 初选 decision on a team (contract: `review`); all None while undecided."""

    decision: ReviewDecision | None = None
    by: str | None = None
    at: datetime | None = None
    reason: str | None = None


class TeamResult(BaseModel):
    team_id: str
    team: str
    recommender: str | None = None
    files: dict[str, str | None] = Field(default_factory=lambda: {k: None for k in TEAM_FILES})
    complete: bool = False
    problems: list[Problem] = Field(default_factory=list)
    # extensions
    company: str | None = None
    form_fields: dict[str, str] = Field(default_factory=dict)
    source: str | None = None
    review: TeamReview = Field(default_factory=TeamReview)
    disqualified: bool = False  # a confirmed cross_team flag (第十五条)

    def contract(self) -> dict[str, Any]:
        d = self.model_dump(mode="json")
        d["problems"] = [p.contract() for p in self.problems]
        return d


FileStatus = Literal["ok", "error", "duplicate", "unrecognized"]


class FileResult(BaseModel):
    path: str
    sha256: str
    status: FileStatus = "ok"
    problems: list[Problem] = Field(default_factory=list)
    # extensions
    format: str | None = None
    pages: int = 0
    role: FileRole | None = None
    archive_path: str | None = None
    received_at: datetime | None = None
    received_via: ReceivedVia = "folder"
    mail: MailOrigin | None = None
    page_rotations: list[int] = Field(default_factory=list)  # per page (1-based by position): degrees turned

    def contract(self) -> dict[str, Any]:
        d = self.model_dump(mode="json", by_alias=True)
        d["problems"] = [p.contract() for p in self.problems]
        if d.get("mail") is None:
            d.pop("mail", None)
        return d


class CompletenessReport(BaseModel):
    year: int
    units: list[UnitResult] = Field(default_factory=list)
    teams: list[TeamResult] = Field(default_factory=list)
    files: list[FileResult] = Field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "units": [u.contract() for u in self.units],
            "teams": [t.contract() for t in self.teams],
            "files": [f.contract() for f in self.files],
        }


# ---------------------------------------------------------------- plagiarism results

FlagKind = Literal["cross_team", "self_prior_year"]


class ReportText(BaseModel):
    """One team report (PDF or PPT) of one year, as the similarity check sees it."""

    year: int
    team_id: str
    team: str = ""  # team name
    company: str = ""  # the team's company (所在单位)
    file: str  # inbox-relative path
    sha256: str
    kind: Literal["report_pdf", "report_ppt"] = "report_pdf"
    pages: list[str] = Field(default_factory=list)  # text per page (slide), 1-based by position


class FlagSide(BaseModel):
    year: int
    team_id: str
    file: str
    team: str = ""
    company: str = ""
    archive_path: str | None = None  # extension: absolute path of the archived original, for report links


class Evidence(BaseModel):
    a_page: int
    a_text: str
    b_page: int
    b_text: str
    chars: int = 0  # copied characters in this passage (of A)
    a_spans: list[tuple[int, int]] = Field(default_factory=list)  # copied char ranges within a_text
    b_spans: list[tuple[int, int]] = Field(default_factory=list)
    # extensions: the files the passages come from (a flag merges a team pair's PDF and PPT pairs)
    a_file: str | None = None
    b_file: str | None = None
    # extensions: a passage going on over a page break ends on this page (None: on a_page/b_page alone);
    # then a_text/b_text hold the pages' texts from a_page to a_page_end joined with "\n"
    a_page_end: int | None = None
    b_page_end: int | None = None


class SectionRatio(BaseModel):
    """Copy ratio of one section of a report, under the report's own heading (一、班组概况 …)."""

    heading: str
    chars: int
    ratio: float


class CopyRatios(BaseModel):
    """Extension: CNKI-style 文字复制比 of one report over every flag that involves it (checks.similarity.ratios);
    `notes` explains each number in one Chinese line (keys: total, without_template, without_self, largest,
    sections)."""

    file: str
    chars: int  # the report's characters, punctuation and spaces not counted
    total: float  # shared with any flagged source, the template and standard wording included
    without_template: float  # 去除引用: template, standard wording and common phrases not counted
    without_self: float  # 去除本人: the team's own earlier reports not counted either
    largest: float  # the largest single source
    largest_team_id: str | None = None
    largest_year: int | None = None
    largest_team: str = ""
    sections: list[SectionRatio] = Field(default_factory=list)
    notes: dict[str, str] = Field(default_factory=dict)


class Flag(BaseModel):
    a: FlagSide
    b: FlagSide
    kind: FlagKind
    similarity: float
    copy_ratio_a: float
    copy_ratio_b: float
    evidence: list[Evidence] = Field(default_factory=list)
    flag_id: str = ""  # stable across runs: derived from the two teams and years
    # extensions: a discipline officer's review (`banzu flags decide`), filled from the store for the reports
    decision: str | None = None  # "confirmed" or "dismissed"
    decision_note: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    # extensions: the CNKI-style ratios of each side's report (checks.similarity.ratios)
    ratios_a: CopyRatios | None = None
    ratios_b: CopyRatios | None = None

    def contract(self) -> dict[str, Any]:
        d = self.model_dump(mode="json")
        d["id"] = d.pop("flag_id")
        return d


def implicated_teams(kind: str, year: int, a_team: str, b_year: int, b_team: str) -> tuple[str, ...]:
    """第十五条: the teams of `year` a confirmed flag implicates. Side A is always of `year`; side B too
    when both reports are of one year, since the flag says they share copied text, not who copied."""
    if kind != "cross_team":
        return ()
    return (a_team, b_team) if b_year == year and b_team != a_team else (a_team,)


class FlagsReport(BaseModel):
    year: int
    flags: list[Flag] = Field(default_factory=list)

    def contract(self) -> dict[str, Any]:
        return {"year": self.year, "flags": [f.contract() for f in self.flags]}


# ---------------------------------------------------------------- statistics roll-up


class StatisticsReport(BaseModel):
    year: int
    totals: dict[str, Any] = Field(default_factory=dict)  # item -> sum (numbers) or counts (choices)
    units: list[dict[str, Any]] = Field(default_factory=list)  # [{"unit": ..., "fields": {...}}]
    units_counted: int = 0
    missing: dict[str, list[str]] = Field(default_factory=dict)  # item -> units whose value is blank
    # extensions
    units_without_table: list[str] = Field(default_factory=list)  # units whose file has no readable table
    coverage: dict[str, int] = Field(default_factory=lambda: {"listed": 0, "reported": 0})  # listed units, tables added
    unlisted: list[dict[str, Any]] = Field(default_factory=list)  # tables of units not on the list: apart, not in totals


class RunSummary(BaseModel):
    """What one intake run did; the flow's artifacts and the CLI's last line come from it."""

    year: int
    out_dir: str
    files_seen: int = 0
    files_new: int = 0
    extracted: int = 0  # extractions actually run (0 on an unchanged inbox)
    extraction_cache_hits: int = 0
    units: int = 0
    units_complete: int = 0
    teams: int = 0
    teams_complete: int = 0
    unreadable: int = 0
    flags: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    # the mail intake's part (when a mailbox is set): what this run fetched
    mail_checked: bool = False
    mails_new: int = 0
    mail_files: int = 0  # attachments saved into the inbox
    mail_problems: list[Problem] = Field(default_factory=list)  # mails without documents, naming the sender
    mail_errors: list[str] = Field(default_factory=list)  # mails (or the mailbox) left for the next run
