"""The right message: documents that are zips are documents; variants of one team id are flagged."""

from __future__ import annotations

from pathlib import Path

from extractors import extract
from pipeline.inbox import discover
from pipeline.samples.hostile import KINDS


def _kind(key: str):
    return next(k for k in KINDS if k.key == key)


def _written(tmp_path: Path, key: str) -> Path:
    k = _kind(key)
    k.write(tmp_path, tmp_path / k.written_at)
    return tmp_path / k.written_at


def test_documents_that_are_zips_are_not_called_archives(tmp_path):
    for key, word in [("pptx_cut", "损坏"), ("keynote", "Keynote"), ("ole_garbage", "损坏")]:
        path = _written(tmp_path, key)
        doc = extract(path, name=path.name)
        messages = [p.message for p in doc.problems if p.code == "unreadable_file"]
        assert messages and word in messages[0] and "压缩包" not in messages[0], (key, messages)


def test_team_ids_differing_in_width_are_flagged(tmp_path):
    _written(tmp_path, "team_id_width")
    found, _ = discover(tmp_path)
    assert {t.team_id for t in found.teams} == {"Z38-钢筋班组", "Ｚ３８－钢筋班组"}
    flagged = [f for t in found.teams for f in t.files if any(p.code == "team_id_variant" for p in f.problems)]
    assert [f.path for f in flagged] == ["班组申报/Ｚ３８－钢筋班组/报名表.pdf"]
    assert "全角/半角" in flagged[0].problems[0].message
