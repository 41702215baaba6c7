"""Is a page's text layer good enough to trust, or must the page be OCR'd? Decided per page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.tokenizer import jieba_tokenizer

CID_RE = re.compile(r"\(cid:\d+\)")
# Wingdings/Symbol check boxes that PDFs map into the private-use area
PUA_CHECKBOX = {0xF0A8: "□", 0xF06F: "□", 0xF0FE: "☑", 0xF078: "☒", 0xF0FD: "☒", 0xF0FC: "☑", 0xF052: "☑"}


SYMBOL_PUA_RE = re.compile("[\uf000-\uf0ff]")


# Compatibility ideographs and Kangxi radicals a font's ToUnicode map can give for a plain ideograph
# (Noto CJK and WenQuanYi subsets map 年 to U+F98E): their NFKC form is the character meant.
_COMPAT = {c: unicodedata.normalize("NFKC", chr(c)) for c in [*range(0xF900, 0xFB00), *range(0x2F00, 0x2FD6)]
           if unicodedata.normalize("NFKC", chr(c)) != chr(c)}
COMPAT_RE = re.compile("[" + "".join(chr(c) for c in _COMPAT) + "]")
_COMPAT_TABLE = str.maketrans(_COMPAT)


def plain_ideographs(text: str) -> str:
    """`text` with compatibility ideographs and Kangxi radicals made the unified ideographs they stand for."""
    return text.translate(_COMPAT_TABLE) if COMPAT_RE.search(text) else text


def fix_symbols(text: str) -> str:
    return text.translate(PUA_CHECKBOX) if SYMBOL_PUA_RE.search(text) else text


BAD_RE = re.compile("[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\U000f0000-\U0010ffff]")
LATIN1_RE = re.compile("[\u00c0-\u00ff]")
# what Chinese office documents are written in: ASCII, Latin-1 symbols, Greek, punctuation, letterlike
# and number forms, arrows and maths, enclosed numbers, shapes and symbols (☑ ★ ①), CJK radicals,
# symbols, enclosed and compatibility forms (㎡), ideographs, full-width forms. A layer made mostly of
# other characters (Armenian, Devanagari, Hangul jamo...) comes from fonts whose codes map to nothing real.
UNEXPECTED_RE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\xbf\xd7\xf7\u0370-\u03ff\u2000-\u206f\u2100-\u23ff\u2460-\u27bf"
    "\u2e80-\u2fdf\u3000-\u303f\u3200-\u9fff\uf900-\ufaff\ufe30-\ufe6f\uff00-\uffef\U00020000-\U0003ffff]"
)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _tokenizer():  # jieba loads its dictionary (~1 s) only when a suspicious layer needs judging
    return jieba_tokenizer()


PLAUSIBLE = 0.35  # below this share a layer's characters are not Chinese text


def plausibility(text: str, limit: int = 4000) -> float:
    """Share of Chinese characters (in the first `limit` characters) that form dictionary words of 2+.

    Real Chinese sentences score ~0.6-0.9; characters a bad scanner OCR layer strings together
    (or a font whose codes map to the wrong characters) rarely form words and score far lower.
    """
    text = text[:limit]
    cjk = [c for c in text if is_cjk(c)]
    if len(cjk) < 10:
        return 1.0
    tk = _tokenizer()
    sample = "".join(c if is_cjk(c) else " " for c in text)
    in_words = 0
    total = 0
    for tok in tk.cut(sample, HMM=False):
        n = sum(1 for c in tok if is_cjk(c))
        total += n
        if n >= 2 and tok in tk.FREQ:
            in_words += n
    return in_words / max(total, 1)


@dataclass
class LayerVerdict:
    use_text: bool
    reason: str


def judge_layer(
    text: str, invisible_share: float, scan_like: bool, hidden_share: float, ink_coverage: float | None,
    unmapped: int = 0,
) -> LayerVerdict:
    """The per-page decision: text layer or OCR, and why.

    `invisible_share`: share of characters drawn invisibly (render mode 3, the scanner-OCR trick);
    `scan_like`: raster images cover most of the page; `hidden_share`: share of characters that an
    image drawn later covers; `ink_coverage`: for scans, the share of the image's ink rows that the
    text layer's lines cover (too few characters for the ink on the page); `unmapped`: glyphs MuPDF
    could not map to Unicode (U+FFFD), already dropped from `text`.
    """
    n = len(text) - sum(map(text.count, " \n\t\r")) + unmapped
    if n <= 0:
        return LayerVerdict(False, "no_text_layer")
    # one search first: on a clean layer (most pages) it answers, and nothing is counted
    if unmapped or UNEXPECTED_RE.search(text) or "(cid:" in text:
        bad = unmapped + len(BAD_RE.findall(text)) + 5 * len(CID_RE.findall(text))
        if bad / n > 0.05:
            return LayerVerdict(False, "garbled_text_layer")
        if len(LATIN1_RE.findall(text)) / n > 0.2:  # GBK bytes shown as Latin-1
            return LayerVerdict(False, "garbled_text_layer")
        if len(UNEXPECTED_RE.findall(text)) / n > 0.3:  # codes of a font mapped to unrelated scripts
            return LayerVerdict(False, "garbled_text_layer")
    if hidden_share > 0.5:
        return LayerVerdict(False, "text_covered_by_image")
    if scan_like or invisible_share > 0.5:
        if plausibility(text) < PLAUSIBLE:
            return LayerVerdict(False, "implausible_text_layer")
        if ink_coverage is not None and ink_coverage < 0.5:
            return LayerVerdict(False, "sparse_text_layer")
        return LayerVerdict(True, "scanner_text_layer" if invisible_share > 0.5 else "text_over_image")
    return LayerVerdict(True, "good_text_layer")
