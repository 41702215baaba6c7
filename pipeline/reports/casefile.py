"""The case file of one flag: a printable PDF a discipline officer can file and rule on (第十五条).

Every evidence passage is in it (none folded away as on screen), with both teams, years and files, the
CNKI-style ratios of both reports and, where the originals are archived, the region of each original
page beside the text. Written with PyMuPDF's built-in CJK font, so it needs no office suite and prints
the same everywhere; copied characters are red and underlined, so they survive black-and-white print as
underlining.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from core.model import CopyRatios, Flag, FlagSide
from pipeline.reports.common import atomic_write_bytes
from pipeline.reports.wording import page_label, pair_wording, segments

PAGE = pymupdf.paper_rect("a4")
MARGIN = 48.0
BODY = 10.0
RED = (0.75, 0.05, 0.05)
BLACK = (0.0, 0.0, 0.0)
GREY = (0.35, 0.35, 0.35)


@dataclass
class _Writer:
    """A flowing page writer: lines of (text, copied) segments wrapped at character level (Chinese has
    no spaces to wrap at), new pages as needed. One text writer per run of one colour, flushed at the
    page's end, keeps a 50-passage file fast."""

    doc: pymupdf.Document = field(default_factory=pymupdf.open)
    font: pymupdf.Font = field(default_factory=lambda: pymupdf.Font("china-s"))
    page: pymupdf.Page | None = None
    y: float = 0.0
    writers: list[tuple[tuple, pymupdf.TextWriter]] = field(default_factory=list)
    widths: dict[tuple[str, float], float] = field(default_factory=dict)

    def flush(self) -> None:
        for color, tw in self.writers:  # in writing order, so text copied out of the PDF reads right
            tw.write_text(self.page, color=color)
        self.writers = []

    def new_page(self) -> None:
        if self.page is not None:
            self.flush()
        self.page = self.doc.new_page(width=PAGE.width, height=PAGE.height)
        self.y = MARGIN

    def need(self, height: float) -> None:
        if self.page is None or self.y + height > PAGE.height - MARGIN:
            self.new_page()

    def width(self, ch: str, size: float) -> float:
        key = (ch, size)
        if key not in self.widths:
            self.widths[key] = self.font.text_length(ch, fontsize=size)
        return self.widths[key]

    def _put(self, x: float, run: str, size: float, color: tuple, copied: bool) -> float:
        assert self.page is not None
        if not self.writers or self.writers[-1][0] != color:
            self.writers.append((color, pymupdf.TextWriter(self.page.rect)))
        tw = self.writers[-1][1]
        tw.append((x, self.y + size), run, font=self.font, fontsize=size)
        w = self.font.text_length(run, fontsize=size)
        if copied:
            self.page.draw_line((x, self.y + size + 1.5), (x + w, self.y + size + 1.5), color=RED, width=0.6)
        return x + w

    def text(self, segments: list[tuple[str, bool]], size: float = BODY, color: tuple = BLACK,
             x0: float = MARGIN, x1: float = PAGE.width - MARGIN) -> None:
        """Write segments wrapped between x0 and x1; copied segments red and underlined."""
        lead = size * 1.45
        x = x0
        self.need(lead)
        for piece, copied in segments:
            c = RED if copied else color
            run, run_x = "", x
            for ch in piece:
                w = self.width(ch, size)
                if ch == "\n" or x + w > x1:
                    if run:
                        self._put(run_x, run, size, c, copied)
                    run, x = "", x0
                    self.y += lead
                    self.need(lead)
                    run_x = x
                    if ch == "\n":
                        continue
                run += ch
                x += w
            if run:
                self._put(run_x, run, size, c, copied)
        self.y += lead

    def gap(self, h: float = 6.0) -> None:
        self.y += h

    def image(self, path: Path, max_height: float = 180.0, x0: float = MARGIN,
              x1: float = PAGE.width - MARGIN) -> None:
        try:
            pix = pymupdf.Pixmap(str(path))
        except Exception:  # an unreadable picture: the text stays the evidence
            return
        w = x1 - x0
        h = min(max_height, w * pix.height / max(pix.width, 1))
        self.need(h + 4)
        assert self.page is not None
        self.page.insert_image(pymupdf.Rect(x0, self.y, x1, self.y + h), filename=str(path), keep_proportion=True)
        self.y += h + 4


def _side_lines(label: str, s: FlagSide) -> list[str]:
    return [
        f"{label}：{s.year}年　{s.team or s.team_id}",
        f"　　编号 {s.team_id}" + (f"　单位 {s.company}" if s.company else ""),
        f"　　文件 {s.file}",
    ]


def _ratio_lines(label: str, r: CopyRatios | None) -> list[str]:
    if r is None:
        return [f"{label}：（无比例数据）"]
    out = [f"{label}（{r.file}，{r.chars} 字）"]
    for key in ("total", "without_template", "without_self", "largest"):
        if r.notes.get(key):
            out.append("　　" + r.notes[key])
    if r.sections:
        out.append("　　" + r.notes.get("sections", "各部分文字复制比："))
        out += [f"　　　　{s.heading}：{s.ratio * 100:.1f}%（{s.chars} 字）" for s in r.sections]
    return out


def _segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:

    return segments(text, spans)


def _page_label(file: str, page: int, end: int | None) -> str:

    return page_label(file, page, end)


def write_case_file(flag: Flag, out_path: Path, *, year: int | None = None,
                    images: dict[int, tuple[Path | None, Path | None]] | None = None) -> Path:
    """Write the case file of `flag` to `out_path` (PDF) and return the path.

    `year` is the year under review (default: side A's); `images` the evidence pictures from
    `pipeline.reports.evidence_images.evidence_images` (index -> (A picture, B picture)), optional."""
    w = pair_wording(flag, year if year is not None else flag.a.year)
    wr = _Writer()
    wr.new_page()
    wr.text([(f"抄袭嫌疑案卷　标记编号 {flag.flag_id or '—'}", False)], size=16)
    wr.text([(w.headline, False)], size=11)
    wr.text([(w.explain, False)], size=9, color=GREY)
    wr.gap()
    for line in _side_lines(w.a_label, flag.a) + _side_lines(w.b_label, flag.b):
        wr.text([(line, False)])
    wr.gap()
    wr.text([(f"相似度 {flag.similarity * 100:.1f}%　文字复制比：{w.a_short} {flag.copy_ratio_a * 100:.1f}%，"
              f"{w.b_short} {flag.copy_ratio_b * 100:.1f}%　证据段落 {len(flag.evidence)} 段", False)])
    if flag.decision:
        verdict = {"confirmed": "确认抄袭", "dismissed": "已排除"}.get(flag.decision, flag.decision)
        wr.text([(f"复核结论：{verdict}" + (f"（{flag.decided_by}）" if flag.decided_by else "")
                  + (f"　意见：{flag.decision_note}" if flag.decision_note else ""), False)])
    wr.gap()
    wr.text([("文字复制比（参照中国知网检测报告）", False)], size=12)
    for line in _ratio_lines(w.a_label, flag.ratios_a) + _ratio_lines(w.b_label, flag.ratios_b):
        wr.text([(line, False)], size=9)
    wr.gap()
    wr.text([("证据段落（红色下划线为相同文字；全部列出）", False)], size=12)
    n = len(flag.evidence)
    for k, e in enumerate(flag.evidence):
        a_file, b_file = e.a_file or flag.a.file, e.b_file or flag.b.file
        wr.need(60)
        wr.gap(4)
        assert wr.page is not None
        wr.page.draw_line((MARGIN, wr.y), (PAGE.width - MARGIN, wr.y), color=GREY, width=0.4)
        wr.gap(4)
        chars = e.chars or sum(b - a for a, b in e.a_spans)
        wr.text([(f"证据 {k + 1}/{n}　相同 {chars} 字", False)], size=10)
        pics = (images or {}).get(k, (None, None))
        for label, file, page, end, text, spans, pic in (
            (w.a_short, a_file, e.a_page, e.a_page_end, e.a_text, e.a_spans, pics[0]),
            (w.b_short, b_file, e.b_page, e.b_page_end, e.b_text, e.b_spans, pics[1]),
        ):
            wr.text([(f"{label}　{_page_label(file, page, end)}（{Path(file).name}）", False)], size=9, color=GREY)
            wr.text(_segments(text, spans), size=BODY)
            if pic is not None:
                wr.image(pic)
    wr.flush()
    for i, page in enumerate(wr.doc, 1):  # page numbers and the flag on every sheet: pages stay together
        page.insert_text((MARGIN, PAGE.height - 24), f"标记 {flag.flag_id or '—'}　{flag.a.team_id} ↔ {flag.b.team_id}"
                         f"　第 {i} 页 共 {wr.doc.page_count} 页", fontname="china-s", fontsize=8, color=GREY)
    wr.doc.set_metadata({"title": f"抄袭嫌疑案卷 {flag.flag_id}", "creator": "banzu"})
    data = wr.doc.tobytes(garbage=3, deflate=True)
    wr.doc.close()
    return atomic_write_bytes(Path(out_path), data)
