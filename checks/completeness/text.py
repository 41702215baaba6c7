"""Text normalisation shared by the completeness parsers.

Scans come through OCR with full-width digits, stray spaces inside words and letters read for
digits (O for 0, l for 1); born-digital pages come with spaces used for layout. Every parser
compares normalised text so that none of them has to care which of the two it got.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Marks people and OCR use for a ticked / an empty checkbox.
CHECKED_MARKS = "☑☒✓✔√■▣●◉✅"
UNCHECKED_MARKS = "□☐口○◯"
STAR_MARKS = "★☆*＊▲△◆"

_SPACE = re.compile(r"[\s\u3000]+")
_BRACKET_NOTE = re.compile(r"[（(][^（）()]{0,20}[)）]")
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1",
                             "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "g": "9", "b": "6", "。": "."})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUMERIC_RUN = re.compile(r"[0-9OoDQlIi|ZzSsBgb.。,，]+")


def nfkc(text: str) -> str:
    """Full-width digits and letters to ASCII, compatibility ideographs to their plain form."""
    return unicodedata.normalize("NFKC", text or "")


def squash(text: str) -> str:
    """NFKC without any whitespace: the form in which labels and names are compared."""
    return _SPACE.sub("", nfkc(text))


def drop_notes(text: str) -> str:
    """Remove short bracketed notes like （盖章） or （培训、交流、规范化等）."""
    return _BRACKET_NOTE.sub("", text)


def key(text: str) -> str:
    """The comparison key of a name: squashed, no bracketed notes, no punctuation."""
    return re.sub(r"[\W_]+", "", drop_notes(squash(text)))


def parse_number(text: str | None) -> tuple[Decimal | None, bool]:
    """The one number in `text` and whether anything was written at all.

    Returns (value, written): (None, False) for a blank, (None, True) when something is written
    that is not one readable number. OCR confusions (O/0, l/1, S/5) are repaired only inside a run
    that already holds a real digit, so words are never turned into numbers.
    """
    raw = nfkc(text or "").replace("，", ",")
    raw = raw.replace("万元", "").replace("人次", "")
    raw = _SPACE.sub(" ", raw).strip(" ：:;；、")
    raw = re.sub(r"(?<=\d) (?=\d)", "", raw)  # OCR splits "76" into "7 6"
    raw = re.sub(r"\s*[.。]\s*(?:[.。]\s*)*", ".", raw)  # "54. .7"
    if not raw:
        return None, False
    candidates = []
    for run in _NUMERIC_RUN.findall(raw):
        if not any(c.isdigit() for c in run):
            continue
        fixed = run.translate(_OCR_DIGITS).replace(",", "")
        if fixed.startswith("."):
            return None, True  # ".3": a digit before the point was lost, never guess 3
        fixed = fixed.rstrip(".")
        candidates.extend(_NUMBER.findall(fixed))
    if len(candidates) != 1:
        # "12 5" can be a split 125 in OCR, but two numbers are ambiguous: let the reviewer look
        return None, True
    try:
        return Decimal(candidates[0]), True
    except InvalidOperation:
        return None, True


def is_blank_value(text: str | None) -> bool:
    """True when a cell holds nothing but layout: spaces, underscores, slashes, dashes."""
    return not re.sub(r"[\s_/\\\-—－~～:：;；、.。,，]+", "", nfkc(text or ""))
