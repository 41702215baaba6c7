"""Workspace benchmark: the roster and the flags queue at full size, served by the real `banzu web`.

A store at the activity's scale is built through the store API (65 listed units, 600 teams with
findings, 300 flags with evidence, some decided, an audit trail), then for each page:

- server time: the app's own time per request (its Server-Timing header), median and worst of N;
- load time in Chromium: navigation start to the load event (Navigation Timing), median of N.

Target: each under 1 s on this machine (the roster and the flags queue; the 600-team list is shown too).

    .venv/bin/python benchmarks/workspace.py [--repeat N] [--units 65 --teams 600 --flags 300]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from core.model import (  # noqa: E402
    CompletenessReport,
    DocumentFinding,
    Evidence,
    FileResult,
    Flag,
    FlagSide,
    Problem,
    TeamResult,
    UnitResult,
)
from core.reference import recommending_units  # noqa: E402
from core.settings import Settings  # noqa: E402
from pipeline.samples.served import add_user, banzu_env, served_workspace  # noqa: E402
from pipeline.store import Store  # noqa: E402
from pipeline.store import review as rv  # noqa: E402

YEAR = 2024
PASSWORD = "bench-pass-2024"
CHROMIUM = "/usr/bin/chromium"
TEAM_KINDS = ("钢筋", "混凝土", "模板", "防水", "砌筑", "机电安装", "给排水", "路面", "隧道开挖", "试验检测")


def build(home: Path, n_units: int, n_teams: int, n_flags: int, seed: int = 0) -> None:
    """A year at full size in the store: results of one run, flags, decisions and their trail."""
    rng = random.Random(seed)
    store = Store(Settings(home=home))
    out_dir = home / "reports" / str(YEAR)
    out_dir.mkdir(parents=True, exist_ok=True)
    listed = [u.name for u in recommending_units()][:n_units]
    sent = listed[: int(len(listed) * 0.8)]
    received = datetime(2024, 5, 20, 2, 0, tzinfo=UTC)
    units, teams, files = [], [], []
    for i in range(n_teams):
        unit = sent[i % len(sent)]
        team_id = f"T{i:04d}-{TEAM_KINDS[i % len(TEAM_KINDS)]}班组"
        paths = {k: f"班组申报/{team_id}/{k}.pdf" for k in ("registration_form", "report_pdf", "report_ppt")}
        problems = []
        if i % 7 == 0:
            paths["report_ppt"] = None
            problems.append(
                Problem(code="missing_report_ppt", message=f"班组“{team_id}”缺少成果报告（PPT版）。")
            )
        if i % 11 == 0:
            problems.append(
                Problem(
                    code="registration_form_incomplete",
                    message="报名表“联系电话”一栏为空。",
                    file=paths["registration_form"],
                    page=1,
                )
            )
        teams.append(
            TeamResult(
                team_id=team_id,
                team=f"{unit[:6]}第{i}项目部{TEAM_KINDS[i % 10]}班组",
                recommender=unit,
                files=paths,
                complete=not problems,
                problems=problems,
                company=f"{unit[:4]}第{i % 40}工程有限公司",
                source=f"班组申报/{team_id}",
            )
        )
        for p in paths.values():
            if p:
                files.append(
                    FileResult(
                        path=p,
                        sha256=f"{i:060d}{len(files):04d}",
                        format="pdf",
                        pages=12,
                        role="team",
                        received_at=received + timedelta(minutes=i),
                    )
                )
    for j, unit in enumerate(sent):
        source = f"推荐材料/{unit}.pdf"
        docs = {
            k: DocumentFinding(present=True, pages=[n + 1])
            for n, k in enumerate(("recommendation_letter", "statistics_table", "award_list"))
        }
        problems = []
        if j % 4 == 0:
            docs["award_list"] = DocumentFinding(present=False)
            problems.append(
                Problem(code="missing_award_list", message="没有找到获奖名单公布通知，请补交。", file=source)
            )
        mine = [t.team_id for t in teams if t.recommender == unit]
        units.append(
            UnitResult(
                unit=unit,
                source_file=source,
                listed=True,
                documents=docs,
                complete=not problems,
                problems=problems,
                recommended_teams=mine,
                matched_teams={t: t for t in mine},
            )
        )
        files.append(
            FileResult(
                path=source,
                sha256=f"u{j:063d}",
                format="pdf",
                pages=3,
                role="unit",
                received_at=received - timedelta(hours=j),
            )
        )
    report = CompletenessReport(year=YEAR, units=units, teams=teams, files=files)
    raw = report.contract()
    raw["units"] += [
        {
            "unit": u,
            "source_file": None,
            "listed": True,
            "submitted": False,
            "documents": {},
            "recommended_teams": [],
            "complete": False,
            "problems": [],
        }
        for u in listed
        if u not in sent
    ]
    (out_dir / "completeness.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    run = store.start_run(YEAR, str(home / "inbox"), str(out_dir))
    store.finish_run(run, "completed", {"teams": n_teams})

    flags = []
    for k in range(n_flags):
        a, b = rng.sample(teams, 2)
        text = "班组成立于2018年，现有成员13人，平均年龄32岁，其中大专及以上学历12人。" * 3
        flags.append(
            Flag(
                a=FlagSide(
                    year=YEAR,
                    team_id=a.team_id,
                    file=a.files["report_pdf"],
                    team=a.team,
                    company=a.company or "",
                ),
                b=FlagSide(
                    year=YEAR if k % 3 else YEAR - 1,
                    team_id=b.team_id,
                    file=b.files["report_pdf"],
                    team=b.team,
                    company=b.company or "",
                ),
                kind="cross_team",
                similarity=rng.uniform(0.2, 0.95),
                copy_ratio_a=rng.uniform(0.1, 0.9),
                copy_ratio_b=rng.uniform(0.1, 0.9),
                flag_id=f"{k:016x}",
                evidence=[
                    Evidence(
                        a_page=p,
                        a_text=text,
                        b_page=p,
                        b_text=text,
                        chars=40,
                        a_spans=[(0, 40)],
                        b_spans=[(0, 40)],
                    )
                    for p in range(1, 6)
                ],
            )
        )
    store.save_flags(YEAR, flags)
    officer, reviewer = rv.Actor("赵纪", "discipline"), rv.Actor("王审", "reviewer")
    for f in flags[: n_flags // 10]:
        rv.decide_flag(store, YEAR, f.flag_id, rng.choice(["confirmed", "dismissed"]), "逐段核对", officer)
    for t in teams[: n_teams // 4]:
        rv.decide_team(store, YEAR, t.team_id, "passed", None, reviewer)


def server_times(url: str, pages: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    with httpx.Client(base_url=url, timeout=60) as c:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', c.get("/login/").text).group(1)
        c.post("/login/", data={"username": "赵纪", "password": PASSWORD, "csrfmiddlewaretoken": token})
        out = {}
        for name, path in pages.items():
            c.get(path)  # warm-up: the first request of a process opens the store and loads templates
            app, wall, size = [], [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                r = c.get(path)
                wall.append(time.perf_counter() - started)
                assert r.status_code == 200, (path, r.status_code)
                app.append(float(r.headers["server-timing"].split("dur=")[1]) / 1000)
                size = len(r.content)
            out[name] = {
                "server_median_s": statistics.median(app),
                "server_max_s": max(app),
                "wall_median_s": statistics.median(wall),
                "html_kb": size / 1024,
            }
        return out


def browser_times(url: str, pages: dict[str, str], repeat: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url + "login/")
        page.fill("#username", "赵纪")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(url)
        for name, path in pages.items():
            loads = []
            for _ in range(repeat):
                page.goto(url + path.lstrip("/"), wait_until="load")
                loads.append(
                    page.evaluate(
                        "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()"
                    )
                    / 1000
                )
            out[name] = statistics.median(loads)
        b.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=65)
    ap.add_argument("--teams", type=int, default=600)
    ap.add_argument("--flags", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="banzu-bench-web-"))
    started = time.perf_counter()
    build(home, args.units, args.teams, args.flags)
    print(
        f"store built in {time.perf_counter() - started:.1f} s: {args.units} units, {args.teams} teams, "
        f"{args.flags} flags ({home})"
    )
    env = banzu_env(home)
    add_user(env, "赵纪", "admin", PASSWORD)
    pages = {
        "roster (65 units)": "/",
        "teams (600)": f"/{YEAR}/teams/",
        "flags queue, open": f"/{YEAR}/flags/",
        "flags queue, all 300": f"/{YEAR}/flags/?state=all",
    }
    with served_workspace(env) as url:
        server = server_times(url, pages, args.repeat)
        browser = browser_times(url, pages, args.repeat)
    print(
        f"{'page':24} {'server median':>14} {'server max':>11} {'HTTP wall':>10} {'HTML':>8} {'Chromium load':>14}"
    )
    ok = True
    for name in pages:
        s = server[name]
        if not name.startswith("teams"):  # the target: the roster and the flags queue
            ok &= s["server_max_s"] < 1 and browser[name] < 1
        print(
            f"{name:24} {s['server_median_s'] * 1000:11.0f} ms {s['server_max_s'] * 1000:8.0f} ms "
            f"{s['wall_median_s'] * 1000:7.0f} ms {s['html_kb']:5.0f} KB {browser[name] * 1000:11.0f} ms"
        )
    print("target: each under 1 s —", "met" if ok else "NOT met")
    result = {"server": server, "chromium_load_s": browser, "target_met": ok}
    Path("bench-output").mkdir(exist_ok=True)
    Path("bench-output/workspace.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
