"""The demo inbox's intake with its extraction on a Dask cluster of 1 and of 2 worker processes, side by side.

    nice .venv/bin/python benchmarks/dask_intake.py [--profile demo] [--inbox DIR] [--workers 1 2]

Each run gets a fresh BANZU_HOME and a fresh database on one throw-away PostgreSQL cluster (a Dask
store must be a database server), a distributed.LocalCluster of N single-threaded worker processes
(`distributed.worker.daemon: False`, one OCR process per worker: BANZU_OCR_WORKERS=1, so the Dask
worker count is the only parallelism), and one temporary Prefect server the workers report to.
The figures: wall time of the whole flow run, and whether both runs wrote the same completeness.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _report(out: Path, home: Path) -> dict:
    text = (out / "completeness.json").read_text(encoding="utf-8")
    return json.loads(text.replace(str(home.resolve()), "<BANZU_HOME>"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="demo")
    parser.add_argument("--inbox", type=Path, help="an existing inbox (default: generate one)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    opts = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="banzu-dask-bench-"))
    os.environ.update({"PREFECT_HOME": str(tmp / "prefect"), "PREFECT_LOGGING_LEVEL": "ERROR",
                       "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "BANZU_OCR_WORKERS": "1"})
    os.environ.pop("PREFECT_API_URL", None)

    import dask
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    from pipeline.samples import generate_inbox
    from tests.pg import PostgresCluster

    inbox = opts.inbox
    if inbox is None:
        inbox = tmp / "inbox"
        generate_inbox(inbox, year=2024, seed=0, profile=opts.profile)
    rows = []
    with PostgresCluster.started() as pg, prefect_test_harness(server_startup_timeout=180):
        os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()  # the workers report to this server
        from flows.intake import run_intake

        for n in opts.workers:
            home, out = tmp / f"home-{n}", tmp / f"out-{n}"
            with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
            ) as cluster:
                os.environ.update({"BANZU_HOME": str(home), "BANZU_DASK_ADDRESS": cluster.scheduler_address,
                                   "BANZU_DATABASE_URL": pg.new_database(f"bench_{n}")})
                started = time.perf_counter()
                summary = run_intake(str(inbox), 2024, str(out))
                seconds = time.perf_counter() - started
            rows.append((n, seconds, summary, _report(out, home)))
    print(f"inbox {inbox}: {rows[0][2].files_seen} files, {rows[0][2].extracted} extracted per run")
    for n, seconds, summary, _ in rows:
        print(f"{n} Dask worker(s): {seconds:7.1f} s wall  (extracted {summary.extracted}, "
              f"units {summary.units}, teams {summary.teams}, flags {summary.flags})")
    same = all(r[3] == rows[0][3] for r in rows)
    print(f"completeness.json identical across runs: {same}")
    if len(rows) > 1:
        print(f"speed-up {rows[0][0]} -> {rows[-1][0]} workers: {rows[0][1] / rows[-1][1]:.2f}x")


if __name__ == "__main__":
    main()
