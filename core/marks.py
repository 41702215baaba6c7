"""How a page's text says that a person marked words by drawing around or under them.

Extraction writes a circled or underlined word as ⟦是⟧ (and a ticked or empty box as ☑ / □ where it
stands); the checks read the brackets back. One convention, in the bottom layer both sides import.
"""

from __future__ import annotations

import re

MARKED_OPEN, MARKED_CLOSE = "⟦", "⟧"
_MARKED = re.compile(f"{MARKED_OPEN}([^{MARKED_CLOSE}]*){MARKED_CLOSE}")


def marked_spans(text: str) -> list[str]:
    """The words a person circled or underlined in `text`."""
    return _MARKED.findall(text)


def unmarked(text: str) -> str:
    """`text` without the brackets of circled or underlined words (the words stay)."""
    return text.replace(MARKED_OPEN, "").replace(MARKED_CLOSE, "")
