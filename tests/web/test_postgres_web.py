"""`banzu web` on PostgreSQL: Django's tables beside the store's in the same database, a decision through
the web lands in the store's audit trail there."""

from __future__ import annotations

from pathlib import Path

import httpx

from core.model import Flag, FlagSide
from core.settings import Settings
from pipeline.samples.served import add_user, banzu_env, served_workspace
from pipeline.store import Store
from pipeline.store.review import audit_entries
from tests.web.conftest import PASSWORD
from tests.web.test_security import csrf_of


def test_workspace_on_postgresql(tmp_path: Path, postgres_cluster) -> None:  # noqa: ANN001
    url = postgres_cluster.new_database("banzu_web")
    home = tmp_path / "home"
    store = Store(Settings(home=home, database_url=url))
    flag = Flag(
        a=FlagSide(year=2024, team_id="A1", file="a.pdf", team="钢筋班组"),
        b=FlagSide(year=2023, team_id="Z9", file="z.pdf"),
        kind="cross_team",
        similarity=0.8,
        copy_ratio_a=0.6,
        copy_ratio_b=0.5,
        flag_id="pgweb-1",
    )
    store.save_flags(2024, [flag])
    env = banzu_env(home, BANZU_DATABASE_URL=url)
    add_user(env, "赵纪", "discipline", PASSWORD)
    with served_workspace(env, cwd=tmp_path) as base, httpx.Client(base_url=base, timeout=60) as c:
        token = csrf_of(c, "/login/")
        assert (
            c.post(
                "/login/", data={"username": "赵纪", "password": PASSWORD, "csrfmiddlewaretoken": token}
            ).status_code
            == 302
        )
        queue = c.get("/2024/flags/")
        assert queue.status_code == 200 and "钢筋班组" in queue.text
        token = csrf_of(c, "/2024/flags/pgweb-1/")
        r = c.post(
            "/2024/flags/pgweb-1/decide",
            data={"decision": "confirmed", "reason": "与2023年报告相同", "csrfmiddlewaretoken": token},
        )
        assert r.status_code == 302
    (entry,) = audit_entries(store, "flag", "pgweb-1")
    assert (entry.actor, entry.role, entry.via) == ("赵纪", "discipline", "web")
