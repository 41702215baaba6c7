"""One unit's merged file: its documents, its unit, its statistics and the teams it names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from core.codes import Code
from core.model import Document, DocumentFinding, InboxFile, Page, Problem, UnitResult
from core.reference import RecommendingUnit, YearRules

from .plausibility import check_statistics
from .segment import AWARD, LETTER, TABLE, document_pages, segment
from .statistics_table import StatisticsReading, read_statistics
from .team_lists import TeamRow, prose_teams, team_rows
from .units import UnitMatch, match_unit, unit_from_file_name, unit_from_letter


@dataclass
class UnitAnalysis:
    result: UnitResult
    letter_rows: list[TeamRow] = field(default_factory=list)
    award_rows: list[TeamRow] = field(default_factory=list)
    statistics: StatisticsReading | None = None
    file: InboxFile | None = None


def _pages_str(pages: Sequence[int]) -> str:
    return "、".join(str(p) for p in pages)


def _unit_identity(f: InboxFile, letter: Sequence[Page], table: StatisticsReading | None,
                   units: Sequence[RecommendingUnit]) -> tuple[UnitMatch | None, UnitMatch | None]:
    stem = PurePosixPath(f.path).stem
    by_name = unit_from_file_name(stem, units)
    lines = [ln for p in letter for ln in p.text.splitlines()]
    by_letter = unit_from_letter(lines, units) if lines else None
    if by_letter is None and table is not None and table.unit_name:
        by_letter = match_unit(table.unit_name, units) or UnitMatch(table.unit_name, False, 0.0)
    return by_name, by_letter


def analyse_unit(f: InboxFile, doc: Document | None, rules: YearRules,
                 units: Sequence[RecommendingUnit]) -> UnitAnalysis:
    """Segment the file, identify the unit, read the table and the team lists; raise the unit's problems."""
    result = UnitResult(unit=PurePosixPath(f.path).stem, source_file=f.path, listed=False)
    analysis = UnitAnalysis(result=result, file=f)
    problems = result.problems
    readable = doc is not None and doc.readable and not any(p.code == Code.UNREADABLE_FILE for p in f.problems)
    pages = doc.pages if (doc is not None and readable) else []
    kinds = segment(pages, rules) if pages else []
    result.page_kinds = kinds
    found = document_pages(kinds, [p.page for p in pages])
    by_kind = {k: [p for p, kk in zip(pages, kinds, strict=True) if kk == k] for k in (LETTER, TABLE, AWARD)}

    if TABLE in found and found[TABLE]:
        analysis.statistics = read_statistics(by_kind[TABLE], rules)
    by_name, by_letter = _unit_identity(f, by_kind[LETTER], analysis.statistics, units)
    result.unit_in_file_name = by_name.name if by_name else None
    result.unit_in_letter = by_letter.name if by_letter else None
    chosen = next((m for m in (by_name, by_letter) if m and m.listed), None) or by_name or by_letter
    if chosen is not None:
        result.unit, result.listed = chosen.name, chosen.listed
    if not readable:
        result.documents = {k: DocumentFinding() for k in rules.unit_documents}
        problems.append(Problem(code=Code.UNREADABLE_FILE, file=f.path, message=(
            f"推荐材料文件“{f.path}”无法读取（损坏、加密或不是 PDF），无法审核推荐函、统计表和获奖名单，"
            "请联系推荐单位重新发送。")))
        return analysis

    if chosen is None:
        problems.append(Problem(code=Code.UNIT_NOT_IDENTIFIED, file=f.path, message=(
            f"无法从文件名“{PurePosixPath(f.path).name}”和推荐函中确定推荐单位，请人工核对该文件属于哪个推荐单位。")))
    elif not chosen.listed:
        problems.append(Problem(code=Code.UNLISTED_RECOMMENDER, file=f.path, page=(found[LETTER] or [None])[0], message=(
            f"推荐单位“{chosen.name}”不在{rules.year}年推荐单位名单（附件2）中，其推荐无效，"
            "请核实该单位是否具备推荐资格或是否为名单内单位的其他写法。")))
    if by_name and by_letter and by_name.listed and by_letter.listed and by_name.name != by_letter.name:
        where = found[LETTER] or found[TABLE] or [1]
        source = "推荐函的落款" if found[LETTER] else "统计表的推荐单位"
        problems.append(Problem(code=Code.UNIT_NAME_MISMATCH, file=f.path, page=where[0], message=(
            f"文件名表明推荐单位是“{by_name.name}”，但第{where[0]}页{source}是“{by_letter.name}”，"
            "请核实该文件属于哪个推荐单位。")))

    for kind in rules.unit_documents:
        pages_of = found.get(kind, [])
        finding = DocumentFinding(present=bool(pages_of), pages=pages_of)
        if kind == TABLE:
            finding.fields = analysis.statistics.fields if analysis.statistics else None
        result.documents[kind] = finding
        if not pages_of:
            name = rules.document_name(kind)
            problems.append(Problem(code=Code(f"missing_{kind}"), file=f.path, message=(
                f"在推荐材料“{f.path}”的全部{len(pages)}页中没有找到{name}，请推荐单位补交。")))

    if analysis.statistics is not None:
        st = analysis.statistics
        if st.blank:  # nothing written where the form asks for it: the unit can act on this
            rows = [st.places[k][1] for k in st.blank if k in st.places and st.places[k][0] == found[TABLE][0]]
            problems.append(Problem(code=Code.INCOMPLETE_STATISTICS_TABLE, file=f.path, page=found[TABLE][0],
                                    regions=rows or None, message=(
                f"第{_pages_str(found[TABLE])}页统计表（附件3）填写不完整，未填写："
                + "、".join(f"“{k}”" for k in st.blank) + "。请推荐单位补填后重新提交。")))
        if st.unreadable:  # something is written that banzu cannot read with certainty: a person looks
            shown = [st.places[k][1] for k in st.unreadable if k in st.places and st.places[k][0] == found[TABLE][0]]
            problems.append(Problem(code=Code.STATISTICS_UNREADABLE, file=f.path, page=found[TABLE][0],
                                    regions=shown or None, message=(
                f"第{_pages_str(found[TABLE])}页统计表（附件3）中" + "、".join(f"“{k}”" for k in st.unreadable)
                + f"已填写但无法识别，请人工核对（原件第{_pages_str(found[TABLE])}页）。")))

    if found[LETTER]:
        analysis.letter_rows = team_rows(by_kind[LETTER]) or prose_teams(by_kind[LETTER])
        result.recommended_teams = [r.written or r.full for r in analysis.letter_rows]
        if not analysis.letter_rows:
            problems.append(Problem(code=Code.NO_RECOMMENDED_TEAMS_FOUND, file=f.path, page=found[LETTER][0], message=(
                f"第{_pages_str(found[LETTER])}页推荐函中没有读到被推荐的班组名单，请人工核对推荐函。")))
    if found[AWARD]:
        analysis.award_rows = team_rows(by_kind[AWARD])
    if analysis.statistics is not None:
        problems.extend(check_statistics(analysis.statistics, f.path, found[TABLE][0],
                                         len(analysis.letter_rows) if found[LETTER] else None))
    return analysis
