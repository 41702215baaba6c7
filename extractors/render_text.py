"""Human-readable output of `banzu extract FILE`: page by page, with where each page's text came from."""

from __future__ import annotations

from core.model import Document

SOURCE_NAMES = {"text_layer": "文字层", "ocr": "文字识别（OCR）", "mixed": "文字层 + OCR"}
KIND_NAMES = {"page": "第 {n} 页", "slide": "第 {n} 张幻灯片", "image": "图片"}


def format_document(doc: Document) -> str:
    """The document as plain text: a header per page naming its source, rotation and reason."""
    out = [f"文件：{doc.path}", f"格式：{doc.format}    页数：{len(doc.pages)}"]
    for p in doc.problems:
        out.append(f"问题 [{p.code}]：{p.message}")
    for page in doc.pages:
        title = KIND_NAMES.get(page.kind, "第 {n} 页").format(n=page.page)
        head = f"── {title} · 来源：{SOURCE_NAMES.get(page.source, page.source)}"
        if page.rotation:
            head += f" · 已旋转 {page.rotation}°"
        if page.reason:
            head += f" · 原因：{page.reason}"
        if page.tables:
            head += f" · 表格 {len(page.tables)} 个"
        out.append("")
        out.append(head)
        out.append(page.text or "（本页无文字）")
        for i, table in enumerate(page.tables, 1):
            out.append(f"  [表格 {i}]")
            out.extend("  | " + " | ".join(row) + " |" for row in table.rows)
        if page.notes:
            out.append(f"  [备注] {page.notes}")
        for p in page.problems:
            out.append(f"  问题 [{p.code}]：{p.message}")
    return "\n".join(out)
