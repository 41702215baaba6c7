"""A tagged PDF's structure tree, detached before any page is read or rendered.

banzu reads text, tables and pixels; it never uses the logical structure (StructTreeRoot) of a
tagged PDF. MuPDF does, whenever a page runs through a device that records structure: every
rendering (`get_pixmap`, and so the table finder, whose header test renders the table's top row)
looks up the structure parent of each marked-content sequence. When two sequences' parents have no
common ancestor (a broken tree), MuPDF 1.28 repairs the tree (`pdf_check_structure_tree`), and that
repair walks the /P chains of the ParentTree's elements without remembering where it has been: one
/P cycle there and it spins forever. Plain `get_text()` never records structure, so the same file
reads in milliseconds that way. Detaching the tree from the in-memory document (the file itself is
never written) makes every reading path skip structure, whatever shape the tree has.
"""

from __future__ import annotations

import pymupdf


def detach_structure(doc: pymupdf.Document) -> bool:
    """Drop /StructTreeRoot from the open document's catalog; True when there was one."""
    try:
        if not doc.is_pdf or doc.needs_pass:
            return False
        catalog = doc.pdf_catalog()
        if doc.xref_get_key(catalog, "StructTreeRoot")[0] == "null":
            return False
        doc.xref_set_key(catalog, "StructTreeRoot", "null")
        return True
    except Exception:  # noqa: BLE001 - a catalog MuPDF cannot edit: nothing was detached
        return False


def open_untagged(path: str, filetype: str | None = None) -> pymupdf.Document:
    """`pymupdf.open` for reading pages of a file someone sent: empty password tried, tree detached."""
    doc = pymupdf.open(path, filetype=filetype)
    if doc.needs_pass:
        doc.authenticate("")
    detach_structure(doc)
    return doc
