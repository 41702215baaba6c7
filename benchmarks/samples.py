"""Timing and size of the sample generator per profile (targets: small < 20 s, demo < 60 s).

Run: .venv/bin/python benchmarks/samples.py [--quick]. Prints, per profile, seconds, files, bytes,
scanned pages, and whether a second run with the same seed gave byte-identical files.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.samples import generate_inbox  # noqa: E402

TARGETS = {"tiny": 10.0, "small": 20.0, "demo": 60.0}


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def main(argv: list[str]) -> int:
    profiles = ["tiny", "small"] if "--quick" in argv else ["tiny", "small", "demo"]
    failed = False
    with tempfile.TemporaryDirectory(prefix="banzu-bench-samples-") as tmp:
        for profile in profiles:
            t0 = time.perf_counter()
            truth = generate_inbox(Path(tmp) / profile / "a", profile=profile, seed=0)
            seconds = time.perf_counter() - t0
            generate_inbox(Path(tmp) / profile / "b", profile=profile, seed=0)
            a, b = _digest(Path(tmp) / profile / "a"), _digest(Path(tmp) / profile / "b")
            size = sum((Path(tmp) / profile / "a" / rel).stat().st_size for rel in a)
            scanned = sum(len(u.scanned_pages) for u in truth.units)
            ok = seconds < TARGETS[profile] and a == b
            failed |= not ok
            print(f"{profile:6s} {seconds:6.1f} s (target < {TARGETS[profile]:.0f} s)  files={len(a):3d}  "
                  f"bytes={size / 1e6:5.1f} MB  units={len(truth.units)} teams={len(truth.teams)}  "
                  f"scanned_pages={scanned}  identical={a == b}  {'OK' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
