"""jieba word tokens with the construction-domain dictionary, for sentence-level fuzzy matching.

jieba is initialised once per process (~1 s) with its cache and log kept quiet; numbers become '#' so
that changed figures do not hide a copied sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.reference import DATA_DIR
from core.tokenizer import jieba_tokenizer

USER_DICT = DATA_DIR / "similarity" / "construction_dict.txt"
_NUM = re.compile(r"\d+(?:\.\d+)?")


def _jieba():
    return jieba_tokenizer(USER_DICT)


def words(text: str) -> list[str]:
    """jieba words of a normalised sentence, numbers folded to '#' (a new list: callers may change it)."""
    return list(_words(text))


@lru_cache(maxsize=1 << 15)
def _words(text: str) -> tuple[str, ...]:
    """Cached by text: the same sentence (template wording, a shared phrase) recurs across the many pairs
    one run compares, and jieba costs more than the rest of the fuzzy pass."""
    text = _NUM.sub("#", text)
    return tuple(w for w in _jieba().lcut(text, HMM=False) if w.strip())


def warm_tokenizer() -> None:
    """Load jieba now (before worker processes fork, so that they inherit it instead of each loading it)."""
    _jieba()
