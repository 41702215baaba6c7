"""Wall time of a whole intake run over the demo inbox, and of the second (no-op) run over it.

    .venv/bin/python benchmarks/intake.py [--profile demo]

Runs the real `banzu` command in a fresh BANZU_HOME, so Prefect's temporary server start is included.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN / "banzu"), *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="demo")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="banzu-bench-") as tmp:
        env = {**os.environ, "BANZU_HOME": f"{tmp}/home", "PREFECT_HOME": f"{tmp}/prefect"}
        inbox, out = f"{tmp}/inbox", f"{tmp}/out"
        t_sample = _run(["sample", inbox, "--profile", opts.profile], env)
        t_first = _run(["intake", inbox, "--year", "2024", "--out", out, "--quiet"], env)
        t_second = _run(["intake", inbox, "--year", "2024", "--out", out, "--quiet"], env)
        completeness = json.loads(Path(out, "completeness.json").read_text(encoding="utf-8"))
        files = len(completeness["files"])
    print(f"profile {opts.profile}: {files} files")
    print(f"{'step':<28}{'seconds':>10}")
    print(f"{'generate sample inbox':<28}{t_sample:>10.1f}")
    print(f"{'first intake run':<28}{t_first:>10.1f}")
    print(f"{'second run (unchanged)':<28}{t_second:>10.1f}")


if __name__ == "__main__":
    main()
