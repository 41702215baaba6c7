"""The generator's promises about whole inboxes: determinism, files that open, truth that matches."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pymupdf
import pytest
from pptx import Presentation

from core.reference import year_rules
from pipeline.samples import GroundTruth, gbk_member_names, generate_history, generate_inbox

BEIJING = timezone(timedelta(hours=8))


def _digest(root: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), int(p.stat().st_mtime))
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _member(root: Path, rel: str) -> bytes:
    """Bytes of an inbox path, reaching into "班组申报/<id>.zip/<member>"."""
    if ".zip/" in rel:
        zpath, member = rel.split(".zip/", 1)
        data = (root / f"{zpath}.zip").read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                name = info.filename if info.flag_bits & 0x800 else info.filename.encode("cp437").decode("gbk")
                if name == member:
                    return zf.read(info)
        raise AssertionError(f"{member} not in {zpath}.zip")
    return (root / rel).read_bytes()


def test_same_seed_gives_byte_identical_inbox(tiny, tmp_path):
    root, truth = tiny
    again = generate_inbox(tmp_path / "again", profile="tiny", seed=7)
    assert _digest(root) == _digest(tmp_path / "again")
    assert again.model_dump() == truth.model_dump()


def test_other_seed_born_digital_only(tiny, tmp_path):
    _, truth = tiny
    stale = tmp_path / "推荐材料" / "旧文件.pdf"  # an earlier sample inbox is replaced, not mixed in
    stale.parent.mkdir()
    stale.write_bytes(b"%PDF-1.4")
    other = generate_inbox(tmp_path, profile="tiny", seed=8, scanned=False)
    assert not stale.exists() and (tmp_path / "推荐材料").is_dir()
    assert {t.team_id for t in other.teams} != {t.team_id for t in truth.teams}
    assert not any(u.scanned_pages for u in other.units)
    assert all(t.form_format == "pdf" for t in other.teams)


def test_refuses_a_folder_with_other_files(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"x")
    with pytest.raises(FileExistsError):
        generate_inbox(tmp_path, profile="tiny", seed=7)
    assert (tmp_path / "notes.docx").exists()


def test_truth_round_trips_and_stays_outside_the_inbox(tiny, tmp_path):
    root, truth = tiny
    path = truth.write(tmp_path / "truth.json")
    assert GroundTruth.read(path) == truth
    assert not any(p.suffix == ".json" for p in root.rglob("*"))


def test_tiny_profile_shape(tiny):
    root, truth = tiny
    assert len(truth.units) == 2 and len(truth.teams) == 3
    scanned = [u for u in truth.units if u.scanned]
    assert len(scanned) == 1 and len(scanned[0].scanned_pages) == scanned[0].pages <= 4
    assert {o.code for o in truth.odd_files} >= {"unreadable_file", "unrecognized_file"}


@pytest.mark.parametrize("which", ["tiny", "small"])
def test_unit_files_match_truth(which, request):
    root, truth = request.getfixturevalue(which)
    rules = year_rules(truth.year)
    for u in truth.units:
        doc = pymupdf.open(root / u.file)
        assert doc.page_count == u.pages == len(u.page_rotations)
        pages = sorted(p for ps in u.documents.values() for p in ps)
        assert pages == list(range(1, u.pages + 1)), "every page belongs to exactly one document"
        for kind in ("recommendation_letter", "statistics_table", "award_list"):
            assert (kind in u.documents) == (f"missing_{kind}" not in u.problems)
        for no, turn in enumerate(u.page_rotations, start=1):
            page = doc[no - 1]
            if no in u.scanned_pages:
                assert page.get_text().strip() == "" and len(page.get_images()) == 1
                landscape = page.rect.width > page.rect.height
                assert landscape == (turn in (90, 270))
            else:
                assert turn == 0 and page.get_text().strip()
        if u.fields is not None:
            assert list(u.fields) == [i.key for i in rules.statistics_items]
            assert all(u.fields[k] is None for k in u.blank_fields)
            assert ("incomplete_statistics_table" in u.problems) == bool(u.blank_fields)
        assert u.scanned == bool(u.scanned_pages)
        text = {k: "".join(doc[p - 1].get_text() for p in ps) for k, ps in u.documents.items()
                if not set(ps) & set(u.scanned_pages)}
        if text:
            if "recommendation_letter" in text:
                assert "工程建设质量信得过班组的函" in text["recommendation_letter"]
                assert "中国施工企业管理协会" in text["recommendation_letter"]
            if "statistics_table" in text:
                flat = text["statistics_table"].replace("\n", "")
                assert "工程建设质量信得过班组活动统计表" in flat
                for key, value in u.fields.items():
                    if isinstance(value, int) and not isinstance(value, bool):
                        assert str(value) in flat, key
            if "award_list" in text:
                flat = text["award_list"].replace("\n", "")
                assert "关于公布" in flat
                assert all(n in flat for n in u.award_list_teams)


@pytest.mark.parametrize("which", ["tiny", "small"])
def test_team_files_open_and_match_truth(which, request):
    root, truth = request.getfixturevalue(which)
    for t in truth.teams:
        assert (root / t.source).exists()
        for kind, rel in t.files.items():
            assert (rel is None) == (f"missing_{kind}" in t.problems)
            if rel is None:
                continue
            data = _member(root, rel)
            if kind == "report_pdf":
                assert pymupdf.open("pdf", data).page_count == t.report_pages
            elif kind == "report_ppt":
                assert len(Presentation(io.BytesIO(data)).slides) == t.slides
            elif rel.endswith(".pdf") and t.form_scanned:
                page = pymupdf.open("pdf", data)[0]
                assert not page.get_text().strip() and len(page.get_images()) == 1
            elif rel.endswith(".pdf"):
                text = pymupdf.open("pdf", data)[0].get_text().replace("\n", "")
                assert t.form_fields["班组名称"][:12] in text and t.form_fields["联系电话"] in text
            else:
                assert data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n"


def test_zip_member_names_are_gbk(small):
    root, truth = small
    zipped = [t for t in truth.teams if t.zipped and t.zip_encoding == "gbk"]
    assert zipped
    for t in zipped:
        data = (root / t.source).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert all(not (i.flag_bits & 0x800) for i in zf.infolist())
        names = gbk_member_names(data)
        for rel in filter(None, t.files.values()):
            assert rel.split(".zip/", 1)[1] in names
    assert any("/" in f.split(".zip/", 1)[1] for t in zipped for f in t.files.values() if f), "a nested zip"


def test_small_covers_every_situation(small):
    root, truth = small
    unit_codes = {c for u in truth.units for c in u.problems}
    team_codes = {c for t in truth.teams for c in t.problems}
    assert unit_codes >= {"missing_award_list", "missing_statistics_table", "incomplete_statistics_table",
                          "unlisted_recommender", "recommended_team_without_submission", "late_submission"}
    assert team_codes >= {"missing_registration_form", "missing_report_ppt", "team_not_recommended"}
    assert {o.code for o in truth.odd_files} == {"unreadable_file", "unrecognized_file", "duplicate_file"}
    assert any(u.scanned and any(u.page_rotations) for u in truth.units)
    assert {t.form_format for t in truth.teams} >= {"pdf", "jpg", "png"}
    assert any(t.form_scanned and t.form_format == "pdf" and t.form_rotation == 180 for t in truth.teams)
    assert any(Path(u.file).stem != u.unit and u.unit in Path(u.file).stem for u in truth.units), "extra words"
    assert truth.plagiarism_pairs
    assert any(u.scanned_pages and len(u.scanned_pages) < u.pages for u in truth.units), "a partly scanned file"
    assert sum(len(u.scanned_pages) for u in truth.units) <= 25


def test_broken_files_are_really_broken(small):
    root, truth = small
    for odd in truth.odd_files:
        data = (root / odd.path).read_bytes()
        if odd.code == "duplicate_file":
            assert data == (root / odd.duplicate_of).read_bytes()
        elif odd.code == "unreadable_file":
            assert odd.path.endswith(".pdf")
            if not data or not data.startswith(b"%PDF"):
                continue  # empty, or another format under a .pdf name
            if b"%%EOF" not in data[-64:]:  # truncated: no trailer, MuPDF fails or has to repair it
                try:
                    doc = pymupdf.open("pdf", data)
                except Exception:
                    continue
                assert doc.is_repaired, f"{odd.path} is not broken"
                continue
            assert pymupdf.open("pdf", data).needs_pass, f"{odd.path} opens without a password"
    notes = {o.note for o in truth.odd_files}
    assert any("PNG" in n for n in notes) and any("DOCX" in n for n in notes)
    assert any((root / o.path).stat().st_size == 0 for o in truth.odd_files)


def test_arrival_times(small):
    root, truth = small
    end = datetime.combine(datetime.fromisoformat(truth.deadline).date() + timedelta(days=1), time(0), BEIJING)
    start = datetime(truth.year, 5, 1, tzinfo=BEIJING)
    late = set(truth.late_files)
    assert late
    for p in root.rglob("*"):
        if not p.is_file():
            continue
        rel = p.relative_to(root).as_posix()
        when = datetime.fromtimestamp(p.stat().st_mtime, BEIJING)
        is_late = any(rel == x or rel.startswith(x + "/") for x in late)
        assert (when >= end) == is_late, rel
        assert when >= start


def test_plagiarism_pair_shares_long_passages(small):
    root, truth = small
    pair = truth.plagiarism_pairs[0]

    def text(t):
        doc = pymupdf.open("pdf", _member(root, t.files["report_pdf"]))
        return "".join(p.get_text() for p in doc).replace("\n", "").replace("\u3000", "")

    def share(t, grams, n=20):
        ta = text(t)
        return sum(1 for i in range(0, len(ta) - n, n) if ta[i:i + n] in grams) / max(1, len(ta) // n)

    src = text(truth.team(pair.source))
    grams = {src[i:i + 20] for i in range(len(src) - 20)}
    copier = share(truth.team(pair.copier), grams)
    others = [share(t, grams) for t in truth.teams
              if t.team_id not in (pair.copier, pair.source) and t.files["report_pdf"]]
    assert copier > 0.25, "the copier's report must consist largely of the source's passages"
    assert copier > 3 * max(others), "unrelated reports share only the template"


def test_letter_entries_map_to_packages(small):
    _, truth = small
    named: list[str] = []
    for u in truth.units:
        assert len(u.recommended_teams) == len(u.recommended_companies) == len(u.recommended_team_ids)
        for name, company, tid in zip(u.recommended_teams, u.recommended_companies, u.recommended_team_ids,
                                      strict=True):
            if tid is None:
                assert "recommended_team_without_submission" in u.problems
                continue
            team = truth.team(tid)
            assert team.recommender == u.unit and team.company == company and name in team.team
            named.append(tid)
    assert sorted(named) == sorted(t.team_id for t in truth.teams if t.recommender)
    assert all("team_not_recommended" in t.problems for t in truth.teams if not t.recommender)


def test_history_reuses_earlier_reports(tmp_path):
    truths = generate_history(tmp_path, years=(2023, 2024), profile="tiny", seed=2, scanned=False)
    old, new = truths[2023], truths[2024]
    assert (tmp_path / "2023" / "推荐材料").is_dir() and (tmp_path / "2024" / "班组申报").is_dir()
    pairs = {p.kind: p for p in new.plagiarism_pairs if p.source_year == 2023}
    assert set(pairs) == {"self_prior_year", "cross_team"}
    back = new.team(pairs["self_prior_year"].copier)
    before = old.team(pairs["self_prior_year"].source)
    assert (back.team_id, back.team, back.company) == (before.team_id, before.team, before.company)
    copier, source = new.team(pairs["cross_team"].copier), old.team(pairs["cross_team"].source)
    assert copier.company != source.company
    old_ids = {t.team_id for t in old.teams}
    assert [t.team_id for t in new.teams if t.team_id in old_ids] == [back.team_id]

    def text(root, t):
        doc = pymupdf.open(root / t.files["report_pdf"])
        return "".join(p.get_text() for p in doc).replace("\n", "").replace("\u3000", "")

    src = text(tmp_path / "2023", source)
    grams = {src[i:i + 20] for i in range(len(src) - 20)}
    got = text(tmp_path / "2024", copier)
    assert sum(got[i:i + 20] in grams for i in range(0, len(got) - 20, 20)) / (len(got) // 20) > 0.25
