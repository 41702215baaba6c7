"""Which recommending unit a file belongs to: from its name and from the letter's own words.

Names arrive with extra words (`…推荐材料.pdf`, dates, 最终版), in short forms (中建, 江苏建协)
and with OCR errors. Matching is exact on the full name or an alias first, then fuzzy; an alias
never wins inside a longer unit name (中国建筑 inside 中国建筑业协会…).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from core.reference import RecommendingUnit

from .text import key, nfkc, squash

_EXTRA = [
    r"\d{4}[-_.年/]?\d{0,2}[-_.月/]?\d{0,2}日?",
    r"\d{4}年度?",
    r"(关于)?(推荐|申报|报送)(工程建设)?(质量信得过班组)?(活动)?(的)?(推荐|申报|报送)?(材料|资料|文件|函|表)?(汇总|合并)?",
    r"推荐函|推荐材料|推荐资料|申报材料|统计表|获奖名单|公布通知|扫描件?|合并版?|最终版|终版|定稿|修改版?|副本|彩色",
    r"[（(][^（）()]*[)）]",
    r"[-_—·.、,，\s]+",
    r"(v|V)\d+",
]
_SUFFIXES = ("股份有限公司", "集团有限公司", "有限责任公司", "集团公司", "有限公司", "公司")


@dataclass
class UnitMatch:
    name: str  # canonical name when listed, else the name as written
    listed: bool
    score: float
    unit: RecommendingUnit | None = None


def clean_file_stem(stem: str) -> str:
    """The unit's name as a file name gives it, without the usual extra words."""
    t = squash(stem)
    t = re.sub(r"\.(pdf|PDF)$", "", t)
    for pattern in _EXTRA:
        t = re.sub(pattern, "", t)
    return re.sub(r"^[及和与的]+|[及和与的]+$", "", t).strip()


def _candidates(unit: RecommendingUnit) -> list[str]:
    names = [unit.name, *unit.aliases]
    for suffix in _SUFFIXES:
        if unit.name.endswith(suffix) and len(unit.name) - len(suffix) >= 4:
            names.append(unit.name[: -len(suffix)])
            break
    return [key(n) for n in dict.fromkeys(names) if key(n)]


def _blocked(text: str, pos: int, cand: str, unit: RecommendingUnit, units: Sequence[RecommendingUnit]) -> bool:
    """An alias match is void when another unit's name continues further at the same place."""
    rest = text[pos:]
    for other in units:
        if other.no == unit.no:
            continue
        name = key(other.name)
        common = 0
        for a, b in zip(rest, name, strict=False):
            if a != b:
                break
            common += 1
        if common > len(cand):
            return True
    return False


def _fuzzy_rank(cand: str, t: str, min_score: float) -> tuple[float, int] | None:
    """Whole-name similarity (insertions allowed), or the best window of a longer line.

    Place names decide between units that differ in nothing else (湖北/湖南, 山西/陕西), so a
    fuzzy match must agree on the first two characters unless it is nearly exact.
    """
    whole = fuzz.ratio(cand, t)
    rank: tuple[float, int] | None = (whole, len(cand)) if whole >= min_score else None
    if rank is None and len(t) > len(cand):
        al = fuzz.partial_ratio_alignment(cand, t, score_cutoff=min_score)
        if al is not None:
            rank = (al.score - 2, al.dest_end - al.dest_start)
            t = t[al.dest_start : al.dest_end]
    if rank is None:
        return None
    if cand[:2] != t[:2] and rank[0] < 95:
        return None
    return rank


def match_unit(text: str, units: Sequence[RecommendingUnit], min_score: float = 85) -> UnitMatch | None:
    """The listed unit named in `text` (a cleaned file stem or one line of a letter), if any."""
    t = key(text)
    if len(t) < 2:
        return None
    best: UnitMatch | None = None
    best_rank = (0.0, 0)
    for unit in units:
        for cand in _candidates(unit):
            pos = t.find(cand)
            if pos >= 0 and not (cand != key(unit.name) and _blocked(t, pos, cand, unit, units)):
                rank = (90 + 10 * len(cand) / max(len(t), len(cand)), len(cand))
            elif len(cand) >= 5 and len(t) >= 4:
                rank = _fuzzy_rank(cand, t, min_score)
                if rank is None:
                    continue
            else:
                continue
            if rank > best_rank:
                best_rank = rank
                best = UnitMatch(unit.name, True, rank[0], unit)
    return best


def unit_from_file_name(stem: str, units: Sequence[RecommendingUnit]) -> UnitMatch | None:
    """The unit a file's name gives: listed when it matches, else the cleaned name (None if nothing left)."""
    cleaned = clean_file_stem(stem)
    found = match_unit(cleaned, units) or match_unit(squash(stem), units)
    if found:
        return found
    if len(cleaned) >= 4 and _ORG_WORD.search(cleaned):
        return UnitMatch(cleaned, False, 0.0)
    return None  # "扫描全能王 2024-05-20" names no organisation: the letter must tell


_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[二〇零○O一二三四五六七八九十]{4}年[一二三四五六七八九十]{1,2}月")
_ORG_WORD = re.compile(r"协会|联合会|委员会|分会|促进会|学会|公司|集团|总会|商会|中心")
_ORG_END = re.compile(r"(协会|联合会|委员会|分会|公司|集团|学会)$")


def unit_from_letter(lines: Sequence[str], units: Sequence[RecommendingUnit]) -> UnitMatch | None:
    """The unit that signs the letter: the line above the closing date, else the letterhead.

    Team rows name companies, so only the signature, the letterhead and the title are read.
    """
    clean = [nfkc(ln).strip() for ln in lines if squash(ln)]
    if not clean:
        return None
    order: list[str] = []
    dates = [i for i, ln in enumerate(clean) if _DATE.search(squash(ln))]
    for d in reversed(dates):
        order.extend(clean[max(0, d - 3) : d + 1][::-1])
    order.extend(clean[:3])
    for line in order:
        t = re.sub(r"[（(]?盖章[)）]?|印章|\(章\)", "", squash(line))
        t = _DATE.sub("", t)
        if not t:
            continue
        title = re.match(r"(.+?)(文件|关于)", t)
        for part in ([title.group(1)] if title else []) + [t]:
            found = match_unit(part, units)
            if found and (found.score >= 92 or len(key(part)) <= len(key(found.name)) + 6):
                return found
    for d in reversed(dates):
        for line in clean[max(0, d - 2) : d + 1][::-1]:
            t = _DATE.sub("", squash(line))
            if 4 <= len(t) <= 30 and _ORG_END.search(t):
                return UnitMatch(t, False, 0.0)
    return None
