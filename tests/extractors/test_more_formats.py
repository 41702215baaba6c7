"""What units and teams also send: WPS files, OFD documents, HEIC photos, multi-page TIFF scans,
and formats that still cannot be read (named, with a request for PDF). Fixtures are built here."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import cv2
import pytest
from PIL import Image

from extractors import ExtractOptions, extract
from extractors.legacy import convert, soffice_path
from extractors.sniff import sniff_format
from tests.conftest import require_tool

from .helpers import compact, text_page_image

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _need_soffice() -> str:
    require_tool("LibreOffice (soffice)", soffice_path, "libreoffice-writer-nogui")
    return soffice_path() or "soffice"


def _similar(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return 1 - Levenshtein.normalized_distance(compact(a), compact(b))


# ------------------------------------------------------------------ WPS through LibreOffice


def test_wps_document_is_converted_and_read(tmp_path):
    """Kingsoft WPS 文字 saves .wps as a Word 97 binary; LibreOffice cannot write Kingsoft's own
    flavour, so the fixture is a Word 97 file LibreOffice writes, saved under a .wps name: exactly the
    bytes a 'WPS 文字 → 保存为 .wps' file has (an OLE compound file with a WordDocument stream)."""
    soffice = _need_soffice()
    src = tmp_path / "src.txt"
    src.write_text("关于推荐质量信得过班组的函\n钢筋班组成果报告\n", encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "doc:MS Word 97",
                    "--outdir", str(tmp_path), str(src)], capture_output=True, timeout=120, check=True)
    wps = tmp_path / "推荐函.wps"
    (tmp_path / "src.doc").rename(wps)
    assert sniff_format(wps) == "doc"
    doc = extract(wps, name="推荐材料/推荐函.wps", options=ExtractOptions(ocr=False))
    assert doc.readable and not doc.problems, doc.problems
    assert doc.metadata["converted_with"] == "libreoffice" and doc.metadata["saved_as"] == "WPS 文字（.wps）"
    assert "关于推荐质量信得过班组的函" in compact(doc.text) and "钢筋班组成果报告" in compact(doc.text)


def test_wps_spreadsheet_is_converted_and_read(tmp_path):
    """WPS 表格 saves .et as an Excel 97 workbook: LibreOffice's calc writes one from a CSV."""
    soffice = _need_soffice()
    src = tmp_path / "src.csv"
    src.write_text("指标,数量\n开展活动班组数,128\n推荐班组数,6\n", encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--infilter=CSV:44,34,76", "--convert-to", "xls:MS Excel 97", "--outdir", str(tmp_path),
                    str(src)], capture_output=True, timeout=120, check=True)
    et = tmp_path / "统计表.et"
    (tmp_path / "src.xls").rename(et)
    assert sniff_format(et) == "xls"
    doc = extract(et, options=ExtractOptions(ocr=False))
    assert doc.readable and doc.metadata["saved_as"] == "WPS 表格（.et）", doc.problems
    assert "开展活动班组数" in compact(doc.text) and "128" in doc.text


def test_hanging_conversion_is_killed_with_its_children(tmp_path):
    """A file that hangs LibreOffice: the conversion overruns, the whole process group is killed and
    the file becomes a problem that names the time limit."""
    _need_soffice()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 600
    src = tmp_path / "卡死.wps"
    src.write_bytes(ole)
    out_dir = tmp_path / "convert"
    out_dir.mkdir()
    with pytest.raises(subprocess.TimeoutExpired):
        convert(src, "doc", out_dir, timeout=0.3)  # soffice cannot even start in 0.3 s
    leftovers = []
    for proc in Path("/proc").iterdir():
        try:
            if str(out_dir) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                leftovers.append(proc.name)
        except OSError:
            continue
    assert not leftovers, f"soffice processes survived the time limit: {leftovers}"
    soffice = _need_soffice()  # a real Word 97 file under a .wps name, given too little time
    (tmp_path / "src.txt").write_text("钢筋班组成果报告\n", encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "doc:MS Word 97",
                    "--outdir", str(tmp_path), str(tmp_path / "src.txt")], capture_output=True, timeout=120, check=True)
    slow = tmp_path / "慢.wps"
    (tmp_path / "src.doc").rename(slow)
    doc = extract(slow, options=ExtractOptions(soffice_timeout=0.3))
    assert not doc.readable and "WPS 文字（.wps）" in doc.problems[0].message
    assert "已终止" in doc.problems[0].message and "PDF" in doc.problems[0].message


# ------------------------------------------------------------------ OFD (GB/T 33190)


def _ofd(path: Path, pages: list[str], media: dict[str, bytes] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    """An OFD package per GB/T 33190: OFD.xml → Doc_0/Document.xml → Pages/Page_N/Content.xml, with
    images as MultiMedia resources in DocumentRes.xml under Res/."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.1" DocType="OFD">'
                    "<ofd:DocBody><ofd:DocInfo><ofd:DocID>a1</ofd:DocID></ofd:DocInfo>"
                    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        page_list = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        zf.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}>'
                    "<ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea>"
                    "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
                    "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
                    f"<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>")
        items = "".join(f'<ofd:MultiMedia ID="{rid}" Type="Image"><ofd:MediaFile>{rid}.png</ofd:MediaFile>'
                        "</ofd:MultiMedia>" for rid in (media or {}))
        zf.writestr("Doc_0/DocumentRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {NS} BaseLoc="Res">'
                    f"<ofd:MultiMedias>{items}</ofd:MultiMedias></ofd:Res>")
        for rid, data in (media or {}).items():
            zf.writestr(f"Doc_0/Res/{rid}.png", data)
        for i, layer in enumerate(pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}>'
                        f'<ofd:Content><ofd:Layer ID="{50 + i}">{layer}</ofd:Layer></ofd:Content></ofd:Page>')
    return path


def _text(obj_id: int, x: float, y: float, text: str, size: float = 5) -> str:
    w = len(text) * size
    return (f'<ofd:TextObject ID="{obj_id}" Boundary="{x} {y} {w + 2} {size + 2}" Font="1" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {len(text) - 1} {size}">{text}</ofd:TextCode></ofd:TextObject>')


def test_ofd_text_objects_come_out_in_reading_order(tmp_path):
    # written out of order, the way producers emit objects per font or per layer
    page1 = (_text(1, 20, 60, "二、推荐班组") + _text(2, 20, 20, "关于推荐质量信得过班组的函")
             + _text(3, 20, 40, "一、推荐单位") + _text(4, 80, 40, "中国建筑第八工程局"))
    page2 = _text(5, 20, 20, "钢筋班组成果报告")
    path = _ofd(tmp_path / "推荐函.ofd", [page1, page2])
    assert sniff_format(path) == "ofd"
    doc = extract(path, options=ExtractOptions(ocr=False))
    assert doc.format == "ofd" and doc.readable and not doc.problems, doc.problems
    assert [p.page for p in doc.pages] == [1, 2]
    assert doc.pages[0].text.split("\n") == ["关于推荐质量信得过班组的函", "一、推荐单位 中国建筑第八工程局",
                                             "二、推荐班组"]
    assert doc.pages[0].source == "text_layer" and round(doc.pages[0].width) == 595
    assert doc.pages[1].text == "钢筋班组成果报告"


@pytest.mark.ocr
def test_ofd_with_only_page_images_is_ocred(tmp_path):
    truth = "工程建设质量信得过班组推荐函"
    img = text_page_image(truth, size=(420, 120), fontsize=20)
    ok, png = cv2.imencode(".png", img)
    assert ok
    layer = '<ofd:ImageObject ID="7" Boundary="0 0 148 42.3" ResourceID="20" CTM="148 0 0 42.3 0 0"/>'
    path = _ofd(tmp_path / "扫描件.ofd", [layer], media={"20": png.tobytes()})
    doc = extract(path)
    assert doc.readable and len(doc.pages) == 1
    page = doc.pages[0]
    assert page.source == "ocr" and page.reason == "ofd_page_image" and page.images == 1
    assert _similar(page.text, truth) > 0.85, page.text
    assert page.lines and page.lines[0].bbox[2] <= 148 * 72 / 25.4 + 1  # boxes in page points


def test_broken_ofd_says_what_it_is(tmp_path):
    path = tmp_path / "坏.ofd"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("OFD.xml", f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                    "</ofd:DocBody></ofd:OFD>")
    doc = extract(path)
    assert doc.format == "ofd" and not doc.readable
    assert "OFD" in doc.problems[0].message and "PDF" in doc.problems[0].message


# ------------------------------------------------------------------ photos and scans


@pytest.mark.ocr
def test_heic_photo_is_read(tmp_path):
    from pillow_heif import from_pillow

    truth = "钢筋班组报名表"
    img = Image.fromarray(text_page_image(truth, size=(300, 100), fontsize=22)).convert("RGB")
    path = tmp_path / "IMG_0001.HEIC"
    from_pillow(img).save(path, quality=90)
    assert sniff_format(path) == "image"
    doc = extract(path)
    assert doc.readable and not doc.problems, doc.problems
    assert len(doc.pages) == 1 and _similar(doc.pages[0].text, truth) > 0.8, doc.pages[0].text


@pytest.mark.ocr
def test_every_page_of_a_multipage_tiff(tmp_path):
    truths = ["第一页推荐函", "第二页统计表", "第三页获奖名单"]
    frames = [Image.fromarray(text_page_image(t, size=(260, 90), fontsize=22)) for t in truths]
    path = tmp_path / "扫描.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(200, 200))
    doc = extract(path)
    assert doc.readable and [p.page for p in doc.pages] == [1, 2, 3]
    for page, truth in zip(doc.pages, truths, strict=True):
        assert _similar(page.text, truth) > 0.8, (page.page, page.text)
        assert round(page.width) == round(260 * 200 / 72 * 72 / 200)  # the recorded DPI gives points


@pytest.mark.parametrize(("head", "label"), [(b"Rar!\x1a\x07\x01\x00" + b"\0" * 64, "RAR"),
                                             (b"CAJ FILE\0\0" + b"\0" * 64, "CAJ"),
                                             (b"\x00\x00\x00\x18ftypmp42" + b"\0" * 64, None)])
def test_what_cannot_be_read_is_named_and_pdf_asked_for(tmp_path, head, label):
    path = tmp_path / "材料.dat"
    path.write_bytes(head)
    doc = extract(path)
    assert not doc.readable and "PDF" in doc.problems[0].message
    if label:
        assert label in doc.problems[0].message


def test_heic_bytes_are_an_image_whatever_the_name(tmp_path):
    buf = io.BytesIO()
    from pillow_heif import from_pillow

    from_pillow(Image.new("RGB", (64, 64), "white")).save(buf)
    path = tmp_path / "photo.jpg"
    path.write_bytes(buf.getvalue())
    assert sniff_format(path) == "image"


def test_a_unit_sending_an_ofd_is_a_unit_bundle(tmp_path):
    from pipeline.inbox import discover

    _ofd(tmp_path / "推荐材料" / "中国建筑第八工程局有限公司.ofd", [_text(1, 20, 20, "关于推荐质量信得过班组的函")])
    found, _ = discover(tmp_path)
    assert [u.group for u in found.units] == ["中国建筑第八工程局有限公司"] and not found.other
