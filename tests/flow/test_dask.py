"""The intake flow with its extraction on a Dask cluster (prefect-dask's DaskTaskRunner) gives the same
reports as the default thread runner: tasks take plain, picklable inputs and open their own store.

A distributed.LocalCluster of 2 worker processes, a throw-away PostgreSQL cluster as the store
(SQLite does not serve several machines), the real Prefect test server.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.flow.helpers import run_intake, text_pdf, write
from tests.pg import PostgresCluster

pytestmark = [pytest.mark.flow, pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

LETTER = "关于推荐2024年工程建设质量信得过班组的函\n中国施工企业管理协会：\n现推荐以下班组参加2024年工程建设质量信得过班组活动。"
REPORT = ("一、班组概况\n本班组成立于2015年，负责主体结构钢筋加工与绑扎，共有成员十二人。\n二、选题理由\n"
          "钢筋保护层厚度合格率偏低，影响结构耐久性，班组决定开展质量改进活动。\n三、现状调查\n"
          "抽查三百个测点，保护层厚度合格率为百分之八十六，主要问题是垫块位移和绑扎不牢。")


def _inbox(root: Path) -> Path:
    write(root / "推荐材料" / "中国安装协会.pdf", text_pdf([LETTER, "附件3 统计表"]))
    write(root / "推荐材料" / "坏文件.pdf", text_pdf([LETTER])[:600])
    for team, report in (("A0001-钢筋班组", REPORT), ("A0002-模板班组", REPORT + "\n四、对策\n加密垫块。")):
        write(root / "班组申报" / team / "报名表.pdf", text_pdf([f"质量信得过班组报名表\n班组名称：{team[6:]}"]))
        write(root / "班组申报" / team / "成果报告.pdf", text_pdf([report, report]))
    for path in root.rglob("*.pdf"):
        os.utime(path, (1709251200, 1709251200))  # 2024-03-01: in time
    return root


def _report(out: Path, name: str, home: Path) -> dict:
    return json.loads((out / name).read_text(encoding="utf-8").replace(str(home.resolve()), "<BANZU_HOME>"))


def test_dask_runner_gives_the_same_reports(
    tmp_path: Path, postgres_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dask
    from distributed import Client, LocalCluster
    from prefect.settings import PREFECT_API_URL

    inbox = _inbox(tmp_path / "inbox")
    home_threads, home_dask = tmp_path / "home-threads", tmp_path / "home-dask"
    result = run_intake(inbox, tmp_path / "out-threads", home_threads)
    assert result.exit_code == 0, result.output

    # what a Dask worker on another machine gets: the API of the Prefect server, the store's URL
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    url = postgres_cluster.new_database("banzu_dask")
    with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, Client(cluster) as client:
        env = {"BANZU_DASK_ADDRESS": cluster.scheduler_address, "BANZU_DATABASE_URL": url}
        result = run_intake(inbox, tmp_path / "out-dask", home_dask, env=env)
        assert result.exit_code == 0, result.output
        read_there = client.run(lambda: "pipeline.intake" in sys.modules)  # the workers ran the extract tasks
    assert len(read_there) == 2 and any(read_there.values())

    for name in ("completeness.json", "flags.json"):
        assert _report(tmp_path / "out-dask", name, home_dask) == _report(tmp_path / "out-threads", name, home_threads)
    flags = _report(tmp_path / "out-dask", "flags.json", home_dask)["flags"]
    assert flags and flags[0]["kind"] == "cross_team"  # the two reports share their text
