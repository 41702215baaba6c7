"""The hostile-input corpus: every kind of bad input a sender (or an unlucky transfer) can produce.

`write_hostile(root)` adds the corpus to an inbox (normally beside a healthy generated inbox):
each kind is one file, folder or link at its own place, mostly in its own team folder `班组申报/X..-…`
so its finding is easy to find and the healthy teams stay untouched. `KINDS` says, for each kind,
where it is, which problem code the run must report for it (None: read normally, no problem) and a
word the Chinese message must contain. Everything is made here, from bytes: no downloaded files.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from pipeline.samples.hostile_pdf import blank_pdf, blank_scan_pdf, cyclic_structure_pdf, text_pdf, truncated
from pipeline.samples.rar import rar_bytes

TEAMS = "班组申报"
UNITS = "推荐材料"
FORM = "质量信得过班组报名表\n班组名称：{name}\n所在单位：中建八局第三建设有限公司\n推荐单位：中国安装协会"


@dataclass(frozen=True)
class HostileKind:
    """One kind of hostile input: where it lands, the expected code, a word of its Chinese message."""

    key: str
    path: str  # inbox-relative path of the file (or link) that carries the finding
    code: str | None  # the problem code expected on that file; None: read normally, no problem
    hint: str  # a word the message must contain ("" when only the code is checked)
    what: str  # what the kind is, for people (Chinese)
    write: Callable[[Path, Path], None]  # (inbox root, the path it is written at) -> writes it
    at: str = ""  # where it is written when that is not `path` (a container whose member carries the finding)

    @property
    def written_at(self) -> str:
        return self.at or self.path


KINDS: list[HostileKind] = []


def _bytes(data: Callable[[], bytes]) -> Callable[[Path, Path], None]:
    def write(_root: Path, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data())
    return write


def kind(key: str, path: str, code: str | None, hint: str, what: str,
         write: Callable[[Path, Path], None] | Callable[[], bytes], at: str = "") -> None:
    writer = write if write.__code__.co_argcount == 2 else _bytes(write)  # type: ignore[arg-type]
    KINDS.append(HostileKind(key, path, code, hint, what, writer, at))


def team(n: int, label: str, file: str = "成果报告.pdf") -> str:
    return f"{TEAMS}/X{n:02d}-{label}/{file}"


# ------------------------------------------------------------------ builders


def _form(name: str = "测试班组") -> bytes:
    return text_pdf(1, FORM.format(name=name))


def _encrypted_pdf() -> bytes:
    doc = pymupdf.open(stream=text_pdf(1), filetype="pdf")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    doc.close()
    return data


def _zero_page_pdf() -> bytes:
    body = [b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n", b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"]
    out, offsets = b"%PDF-1.4\n", []
    for obj in body:
        offsets.append(len(out))
        out += obj
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


def _page_tree_loop_pdf() -> bytes:
    """A page tree whose /Kids holds the tree itself beside one real page."""
    doc = pymupdf.open(stream=text_pdf(1), filetype="pdf")
    pages = doc.xref_get_key(doc.pdf_catalog(), "Pages")[1].split()[0]
    kids = doc.xref_get_key(int(pages), "Kids")[1]
    doc.xref_set_key(int(pages), "Kids", kids.replace("]", f" {pages} 0 R]"))
    data = doc.tobytes(garbage=0)
    doc.close()
    return data


def _poster_pdf() -> bytes:
    """One page of 200 × 200 inches with a little text: rendering it whole would need 1.6 GB."""
    doc = pymupdf.open()
    page = doc.new_page(width=14400, height=14400)
    page.insert_text((200, 400), "成果报告 海报", fontname="china-s", fontsize=200)
    data = doc.tobytes()
    doc.close()
    return data


def _png(w: int, h: int, rows: bytes | None = None) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = rows if rows is not None else zlib.compress(b"\0" * ((w // 8 + 1) * min(h, 64)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def _small_png() -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 40, 30), False)
    pix.clear_with(255)
    return pix.tobytes("png")


def _jpeg(cut: float | None = None) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=200)
    page.insert_text((20, 100), "报名表 照片", fontname="china-s", fontsize=24)
    data = page.get_pixmap(dpi=72).tobytes("jpeg")
    return data[: int(len(data) * cut)] if cut else data


def _bmp_bomb() -> bytes:
    w = h = 40000
    header = b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, 0, 0, 0, 0, 0)
    return header + b"\0" * 64


def _pptx(picture: bytes | None = None) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "成果报告"
    slide.placeholders[1].text = "一、班组概况\n二、选题理由"
    if picture is not None:
        slide.shapes.add_picture(io.BytesIO(picture), Inches(1), Inches(1), Inches(2), Inches(2))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _zip(members: dict[str, bytes] | list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in (members.items() if isinstance(members, dict) else members):
            zf.writestr(name, data)
    return buf.getvalue()


def _zip_info(build: Callable[[zipfile.ZipFile], None]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        build(zf)
    return buf.getvalue()


def _symlink_member(zf: zipfile.ZipFile) -> None:
    import stat

    info = zipfile.ZipInfo("报名表.pdf")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    zf.writestr(info, "/etc/passwd")


def _encrypted_member_zip() -> bytes:
    """A zip whose member says it is encrypted (zipfile cannot write one: the flag bit is set by hand)."""
    data = bytearray(_zip({"报名表.pdf": b"\x00" * 64}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        data[at] |= 0x1
    return bytes(data)


class _GbkInfo(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own hook
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _gbk_zip() -> bytes:
    return _zip_info(lambda zf: [zf.writestr(_GbkInfo(n), d) for n, d in
                                 {"报名表.pdf": _form("GBK班组"), "成果报告.pdf": text_pdf(2)}.items()])


def _odf(mimetype: str, size: int = 0) -> bytes:
    content = b"<office:document-content>" + "成果报告正文".encode() * (size // 18) + b"</office:document-content>"
    return _zip([("mimetype", mimetype.encode()), ("content.xml", content),
                 ("META-INF/manifest.xml", b"<manifest/>")], zipfile.ZIP_STORED)


def _seven_zip(password: str | None = None) -> bytes:
    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", password=password, header_encryption=bool(password)) as szf:
        szf.writestr(_form("七z班组"), "报名表.pdf")
        szf.writestr(text_pdf(2), "成果报告.pdf")
    return buf.getvalue()


def _tar_gz() -> bytes:
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        data = text_pdf(1)
        info = tarfile.TarInfo("成果报告.pdf")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _link(target: Callable[[Path], Path]) -> Callable[[Path, Path], None]:
    def write(root: Path, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target(root))
    return write


def _outside(root: Path) -> Path:
    """A folder beside the inbox with a file a link points at: it must never be read."""
    out = root.parent / f"{root.name}-outside"
    (out / "X99-外部").mkdir(parents=True, exist_ok=True)
    (out / "X99-外部" / "报名表.pdf").write_bytes(_form("外部班组"))
    return out


def _fifo(_root: Path, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def _raw_name(raw: bytes, data: Callable[[], bytes]) -> Callable[[Path, Path], None]:
    def write(_root: Path, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(os.fsencode(path.parent) + b"/" + raw, "wb") as fh:
            fh.write(data())
    return write


def _twin_team(_root: Path, path: Path) -> None:
    """Two folders whose ids differ only in full-width / half-width characters."""
    for folder in ("Z38-钢筋班组", "Ｚ３８－钢筋班组"):
        (path.parents[1] / folder).mkdir(parents=True, exist_ok=True)
        (path.parents[1] / folder / "报名表.pdf").write_bytes(_form(folder))


def _formula_team(_root: Path, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_form("=HYPERLINK(\"http://evil.example\",\"点击\")"))


# ------------------------------------------------------------------ the kinds

ZEROS = b"\0" * (10 * 1024 * 1024)
P = text_pdf  # a healthy report body, for containers that need a good member

kind("pdf_empty", team(1, "空文件"), "unreadable_file", "空", "0 字节的 PDF", lambda: b"")
kind("pdf_cut_4kb", team(2, "截断4KB"), "unreadable_file", "损坏", "只传了前 4 KB 的 PDF",
     lambda: truncated(text_pdf(30), size=4096))
kind("pdf_cut_third", team(3, "截断三分之一"), "unreadable_file", "损坏", "只传了三分之一的 PDF",
     lambda: truncated(text_pdf(30), 1 / 3))
kind("pdf_cut_90", team(4, "截断九成"), "unreadable_file", "截断", "少了最后 10% 的 PDF",
     lambda: truncated(text_pdf(30), 0.9))
kind("pdf_header_only", team(5, "只有文件头"), "unreadable_file", "损坏", "只有 %PDF 文件头", lambda: b"%PDF-1.7\n")
kind("pdf_garbage", team(6, "乱码内容"), "unreadable_file", "损坏", "%PDF 文件头后全是随机字节",
     lambda: b"%PDF-1.4\n" + bytes((i * 7919) % 251 for i in range(50000)))
kind("pdf_encrypted", team(7, "加密"), "unreadable_file", "加密", "设有打开密码的 PDF", _encrypted_pdf)
kind("pdf_zero_pages", team(8, "零页"), "unreadable_file", "损坏", "页数为 0 的 PDF", _zero_page_pdf)
kind("pdf_cyclic_structure", team(9, "结构树成环"), None, "", "结构树（StructTreeRoot）成环的带标签 PDF",
     lambda: cyclic_structure_pdf(15))
kind("pdf_page_tree_loop", team(10, "页树成环"), None, "", "页树 /Kids 指向自身的 PDF", _page_tree_loop_pdf)
kind("pdf_blank_2000", team(11, "两千空白页"), None, "", "2000 页全空白的 PDF", lambda: blank_pdf(2000))
kind("pdf_blank_scans", team(12, "空白扫描"), None, "", "扫描的空白纸（只有噪点）", lambda: blank_scan_pdf(5))
kind("pdf_too_many_pages", team(13, "超页数"), "too_many_pages", "超过上限", "2100 页的 PDF（上限 2000 页）",
     lambda: blank_pdf(2100))
kind("pdf_poster_page", team(14, "巨幅页面"), None, "", "200×200 英寸的单页 PDF", _poster_pdf)
kind("pdf_named_pptx", team(15, "PDF冒充PPTX", "成果报告.pptx"), "unreadable_file", "扩展名",
     "扩展名为 .pptx 的 PDF", lambda: text_pdf(2))
kind("html_named_pdf", team(16, "网页冒充PDF"), "unreadable_file", "扩展名", "保存成 .pdf 的下载网页",
     lambda: "<html><body>附件下载页面：请点击下载</body></html>".encode())
kind("pdf_with_javascript", team(17, "含脚本"), None, "", "带打开动作脚本的 PDF", lambda: _with_js())
kind("png_30000", team(18, "超大图片", "报名表.png"), "unreadable_file", "尺寸过大", "声明 30000×30000 像素的 PNG",
     lambda: _png(30000, 30000))
kind("bmp_40000", team(19, "超大BMP", "报名表.bmp"), "unreadable_file", "尺寸过大", "声明 40000×40000 像素的 BMP",
     _bmp_bomb)
kind("png_garbage", team(20, "坏PNG", "报名表.png"), "unreadable_file", "损坏", "PNG 文件头后是乱码",
     lambda: b"\x89PNG\r\n\x1a\n" + b"\x13" * 4000)
kind("jpeg_cut", team(21, "截断JPEG", "报名表.jpg"), "unreadable_file", "损坏", "只传了一半的 JPEG",
     lambda: _jpeg(0.3))
kind("png_named_pdf", team(22, "图片冒充PDF", "报名表.pdf"), "unreadable_file", "扩展名",
     "扩展名为 .pdf 的 PNG 图片", _small_png)
kind("pptx_cut", team(23, "截断PPTX", "成果报告.pptx"), "unreadable_file", "损坏", "只传了一半的 PPTX",
     lambda: truncated(_pptx(), 0.5))
kind("pptx_picture_bomb", team(24, "PPT图片炸弹", "成果报告.pptx"), "image_too_large", "尺寸过大",
     "图片声明 12000×12000 像素的 PPTX", lambda: _pptx(_png(12000, 12000)))
kind("odp", team(25, "ODP", "成果报告.odp"), "unreadable_file", "OpenDocument", "OpenDocument 演示文稿（.odp）",
     lambda: _odf("application/vnd.oasis.opendocument.presentation"))
kind("odp_cut", team(26, "截断ODP", "成果报告.odp"), "unreadable_file", "OpenDocument", "只传了一半的 .odp",
     lambda: truncated(_odf("application/vnd.oasis.opendocument.presentation", 200_000), 0.6))
kind("keynote", team(27, "Keynote", "成果报告.key"), "unreadable_file", "Keynote", "Apple Keynote 演示文稿（.key）",
     lambda: _zip({"Index/Document.iwa": b"\0" * 100, "Metadata/Properties.plist": b"<plist/>"}))
kind("ofd", team(28, "OFD", "成果报告.ofd"), "unreadable_file", "", "缺少页面内容的 OFD 版式文档",
     lambda: _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"}))
kind("ole_garbage", team(29, "坏PPT", "成果报告.ppt"), "unreadable_file", "", "OLE 文件头后是乱码的 .ppt",
     lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 4096)
kind("zip_file_and_folder", f"{TEAMS}/X30-同名文件夹.zip", None, "", "同时含文件“资料”和“资料/报名表.pdf”的 ZIP",
     lambda: _zip([("资料", b"x"), ("资料/报名表.pdf", _form("同名"))]))
kind("zip_long_member", f"{TEAMS}/X31-超长路径.zip", None, "", "成员路径超过 1000 字节的 ZIP",
     lambda: _zip({"很长的文件夹" * 40 + "/" + "成果报告" * 30 + ".pdf": P(1)}))
kind("zip_same_name_twice", f"{TEAMS}/X32-同名两份.zip", "archive_name_clash", "同名", "两个不同的 报名表.pdf",
     lambda: _zip([("报名表.pdf", _form("甲")), ("报名表.pdf", _form("乙"))]))
kind("zip_traversal", f"{TEAMS}/X33-路径穿越.zip", "unsafe_archive_member", "解压目录之外", "成员名含 ../../",
     lambda: _zip({"../../../etc/cron.d/evil": b"x", "报名表.pdf": _form()}))
kind("zip_absolute", f"{TEAMS}/X34-绝对路径.zip", "unsafe_archive_member", "解压目录之外", "成员名是绝对路径",
     lambda: _zip({"/tmp/evil.pdf": b"x", "报名表.pdf": _form()}))
kind("zip_symlink", f"{TEAMS}/X35-链接成员.zip", "unsafe_archive_member", "链接", "成员是指向 /etc/passwd 的链接",
     lambda: _zip_info(_symlink_member))
kind("zip_bomb", f"{TEAMS}/X36-压缩炸弹.zip", "unsafe_archive_member", "压缩炸弹", "20 个 10 MB 全零成员（压缩后约 200 KB）",
     lambda: _zip([(f"{i:03d}.pdf", ZEROS) for i in range(20)]))
kind("zip_many_members", f"{TEAMS}/X37-文件过多.zip", "unsafe_archive_member", "文件数", "2001 个成员的 ZIP",
     lambda: _zip([(f"{i}.txt", b"x") for i in range(2001)], zipfile.ZIP_STORED))
kind("zip_encrypted_member", f"{TEAMS}/X38-加密成员.zip", "unreadable_file", "加密", "成员设有密码",
     _encrypted_member_zip)
kind("zip_cut", f"{TEAMS}/X39-截断ZIP.zip", "unreadable_file", "损坏", "只传了一半的 ZIP",
     lambda: truncated(_zip({"报名表.pdf": _form(), "成果报告.pdf": P(20)}, zipfile.ZIP_STORED), 0.5))
kind("zip_empty", f"{TEAMS}/X40-空ZIP.zip", "unreadable_file", "空的", "没有任何成员的 ZIP", lambda: _zip({}))
kind("zip_not_zip", f"{TEAMS}/X41-假ZIP.zip", "unreadable_file", "损坏", "PK 文件头后是乱码",
     lambda: b"PK\x03\x04" + b"\x01" * 3000)
kind("zip_nested_zip", f"{TEAMS}/X42-套娃.zip/内层.zip", "unreadable_file", "压缩包", "ZIP 里还有 ZIP（不再解压）",
     lambda: _zip({"内层.zip": _zip({"报名表.pdf": _form()}), "报名表.pdf": _form("套娃")}),
     at=f"{TEAMS}/X42-套娃.zip")
kind("zip_gbk_names", f"{TEAMS}/X43-中文Windows.zip/报名表.pdf", None, "", "中文 Windows 打包（GBK 文件名）",
     _gbk_zip, at=f"{TEAMS}/X43-中文Windows.zip")
kind("rar_ok", f"{TEAMS}/X44-RAR.rar/报名表.pdf", None, "", "RAR 压缩包",
     lambda: rar_bytes({"报名表.pdf": _form("RAR班组"), "成果报告.pdf": P(2)}), at=f"{TEAMS}/X44-RAR.rar")
kind("rar_traversal", f"{TEAMS}/X45-RAR穿越.rar", "unsafe_archive_member", "解压目录之外", "RAR 成员名含 ../",
     lambda: rar_bytes({"../../evil.pdf": b"x", "报名表.pdf": _form()}))
kind("rar_cut", f"{TEAMS}/X46-截断RAR.rar", "unreadable_file", "", "只传了一半的 RAR",
     lambda: truncated(rar_bytes({"报名表.pdf": _form(), "成果报告.pdf": P(10)}), 0.5))
kind("rar_garbage", f"{TEAMS}/X47-假RAR.rar", "unreadable_file", "损坏", "RAR 文件头后是乱码",
     lambda: b"Rar!\x1a\x07\x00" + b"\x05" * 2000)
kind("7z_ok", f"{TEAMS}/X48-7z.7z/报名表.pdf", None, "", "7z 压缩包", _seven_zip, at=f"{TEAMS}/X48-7z.7z")
kind("7z_encrypted", f"{TEAMS}/X49-加密7z.7z", "unreadable_file", "密码", "文件名也加密的 7z",
     lambda: _seven_zip("secret"))
kind("7z_cut", f"{TEAMS}/X50-截断7z.7z", "unreadable_file", "损坏", "只传了一半的 7z",
     lambda: truncated(_seven_zip(), 0.5))
kind("tar_gz", f"{TEAMS}/X51-TAR.tar.gz", "unreadable_file", "ZIP", "tar.gz 压缩包（不支持）", _tar_gz)
kind("link_team_outside", f"{TEAMS}/X52-外链文件夹", "special_file", "符号链接", "指向收件箱外文件夹的链接",
     _link(lambda root: _outside(root) / "X99-外部"))
kind("link_file_outside", f"{UNITS}/外链协会.pdf", "special_file", "符号链接", "指向收件箱外文件的链接",
     _link(lambda root: _outside(root) / "X99-外部" / "报名表.pdf"))
kind("link_dangling", team(53, "断链", "报名表.pdf"), "special_file", "符号链接", "目标不存在的链接",
     _link(lambda root: root / "不存在的文件.pdf"))
kind("fifo", team(54, "管道", "报名表.pdf"), "special_file", "管道", "命名管道（读取会永远等待）", _fifo)
kind("name_not_utf8", team(55, "GBK文件名"), None, "", "文件名是 GBK 字节（不是 UTF-8）",
     _raw_name("成果报告.pdf".encode("gbk"), lambda: P(1)))
kind("name_undecodable", team(56, "坏文件名", "\ufffd\ufffd\ufffd.pdf"), None, "", "文件名是无法解码的字节",
     _raw_name(b"\xff\xfe\xfd.pdf", lambda: P(1)))
kind("name_control_chars", team(57, "控制字符", "成果\t报告\x07.pdf"), None, "", "文件名含制表符和响铃字符",
     lambda: P(1))
kind("name_max_length", team(58, "超长文件名", "成" * 80 + ".pdf"), None, "", "文件名 244 字节（接近上限）",
     lambda: P(1))
kind("team_id_width", f"{TEAMS}/Ｚ３８－钢筋班组/报名表.pdf", "team_id_variant", "全角", "Z38- 与 Ｚ３８－ 两个文件夹",
     _twin_team)
kind("team_formula_name", f"{TEAMS}/=HYPERLINK(\"http：evil\",\"点击\")/报名表.pdf", None, "",
     "文件夹名是 Excel 公式", _formula_team)
kind("duplicate_bytes", team(59, "重复提交", "报名表（重发）.pdf"), "duplicate_file", "重复",
     "与另一个文件字节相同", lambda: _same_form())
kind("pptx_named_pdf", team(60, "PPTX冒充PDF"), "unreadable_file", "扩展名", "扩展名为 .pdf 的 PPTX",
     lambda: _pptx())


_SAME: list[bytes] = []


def _same_form() -> bytes:
    """The same bytes each time (PyMuPDF writes a new file id into every PDF it saves)."""
    if not _SAME:
        _SAME.append(_form("重复"))
    return _SAME[0]


def _with_js() -> bytes:
    doc = pymupdf.open(stream=text_pdf(1), filetype="pdf")
    js = doc.get_new_xref()
    doc.update_object(js, "<< /S /JavaScript /JS (app.alert('hi');) >>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    data = doc.tobytes()
    doc.close()
    return data


def write_hostile(root: Path) -> list[HostileKind]:
    """Add every kind to the inbox at `root`; returns the kinds written (links and FIFOs need POSIX)."""
    root = Path(root)
    for k in KINDS:
        if k.key == "duplicate_bytes":  # its twin, written first and dated earlier: this one is the copy
            first = root / k.path
            first.parent.mkdir(parents=True, exist_ok=True)
            (first.parent / "报名表.pdf").write_bytes(_same_form())
            os.utime(first.parent / "报名表.pdf", (1716000000, 1716000000))
        k.write(root, root / k.written_at)
        if k.key == "duplicate_bytes":
            os.utime(root / k.path, (1716100000, 1716100000))
    return list(KINDS)
