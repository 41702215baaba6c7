"""Legacy and other Office files: converted with LibreOffice headless when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from core.model import Document

from . import problems as msg
from .options import ExtractOptions

# what each Office format is converted to, and the name the team should save it as
TARGETS = {"ppt": ("pptx", "PPTX"), "doc": ("pdf", "PDF"), "docx": ("pdf", "PDF"),
           "xls": ("pdf", "PDF"), "xlsx": ("pdf", "PDF")}
LABELS = {"ppt": "旧版 PowerPoint（.ppt）", "doc": "旧版 Word（.doc）", "docx": "Word（.docx）",
          "xls": "旧版 Excel（.xls）", "xlsx": "Excel（.xlsx）"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, fmt: str, out_dir: Path, timeout: float) -> Path:
    """Convert with `soffice --headless`; its own profile dir keeps parallel runs from colliding."""
    target, _ = TARGETS[fmt]
    src = out_dir / f"input.{fmt}"
    shutil.copyfile(path, src)
    profile = (out_dir / "profile").as_uri()
    cmd = [soffice_path() or "soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(out_dir), str(src)]
    subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    result = out_dir / f"input.{target}"
    if not result.is_file() or result.stat().st_size == 0:
        raise RuntimeError("LibreOffice 未生成输出文件")
    return result


Reader = Callable[[str, Path, str, ExtractOptions], Document]


def extract_office(fmt: str, path: Path, name: str, options: ExtractOptions, read: Reader) -> Document:
    """Read .ppt/.doc/.docx/.xls/.xlsx through a LibreOffice conversion, else explain what to resubmit.

    `read(fmt, path, name, options)` reads the converted file like any submitted one (the dispatcher).
    """
    _, target_label = TARGETS[fmt]
    label = LABELS[fmt]
    if soffice_path() is None:
        return Document(path=name, format=fmt, problems=[
            msg.unreadable(msg.LEGACY_NO_SOFFICE.format(fmt=label, target=target_label), name)])
    with tempfile.TemporaryDirectory(prefix="banzu-soffice-") as tmp:
        try:
            converted = convert(path, fmt, Path(tmp), options.soffice_timeout)
        except subprocess.TimeoutExpired:
            why = "转换超时"
        except Exception as exc:  # noqa: BLE001
            why = str(exc) or type(exc).__name__
        else:
            doc = read(TARGETS[fmt][0], converted, name, options)
            doc.format = fmt
            doc.metadata["converted_with"] = "libreoffice"
            return doc
    return Document(path=name, format=fmt, problems=[
        msg.unreadable(msg.LEGACY_CONVERT_FAILED.format(fmt=label, why=why, target=target_label), name)])
