"""Legacy, Kingsoft WPS and other office files: converted with LibreOffice headless when installed.

WPS 文字/表格/演示 (.wps/.et/.dps) are Word/Excel/PowerPoint binaries or compound files LibreOffice
recognises itself. Real Kingsoft files can hang it, so every conversion runs in its own process group
with its own profile and is killed as a whole when it overruns its time limit.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from core.model import Document

from . import problems as msg
from .options import ExtractOptions

# what each Office format is converted to, and the name the team should save it as
TARGETS = {"ppt": ("pptx", "PPTX"), "doc": ("pdf", "PDF"), "docx": ("pdf", "PDF"),
           "xls": ("pdf", "PDF"), "xlsx": ("pdf", "PDF"), "ole": ("pdf", "PDF"), "odf": ("pdf", "PDF"),
           "rtf": ("pdf", "PDF")}
LABELS = {"ppt": "旧版 PowerPoint（.ppt）", "doc": "旧版 Word（.doc）", "docx": "Word（.docx）",
          "xls": "旧版 Excel（.xls）", "xlsx": "Excel（.xlsx）", "ole": "Office 复合文档", "odf": "OpenDocument",
          "rtf": "RTF 文档"}
# the same bytes under a Kingsoft name: the message names what the sender saved
WPS_LABELS = {".wps": "WPS 文字（.wps）", ".et": "WPS 表格（.et）", ".dps": "WPS 演示（.dps）"}


def label_of(fmt: str, name: str) -> str:
    return WPS_LABELS.get(Path(name).suffix.lower(), LABELS[fmt])


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, fmt: str, out_dir: Path, timeout: float, target: str | None = None) -> Path:
    """Convert with `soffice --headless` (to `target`, else what `fmt` is read as); its own profile dir
    keeps parallel runs from colliding."""
    target = target or TARGETS[fmt][0]
    src = out_dir / f"input.{'bin' if fmt in ('ole', 'odf') else fmt}"
    shutil.copyfile(path, src)
    profile = (out_dir / "profile").as_uri()
    cmd = [soffice_path() or "soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
           "--nolockcheck", "--convert-to", target, "--outdir", str(out_dir), str(src)]
    run_killable(cmd, timeout)
    result = out_dir / f"input.{target}"
    if not result.is_file() or result.stat().st_size == 0:
        raise RuntimeError("LibreOffice 未生成输出文件")
    return result


def run_killable(cmd: list[str], timeout: float) -> None:
    """Run `cmd` in its own session; on overrun kill the whole group (soffice forks soffice.bin)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        proc.wait()
        raise
    finally:  # a child a finished conversion left behind goes too
        kill_group(proc.pid)


def kill_group(pgid: int, patience: float = 5.0) -> None:
    """SIGKILL every process of the group and wait until none is left (a fork may race the first kill)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)


Reader = Callable[[str, Path, str, ExtractOptions], Document]


def extract_office(fmt: str, path: Path, name: str, options: ExtractOptions, read: Reader) -> Document:
    """Read .ppt/.doc/.docx/.xls/.xlsx through a LibreOffice conversion, else explain what to resubmit.

    `read(fmt, path, name, options)` reads the converted file like any submitted one (the dispatcher).
    """
    _, target_label = TARGETS[fmt]
    label = label_of(fmt, name)
    if soffice_path() is None:
        return Document(path=name, format=fmt, problems=[
            msg.unreadable(msg.LEGACY_NO_SOFFICE.format(fmt=label, target=target_label), name)])
    with tempfile.TemporaryDirectory(prefix="banzu-soffice-") as tmp:
        try:
            converted = convert(path, fmt, Path(tmp), options.soffice_timeout)
        except subprocess.TimeoutExpired:
            why = f"转换超过 {options.soffice_timeout:.0f} 秒未完成，已终止"
        except Exception as exc:  # noqa: BLE001
            why = str(exc) or type(exc).__name__
        else:
            doc = read(TARGETS[fmt][0], converted, name, options)
            doc.format = fmt
            doc.metadata["converted_with"] = "libreoffice"
            if label != LABELS[fmt]:
                doc.metadata["saved_as"] = label
            return doc
    return Document(path=name, format=fmt, problems=[
        msg.unreadable(msg.LEGACY_CONVERT_FAILED.format(fmt=label, why=why, target=target_label), name)])
