"""Completeness benchmark: freshly generated, scanned unit bundles read back and scored.

For each bundle (a random listed unit; letter, statistics table and award list in shuffled
order, some sheets turned 90/180/270 degrees, scanned at 200 dpi) the whole path runs: the
extractors read the scan, `check_completeness` segments and parses it. Scored against the truth:

- documents found: each document the bundle holds is found (present) - target 100 %
- pages exact: each page is given the right document kind ("other" included) - target >= 99 %
- fields exact: each item of 附件3 equals the truth (free text compared without whitespace,
  which OCR does not see) - target >= 99 %; `fields_strict` also compares whitespace
- units identified, recommended teams read exactly as written.

    .venv/bin/python benchmarks/completeness.py [--quick] [--bundles N] [--seed S] [--dpi D]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.completeness import check_completeness  # noqa: E402
from core.model import Inbox, InboxFile  # noqa: E402
from core.reference import recommending_units, year_rules  # noqa: E402
from extractors import extract  # noqa: E402
from pipeline.samples import names  # noqa: E402
from pipeline.samples.bundle import KINDS, build_unit_bundle  # noqa: E402
from pipeline.samples.unit_docs import TeamLine  # noqa: E402


def _teams(rng: random.Random, unit: Any, n: int) -> list[TeamLine]:
    out = []
    for _ in range(n):
        company = names.company(rng, unit)
        full, kind = names.team_name(rng, company)
        out.append(TeamLine(full, company, names.achievement(rng, kind)))
    return out


def make_bundle(rng: random.Random, dpi: int) -> tuple[bytes, Any]:
    rules = year_rules(2024)
    unit = rng.choice(recommending_units())
    order = list(KINDS)
    rng.shuffle(order)
    recommended = _teams(rng, unit, rng.randint(1, 4))
    others = _teams(rng, unit, rng.randint(3, 14))
    blank = rng.sample([i.key for i in rules.statistics_items if i.numeric and not i.when], k=rng.choice((0, 0, 1)))
    pdf, truth = build_unit_bundle(
        rng, unit.name, rules, recommended=recommended, award_others=others, order=tuple(order),
        scanned=True, rotations={p: rng.choice((0, 0, 90, 180, 270)) for p in range(1, 8)},
        letter_style=rng.choice(("table", "list")), mark=rng.choice(("column", "star", "highlight")),
        blank=blank, scan_options={"dpi": dpi},
    )
    return pdf, truth


def _same(a: Any, b: Any) -> tuple[bool, bool]:
    """(equal ignoring whitespace, strictly equal)."""
    if isinstance(a, str) and isinstance(b, str):
        return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b), a == b
    return a == b, a == b


def score_bundle(pdf: bytes, truth: Any, work: Path, index: int) -> dict[str, Any]:
    rules = year_rules(2024)
    path = work / f"bundle-{index}.pdf"
    path.write_bytes(pdf)
    rel = f"推荐材料/{truth.unit}.pdf"
    f = InboxFile(path=rel, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), role="unit",
                  group=truth.unit)
    t0 = time.perf_counter()
    doc = extract(path, name=rel)
    t_extract = time.perf_counter() - t0
    report = check_completeness(Inbox(root=str(work), units=[f]), {f.sha256: doc}, rules, recommending_units())
    unit = report.units[0]
    truth_kind = ["other"] * truth.pages
    for kind, pages in truth.documents.items():
        for p in pages:
            truth_kind[p - 1] = kind
    pages_ok = sum(a == b for a, b in zip(unit.page_kinds, truth_kind, strict=False))
    docs_total = len(truth.documents)
    docs_found = sum(unit.documents[k].present for k in truth.documents)
    fields = unit.documents["statistics_table"].fields or {}
    wrong: dict[str, Any] = {}
    loose = strict = 0
    for key, value in (truth.fields or {}).items():
        same, exact = _same(fields.get(key), value)
        loose += same
        strict += exact
        if not same:
            wrong[key] = {"read": fields.get(key), "truth": value}
    return {
        "unit": truth.unit, "pages": truth.pages, "rotations": truth.page_rotations,
        "extract_s": round(t_extract, 1),
        "docs_found": docs_found, "docs_total": docs_total,
        "pages_ok": pages_ok, "page_kinds": unit.page_kinds, "truth_kinds": truth_kind,
        "fields_ok": loose, "fields_strict_ok": strict, "fields_total": len(truth.fields or {}),
        "fields_wrong": wrong,
        "unit_ok": unit.unit == truth.unit,
        "teams_ok": unit.recommended_teams == truth.recommended_teams,
        "teams_read": unit.recommended_teams if unit.recommended_teams != truth.recommended_teams else None,
        "teams_truth": truth.recommended_teams if unit.recommended_teams != truth.recommended_teams else None,
        "codes": sorted({p.code for p in unit.problems}), "truth_codes": sorted(truth.problems),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 bundles instead of 12")
    ap.add_argument("--bundles", type=int, default=None)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None, help="write the per-bundle results here")
    args = ap.parse_args(argv)
    n = args.bundles or (3 if args.quick else 12)
    rng = random.Random(f"banzu-bench-completeness/{args.seed}")
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="banzu-bench-") as tmp:
        for i in range(n):
            pdf, truth = make_bundle(rng, args.dpi)
            r = score_bundle(pdf, truth, Path(tmp), i)
            results.append(r)
            print(f"[{i + 1}/{n}] {r['unit']}: pages {r['pages_ok']}/{r['pages']}, docs {r['docs_found']}/"
                  f"{r['docs_total']}, fields {r['fields_ok']}/{r['fields_total']}, unit {r['unit_ok']}, "
                  f"teams {r['teams_ok']} ({r['extract_s']} s)", flush=True)
            for key, w in r["fields_wrong"].items():
                print(f"      field {key}: read {w['read']!r}, truth {w['truth']!r}")
            if r["pages_ok"] != r["pages"]:
                print(f"      pages read {r['page_kinds']} truth {r['truth_kinds']}")
    total = {k: sum(r[k] for r in results) for k in
             ("docs_found", "docs_total", "pages_ok", "pages", "fields_ok", "fields_strict_ok", "fields_total")}
    summary = {
        "bundles": n, "dpi": args.dpi, "seconds": round(time.perf_counter() - started, 1),
        "documents_found": total["docs_found"] / max(1, total["docs_total"]),
        "pages_exact": total["pages_ok"] / max(1, total["pages"]),
        "fields_exact": total["fields_ok"] / max(1, total["fields_total"]),
        "fields_strict": total["fields_strict_ok"] / max(1, total["fields_total"]),
        "units_identified": sum(r["unit_ok"] for r in results) / n,
        "recommended_teams_exact": sum(r["teams_ok"] for r in results) / n,
        "pages": total["pages"], "fields": total["fields_total"],
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    targets_met = summary["documents_found"] == 1.0 and summary["pages_exact"] >= 0.99 and summary["fields_exact"] >= 0.99
    print("targets (100 % documents, >= 99 % pages, >= 99 % fields):", "met" if targets_met else "NOT met")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "bundles": results}, ensure_ascii=False, indent=1,
                                        default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
