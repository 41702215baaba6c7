"""初选 (第八条): every unit's and every team's submission checked for compliance and completeness.

`check_completeness` turns the inbox and the extracted documents into the CompletenessReport of
the contract. Which codes block (`complete: false`) and which only warn is in `codes.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from core.codes import CODES, Code
from core.model import CompletenessReport, Document, Inbox, InboxFile, Problem, TeamPackage, TeamResult
from core.reference import RecommendingUnit, YearRules

from .files import file_result
from .lateness import ReceivedRecord, apply_record, lateness_problem, team_record, unit_record, unit_records
from .matching import PackageIdentity, find_in_rows, match_rows
from .roster import unsubmitted_units
from .team_package import PackageRoles, assign_roles, team_from_folder
from .text import squash
from .unit_check import UnitAnalysis, analyse_unit
from .units import match_unit

__all__ = ["CODES", "ReceivedRecord", "check_completeness"]

FORM_CORE = ("班组名称", "所在单位", "推荐单位", "班组长", "成果名称")


def check_completeness(inbox: Inbox, documents: dict[str, Document], rules: YearRules,
                       units: Sequence[RecommendingUnit], now: datetime | None = None,
                       received: Sequence[ReceivedRecord] = ()) -> CompletenessReport:
    """The whole completeness report: units (the whole roster), teams and files, every problem pointing at
    its page. NOW (default: the present) decides whether a unit that sent nothing is already late;
    RECEIVED is the secretariat's record of received times and accepted late submissions."""
    report = CompletenessReport(year=rules.year)
    inbox = inbox.model_copy(deep=True)  # received times from the record are set on this copy
    analyses = [analyse_unit(f, documents.get(f.sha256), rules, units) for f in inbox.units]
    _unit_duplicates(analyses, rules)
    packages = [_package(p, documents, rules) for p in inbox.teams]
    _match_letters(analyses, packages)
    _award_lists(analyses)
    _lateness(analyses, packages, received, rules, units)

    archives = {f.path for t in inbox.teams for f in t.archives}
    for f in inbox.all_files():
        member = any(f.path.startswith(a + "/") for a in archives)
        report.files.append(file_result(f, documents.get(f.sha256), rules, in_archive=f.path in archives,
                                        member=member))
    for a in analyses:
        a.result.complete = not any(p.blocks for p in a.result.problems)
        report.units.append(a.result)
    report.units.extend(unsubmitted_units(report.units, units, rules, now))
    for pkg in packages:
        _team_problems(pkg, rules, units)
        pkg.result.complete = not any(p.blocks for p in pkg.result.problems)
        report.teams.append(pkg.result)
    return report


def _lateness(analyses: list[UnitAnalysis], packages: list[_Package], received: Sequence[ReceivedRecord],
              rules: YearRules, units: Sequence[RecommendingUnit]) -> None:
    """One lateness finding per unit (on its first file) and per team, from trusted times only."""
    by_unit = unit_records(received, units)
    groups: dict[str, list[UnitAnalysis]] = defaultdict(list)
    for a in analyses:
        if a.file is not None:
            groups[a.result.unit].append(a)
    for unit, group in groups.items():
        record = unit_record(by_unit, unit)
        files = [a.file for a in group if a.file is not None]
        apply_record(files, record)
        problem = lateness_problem(f"推荐单位“{unit}”", files, record, rules, group[0].result.source_file)
        if problem is not None:
            group[0].result.problems.append(problem)
    for pkg in packages:
        names = (pkg.result.team, team_from_folder(pkg.package.team_id), pkg.letter_name or "")
        record = team_record(received, pkg.package.team_id, names)
        files = [*pkg.package.archives, *pkg.package.files]
        apply_record(files, record)
        problem = lateness_problem(f"班组“{pkg.result.team}”（{pkg.package.team_id}）", files, record, rules,
                                   pkg.package.source)
        if problem is not None:
            pkg.result.problems.append(problem)


class _Package:
    """A team package while it is being checked."""

    def __init__(self, package: TeamPackage, roles: PackageRoles, result: TeamResult, identity: PackageIdentity):
        self.package, self.roles, self.result, self.identity = package, roles, result, identity
        self.recommenders: list[tuple[str, str, int | None]] = []  # (unit, unit file, letter page)
        self.letter_name: str | None = None
        self.letter_company: str | None = None
        self.listed_recommender = False  # named by the letter of a unit on the list


def _cover_text(f: InboxFile | None, documents: dict[str, Document]) -> str:
    if f is None or (doc := documents.get(f.sha256)) is None:
        return ""
    return squash(" ".join(p.text for p in doc.pages[:2]))[:3000]


def _package(package: TeamPackage, documents: dict[str, Document], rules: YearRules) -> _Package:
    roles = assign_roles(package.files, documents, rules)
    form = roles.form_fields
    result = TeamResult(team_id=package.team_id, team=form.get("班组名称") or team_from_folder(package.team_id),
                        source=package.source, company=form.get("所在单位"), form_fields=form)
    result.files = {k: (getattr(roles, k).path if getattr(roles, k) else None) for k in rules.team_files}
    identity = PackageIdentity(
        index=0, team=form.get("班组名称", ""), company=form.get("所在单位", ""),
        folder_team=team_from_folder(package.team_id),
        cover_text=_cover_text(roles.report_pdf, documents) or _cover_text(roles.report_ppt, documents),
    )
    return _Package(package, roles, result, identity)


def _unit_duplicates(analyses: list[UnitAnalysis], rules: YearRules) -> None:
    by_unit: dict[str, list[UnitAnalysis]] = defaultdict(list)
    for a in analyses:
        if not any(p.code == Code.UNIT_NOT_IDENTIFIED for p in a.result.problems):
            by_unit[a.result.unit].append(a)
    for unit, group in by_unit.items():
        if len(group) < 2:
            continue
        for a in group:
            others = "、".join(f"“{b.result.source_file}”" for b in group if b is not a)
            a.result.problems.append(Problem(code=Code.DUPLICATE_UNIT_FILE, file=a.result.source_file, message=(
                f"推荐单位“{unit}”提交了多个推荐材料文件：本文件与{others}，请确认以哪一份为准。")))


def _match_letters(analyses: list[UnitAnalysis], packages: list[_Package]) -> None:
    identities = []
    for i, pkg in enumerate(packages):
        pkg.identity.index = i
        identities.append(pkg.identity)
    seen_files: set[str] = set()
    for a in analyses:
        if a.file is None or a.file.duplicate_of or a.file.sha256 in seen_files:
            continue  # a second copy of the same bytes names the same teams again
        seen_files.add(a.file.sha256)
        matches = match_rows(a.letter_rows, identities)
        for i, row in enumerate(a.letter_rows):
            hit = matches.get(i)
            a.result.matched_teams[row.written or row.full] = packages[hit[0]].package.team_id if hit else None
            if hit:
                pkg = packages[hit[0]]
                pkg.recommenders.append((a.result.unit, a.result.source_file, row.page))
                if a.result.listed:
                    pkg.listed_recommender = True
                pkg.letter_name = pkg.letter_name or row.full
                pkg.letter_company = pkg.letter_company or row.company or None
            else:
                a.result.problems.append(Problem(
                    code=Code.RECOMMENDED_TEAM_WITHOUT_SUBMISSION, file=a.result.source_file, page=row.page,
                    message=(f"第{row.page}页推荐函推荐了“{row.full}”，但没有收到该班组的申报材料"
                             "（报名表、成果报告），请核实该班组是否已在系统中报名。")))


def _award_lists(analyses: list[UnitAnalysis]) -> None:
    for a in analyses:
        award_pages = a.result.documents.get("award_list")
        if not a.letter_rows or award_pages is None or not award_pages.present or not a.award_rows:
            continue
        first = award_pages.pages[0]
        pages_txt = "、".join(str(p) for p in award_pages.pages)
        any_marked = any(r.marked for r in a.award_rows)
        for row in a.letter_rows:
            hit = find_in_rows(row, a.award_rows)
            if hit is None:
                a.result.problems.append(Problem(
                    code=Code.RECOMMENDED_TEAM_NOT_IN_AWARD_LIST, file=a.result.source_file, page=first,
                    message=(f"推荐函（第{row.page}页）推荐的“{row.full}”没有出现在第{pages_txt}页的获奖名单中，"
                             "请核实该班组是否获得本行业（地区）的年度质量信得过班组称号。")))
            elif any_marked and not hit.marked:
                a.result.problems.append(Problem(
                    code=Code.RECOMMENDED_TEAM_NOT_MARKED, file=a.result.source_file, page=hit.page,
                    message=(f"第{hit.page}页获奖名单中“{hit.full}”没有标注为推荐班组，"
                             "而推荐函推荐了该班组，请核对标注。")))


def _team_problems(pkg: _Package, rules: YearRules, units: Sequence[RecommendingUnit]) -> None:
    r, roles, files = pkg.result, pkg.roles, pkg.package.files
    where = f"班组申报“{pkg.package.source}”"
    listing = "、".join(f.path.rsplit("/", 1)[-1] for f in files) or "没有任何文件"
    if not roles.form_fields.get("班组名称") and pkg.letter_name:
        r.team = pkg.letter_name
    if not r.company and pkg.letter_company:
        r.company = pkg.letter_company
    for kind in rules.team_files:
        if getattr(roles, kind, None) is None:
            name = rules.document_name(kind)
            r.problems.append(Problem(code=Code(f"missing_{kind}"), file=pkg.package.source, message=(
                f"{where}中没有{name}（包内文件：{listing}），请该班组补交。")))
    for f in roles.unreadable:
        r.problems.append(Problem(code=Code.TEAM_FILE_UNREADABLE, file=f.path, message=(
            f"{where}中的文件“{f.path.rsplit('/', 1)[-1]}”无法读取（损坏、加密或格式不符），请该班组重新提交。")))
    names = []
    for unit, _, _ in pkg.recommenders:
        if unit not in names:
            names.append(unit)
    if names:
        r.recommender = names[0]
        if len(names) > 1:
            r.problems.append(Problem(code=Code.TEAM_RECOMMENDED_TWICE, file=pkg.package.source, message=(
                f"班组“{r.team}”同时被{'、'.join(names)}推荐，请确认以哪个推荐单位为准。")))
        if not pkg.listed_recommender:
            r.problems.append(Problem(code=Code.TEAM_RECOMMENDER_UNLISTED, file=pkg.package.source, message=(
                f"推荐班组“{r.team}”的单位“{names[0]}”不在推荐单位名单（附件2）中，请核实该推荐是否有效。")))
    else:
        r.problems.append(Problem(code=Code.TEAM_NOT_RECOMMENDED, file=pkg.package.source, message=(
            f"班组“{r.team}”（{pkg.package.team_id}）不在任何推荐单位的推荐函中，未经推荐不能参加活动，"
            "请核实其推荐单位是否已发送推荐函。")))
    form = roles.registration_form
    if form is not None and form not in roles.unreadable:
        lacking = [k for k in FORM_CORE if k in (rules.registration_form_fields or FORM_CORE)
                   and not roles.form_fields.get(k)]
        if lacking:
            r.problems.append(Problem(code=Code.REGISTRATION_FORM_INCOMPLETE, file=form.path, page=1, message=(
                f"报名表“{form.path.rsplit('/', 1)[-1]}”第1页中没有读到{'、'.join(lacking)}，"
                "请核对报名表是否填写完整。")))
    form_unit = roles.form_fields.get("推荐单位")
    if form_unit and r.recommender:
        m = match_unit(form_unit, units)
        if m is not None and m.name != r.recommender:
            r.problems.append(Problem(code=Code.TEAM_RECOMMENDER_MISMATCH, file=_path(roles.registration_form),
                                      page=1, message=(f"报名表第1页填写的推荐单位是“{m.name}”，"
                                                       f"但推荐该班组的是“{r.recommender}”的推荐函，请核对。")))


def _path(f: InboxFile | None) -> str | None:
    return f.path if f else None
