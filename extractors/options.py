"""Options of one extraction run, so callers and tests can tune OCR without touching globals."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DPI = 200  # chosen by benchmarks/ocr.py: CER at 200 dpi matches 300 dpi at ~60 % of the time


class ExtractOptions(BaseModel):
    """How to read a file.

    `engine` replaces the built-in RapidOCR reader: any callable taking an RGB/BGR `numpy` image and
    returning `[(box4points, text, score), ...]` (or RapidOCR's `(result, elapse)` pair). Tests inject
    crashing or hanging engines through it.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    dpi: int = Field(DEFAULT_DPI, ge=50, le=600)
    workers: int = Field(0, ge=0)  # OCR processes; 0: decided from the machine (workers.py)
    threads: int = Field(1, ge=0)  # onnxruntime threads per OCR engine; 0: onnxruntime decides
    page_timeout: float = Field(120.0, gt=0)  # seconds one page may take before it becomes a problem
    ocr: bool = True  # False: never OCR (pages without a text layer come out empty, with a problem)
    engine: Any = None
    pages: list[int] | None = None  # 1-based page numbers to read (None: all); for tests and previews
    max_pages: int = Field(2000, ge=1)  # a file with more pages is read up to this limit, with a problem
    file_timeout: float | None = Field(None, gt=0)  # seconds for one whole file; None: by its page count
    soffice_timeout: float = Field(180.0, gt=0)  # seconds for a LibreOffice conversion of .ppt/.doc
    # the reader child (deadline.py) is replaced after a file that leaves it holding more than this
    reader_max_mb: int = Field(800, ge=0)  # 0: never replaced for its size
    # a file whose reading takes the child above this is stopped like one over its time (0: no limit)
    file_max_mb: int = Field(2048, ge=0)

    def wants(self, page_no: int) -> bool:
        return self.pages is None or page_no in self.pages
