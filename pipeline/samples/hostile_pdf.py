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


def _ruled_table(page: pymupdf.Page, top: float, rows: int = 5, cols: int = 4) -> None:
    """A small ruled table with text in its cells (so readers run their table finders on the page)."""
    x0, cw, rh = 60.0, 110.0, 22.0
    for r in range(rows):
        for c in range(cols):
            cell = pymupdf.Rect(x0 + c * cw, top + r * rh, x0 + (c + 1) * cw, top + (r + 1) * rh)
            page.draw_rect(cell, color=(0, 0, 0), width=0.8)
            page.insert_text((cell.x0 + 4, cell.y0 + 15), f"项目{r}{c}", fontname="china-s", fontsize=10)


def cyclic_structure_pdf(pages: int = 15) -> bytes:
    """A tagged PDF whose structure tree holds a /P cycle that MuPDF's tree repair never leaves.

    Each page (text and a ruled table) is two marked-content sequences. The structure parent of the
    first hangs under the StructTreeRoot; the parent of the second is an element outside the tree
    (its /P chain ends elsewhere). The ParentTree also lists an element of a /P cycle (Sect and P each
    other's parent). Reading text alone never looks at structure, but a device that records it (every
    rendering, the table finder's header test) asks for the common ancestor of the two sequences'
    parents; finding none, MuPDF 1.28 repairs the tree, and the repair walks the cycle forever.
    """
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 300), f"第{i + 1}页\n{TEXT}\n" * 3, fontname="china-s",
                            fontsize=12)
        _ruled_table(page, 340)
    doc = pymupdf.open(stream=doc.tobytes(), filetype="pdf")
    page_xrefs = [p.xref for p in doc]
    for page in doc:
        page.clean_contents()  # one content stream per page
        xref = page.get_contents()[0]
        doc.update_stream(xref, b"/Span <</MCID 0>> BDC\n" + doc.xref_stream(xref)
                          + b"\nEMC\n/Span <</MCID 1>> BDC\nEMC\n")
    root, top, sect, para, tree = (doc.get_new_xref() for _ in range(5))
    in_tree = [doc.get_new_xref() for _ in page_xrefs]
    outside = [doc.get_new_xref() for _ in page_xrefs]
    for x, pg in zip(in_tree, page_xrefs, strict=True):
        doc.update_object(x, f"<< /Type /StructElem /S /Span /P {top} 0 R /Pg {pg} 0 R /K 0 >>")
    for x, pg in zip(outside, page_xrefs, strict=True):
        doc.update_object(x, f"<< /Type /StructElem /S /Span /Pg {pg} 0 R /K 1 >>")
    kids = " ".join(f"{x} 0 R" for x in in_tree)
    doc.update_object(top, f"<< /Type /StructElem /S /Document /P {root} 0 R /K [{sect} 0 R {kids}] >>")
    doc.update_object(sect, f"<< /Type /StructElem /S /Sect /P {para} 0 R /K [{para} 0 R] >>")
    doc.update_object(para, f"<< /Type /StructElem /S /P /P {sect} 0 R /K [] >>")
    nums = " ".join(f"{i} [{a} 0 R {b} 0 R {para} 0 R]" for i, (a, b) in enumerate(zip(in_tree, outside, strict=True)))
    doc.update_object(tree, f"<< /Nums [{nums}] >>")
    doc.update_object(root, f"<< /Type /StructTreeRoot /K {top} 0 R /ParentTree {tree} 0 R "
                            f"/ParentTreeNextKey {pages} >>")
    for i, x in enumerate(page_xrefs):
        doc.xref_set_key(x, "StructParents", str(i))
    catalog = doc.pdf_catalog()
    doc.xref_set_key(catalog, "StructTreeRoot", f"{root} 0 R")
    doc.xref_set_key(catalog, "MarkInfo", "<< /Marked true >>")
    data = doc.tobytes()
    doc.close()
    return data


TREE_DEFECTS = ("p_cycle", "listed_twice", "outside_tree", "parent_tree_loop", "p_mismatch")


def tagged_pdf(defect: str | None = None, actual_text: str | None = None) -> bytes:
    """One tagged page ("第1页 ...") whose structure element may carry /ActualText, with one defect of
    TREE_DEFECTS in its structure tree or none (a sound tree, as Word or WPS write it)."""
    doc = pymupdf.open(stream=text_pdf(1), filetype="pdf")
    page = doc[0]
    page.clean_contents()
    xref = page.get_contents()[0]
    doc.update_stream(xref, b"/P <</MCID 0>> BDC\n" + doc.xref_stream(xref) + b"\nEMC\n")
    root, top, sect, para, tree, leaf, stray = (doc.get_new_xref() for _ in range(7))
    alt = f"/ActualText ({actual_text})" if actual_text else ""
    sect_parent = {"p_cycle": para, "p_mismatch": root}.get(defect, top)
    top_kids = f"{sect} 0 R {sect} 0 R" if defect == "listed_twice" else f"{sect} 0 R"
    doc.update_object(top, f"<< /Type /StructElem /S /Document /P {root} 0 R /K [{top_kids}] >>")
    doc.update_object(sect, f"<< /Type /StructElem /S /Sect /P {sect_parent} 0 R /K [{para} 0 R] >>")
    doc.update_object(para, f"<< /Type /StructElem /S /P /P {sect} 0 R /Pg {page.xref} 0 R /K 0 {alt} >>")
    doc.update_object(stray, f"<< /Type /StructElem /S /Span /Pg {page.xref} 0 R /K 1 >>")
    named = f"{para} 0 R {stray} 0 R" if defect == "outside_tree" else f"{para} 0 R"
    if defect == "parent_tree_loop":
        doc.update_object(leaf, f"<< /Limits [0 0] /Nums [0 [{named}]] >>")
        doc.update_object(tree, f"<< /Kids [{tree} 0 R {leaf} 0 R] >>")
    else:
        doc.update_object(tree, f"<< /Nums [0 [{named}]] >>")
    doc.update_object(root, f"<< /Type /StructTreeRoot /K {top} 0 R /ParentTree {tree} 0 R /ParentTreeNextKey 1 >>")
    doc.xref_set_key(page.xref, "StructParents", "0")
    doc.xref_set_key(doc.pdf_catalog(), "StructTreeRoot", f"{root} 0 R")
    doc.xref_set_key(doc.pdf_catalog(), "MarkInfo", "<< /Marked true >>")
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
