"""The one jieba loader: a Tokenizer per dictionary, initialised once per process (~1 s), log kept quiet.

The extractors judge text layers with jieba's own dictionary; the similarity check adds the
construction-domain words (data/similarity/construction_dict.txt).
"""

from __future__ import annotations

import logging
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=4)
def jieba_tokenizer(user_dict: Path | None = None) -> Any:
    """A ready jieba.Tokenizer, with `user_dict` loaded when it exists."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(Path(tempfile.gettempdir()))
    tk.initialize()
    if user_dict is not None and user_dict.exists():
        tk.load_userdict(str(user_dict))
    return tk
