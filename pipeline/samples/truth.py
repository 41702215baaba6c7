"""The ground truth of a generated inbox: what banzu should find, written beside (never inside) the inbox.

Tests and benchmarks compare banzu's reports against it, so every field uses the contract's words:
document kinds, 1-based pages in the merged file, the 附件3 field keys and the problem codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field


class UnitTruth(BaseModel):
    """One recommending unit's merged PDF as generated."""

    file: str  # inbox-relative path ("" until the bundle is placed in an inbox)
    unit: str  # canonical name (or the name as written, when not on the list)
    listed: bool = True
    scanned: bool = False  # at least one page is a scan
    scanned_pages: list[int] = Field(default_factory=list)  # 1-based pages that are images only
    photo_pages: list[int] = Field(default_factory=list)  # of those, phone photos (perspective, desk)
    font: str = "china-s"  # the font the born-digital pages were set in
    pages: int = 0  # page count of the merged file
    documents: dict[str, list[int]] = Field(default_factory=dict)  # kind -> 1-based pages
    page_rotations: list[int] = Field(default_factory=list)  # per page: degrees the scan was turned
    fields: dict[str, Any] | None = None  # the 附件3 values, contract style; None: no table
    blank_fields: list[str] = Field(default_factory=list)  # required items left blank on the form
    recommended_teams: list[str] = Field(default_factory=list)  # names as written in the letter
    # aligned with recommended_teams: the 所在单位 the letter gives, and the team_id of the package that
    # arrived for it (None: the team never submitted, "recommended_team_without_submission")
    recommended_companies: list[str] = Field(default_factory=list)
    recommended_team_ids: list[str | None] = Field(default_factory=list)
    award_list_teams: list[str] = Field(default_factory=list)  # every team on the award list
    award_list_marked: list[str] = Field(default_factory=list)  # the ones marked as recommended
    mtime: str = ""  # ISO time the file was given as its arrival
    problems: list[str] = Field(default_factory=list)  # expected problem codes


class TeamTruth(BaseModel):
    """One team package as generated."""

    team_id: str
    team: str
    company: str
    recommender: str | None = None  # canonical name of the unit whose letter names the team
    source: str = ""  # inbox-relative folder or zip
    zipped: bool = False
    zip_encoding: str | None = None  # "gbk" (Chinese Windows) or "utf-8" (macOS, with __MACOSX/ entries)
    files: dict[str, str | None] = Field(default_factory=dict)  # registration_form/report_pdf/report_ppt
    form_fields: dict[str, str] = Field(default_factory=dict)  # the registration form's values
    form_format: str = "pdf"  # pdf, jpg, png (a photographed/scanned form)
    form_scanned: bool = False  # the form is an image (a scan or photo), readable by OCR only
    form_rotation: int = 0  # clockwise turn that makes the scanned form upright
    report_pages: int = 0
    slides: int = 0
    achievement: str = ""  # 成果名称
    mtime: str = ""
    problems: list[str] = Field(default_factory=list)


class OddFileTruth(BaseModel):
    """A broken, duplicate or stray file and the problem code banzu must give it."""

    path: str
    code: str
    note: str = ""  # what was done to it (for people reading the truth)
    duplicate_of: str | None = None


class PlagiarismPair(BaseModel):
    """Two teams whose reports are largely copied: `copier` took text from `source`."""

    copier: str  # team_id
    source: str  # team_id
    copied_share: float  # share of the source's text put into the copier's report
    files: list[str] = Field(default_factory=list)  # the copier's report files (and the source's, same year)
    source_year: int | None = None  # None: same year; else the earlier year's inbox the source is in
    kind: str = "cross_team"  # or "self_prior_year": the same team reusing its own earlier report


class GroundTruth(BaseModel):
    year: int
    seed: int
    profile: str
    deadline: str  # ISO date
    units: list[UnitTruth] = Field(default_factory=list)
    teams: list[TeamTruth] = Field(default_factory=list)
    odd_files: list[OddFileTruth] = Field(default_factory=list)
    plagiarism_pairs: list[PlagiarismPair] = Field(default_factory=list)
    late_files: list[str] = Field(default_factory=list)  # inbox paths whose mtime is after the deadline

    def write(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path) -> GroundTruth:
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))

    def unit(self, name: str) -> UnitTruth:
        return next(u for u in self.units if u.unit == name)

    def team(self, team_id: str) -> TeamTruth:
        return next(t for t in self.teams if t.team_id == team_id)
