"""core.codes is the one registry of problem codes, and every emitter uses it (no bare code strings)."""

from __future__ import annotations

import ast
from pathlib import Path

from core.codes import BLOCKING, CODES, Code, Scope, is_blocking, title
from tests.test_layers import REPO, modules

CONTRACT = {  # the outer contract's codes and the level it names for each
    "missing_recommendation_letter": Scope.UNIT, "missing_statistics_table": Scope.UNIT,
    "missing_award_list": Scope.UNIT, "incomplete_statistics_table": Scope.UNIT,
    "unlisted_recommender": Scope.UNIT, "recommended_team_without_submission": Scope.UNIT,
    "missing_registration_form": Scope.TEAM, "missing_report_pdf": Scope.TEAM, "missing_report_ppt": Scope.TEAM,
    "team_not_recommended": Scope.TEAM, "unreadable_file": Scope.FILE, "unrecognized_file": Scope.FILE,
    "duplicate_file": Scope.FILE,
}


def test_every_code_has_a_distinct_chinese_title_and_a_place() -> None:
    titles = [c.title_zh for c in Code]
    assert len(set(titles)) == len(titles)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles)
    assert all(c.scopes for c in Code)
    for code, scope in CONTRACT.items():
        assert scope in Code(code).scopes


def test_views_follow_the_enum() -> None:
    assert CODES["missing_report_pdf"] == Code.MISSING_REPORT_PDF.title_zh == title("missing_report_pdf")
    assert Code.MISSING_REPORT_PDF == "missing_report_pdf" and is_blocking(Code.MISSING_REPORT_PDF)
    assert not is_blocking("late_submission") and "late_submission" not in BLOCKING
    assert title("some_old_code") == "some_old_code"


def _bare_codes(path: Path) -> list[str]:
    """String literals used as a problem code: `code="x"` or `….code == "x"`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            found += [f"{path}:{kw.value.lineno} code={kw.value.value!r}" for kw in node.keywords
                      if kw.arg == "code" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)]
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code":
            found += [f"{path}:{c.lineno} .code == {c.value!r}" for c in node.comparators
                      if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return found


def test_emitters_use_the_registry() -> None:
    bare = [hit for path in modules(REPO).values() for hit in _bare_codes(path)]
    assert bare == []


def test_the_scan_sees_a_bare_code(tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text('Problem(code="ocr_failed", message="m")\nany(p.code == "late_submission" for p in ps)\n')
    assert len(_bare_codes(path)) == 2
