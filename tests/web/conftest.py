"""One generated inbox, run once per session through the intake's plain steps, served by `banzu web`.

The intake flow's steps are called as plain functions (no Prefect: a real flow run is not what these
tests check, and it costs minutes on a busy machine); OCR is off, so scanned pages carry the
"not recognised" finding instead of text. Accounts are made with the real `banzu users add`, and
the server is the real `banzu web` on a free port.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.samples.served import add_user, banzu_env, served_workspace
from tests.conftest import REPO

YEAR = 2024
PASSWORD = "banzu-test-pass-2024"
USERS = {
    "李秘": "secretariat",
    "王审": "reviewer",
    "赵纪": "discipline",
    "钱专": "expert",
    "管理员": "admin",
    "孙试": "secretariat",
}  # 孙试 is the account the throttling test locks out
HOSTILE_COMPANY = '<script>alert("x")</script><img src=x onerror=alert(1)>公司'


def run_intake_steps(inbox_dir: Path, home: Path, year: int) -> Path:
    """The intake flow's steps without Prefect (what flows/intake.py wires), OCR off; returns out_dir."""
    from checks.completeness import check_completeness
    from checks.statistics import roll_up
    from core.model import FlagsReport
    from core.reference import recommending_units, year_rules
    from core.settings import Settings
    from extractors import EXTRACTOR_VERSION, ExtractOptions, extract
    from pipeline import intake
    from pipeline.ingest import ingest
    from pipeline.reports import write_reports
    from pipeline.store import Store
    from pipeline.store.review import with_reviews

    settings = Settings(home=home)
    store = Store(settings)
    out_dir = settings.reports_dir(year)
    rules = year_rules(year)
    run_id = store.start_run(year, str(inbox_dir), str(out_dir))
    found = ingest(inbox_dir, store, year, run_id, settings.work_dir).inbox
    documents = intake.stray_documents(found)
    for f in intake.files_to_extract(found):
        doc = store.cached_document(f.sha256, EXTRACTOR_VERSION)
        if doc is None:
            doc = extract(Path(f.archive_path), name=f.path, options=ExtractOptions(ocr=False))
            doc.extractor_version = doc.extractor_version or EXTRACTOR_VERSION
            store.save_document(f.sha256, doc, 0.0)
        documents[f.sha256] = doc
    completeness = check_completeness(found, documents, rules, recommending_units())
    flags = FlagsReport(year=year, flags=intake.compare_reports(store, found, completeness, documents, year))
    completeness = with_reviews(store, completeness)
    write_reports(out_dir, completeness, flags, roll_up(completeness, rules), rules=rules)
    store.finish_run(run_id, "completed", {"files": len(found.all_files())})
    return out_dir


def add_second_flag(home: Path, year: int) -> str:
    """A second same-year flag between two other teams, built from their real report pages; one side's
    company is hostile markup (it must show as text)."""
    from core.model import Evidence, Flag, FlagSide
    from core.settings import Settings
    from pipeline.store import Store

    store = Store(Settings(home=home))
    existing = [Flag.model_validate(r.flag) for r in store.flag_records(year)]
    taken = {t for f in existing for t in (f.a.team_id, f.b.team_id)}
    reports = [r for r in store.team_reports(year) if r.kind == "report_pdf" and r.team_id not in taken]
    a, b = reports[0], reports[1]
    a_doc, b_doc = store.latest_document(a.sha256), store.latest_document(b.sha256)
    a_text, b_text = a_doc.pages[0].text[:160], b_doc.pages[0].text[:160]
    flag = Flag(
        a=FlagSide(year=year, team_id=a.team_id, file=a.inbox_path, team=a.team, company=a.company),
        b=FlagSide(year=year, team_id=b.team_id, file=b.inbox_path, team=b.team, company=HOSTILE_COMPANY),
        kind="cross_team",
        similarity=0.31,
        copy_ratio_a=0.22,
        copy_ratio_b=0.2,
        evidence=[
            Evidence(
                a_page=1,
                a_text=a_text,
                b_page=1,
                b_text=b_text,
                chars=20,
                a_spans=[(0, 20)],
                b_spans=[(0, 20)],
                a_file=a.inbox_path,
                b_file=b.inbox_path,
            )
        ],
        flag_id="weak-pair-0001",
    )
    store.save_flags(year, [*existing, flag])
    return flag.flag_id


@dataclass
class Served:
    url: str
    home: Path
    inbox: Path
    out_dir: Path
    strong_flag: str
    weak_flag: str
    env: dict[str, str]

    def rerun(self) -> Path:
        return run_intake_steps(self.inbox, self.home, YEAR)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from pipeline.samples import generate_inbox

    base = tmp_path_factory.mktemp("workspace")
    inbox, home = base / "inbox", base / "home"
    generate_inbox(inbox, year=YEAR, seed=0, profile="small")
    out_dir = run_intake_steps(inbox, home, YEAR)
    from core.settings import Settings
    from pipeline.store import Store

    strong = Store(Settings(home=home)).flag_records(YEAR)[0].flag_id
    weak = add_second_flag(home, YEAR)
    env = banzu_env(home)
    for name, role in USERS.items():
        add_user(env, name, role, PASSWORD, cwd=REPO)
    with served_workspace(env, cwd=base) as url:
        yield Served(url, home, inbox, out_dir, strong, weak, env)


@pytest.fixture(scope="session")
def chromium(browser) -> object:  # noqa: ANN001 - the session's one Chromium (tests/conftest.py)
    return browser
