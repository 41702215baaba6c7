"""How many links of a run's reports still work once the reports are mailed (copied elsewhere).

    python -m benchmarks.portable_links OUT

Copies OUT without the travelling folder, then the travelling folder alone, to a temp place and counts
the href/src of every HTML file that no longer resolve inside the copy.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from pipeline.reports.portable import broken_links


def main(out: Path) -> None:
    travelling = [p for p in out.iterdir() if p.is_dir() and p.name.endswith("初选报告包")]
    with tempfile.TemporaryDirectory() as tmp:
        mailed = Path(tmp) / "mailed"
        shutil.copytree(out, mailed, ignore=shutil.ignore_patterns("*初选报告包*"))
        broken, checked = broken_links(mailed)
        print(f"run reports copied elsewhere: {len(broken)} of {checked} links break")
        for folder in travelling:
            moved = Path(tmp) / "moved" / folder.name
            shutil.copytree(folder, moved)
            broken, checked = broken_links(moved)
            print(f"travelling folder {folder.name} copied elsewhere: {len(broken)} of {checked} links break")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
