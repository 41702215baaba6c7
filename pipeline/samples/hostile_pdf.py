"""Hostile PDFs built by the generator: cyclic structure trees, truncation, thousands of blank pages."""

from __future__ import annotations

import pymupdf

TEXT = "质量信得过班组成果报告\n一、班组概况\n本班组成立于2015年，负责主体结构钢筋加工与绑扎。"


def text_pdf(pages: int = 3, text: str = TEXT) -> bytes:
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 780), f"第{i + 1}页\n{text}\n" * 6, fontname="china-s",
                            fontsize=12)
    data = doc.tobytes()
    doc.close()
    return data


def cyclic_structure_pdf(pages: int = 15) -> bytes:
    """A tagged PDF whose structure tree loops: parents point at children, kids at ancestors, itself.

    Every page's text is marked content whose structure parent (through /StructParents and the
    ParentTree) sits inside the loop, so any reader walking the tree from the page or from the
    root, without remembering what it visited, never ends.
    """
    doc = pymupdf.open(stream=text_pdf(pages), filetype="pdf")
    page_xrefs = [p.xref for p in doc]
    for page in doc:
        xref = page.get_contents()[0]
        doc.update_stream(xref, b"/P <</MCID 0>> BDC\n" + doc.xref_stream(xref) + b"\nEMC\n")
    root, top, a, b, tree = (doc.get_new_xref() for _ in range(5))
    doc.update_object(root, f"<< /Type /StructTreeRoot /K {top} 0 R /ParentTree {tree} 0 R >>")
    doc.update_object(top, f"<< /Type /StructElem /S /Document /P {b} 0 R /K [{a} 0 R {top} 0 R] >>")
    mcrs = " ".join(f"<< /Type /MCR /Pg {x} 0 R /MCID 0 >>" for x in page_xrefs)
    doc.update_object(a, f"<< /Type /StructElem /S /Sect /P {top} 0 R /K [{b} 0 R {mcrs}] >>")
    doc.update_object(b, f"<< /Type /StructElem /S /P /P {a} 0 R /Pg {page_xrefs[0]} 0 R /K [0 {top} 0 R] >>")
    nums = " ".join(f"{i} [{a} 0 R]" for i in range(pages))
    doc.update_object(tree, f"<< /Nums [{nums}] >>")
    for i, x in enumerate(page_xrefs):
        doc.xref_set_key(x, "StructParents", str(i))
    catalog = doc.pdf_catalog()
    doc.xref_set_key(catalog, "StructTreeRoot", f"{root} 0 R")
    doc.xref_set_key(catalog, "MarkInfo", "<< /Marked true >>")
    data = doc.tobytes()
    doc.close()
    return data


def blank_pdf(pages: int) -> bytes:
    """Pages with nothing on them (what a scanner in duplex mode or a broken export produces)."""
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=595, height=842)
    data = doc.tobytes()
    doc.close()
    return data


def blank_scan_pdf(pages: int) -> bytes:
    """Empty sheets scanned: each page one white image with a few specks."""
    import numpy as np

    rng = np.random.default_rng(1)
    img = np.full((842, 595), 250, np.uint8)
    img[rng.integers(0, 842, 20), rng.integers(0, 595, 20)] = 90
    pix = pymupdf.Pixmap(pymupdf.csGRAY, 595, 842, img.tobytes(), False)
    png = pix.tobytes("png")
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=595, height=842).insert_image(pymupdf.Rect(0, 0, 595, 842), stream=png)
    data = doc.tobytes()
    doc.close()
    return data


def truncated(data: bytes, share: float | None = None, size: int | None = None) -> bytes:
    """The first bytes of a file, as a transfer cut off would leave it."""
    return data[: size if size is not None else int(len(data) * (share or 0.5))]
