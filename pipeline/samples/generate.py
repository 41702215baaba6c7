"""Writing a planned inbox to disk with its ground truth.

Every byte comes from one `random.Random(seed)`, consumed in a fixed order, and files get fixed
mtimes (May of the year, Beijing time; late files after the deadline), so the same seed gives a
byte-identical inbox whose arrival times are meaningful.
"""

from __future__ import annotations

import io
import random
import shutil
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pymupdf
from pptx import Presentation

from core.codes import Code
from core.reference import UnknownYear, YearRules, default_year, year_rules
from pipeline.samples import files as F
from pipeline.samples import names
from pipeline.samples.bundle import build_unit_bundle
from pipeline.samples.history import PriorYear, adopt_prior_teams, reuse_prior
from pipeline.samples.pdfdraw import available_fonts
from pipeline.samples.plagiarism import copy_into
from pipeline.samples.plan import InboxPlan, TeamPlan, UnitPlan, make_plan
from pipeline.samples.report_text import make_report, make_slides
from pipeline.samples.scan import scan_image, scan_pdf
from pipeline.samples.slides import build_report_pptx
from pipeline.samples.team_docs import build_registration_form, build_report_pdf
from pipeline.samples.truth import GroundTruth, OddFileTruth, PlagiarismPair, TeamTruth, UnitTruth
from pipeline.samples.unit_docs import TeamLine

BEIJING = timezone(timedelta(hours=8))
UNIT_DIR = "推荐材料"
TEAM_DIR = "班组申报"
STRAY_ROOT_FILE = "新建文本文档.txt"


def _font(situations: set[str]) -> str:
    return "wqy" if "wqy" in situations and "wqy" in available_fonts() else "china-s"


class _Clock:
    """Arrival times: inside May of the year for normal files, after the deadline for late ones."""

    def __init__(self, rng: random.Random, year: int, deadline) -> None:
        self.rng, self.year, self.deadline = rng, year, deadline

    def normal(self) -> datetime:
        r = self.rng
        day = r.randint(6, min(29, self.deadline.day - 1)) if self.deadline.month == 5 else r.randint(6, 29)
        return datetime(self.year, 5, day, r.randint(8, 21), r.randint(0, 59), r.randint(0, 59), tzinfo=BEIJING)

    def late(self) -> datetime:
        d = datetime.combine(self.deadline, time(0, 0), tzinfo=BEIJING) + timedelta(days=self.rng.randint(2, 6))
        return d + timedelta(hours=self.rng.randint(9, 17), minutes=self.rng.randint(0, 59))


def _line(t: TeamPlan, short: bool = False) -> TeamLine:
    name = t.name[len(t.company):] if short and t.name.startswith(t.company) and len(t.name) > len(t.company) + 2 else t.name
    return TeamLine(name, t.company, t.achievement)


def _award_others(rng: random.Random, unit: UnitPlan, n: int) -> list[TeamLine]:
    """Last year's other awarded teams of the unit (not recommended this year)."""
    out = []
    for _ in range(n):
        company = names.company(rng, unit.unit)
        name, kind = names.team_name(rng, company)
        out.append(TeamLine(name, company, names.achievement(rng, kind)))
    return out


def _write_unit(root: Path, rng: random.Random, up: UnitPlan, rules, clock: _Clock, profile: str) -> UnitTruth:
    s = up.situations
    omit = tuple(k for k in ("recommendation_letter", "statistics_table", "award_list") if f"omit_{k}" in s)
    blank = rng.sample(["历年质量信得过班组累计数", "本年度对质量信得过班组活动奖励费用", "邮箱", "发布会地点"], 2) if "blank" in s else None
    order = None
    if "shuffled" in s:
        order = ("statistics_table", "award_list", "recommendation_letter")
    if "scanned" in s or "partly_scanned" in s:  # keep OCR work bounded: short lists, except in the demo
        others = rng.randint(16, 24) if profile == "demo" else 6
    else:
        others = rng.randint(18, 45)
    named = up.teams + up.ghosts
    short = "list_style" not in s and rng.random() < 0.25  # the letter's 班组名称 column without the company
    scan_options = {"dpi": rng.choice((150, 200, 200)), "grayscale": rng.random() < 0.4,
                    "jpeg_quality": rng.randint(55, 80), "skew_max_deg": rng.choice((0.5, 1.0, 1.5))}
    if profile == "tiny":  # fast tests get a typical office scanner; small and demo vary it
        scan_options = {"dpi": 200, "grayscale": False, "jpeg_quality": 75, "skew_max_deg": 1.0}
    scanning = "scanned" in s or "partly_scanned" in s or "photo_table" in s
    rotations = None
    if "rotated" in s:  # one sheet fed sideways, one upside down
        rotations = dict(zip(rng.sample([1, 2, 3], 2), (rng.choice((90, 270)), 180), strict=True))
    elif "partly_scanned" in s:
        rotations = {2: 180, 3: 180}
    data, truth = build_unit_bundle(
        rng, up.unit, rules, recommended=[_line(t, short) for t in named],
        award_others=_award_others(rng, up, others), listed=up.listed, font=_font(s), omit=omit, blank=blank,
        order=order, scanned="scanned" in s,
        scanned_kinds=("statistics_table", "award_list") if "partly_scanned" in s else (),
        scan_options=scan_options, rotations=rotations,
        letter_style="list" if "list_style" in s else "table",
        mark="star" if "star" in s else "highlight" if "highlight" in s else "column",
        tick="√" if scanning else rng.choice(("√", "■")),  # OCR reads a scanned ■ as noise
        numbers=rng.choice(("plain", "grouped", "with_unit")) if profile == "demo" else "plain",
        photo_kinds=("statistics_table",) if "photo_table" in s else (),
    )
    if truth.recommended_teams:
        truth.recommended_team_ids = [t.team_id for t in up.teams] + [None] * len(up.ghosts)
    if up.ghosts and truth.recommended_teams:
        truth.problems.append("recommended_team_without_submission")
    late = "late" in s
    when = clock.late() if late else clock.normal()
    rel = f"{UNIT_DIR}/{up.file_stem}.pdf"
    F.put(root, rel, data, when)
    truth.file, truth.mtime = rel, when.isoformat()
    if late:
        truth.problems.append("late_submission")
    return truth


def _reports(rng: random.Random, plan: InboxPlan, year: int,
             prior: PriorYear | None = None) -> tuple[dict[str, list[str]], list[PlagiarismPair]]:
    """Report pages per team; the copier's report takes a large block of the source's text."""
    pages = {t.team_id: make_report(rng, team=t.name, company=t.company, year=year) for t in plan.teams}
    pairs = reuse_prior(rng, plan, pages, prior, year) if prior else []
    source = next((t for t in plan.teams if "copy_source" in t.situations), None)
    for t in plan.teams:
        if "copier" in t.situations and source is not None:
            share = round(rng.uniform(0.55, 0.75), 2)
            copied, _ = copy_into(rng, pages[t.team_id], pages[source.team_id], share)
            # the copier puts its own names into the copied text, as copiers do
            pages[t.team_id] = [p.replace(source.name, t.name).replace(source.company, t.company) for p in copied]
            pairs.append(PlagiarismPair(copier=t.team_id, source=source.team_id, copied_share=share))
    return pages, pairs


def _team_files(rng: random.Random, t: TeamPlan, pages: list[str], year: int) -> dict[str, tuple[str, bytes]]:
    """kind -> (file name, bytes) of one team's package, before anything is left out."""
    font = _font(t.situations)
    intro = pages[1].split("\n", 2)[-1][:160] if len(pages) > 1 else ""
    form_pdf = build_registration_form(t.form, year=year, font=font, intro=intro)
    out: dict[str, tuple[str, bytes]] = {}
    if "form_jpg_photo" in t.situations:
        out["registration_form"] = ("报名表.jpg", scan_image(form_pdf, fmt="jpg", rng=rng, photo=True, dpi=130))
    elif "form_scanned_pdf" in t.situations:  # scanned upside down on a copier, saved as PDF
        out["registration_form"] = ("报名表.pdf", scan_pdf(form_pdf, dpi=150, rotations={1: 180}, rng=rng))
    elif "form_png_scan" in t.situations:
        out["registration_form"] = ("报名表扫描件.png", scan_image(form_pdf, fmt="png", rng=rng, dpi=110))
    else:
        out["registration_form"] = (rng.choice(("报名表.pdf", f"{t.team_id}报名表.pdf", "质量信得过班组报名表.pdf")), form_pdf)
    title = rng.choice((t.achievement, "成果报告", f"{t.name}成果报告"))
    out["report_pdf"] = (f"{title}.pdf", build_report_pdf(pages, team=t.name, company=t.company, font=font))
    out["report_ppt"] = (f"{title}.pptx", build_report_pptx(make_slides(pages), team=t.name, company=t.company,
                                                             rng=rng, font=font))
    return out


def _write_team(root: Path, rng: random.Random, t: TeamPlan, pages: list[str], year: int,
                clock: _Clock) -> tuple[TeamTruth, dict[str, bytes]]:
    made = _team_files(rng, t, pages, year)
    s = t.situations
    kept = {k: v for k, v in made.items() if f"missing_{k}" not in s}
    when = clock.late() if "late" in s else clock.normal()
    files: dict[str, str | None] = {k: None for k in made}
    written: dict[str, bytes] = {}
    zipped = "zip_nested" in s or "zip_flat" in s
    if zipped:
        prefix = f"{t.team_id}/" if "zip_nested" in s else ""
        members, folders = {}, ([t.team_id] if prefix else [])
        for k, (fname, data) in kept.items():
            sub = "申报材料/" if (prefix and k != "registration_form") else ""
            members[f"{prefix}{sub}{fname}"] = data
            files[k] = f"{TEAM_DIR}/{t.team_id}.zip/{prefix}{sub}{fname}"
            written[files[k]] = data
        if prefix and any(k != "registration_form" for k in kept):
            folders.append(f"{prefix}申报材料")
        source = f"{TEAM_DIR}/{t.team_id}.zip"
        packed = (when - timedelta(minutes=3)).timetuple()[:6]  # zipped on the team's PC just before upload
        F.put(root, source, F.write_gbk_zip(members, folders=folders, date_time=packed, mac="zip_mac" in s), when)
    else:
        source = f"{TEAM_DIR}/{t.team_id}"
        for k, (fname, data) in kept.items():
            rel = f"{source}/{fname}"
            F.put(root, rel, data, when + timedelta(minutes=len(written)))
            files[k] = rel
            written[rel] = data
    problems = [f"missing_{k}" for k in made if f"missing_{k}" in s]
    if t.recommender is None:
        problems.append("team_not_recommended")
    if "late" in s:
        problems.append("late_submission")
    report_pages = pymupdf.open("pdf", made["report_pdf"][1]).page_count
    truth = TeamTruth(
        team_id=t.team_id, team=t.name, company=t.company, recommender=t.recommender, source=source,
        zipped=zipped, zip_encoding=("utf-8" if "zip_mac" in s else "gbk") if zipped else None, files=files, form_fields={k: v for k, v in t.form.items() if k != "报名编号"},
        form_format=made["registration_form"][0].rsplit(".", 1)[-1], report_pages=report_pages,
        form_scanned=bool(s & {"form_jpg_photo", "form_png_scan", "form_scanned_pdf"}),
        form_rotation=180 if "form_scanned_pdf" in s else 0,
        slides=_count_slides(made["report_ppt"][1]), achievement=t.achievement, mtime=when.isoformat(),
        problems=problems,
    )
    return truth, written


def _count_slides(pptx: bytes) -> int:
    return len(Presentation(io.BytesIO(pptx)).slides)


def _write_odd_files(root: Path, rng: random.Random, odd: list[str], teams: list[TeamTruth],
                     written: dict[str, bytes], clock: _Clock) -> list[OddFileTruth]:
    """Broken, disguised, duplicate and stray files, each with the file-level code banzu must give it."""
    hosts = [t for t in teams if not t.zipped and t.files.get("report_pdf")] or [t for t in teams if not t.zipped]
    out: list[OddFileTruth] = []
    if not hosts:
        return out
    a, b = hosts[0], hosts[min(1, len(hosts) - 1)]
    report = written.get(a.files.get("report_pdf") or "", b"%PDF-1.7\n")
    form = next((v for k, v in written.items() if k.endswith(".pdf")), report)

    def place(rel: str, data: bytes, code: str, note: str, dup: str | None = None) -> None:
        F.put(root, rel, data, clock.normal())
        out.append(OddFileTruth(path=rel, code=code, note=note, duplicate_of=dup))

    for kind in odd:
        if kind == "empty":
            place(f"{a.source}/补充材料.pdf", b"", "unreadable_file", "empty file (0 bytes)")
        elif kind == "truncated":
            place(f"{a.source}/成果报告（修改稿）.pdf", F.truncated(report), "unreadable_file", "PDF cut off at 45%")
        elif kind == "encrypted":
            place(f"{b.source}/证明材料.pdf", F.encrypted_pdf(form), "unreadable_file",
                  "PDF with a user password (RC4-128, password cacem2024)")
        elif kind == "png_as_pdf":
            png = scan_image(form, fmt="png", rng=rng, dpi=50)
            place(f"{a.source}/获奖证书.pdf", png, "unreadable_file", "a PNG image named .pdf")
        elif kind == "docx_as_pdf":
            place(f"{b.source}/班组简介.pdf", F.minimal_docx(f"{b.team}\n班组简介"), "unreadable_file",
                  "a Word (DOCX) document named .pdf")
        elif kind == "duplicate" and a.files.get("report_pdf"):
            orig = a.files["report_pdf"]
            stem = orig.rsplit("/", 1)[-1][:-4]
            rel = f"{a.source}/{stem} - 副本.pdf"
            F.put(root, rel, report, datetime.fromisoformat(a.mtime) + timedelta(hours=2))
            out.append(OddFileTruth(path=rel, code=Code.DUPLICATE_FILE, note="same bytes as the report",
                                    duplicate_of=orig))
        elif kind == "stray_unit_dir":
            place(f"{UNIT_DIR}/说明.txt", "各推荐单位材料已按单位名称命名，如有疑问请联系秘书处。\n".encode("gbk"),
                  "unrecognized_file", "a note in the units' folder")
        elif kind == "stray_root":
            place(STRAY_ROOT_FILE, "待补充\n".encode("gbk"), "unrecognized_file", "a stray file at the inbox root")
    return out


def _clear(root: Path, overwrite: bool) -> None:
    """Empty `root` if it holds only a sample inbox's layout (or overwrite is true); else refuse."""
    if not root.exists() or not any(root.iterdir()):
        return
    ours = {UNIT_DIR, TEAM_DIR, STRAY_ROOT_FILE}
    foreign = sorted(c.name for c in root.iterdir() if c.name not in ours)
    if foreign and not overwrite:
        raise FileExistsError(f"{root} holds other files ({', '.join(foreign[:3])}): use an empty folder")
    for child in root.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()


def sample_rules(year: int) -> YearRules:
    """The year's rules; a sample of a year without its own file (an earlier year for cross-year
    samples) borrows the newest rules with the deadline moved: fine for made-up data, never for a run."""
    try:
        return year_rules(year)
    except UnknownYear:
        base = year_rules(default_year())
        return base.model_copy(update={"year": year, "deadline": base.deadline.replace(year=year)})


def generate_inbox(root: Path, *, year: int = 2024, seed: int = 0, profile: str = "demo",
                   scanned: bool | None = None, overwrite: bool = False) -> GroundTruth:
    """Write a realistic inbox of `profile` (tiny, small, demo) under `root` and return its truth.

    `scanned`: None keeps the profile's mix; False makes everything born-digital; True scans every
    unit file. The truth is not written into the inbox; use `GroundTruth.write` beside it.
    An earlier sample inbox in `root` is replaced (stale files would falsify the truth); a folder
    holding anything else is refused unless `overwrite` is true (then it is emptied).
    """
    return generate_year(root, year=year, seed=seed, profile=profile, scanned=scanned, overwrite=overwrite)[0]


def generate_year(root: Path, *, year: int, seed: int, profile: str, scanned: bool | None = None,
                  overwrite: bool = False, prior: PriorYear | None = None
                  ) -> tuple[GroundTruth, dict[str, list[str]]]:
    """`generate_inbox`, also returning each team's report pages; `prior` makes teams reuse its reports."""
    root = Path(root)
    _clear(root, overwrite)
    root.mkdir(parents=True, exist_ok=True)
    rules = sample_rules(year)
    rng = random.Random(f"banzu-samples/{profile}/{year}/{seed}")
    clock = _Clock(rng, year, rules.deadline)
    plan = make_plan(rng, profile, scanned)
    if prior is not None:
        adopt_prior_teams(rng, plan, prior)
    truth = GroundTruth(year=year, seed=seed, profile=profile, deadline=rules.deadline.isoformat())
    for up in plan.units:
        truth.units.append(_write_unit(root, rng, up, rules, clock, profile))
    pages, pairs = _reports(rng, plan, year, prior)
    written: dict[str, bytes] = {}
    for t in plan.teams:
        tt, w = _write_team(root, rng, t, pages[t.team_id], year, clock)
        truth.teams.append(tt)
        written.update(w)
    for p in pairs:
        p.files = [f for tid in (p.copier, p.source) if p.source_year is None or tid == p.copier
                   for k, f in truth.team(tid).files.items() if f and k in ("report_pdf", "report_ppt")]
    truth.plagiarism_pairs = pairs
    truth.odd_files = _write_odd_files(root, rng, plan.odd_files, truth.teams, written, clock)
    truth.late_files = [u.file for u in truth.units if "late_submission" in u.problems] + [
        t.source for t in truth.teams if "late_submission" in t.problems
    ]
    return truth, pages


def generate_history(base: Path, *, years: tuple[int, ...] = (2023, 2024), seed: int = 0, profile: str = "demo",
                     scanned: bool | None = None, overwrite: bool = False) -> dict[int, GroundTruth]:
    """One inbox per year under `base/<year>/`, each later year reusing reports of the year before.

    Run banzu's intake over them in order (earliest first) to see cross-year flags: the truth of
    each later year lists them in `plagiarism_pairs` with `source_year` set.
    """
    truths: dict[int, GroundTruth] = {}
    prior: PriorYear | None = None
    for year in sorted(years):
        truth, pages = generate_year(Path(base) / str(year), year=year, seed=seed, profile=profile,
                                     scanned=scanned, overwrite=overwrite, prior=prior)
        truths[year] = truth
        prior = PriorYear(year, truth, pages)
    return truths
