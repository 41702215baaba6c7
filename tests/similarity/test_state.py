"""Stable flag ids, the persisted state (reused, invalidated by changed text, rebuilt when broken), and
bad input that must not crash."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from checks.similarity import find_flags
from checks.similarity.index import STATE_FILE, load_state, text_key
from checks.similarity.tokens import words
from core.model import Flag, ReportText
from pipeline.samples.plagiarism import Corpus, copy_into
from pipeline.samples.report_text import make_report, make_slides
from tests.conftest import REALDATA


def _ids(flags: list[Flag]) -> list[tuple[str, str, str, float]]:
    return [(f.flag_id, f.a.team_id, f.b.team_id, f.similarity) for f in flags]


def test_rerun_keeps_flag_ids_and_state_survives_corruption(corpus: Corpus, flags: list[Flag], tmp_path: Path) -> None:
    reports = corpus.reports()
    state = tmp_path / "similarity"
    first = find_flags(reports, corpus.year, state_dir=state)
    assert _ids(first) == _ids(flags)  # the state changes nothing but speed
    assert (state / STATE_FILE).exists()
    assert len(load_state(state)) == len(reports)
    again = find_flags(list(reversed(reports)), corpus.year, state_dir=state)
    assert _ids(again) == _ids(first)
    (state / STATE_FILE).write_bytes(b"not an npz at all")
    assert load_state(state) == {}
    assert _ids(find_flags(reports, corpus.year, state_dir=state)) == _ids(first)
    assert len(load_state(state)) == len(reports)  # rebuilt
    (state / STATE_FILE).unlink()
    assert _ids(find_flags(reports, corpus.year, state_dir=state)) == _ids(first)


def test_changed_text_invalidates_its_state(corpus: Corpus, tmp_path: Path) -> None:
    case = next(c for c in corpus.cases if c.kind == "verbatim")
    copier = corpus.teams[case.copier].team_id
    reports = corpus.reports(with_slides=False)
    state = tmp_path / "similarity"
    assert any({f.a.team_id, f.b.team_id} >= {copier} for f in find_flags(reports, corpus.year, state_dir=state))
    honest = make_report(random.Random(5), team="钢筋班组", company="某某建设有限公司", year=corpus.year)
    replaced = [r.model_copy(update={"pages": honest}) if r.team_id == copier else r for r in reports]
    assert text_key(honest) not in load_state(state)
    flags = find_flags(replaced, corpus.year, state_dir=state)
    assert not any(copier in (f.a.team_id, f.b.team_id) for f in flags)
    assert text_key(honest) in load_state(state)


def _report(team_id: str, year: int, pages: list[str], kind: str = "report_pdf", team: str = "", company: str = "") -> ReportText:
    ext = "pdf" if kind == "report_pdf" else "pptx"
    return ReportText(year=year, team_id=team_id, team=team or team_id, company=company or "公司", file=f"{team_id}/r.{ext}",
                      sha256=f"{team_id}{ext}", kind=kind, pages=pages)


def test_own_pdf_and_ppt_are_never_compared() -> None:
    pages = make_report(random.Random(1), team="钢筋班组", company="甲公司", year=2024)
    reports = [_report("A", 2024, pages), _report("A", 2024, make_slides(pages), "report_ppt"),
               _report("B", 2024, make_report(random.Random(2), team="测量班组", company="乙公司", year=2024))]
    assert find_flags(reports, 2024) == []


def test_one_flag_per_team_pair_merging_files() -> None:
    rng = random.Random(3)
    src = make_report(rng, team="桥梁班组", company="甲公司", year=2024)
    own = make_report(rng, team="桥梁班组", company="乙公司", year=2024)
    copy, _ = copy_into(rng, own, src, 0.8)
    others = [_report(f"X{i}", 2024, make_report(rng, team="桥梁班组", company=f"丙{i}公司", year=2024)) for i in range(12)]
    reports = [_report("A", 2024, src), _report("A", 2024, make_slides(src), "report_ppt"),
               _report("B", 2024, copy), _report("B", 2024, make_slides(copy), "report_ppt"), *others]
    flags = find_flags(reports, 2024)
    pair = [f for f in flags if {f.a.team_id, f.b.team_id} == {"A", "B"}]
    assert len(pair) == 1
    f = pair[0]
    assert f.a.team_id == "A"  # same year: side a is the smaller team id
    assert f.a.file.endswith(".pdf") and f.b.file.endswith(".pdf")
    assert {e.a_file for e in f.evidence} >= {"A/r.pdf"}
    assert f.copy_ratio_a > 0.2 and f.copy_ratio_b > 0.2
    assert find_flags(reports, 2023) == []  # no team of 2023: nothing to flag


def test_real_third_party_text_copied_is_found() -> None:
    """A passage of a real document (pdfplumber's test PDF, a Chinese standard) copied by one team."""
    import pymupdf

    path = REALDATA / "issue-336-example.pdf"
    real = pymupdf.open(path)[0].get_text()
    assert len(real) > 300
    rng = random.Random(9)
    a = make_report(rng, team="防水班组", company="甲公司", year=2023)
    b = make_report(rng, team="防水班组", company="乙公司", year=2024)
    a[3] = a[3] + "\n" + real[:900]
    b[4] = b[4] + "\n" + real[:900]
    others = [_report(f"X{i}", 2024, make_report(rng, team="防水班组", company=f"丙{i}公司", year=2024)) for i in range(12)]
    flags = find_flags([_report("A", 2023, a), _report("B", 2024, b), *others], 2024)
    f = next(f for f in flags if {f.a.team_id, f.b.team_id} == {"A", "B"})
    assert f.a.team_id == "B" and f.kind == "cross_team"
    shown = "".join(e.a_text for e in f.evidence)
    assert any(line.strip() and line.strip() in shown for line in real[:900].splitlines() if len(line.strip()) > 10)


def test_bad_input_never_crashes() -> None:
    weird = ["", "   ", "\x00\ufffd" * 20, "𠀀𠀁𠀂" * 50, "a" * 3, "。。。；；\n\n"]
    reports = [_report("A", 2024, weird), _report("B", 2024, []), _report("C", 2023, ["", ""]),
               _report("D", 2024, ["重复" * 500]), _report("E", 2024, ["重复" * 500])]
    flags = find_flags(reports, 2024)
    assert all(isinstance(f, Flag) for f in flags)
    assert find_flags([], 2024) == []


def test_self_reuse_by_same_team_id_in_another_year() -> None:
    rng = random.Random(4)
    old = make_report(rng, team="测量班组", company="甲公司", year=2023)
    new, _ = copy_into(rng, make_report(rng, team="测量班组", company="甲公司", year=2024), old, 0.9)
    others = [_report(f"X{i}", 2024, make_report(rng, team="测量班组", company=f"丙{i}公司", year=2024)) for i in range(12)]
    flags = find_flags([_report("T1", 2023, old, team="测量一班"), _report("T1", 2024, new, team="测量班组 "), *others], 2024)
    f = next(f for f in flags if f.a.team_id == f.b.team_id == "T1")
    assert f.kind == "self_prior_year" and f.a.year == 2024 and f.b.year == 2023


def test_jieba_uses_the_construction_dictionary() -> None:
    w = words("钢筋保护层厚度合格率由73.5%提高到89.2%")
    assert "钢筋保护层" in w and "合格率" in w and "#" in w
    assert np.all([isinstance(x, str) for x in w])
