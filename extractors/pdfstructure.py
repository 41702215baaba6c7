"""A tagged PDF's structure tree, detached before any page is read or rendered when it is unsound.

MuPDF looks at the logical structure (StructTreeRoot) of a tagged PDF in two ways. Text extraction
takes an element's /ActualText for its marked content (the author's replacement text), so a sound
tree is kept. A device that records structure (every rendering: `get_pixmap`, and so the table
finder, whose header test renders the table's top row) also asks, at each marked-content sequence,
for the common ancestor of the current and the new structure parent. When there is none (a broken
tree), MuPDF 1.28 repairs the tree (`pdf_check_structure_tree`), and that repair walks the /P chains
of the ParentTree's elements without remembering where it has been: one /P cycle there and it spins
forever, while plain `get_text()` on the same file returns in milliseconds. So a tree that is not a
proper tree (an element listed twice or in a cycle, a /P that disagrees with /K, a ParentTree entry
outside the tree) is detached from the in-memory document; the file itself is never written.
"""

from __future__ import annotations

import pymupdf
from pymupdf import mupdf

MAX_NODES = 200_000  # a bigger tree costs more to check than it can give; it is detached unchecked


class _Walk:
    """The tree read through MuPDF's object API: a third of the cost of PyMuPDF's xref strings (2,000 elements: 70 ms)."""

    def __init__(self, doc: pymupdf.Document) -> None:
        self.pdf = mupdf.pdf_document_from_fz_document(doc.this)
        self.name = {k: mupdf.pdf_new_name(k) for k in ("Root", "StructTreeRoot", "K", "P", "S", "ParentTree",
                                                       "Kids", "Nums")}

    def get(self, obj, key: str):  # noqa: ANN001, ANN201 - mupdf.PdfObj
        return mupdf.pdf_dict_get(obj, self.name[key])

    @staticmethod
    def items(obj) -> list:  # noqa: ANN001 - an array's items, or the object alone
        if mupdf.pdf_is_array(obj):
            return [mupdf.pdf_array_get(obj, i) for i in range(mupdf.pdf_array_len(obj))]
        return [obj] if mupdf.pdf_is_dict(obj) else []

    def is_element(self, obj) -> bool:  # noqa: ANN001 - has /S: not a marked-content or object reference
        return bool(mupdf.pdf_is_dict(obj)) and not mupdf.pdf_is_stream(obj) and bool(
            mupdf.pdf_is_name(self.get(obj, "S")))

    def tree(self, root) -> set[int] | None:  # noqa: ANN001
        """Every element under the root, each with /P naming the element whose /K lists it; None if not a tree."""
        root_num = mupdf.pdf_to_num(root)
        seen = {root_num}
        stack = [root]
        while stack:
            node = stack.pop()
            node_num = mupdf.pdf_to_num(node)
            for kid in self.items(self.get(node, "K")):
                if not self.is_element(kid):
                    continue  # a marked-content or object reference
                num = mupdf.pdf_to_num(kid)
                if not num or num in seen or len(seen) > MAX_NODES:
                    return None  # a direct element, one listed twice, an ancestor listed as a kid
                if mupdf.pdf_to_num(self.get(kid, "P")) != node_num:
                    return None
                seen.add(num)
                stack.append(kid)
        return seen

    def named(self, root) -> set[int] | None:  # noqa: ANN001
        """Structure parents the ParentTree names for marked content and objects; None if it loops."""
        nodes, seen, found = [self.get(root, "ParentTree")], set(), set()
        while nodes:
            node = nodes.pop()
            if not mupdf.pdf_is_dict(node):
                continue
            num = mupdf.pdf_to_num(node)
            if num in seen or len(seen) > MAX_NODES:
                return None
            seen.add(num)
            nodes.extend(self.items(self.get(node, "Kids")))
            nums = self.get(node, "Nums")
            for i in range(1, mupdf.pdf_array_len(nums), 2):
                for el in self.items(mupdf.pdf_array_get(nums, i)):
                    if self.is_element(el):
                        found.add(mupdf.pdf_to_num(el))
        return found


def structure_is_sound(doc: pymupdf.Document) -> bool:
    """Whether the structure tree is a proper tree holding every element its ParentTree names."""
    try:
        walk = _Walk(doc)
        root = mupdf.pdf_dict_get(walk.get(mupdf.pdf_trailer(walk.pdf), "Root"), walk.name["StructTreeRoot"])
        if not root.m_internal or mupdf.pdf_is_null(root):
            return True
        if not mupdf.pdf_is_dict(root) or not mupdf.pdf_is_indirect(root) or mupdf.pdf_is_dict(walk.get(root, "P")):
            return False  # a root with a parent: every lineage runs on past it
        tree = walk.tree(root)
        named = walk.named(root) if tree is not None else None
        return tree is not None and named is not None and named <= tree
    except Exception:  # noqa: BLE001 - objects MuPDF cannot read: not a tree to rely on
        return False


def detach_structure(doc: pymupdf.Document) -> bool:
    """Drop an unsound /StructTreeRoot from the open document's catalog; True when one was dropped."""
    try:
        if not doc.is_pdf or doc.needs_pass or structure_is_sound(doc):
            return False
        doc.xref_set_key(doc.pdf_catalog(), "StructTreeRoot", "null")
        return True
    except Exception:  # noqa: BLE001 - a catalog MuPDF cannot edit: nothing was detached
        return False


def open_untagged(path: str, filetype: str | None = None) -> pymupdf.Document:
    """`pymupdf.open` for reading pages of a file someone sent: empty password tried, unsound tree detached."""
    doc = pymupdf.open(path, filetype=filetype)
    if doc.needs_pass:
        doc.authenticate("")
    detach_structure(doc)
    return doc
