"""Reading "label → value" forms (the statistics table, the registration form) from pages.

Forms reach us in two shapes: as tables of cells (born-digital, or scans whose grid the extractor
rebuilt) and as lines of text in reading order (OCR, text layers without ruling). Both are turned
into one stream of text pieces; pieces are cut where a known label starts, and each label's value
is whatever follows it up to the next label. Labels are found exactly first, then fuzzily, so an
OCR error inside a long label does not lose the item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from core.model import Page

from .text import CHECKED_MARKS, UNCHECKED_MARKS, drop_notes, nfkc, squash

_SPLIT = re.compile(r"\t|\s{2,}|\u3000")
_BOUNDARY = "\x00table-end"


@dataclass
class Piece:
    raw: str  # as read
    page: int
    boundary: bool = False  # the end of a table: a value inside it never runs on into what follows

    def __post_init__(self) -> None:
        self.text, self.index = squash_map(self.raw)


def squash_map(raw: str) -> tuple[str, list[int]]:
    """The squashed text and, for each of its characters, the index of the raw character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(raw):
        for c in nfkc(ch):
            if not c.isspace():
                out.append(c)
                index.append(i)
    return "".join(out), index


def _raw_slice(piece: Piece, start: int, end: int) -> str:
    """The raw text behind squashed positions [start, end)."""
    if start >= len(piece.index):
        return ""
    lo = piece.index[start]
    hi = piece.index[end - 1] + 1 if end - 1 < len(piece.index) and end > start else len(piece.raw)
    return piece.raw[lo:hi]


@dataclass
class Value:
    text: str
    page: int
    found: bool  # the label itself was found on the pages
    parts: list[str] = field(default_factory=list)  # the pieces the value was read from


def join_parts(parts: Sequence[str]) -> str:
    """Pieces of one value joined the Chinese way: a wrapped line continues without a space."""
    out = ""
    for p in parts:
        if not p:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out


def _cell_text(cell: str) -> str:
    return squash(cell or "")


def pieces_from_pages(pages: Sequence[Page], use_tables: bool = True) -> list[Piece]:
    """Text pieces in reading order: table cells when the page has tables, else its lines."""
    out: list[Piece] = []
    for page in pages:
        line_keys = [_unmarked(t) for t in page.text.splitlines()] or [_unmarked(ln.text) for ln in page.lines]
        if use_tables and page.tables:
            for table in page.tables:
                for row in table.rows:
                    prev = None
                    for cell in row:
                        t = _cell_text(cell)
                        if t and t != prev:  # merged cells repeat their text
                            out.append(Piece(unwrap_cell(cell.strip(), line_keys), page.page))
                        prev = t
                out.append(Piece("", page.page, boundary=True))
            # text outside the tables (the header "推荐单位：…", notes) still matters
            for line in _lines_outside_tables(page):
                out.extend(Piece(p.strip(), page.page) for p in _SPLIT.split(line) if squash(p))
        else:
            lines = page.text.splitlines() or [ln.text for ln in page.lines]
            for line in lines:
                out.extend(Piece(p.strip(), page.page) for p in _SPLIT.split(line) if squash(p))
    return out


def _unmarked(text: str) -> str:
    """Text without checkbox marks, NFKC, runs of whitespace made one space."""
    t = re.sub(f"[{CHECKED_MARKS}{UNCHECKED_MARKS}]", "", nfkc(text))
    return re.sub(r"\s+", " ", t).strip()


def unwrap_cell(cell: str, line_keys: Sequence[str]) -> str:
    """Join a cell's text where the cell wrapped it (the page's lines show it), keep written spaces.

    A wrapped cell comes out as "江苏国际会 议中心": the page's lines hold "江苏国际会议中心", or
    the two halves on different lines. A written space ("质量安全部 于振") is on a line as written.
    """
    parts = re.split(r"\s+", cell.strip())
    if len(parts) < 2 or not line_keys:
        return cell
    out = parts[0]
    for part in parts[1:]:
        left, right = _unmarked(out).replace(" ", "")[-4:], _unmarked(part).replace(" ", "")[:4]
        if not left or not right or (out[-1].isascii() and part[0].isascii()):
            out += " " + part
            continue
        spaced = any(f"{left} {right}" in k for k in line_keys)
        joined = any(left + right in k for k in line_keys)
        ends = re.compile(re.escape(left) + r"(\s|$)")
        starts = re.compile(r"(^|\s)" + re.escape(right))
        broken = any(ends.search(k) for k in line_keys) and any(starts.search(k) for k in line_keys)
        out += part if (joined or broken) and not spaced else " " + part
    return out


def _lines_outside_tables(page: Page) -> Iterable[str]:
    boxes = [t.bbox for t in page.tables if t.bbox]
    if not boxes or not page.lines:
        return []
    kept = []
    for ln in page.lines:
        x0, y0, x1, y1 = ln.bbox
        cy, cx = (y0 + y1) / 2, (x0 + x1) / 2
        if not any(b[0] - 2 <= cx <= b[2] + 2 and b[1] - 2 <= cy <= b[3] + 2 for b in boxes):
            kept.append(ln.text)
    return kept


def _variants(label: str) -> list[str]:
    base = squash(drop_notes(label)).rstrip("：:")
    return [base]


def _find_exact(text: str, labels: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """All exact label occurrences in `text`, longest first, without overlaps."""
    hits: list[tuple[int, int, str]] = []
    for name, variants in labels.items():
        for v in variants:
            start = text.find(v)
            while start >= 0:
                hits.append((start, start + len(v), name))
                start = text.find(v, start + 1)
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    chosen: list[tuple[int, int, str]] = []
    for h in hits:
        if all(h[1] <= c[0] or h[0] >= c[1] for c in chosen):
            chosen.append(h)
    return sorted(chosen)


def _label_end(label: str, text: str, start: int, end: int) -> int:
    """Where a fuzzily found label ends: the alignment stops before a misread last character
    ("班组教"), so one or two more characters are taken when that makes the edit distance no worse."""
    best_end, best_d = end, Levenshtein.distance(label, text[start:end])
    for e in range(end + 1, min(len(text), end + 2) + 1):
        d = Levenshtein.distance(label, text[start:e])
        if d <= best_d:
            best_end, best_d = e, d
    return best_end


def _find_fuzzy(text: str, labels: dict[str, list[str]], min_len: int = 6) -> tuple[int, int, str] | None:  # noqa: C901
    """The best fuzzy label occurrence near the start of `text` (one per piece: OCR cells hold one label)."""
    best: tuple[float, int, int, str] | None = None
    for name, variants in labels.items():
        for v in variants:
            if len(v) < min_len:
                continue
            al = fuzz.partial_ratio_alignment(v, text, score_cutoff=80)
            if al is None:
                continue
            # the alignment may cover text or label partially: demand most of the label
            covered = min(al.src_end - al.src_start, al.dest_end - al.dest_start + 1)
            if covered < 0.75 * len(v) or al.dest_start > 3:
                continue
            score = al.score - (100 - 100 * min(1.0, covered / len(v))) / 2
            need = 88 if len(v) < 10 else 84
            if score >= need and (best is None or score > best[0]):
                best = (score, al.dest_start, _label_end(v, text, al.dest_start, al.dest_end), name)
    if best is None:
        return None
    # the end includes label characters the alignment left out at its tail (a misread "班组教")
    _, start, end, name = best
    end = min(end, len(text))
    while end > start and (text[end - 1].isdigit() or text[end - 1] in ".,:：" + CHECKED_MARKS + UNCHECKED_MARKS):
        end -= 1
    return start, end, name


def _find_label_head(text: str, labels: dict[str, list[str]]) -> tuple[int, int, str] | None:
    """A piece that starts with the first half of a long label wrapped over two lines ("质量信得过班组活动评…").

    The longest shared beginning decides; a tie between labels (they share 本年度开展…) decides nothing.
    """
    best: list[tuple[int, str]] = []
    for name, variants in labels.items():
        for v in variants:
            n = 0
            for a, b in zip(text, v, strict=False):
                if a != b:
                    break
                n += 1
            if n >= 8 and n < len(v) and n >= len(v) / 2:
                best.append((n, name))
    if not best:
        return None
    best.sort(reverse=True)
    if len(best) > 1 and best[1][0] == best[0][0] and best[1][1] != best[0][1]:
        return None
    return 0, best[0][0], best[0][1]


def read_labelled(
    pieces: Sequence[Piece], labels: Sequence[str], aliases: dict[str, list[str]] | None = None
) -> dict[str, Value]:
    """Each label's value: the text after it up to the next label (first occurrence wins)."""
    table = {name: _variants(name) + [squash(a) for a in (aliases or {}).get(name, [])] for name in labels}
    # stream of (label|None, text, page)
    stream: list[tuple[str | None, str, int]] = []
    for piece in pieces:
        if piece.boundary:
            stream.append((_BOUNDARY, "", piece.page))
            continue
        hits = _find_exact(piece.text, table)
        if not hits:
            fz = _find_fuzzy(piece.text, table) or _find_label_head(piece.text, table)
            hits = [fz] if fz else []
        pos = 0
        for start, end, name in hits:
            if start > pos:
                stream.append((None, _raw_slice(piece, pos, start), piece.page))
            stream.append((name, "", piece.page))
            pos = end
        if pos < len(piece.text):
            stream.append((None, _raw_slice(piece, pos, len(piece.text)), piece.page))
    values: dict[str, Value] = {}
    current: str | None = None
    for name, text, page in stream:
        if name == _BOUNDARY:
            current = None
            continue
        if name is not None:
            if name == current and not values[name].text:
                continue  # the second half of a label wrapped over two pieces
            current = name if name not in values else None
            if current:
                values[current] = Value("", page, True)
            continue
        if current:
            v = values[current]
            v.parts.append(text.strip())
            v.text = join_parts(v.parts)
    return values


def strip_unit(text: str, unit: str | None) -> str:
    """Drop the unit word (个, 人次, 万元) and the leading colon a value cell may carry."""
    t = text.strip().lstrip("：:").strip()
    if unit:
        t = t.replace(unit, " ")
    return t.strip()


_GROUP_SEP = re.compile(r"\s*[/／|｜]\s*")


def regroup(values: dict[str, Value]) -> dict[str, Value]:
    """Labels written together ("联系人 / 手机 / 邮箱") with their values together after the last
    ("张三 / 139… / a@b.cn"): each label gets its own part. Labels are in the order they were read;
    a run of labels whose values are empty or only separators is a group when the value after the
    run splits into exactly one part per label."""
    out = dict(values)
    run: list[str] = []
    for name, value in values.items():
        bare = _GROUP_SEP.sub("", value.text).strip()
        if not bare:
            run.append(name)
            continue
        parts = [p for p in _GROUP_SEP.split(value.text.strip()) if p.strip()]
        if run and len(parts) == len(run) + 1:
            for label, part in zip([*run, name], parts, strict=True):
                out[label] = Value(part.strip(), value.page, True, [part.strip()])
        run = []
    return out
