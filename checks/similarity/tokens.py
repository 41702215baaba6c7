"""jieba word tokens with the construction-domain dictionary, for sentence-level fuzzy matching.

jieba is initialised once per process (~1 s) with its cache and log kept quiet; numbers become '#' so
that changed figures do not hide a copied sentence.
"""

from __future__ import annotations

import logging
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from core.reference import DATA_DIR

USER_DICT = DATA_DIR / "similarity" / "construction_dict.txt"
_NUM = re.compile(r"\d+(?:\.\d+)?")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(Path(tempfile.gettempdir()))
    tk.initialize()
    if USER_DICT.exists():
        tk.load_userdict(str(USER_DICT))
    return tk


def words(text: str) -> list[str]:
    """jieba words of a normalised sentence, numbers folded to '#'."""
    text = _NUM.sub("#", text)
    return [w for w in _jieba().lcut(text, HMM=False) if w.strip()]
