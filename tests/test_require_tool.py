"""require_tool: a missing outside tool skips a test on a developer's machine and fails it under CI=true."""

from __future__ import annotations

import pytest

from tests.conftest import require_tool


def test_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_tool("chromium", lambda: None)


def test_missing_tool_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        require_tool("chromium", False)


def test_present_tool_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require_tool("chromium", lambda: "/usr/bin/chromium")
