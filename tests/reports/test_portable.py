"""Reports that travel: the folder (and its zip), copied anywhere, has every link resolving inside it."""

from __future__ import annotations

import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from core.model import FileResult, Flag, FlagSide, FlagsReport, TeamResult
from pipeline.reports import write_reports
from pipeline.reports.names import NameAllocator, safe_component
from pipeline.reports.portable import ORIGINALS, plan_originals, portable_name


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("href", "src") and v is not None]


def links_of(html: Path) -> list[str]:
    parser = _Links()
    parser.feed(html.read_text("utf-8"))
    return parser.links


def broken_links(folder: Path) -> tuple[list[str], int]:
    """Every href/src of every HTML file that does not resolve to a file inside `folder`, and the count checked."""
    root = folder.resolve()
    broken, checked = [], 0
    for html in sorted(folder.rglob("*.html")):
        for link in links_of(html):
            parts = urlsplit(link)
            if not parts.scheme and not parts.netloc and not parts.path:
                continue  # "#unit-3": a place in the same page
            checked += 1
            if parts.scheme or parts.netloc:
                broken.append(f"{html.name}: {link}")
                continue
            target = (html.parent / unquote(parts.path)).resolve()
            if not target.is_relative_to(root) or not target.is_file():
                broken.append(f"{html.name}: {link}")
    return broken, checked


@pytest.fixture(scope="session")
def portable_run(run_dir: Path, completeness, flags, statistics, summary) -> dict[str, Path]:
    return write_reports(run_dir / "portable-out", completeness, flags, statistics, summary=summary)


def test_travelling_folder_copied_elsewhere_has_every_link_inside(portable_run, tmp_path):
    folder = portable_run["portable"]
    assert folder.name == portable_name(2024)
    moved = tmp_path / "邮件附件" / folder.name
    shutil.copytree(folder, moved)
    broken, checked = broken_links(moved)
    assert broken == []
    assert checked > 20
    index_links = set(links_of(moved / "index.html"))
    # originals named after the unit or team and the document, not by hash
    assert "原件/江苏省建筑行业协会/推荐材料.pdf#page=2" in {unquote(x) for x in index_links}
    assert (moved / ORIGINALS / "A0137-钢筋班组" / "报名表.pdf").is_file()
    assert (moved / ORIGINALS / "A0201-测量班组" / "报名表.jpg").is_file()
    assert any(unquote(x).startswith("thumbs/") for x in links_of(moved / "index.html"))
    # the earlier year's report a flag compares against travels too (here the fixture's B side has the
    # bytes of the Jiangsu file, and the same bytes are copied once)
    assert "原件/江苏省建筑行业协会/推荐材料.pdf" in {unquote(x).split("#")[0] for x in links_of(moved / "flags.html")}
    assert (moved / "completeness.xlsx").is_file()
    assert '"原件/' in (moved / "completeness.json").read_text("utf-8")  # JSON names originals inside too


def test_the_run_reports_break_when_mailed_but_the_zip_does_not(portable_run, tmp_path):
    out = portable_run["index.html"].parent
    mailed = tmp_path / "mailed-out"
    shutil.copytree(out, mailed, ignore=shutil.ignore_patterns(portable_name(2024) + "*"))
    broken_before, _ = broken_links(mailed)
    assert broken_before, "the run's own reports link the archive outside OUT"
    with zipfile.ZipFile(portable_run["portable.zip"]) as zf:
        names = zf.namelist()
        assert all(n.startswith(portable_name(2024) + "/") for n in names)
        assert not any(n.split("/")[-1].startswith(".") for n in names)
        zf.extractall(tmp_path / "unzipped")
    broken, checked = broken_links(tmp_path / "unzipped" / portable_name(2024))
    assert broken == [] and checked > 20


def test_second_run_copies_only_what_changed_and_drops_what_went(run_dir, completeness, flags, statistics):
    out = run_dir / "portable-rerun"
    first = write_reports(out, completeness, flags, statistics)["portable"]
    unit_pdf = first / ORIGINALS / "江苏省建筑行业协会" / "推荐材料.pdf"
    stamp = unit_pdf.stat().st_mtime_ns
    fewer = completeness.model_copy(deep=True)
    fewer.teams = [t for t in fewer.teams if t.team_id != "A0137-钢筋班组"]
    fewer.files = [f for f in fewer.files if "A0137" not in f.path]
    write_reports(out, fewer, flags, statistics)
    assert unit_pdf.stat().st_mtime_ns == stamp  # unchanged original: not copied again
    assert not (first / ORIGINALS / "A0137-钢筋班组").exists()
    assert broken_links(first)[0] == []


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "..", "CON", "a/b\\c", "\x00x", " . ", "同名", "同名"])
def test_safe_component_never_leaves_its_folder(hostile):
    name = safe_component(hostile)
    assert name and "/" not in name and "\\" not in name and name not in (".", "..") and "\x00" not in name
    assert name.split(".")[0].upper() != "CON"
    assert len(name.encode()) <= 150


def test_sender_names_cannot_escape_or_collide(archive, completeness):
    c = completeness.model_copy(deep=True)
    evil = [("../../../tmp/pwned", "x.pdf"), ("..", "y.pdf"), ("a/..\\b", "z.HTML"), ("A0137-钢筋班组", "w.pdf"),
            ("A:1", "v.pdf"), ("A_1", "u.pdf"), ("其他文件", "t.pdf")]
    for team_id, name in evil:
        path = f"班组申报/{team_id}/{name}"
        c.teams.append(TeamResult(team_id=team_id, team=team_id, files={"registration_form": path},
                                  source=f"班组申报/{team_id}"))
        c.files.append(FileResult(path=path, sha256=team_id, archive_path=str(archive["form"]) + f"?{team_id}"))
    far = FlagsReport(year=2024, flags=[Flag(
        a=FlagSide(year=2024, team_id="A0137-钢筋班组", file="x"),
        b=FlagSide(year=2020, team_id="../../b", file="../../成果.pdf", archive_path=str(archive["scan"])),
        kind="cross_team", similarity=0.5, copy_ratio_a=0.1, copy_ratio_b=0.1)])
    plan = plan_originals(c, far)
    rels = list(plan.values())
    assert len(set(r.casefold() for r in rels)) == len(rels)  # collisions resolved
    for rel in rels:
        parts = rel.split("/")
        assert parts[0] == ORIGINALS and len(parts) == 3
        assert all(p not in ("", ".", "..") and "\\" not in p for p in parts)
        assert not rel.lower().endswith(".html")  # a sender's page is never opened as a page beside the reports
    folders = {r.split("/")[1] for r in rels}
    assert {"A_1", "A_1（2）"} <= folders  # two teams whose safe names collide
    assert {"其他文件", "其他文件（2）"} <= folders  # a team named like the folder of files nobody owns
    assert "原件/A0137-钢筋班组/报名表（2）.pdf" in rels  # a second registration form under the same team id


def test_name_allocator_numbers_case_insensitive_duplicates():
    names = NameAllocator()
    assert [names.claim("报告", ".PDF"), names.claim("报告", ".pdf"), names.claim("Report"), names.claim("report")] \
        == ["报告.pdf", "报告（2）.pdf", "Report", "report（2）"]
