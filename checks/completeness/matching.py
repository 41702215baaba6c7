"""Matching the teams a letter names to the team packages that arrived (and to award-list rows).

Names are compared fuzzily on the full name (company + team) and, when the companies agree, on the
team's own words; a package without a readable form is matched through its report's first pages
(the report's cover names the team) or, last, through the folder's team words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .team_lists import TeamRow
from .text import key

THRESHOLD = 86.0


@dataclass
class PackageIdentity:
    index: int
    team: str  # full team name when known
    company: str
    folder_team: str  # team words of the folder name
    cover_text: str  # squashed text of the report's first pages ('' when none)


def _company_agrees(a: str, b: str) -> bool:
    return bool(a and b) and fuzz.ratio(key(a), key(b)) >= 88


def _own(team: str, company: str) -> str:
    t, c = key(team), key(company)
    return t[len(c) :] if c and t.startswith(c) else t


def name_score(team_a: str, company_a: str, team_b: str, company_b: str) -> float:
    """Similarity of two teams (0-100): own names when both companies are known, else full names.

    Two teams of one company share most of their full name (中建八局…钢筋班组 / …混凝土班组), so
    with known companies only the team's own words decide; different companies never match.
    """
    full_a = key(team_a if (not company_a or key(team_a).startswith(key(company_a))) else company_a + team_a)
    full_b = key(team_b if (not company_b or key(team_b).startswith(key(company_b))) else company_b + team_b)
    if company_a and company_b:
        if not _company_agrees(company_a, company_b):
            return min(fuzz.ratio(full_a, full_b), 60.0)
        own_a, own_b = _own(team_a, company_a), _own(team_b, company_b)
        if not own_a or not own_b:
            return fuzz.ratio(full_a, full_b)
        short, long_ = sorted((own_a, own_b), key=len)
        if len(short) >= 4 and long_.endswith(short):
            return 92.0
        return fuzz.ratio(own_a, own_b)
    return fuzz.ratio(full_a, full_b)


def pair_score(row: TeamRow, pkg: PackageIdentity) -> float:
    """How surely the letter's row names the package (0-100)."""
    best = 0.0
    row_full = key(row.full)
    if pkg.team:
        best = name_score(row.team, row.company, pkg.team, pkg.company)
    if best < THRESHOLD and pkg.cover_text and len(row_full) >= 6:
        best = max(best, fuzz.partial_ratio(row_full, pkg.cover_text) - 4)
    if best < THRESHOLD and pkg.folder_team and not pkg.team and row_full.endswith(key(pkg.folder_team)):
        best = max(best, 80.0)  # only a weak hint: never decides on its own
    return best


def match_rows(rows: Sequence[TeamRow], packages: Sequence[PackageIdentity]) -> dict[int, tuple[int, float]]:
    """row index -> (package index, score), one package per row, best pairs first."""
    pairs = sorted(
        ((pair_score(r, p), i, p.index) for i, r in enumerate(rows) for p in packages),
        key=lambda t: -t[0],
    )
    out: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    for score, i, j in pairs:
        if score < THRESHOLD:
            break
        if i in out or j in taken:
            continue
        out[i] = (j, score)
        taken.add(j)
    # a folder-only hint is accepted when it is the only candidate for the row
    for i, r in enumerate(rows):
        if i in out:
            continue
        hints = [p.index for p in packages if p.index not in taken and 80 <= pair_score(r, p) < THRESHOLD]
        if len(hints) == 1:
            out[i] = (hints[0], 80.0)
            taken.add(hints[0])
    return out


def find_in_rows(row: TeamRow, candidates: Sequence[TeamRow]) -> TeamRow | None:
    """The award-list row naming the same team as `row`, if any."""
    best, best_score = None, 0.0
    for c in candidates:
        score = name_score(row.team, row.company, c.team, c.company)
        if score > best_score:
            best, best_score = c, score
    return best if best_score >= THRESHOLD else None
