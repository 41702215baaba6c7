"""Segmentation of a unit's merged file into its documents, page by page.

Each page is scored on what it says (the words of a letter, of the form, of an award notice) and
how it looks (a grid of team rows, ★ marks, the form's item labels). Pages with no voice of their
own (the second page of a list) join the document whose numbered rows they continue (序号 k+1
follows k, whatever order the pages were merged in), else the document of the page before them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.model import Page
from core.reference import YearRules

from .text import STAR_MARKS, drop_notes, squash

LETTER, TABLE, AWARD, OTHER = "recommendation_letter", "statistics_table", "award_list", "other"

_LETTER_WORDS: list[tuple[str, float]] = [
    (r"推荐函", 3),
    (r"关于推荐.{0,40}(班组|的函|的报告)", 3),
    (r"中国施工企业管理协会[:：]", 2),
    (r"现(将|予)?推荐|特此推荐|予以推荐|择优推荐|推荐以下|推荐如下|同意推荐|拟推荐", 2.5),
    (r"特此函|此函|请予审(核|查)|望予", 1),
    (r"推荐(班组)?名单", 0.5),
]
_AWARD_WORDS: list[tuple[str, float]] = [
    (r"获奖(班组)?名单", 3),
    (r"关于(公布|表彰|命名|授予|通报).{0,60}(班组|名单|决定|通知|结果)", 3),
    (r"授予|荣誉称号|予以表彰|表彰|评选结果|获奖", 1),
    (r"的(通知|决定|通报)", 0.5),
    (r"各(有关)?(单位|会员单位|企业)[:：]", 1),
]
_TABLE_WORDS: list[tuple[str, float]] = [
    (r"统计表", 3),
    (r"统计项目", 2),
    (r"单位数量", 1),
]
_SERIAL = re.compile(r"^\s*[(（]?(\d{1,4})[)）.、．]?\s*(?=\S)")


@dataclass
class PageScore:
    page: int
    letter: float
    table: float
    award: float
    chars: int
    stars: int
    serials: list[int]
    team_rows: int

    @property
    def best(self) -> tuple[str, float]:
        return max(((LETTER, self.letter), (TABLE, self.table), (AWARD, self.award)), key=lambda kv: kv[1])


def _score(patterns: list[tuple[str, float]], text: str) -> float:
    return sum(w for p, w in patterns if re.search(p, text))


def _serials(page: Page) -> list[int]:
    found: list[int] = []
    for table in page.tables:
        for row in table.rows:
            cells = [squash(c) for c in row if squash(c)]
            if cells and cells[0].isdigit() and len(cells) >= 2:
                found.append(int(cells[0]))
    if found:
        return found
    for line in page.text.splitlines():
        m = _SERIAL.match(line)
        if m and len(squash(line)) > len(m.group(1)) + 3:
            found.append(int(m.group(1)))
    return found


def _team_rows(text: str) -> int:
    return sum(1 for ln in text.splitlines() if re.search(r"(班组|班|组|项目部|队|部|室|站|中心)$|班组|公司", squash(ln)))


def score_page(page: Page, rules: YearRules) -> PageScore:
    text = squash(page.text)
    labels = [squash(drop_notes(i.key)) for i in rules.statistics_items]
    hits = sum(1 for lab in labels if len(lab) >= 4 and lab in text)
    table = _score(_TABLE_WORDS, text) + min(hits, 8) * 0.75
    letter = _score(_LETTER_WORDS, text)
    award = _score(_AWARD_WORDS, text)
    stars = sum(text.count(s) for s in STAR_MARKS if s not in "*")
    if stars:
        award += 1.5
    return PageScore(page.page, letter, table, award, len(text), stars, _serials(page), _team_rows(page.text))


def _kind_of(score: PageScore) -> str | None:
    kind, value = score.best
    if value >= 2.5:
        return kind
    if score.stars and score.team_rows:
        return AWARD
    return None


def segment(pages: Sequence[Page], rules: YearRules) -> list[str]:
    """The document kind of each page, in file order ("other" for covers, blanks and strays)."""
    scores = [score_page(p, rules) for p in pages]
    kinds: list[str | None] = [_kind_of(s) for s in scores]
    # weak pages: continue a numbered list, else follow the page before (if they hold team rows)
    for _ in range(2):
        for i, s in enumerate(scores):
            if kinds[i] is not None or s.chars < 15:
                continue
            kinds[i] = _continuation(i, scores, kinds)
    return [k or OTHER for k in kinds]


def _continuation(i: int, scores: list[PageScore], kinds: list[str | None]) -> str | None:
    s = scores[i]
    if s.serials:
        first = s.serials[0]
        for j, other in enumerate(scores):
            if j != i and kinds[j] in (LETTER, AWARD) and other.serials and other.serials[-1] + 1 == first:
                return kinds[j]
    if s.team_rows < 2 and not s.serials:
        return None
    if i > 0 and kinds[i - 1] in (LETTER, AWARD):
        return kinds[i - 1]
    if s.serials and len(s.serials) > 12:
        return AWARD
    return None


def document_pages(kinds: Sequence[str], page_numbers: Sequence[int]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {LETTER: [], TABLE: [], AWARD: []}
    for kind, number in zip(kinds, page_numbers, strict=True):
        if kind in out:
            out[kind].append(number)
    return out
