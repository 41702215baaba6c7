"""A team's package: which file is the registration form, the report PDF, the report PPT.

The online system exports files under arbitrary names, so roles are decided by what the bytes
are (extractors' `format`) and what the pages say (a form is a short document holding most of
the form's labels), with the file name (报名表, 申报书…) only as a tie-breaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.model import Document, InboxFile
from core.reference import YearRules

from .labels import join_parts, pieces_from_pages, read_labelled
from .text import is_blank_value, nfkc, squash

IMAGE_FORMATS = {"image", "jpg", "jpeg", "png", "tif", "tiff", "bmp"}
PPT_FORMATS = {"pptx", "ppt", "ppsx", "pps", "dps"}
OFFICE_TEXT_FORMATS = {"doc", "docx", "ole", "odf", "rtf"}  # read through LibreOffice (WPS 文字 too)
_FORM_NAME = re.compile(r"报名表|报名|申请表|登记表|信息表")
_REPORT_NAME = re.compile(r"成果|报告|申报材料|发布材料|汇报|资料")


@dataclass
class PackageRoles:
    registration_form: InboxFile | None = None
    report_pdf: InboxFile | None = None
    report_ppt: InboxFile | None = None
    extra: list[InboxFile] = field(default_factory=list)
    unreadable: list[InboxFile] = field(default_factory=list)  # role-holding files that cannot be read
    form_fields: dict[str, str] = field(default_factory=dict)
    form_page: int | None = None


def file_format(f: InboxFile, doc: Document | None) -> str:
    """What the file is: the extractor's verdict, else its extension."""
    if doc is not None and doc.format not in ("", "unknown"):
        return doc.format.lower()
    ext = f.path.rsplit(".", 1)[-1].lower() if "." in f.path.rsplit("/", 1)[-1] else ""
    return {"jpg": "image", "jpeg": "image", "png": "image"}.get(ext, ext)


def _name(f: InboxFile) -> str:
    return nfkc(f.path.rsplit("/", 1)[-1])


def form_score(doc: Document | None, rules: YearRules, name: str) -> float:
    """How much a file looks like the registration form (labels found, few pages, its name)."""
    score = 0.0
    if doc is not None and doc.pages:
        text = squash(" ".join(p.text for p in doc.pages[:3]))
        labels = rules.registration_form_fields or ["班组名称", "所在单位", "推荐单位", "班组长", "成果名称"]
        hits = sum(1 for lab in labels if squash(lab) in text)
        score += hits / max(1, len(labels)) * 4
        if "报名表" in text[:200] or "报名表" in text:
            score += 2
        if len(doc.pages) > 4:
            score -= 3
    if _FORM_NAME.search(name):
        score += 1.5
    if _REPORT_NAME.search(name) and not _FORM_NAME.search(name):
        score -= 1
    return score


def read_form_fields(doc: Document, rules: YearRules) -> dict[str, str]:
    """The registration form's values by label (only labels found with a value)."""
    labels = list(rules.registration_form_fields or ["班组名称", "所在单位", "推荐单位", "班组长", "成果名称"])
    if "报名编号" not in labels:
        labels.append("报名编号")
    pages = doc.pages[:2]
    found: dict[str, str] = {}
    stop = ["班组简介", "所在单位意见", "推荐单位意见", "备注"]
    for tables in (True, False):
        values = read_labelled(pieces_from_pages(pages, use_tables=tables), labels + stop)
        for k, v in values.items():
            if k in stop or k in found:
                continue
            text = form_value(k, v.parts)
            if not is_blank_value(text):
                found[k] = text.replace(" ", "")
    return found


_SENTENCE = re.compile(r"[。；;！!？?]|[，,].{10,}")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}[-－—]?\d{7,8}(?:[-－—]\d{1,5})?)(?!\d)")


def form_value(label: str, parts: Sequence[str]) -> str:
    """One registration-form field from the pieces after its label: the value and its wrapped
    continuation, never the prose that follows it on the form (a pledge, a note).

    Every field of the form is a name, a title or a number: a piece that reads as a sentence (sentence
    punctuation, or a comma with a clause after it) ends the value, and so does a long piece after the
    first. A phone field keeps the number itself.
    """
    kept: list[str] = []
    for raw in (p.strip().lstrip("：:").strip() for p in parts):
        if not raw:
            continue
        words = raw.split()
        cut = next((j for j, w in enumerate(words) if len(w) >= 12 and _SENTENCE.search(w)), None)
        if cut is not None:
            kept.extend(words[:cut])
            break
        if kept and len(raw) > 20:
            break
        kept.append(raw)
    text = join_parts(kept)
    if "电话" in label or "手机" in label:
        m = _PHONE.search(re.sub(r"\s+", "", text))
        if m:
            return m.group(1)
    return text


def assign_roles(files: Sequence[InboxFile], documents: dict[str, Document], rules: YearRules) -> PackageRoles:
    """Decide the form, the report PDF and the report PPT among a package's files."""
    roles = PackageRoles()
    live = [f for f in files if not f.duplicate_of]
    fmt = {f.path: file_format(f, documents.get(f.sha256)) for f in live}
    readable = {f.path: (d := documents.get(f.sha256)) is not None and d.readable and not f.problems for f in live}

    pptx = [f for f in live if fmt[f.path] in PPT_FORMATS]
    pptx.sort(key=lambda f: (not readable[f.path], fmt[f.path] != "pptx", -f.size))
    if pptx:
        roles.report_ppt = pptx[0]

    candidates = [f for f in live if fmt[f.path] in ({"pdf", "ofd"} | IMAGE_FORMATS | OFFICE_TEXT_FORMATS)]
    scored = sorted(
        ((form_score(documents.get(f.sha256), rules, _name(f)), f) for f in candidates),
        key=lambda sf: (-sf[0], sf[1].path),
    )
    form = next((f for s, f in scored if s >= 2.5 and readable[f.path]), None)
    if form is None:  # an unreadable file named 报名表 still is the form (it is reported as unreadable)
        form = next((f for s, f in scored if s >= 1.5 and not readable[f.path]), None)
    roles.registration_form = form
    pdfs = [f for f in live if fmt[f.path] == "pdf" and f is not form]

    def pages_of(f: InboxFile) -> int:
        d = documents.get(f.sha256)
        return len(d.pages) if d else 0

    pdfs.sort(key=lambda f: (not readable[f.path], -pages_of(f), -f.size))
    if pdfs:
        roles.report_pdf = pdfs[0]
    used = {id(x) for x in (roles.registration_form, roles.report_pdf, roles.report_ppt) if x}
    roles.extra = [f for f in live if id(f) not in used]
    roles.unreadable = [f for f in (roles.registration_form, roles.report_pdf, roles.report_ppt)
                        if f is not None and not readable[f.path]]
    if form is not None and readable[form.path]:
        roles.form_fields = read_form_fields(documents[form.sha256], rules)
        roles.form_page = 1
    return roles


def team_from_folder(team_id: str) -> str:
    """`A0137-钢筋班组` → `钢筋班组`: the folder name without its registration number."""
    t = nfkc(team_id).strip()
    t = re.sub(r"\.zip$", "", t, flags=re.I)
    t = re.sub(r"^[A-Za-z]*\d+[-_－—\s]*", "", t)
    return t or nfkc(team_id)
