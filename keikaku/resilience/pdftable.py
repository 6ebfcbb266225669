"""A fast PDF writer for long tables (the action plan of thousands of programmes).

WeasyPrint lays out a table page by page in Python; an action plan of 2,000 programmes × 5
sites is about 700 A4 pages, which takes minutes. This writer does the one thing such a
table needs — fixed columns, wrapped Japanese text, header rows repeated on every page,
group headings, running title and 「n / N」 page numbers — directly with pydyf (WeasyPrint's
own PDF layer), in a few seconds. Text is Noto Sans CJK JP (the fontconfig path of
Debian's fonts-noto-cjk), embedded as a CID-keyed CFF subset (fontTools), with a ToUnicode
map so that the text can be searched, copied and read aloud.

Line breaking: Japanese text may break between any two characters, except that closing
punctuation (、。）」 …) never starts a line and opening brackets never end one; runs of
Latin letters and digits are kept together when they fit.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pydyf

PAGE_W, PAGE_H = 841.89, 595.28  # A4 landscape, points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 28.0, 40.0, 34.0
FONT_FAMILY = "Noto Sans CJK JP"
NO_START = set(
    "、。，．,.）)]｝」』】〕〉》’”・ー…‥ゝゞヽヾぁぃぅぇぉっゃゅょァィゥェォッャュョ！？!?％%：；:;"
)
NO_END = set("（(［[｛「『【〔〈《‘“")


class FontMissing(RuntimeError):
    pass


def fontconfig(*command: str) -> str:
    """What a fontconfig tool (fc-list, fc-match) prints; "" when it cannot be run."""
    try:
        return subprocess.run(
            list(command), capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


@lru_cache(maxsize=1)
def font_path() -> tuple[str, int]:
    """(file, index) of Noto Sans CJK JP Regular, asked of fontconfig."""
    out = fontconfig("fc-match", "-f", "%{file}|%{index}", f"{FONT_FAMILY}:style=Regular")
    path, _sep, index = out.partition("|")
    if not path or "NotoSansCJK" not in path.replace(" ", ""):
        raise FontMissing(FONT_FAMILY)
    return path, int(index or 0)


class Font:
    """Metrics and glyph ids of Noto Sans CJK JP (a CID-keyed CFF font with CID = GID)."""

    def __init__(self) -> None:
        from fontTools.ttLib import TTFont

        path, index = font_path()
        self.path, self.index = path, index
        self.tt = TTFont(path, fontNumber=index, lazy=True)
        self.cmap: dict[int, str] = self.tt.getBestCmap()
        self.hmtx = self.tt["hmtx"]
        self.upm = self.tt["head"].unitsPerEm
        self._gid: dict[str, int] = {}
        self._adv: dict[str, float] = {}
        self.used: dict[int, str] = {}  # gid → character (for ToUnicode)

    def gid(self, ch: str) -> int:
        g = self._gid.get(ch)
        if g is None:
            name = self.cmap.get(ord(ch))
            g = self.tt.getGlyphID(name) if name else 0
            self._gid[ch] = g
        return g

    def advance(self, ch: str) -> float:
        """Advance width in 1/1000 em."""
        a = self._adv.get(ch)
        if a is None:
            name = self.cmap.get(ord(ch))
            a = self.hmtx[name][0] * 1000 / self.upm if name else 1000.0
            self._adv[ch] = a
        return a

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(c) for c in text) * size / 1000

    def encode(self, text: str) -> bytes:
        out = []
        for ch in text:
            g = self.gid(ch)
            self.used.setdefault(g, ch)
            out.append(f"{g:04x}")
        return ("<" + "".join(out) + ">").encode("ascii")

    def subset_cff(self) -> bytes:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        options = subset.Options()
        options.retain_gids = True  # CIDs in the text stay the original glyph ids
        options.layout_features = []
        options.name_IDs = []
        options.hinting = False
        options.notdef_outline = True
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
        font = TTFont(self.path, fontNumber=self.index)
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted(self.used))
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        return bytes(TTFont(buffer).getTableData("CFF "))


def _is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./:%+#@&")


def wrap(font: Font, text: str, width: float, size: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (a longer unbreakable run is cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        line_w = 0.0
        i = 0
        n = len(paragraph)
        while i < n:
            # Take a unit: an ASCII word, or one character.
            j = i + 1
            if _is_word(paragraph[i]):
                while j < n and _is_word(paragraph[j]):
                    j += 1
            unit = paragraph[i:j]
            unit_w = font.width(unit, size)
            if line and line_w + unit_w > width:
                if unit[0] in NO_START:
                    # Hang closing punctuation on the line rather than start the next one.
                    line += unit
                    line_w += unit_w
                    i = j
                    continue
                carry = ""
                if line[-1] in NO_END:
                    carry, line = line[-1], line[:-1]
                lines.append(line)
                line, line_w = carry, font.width(carry, size)
            if unit_w > width and len(unit) > 1:
                # An overlong word: cut it character by character.
                for ch in unit:
                    w = font.width(ch, size)
                    if line and line_w + w > width:
                        lines.append(line)
                        line, line_w = "", 0.0
                    line += ch
                    line_w += w
            else:
                line += unit
                line_w += unit_w
            i = j
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # points
    align: str = "left"  # "left" | "right"


@dataclass
class Row:
    cells: Sequence[str]
    kind: str = "data"  # "data" | "group" (a heading spanning the full width)


@dataclass
class _Laid:
    row: Row
    lines: list[list[str]]
    height: float


@dataclass
class TableDocument:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Row]
    intro: Sequence[str] = field(default_factory=tuple)  # paragraphs under the title
    size: float = 6.5
    header_size: float = 6.5

    def render(self) -> bytes:
        return _render(self)


def _render(doc: TableDocument) -> bytes:
    font = Font()
    size = doc.size
    leading = size * 1.35
    pad = 2.2
    table_w = sum(c.width for c in doc.columns)
    x0 = MARGIN_X

    def lay(row: Row) -> _Laid:
        if row.kind == "group":
            lines = [wrap(font, row.cells[0], table_w - 2 * pad, size + 1.5)]
            return _Laid(row, lines, len(lines[0]) * (size + 1.5) * 1.35 + 2 * pad + 2)
        lines = [
            wrap(font, text or "", col.width - 2 * pad, size)
            for text, col in zip(row.cells, doc.columns, strict=True)
        ]
        return _Laid(row, lines, max(len(cell) for cell in lines) * leading + 2 * pad)

    header = lay(Row([c.header for c in doc.columns]))
    laid = [lay(r) for r in doc.rows]
    usable_bottom = MARGIN_BOTTOM
    # Paginate.
    pages: list[list[_Laid]] = []
    current: list[_Laid] = []
    title_h = 18 + len(doc.intro) * (size + 4) + 6
    y = PAGE_H - MARGIN_TOP - title_h - header.height
    for i, item in enumerate(laid):
        need = item.height
        if item.row.kind == "group" and i + 1 < len(laid):
            need += laid[i + 1].height  # keep a heading with its first row
        if current and y - need < usable_bottom:
            pages.append(current)
            current = []
            y = PAGE_H - MARGIN_TOP - header.height
        current.append(item)
        y -= item.height
    pages.append(current)

    pdf = pydyf.PDF()
    font_ref_name = "F1"
    streams: list[pydyf.Stream] = []
    total = len(pages)
    for number, items in enumerate(pages, start=1):
        s = pydyf.Stream(compress=True)
        ops: list[bytes] = s.stream
        ops.append(b"0.4 w")

        def text(x: float, y_: float, value: str, sz: float, _ops: list[bytes] = ops) -> None:
            if not value:
                return
            _ops.append(
                b"BT /%s %.2f Tf %.2f %.2f Td %s Tj ET"
                % (font_ref_name.encode(), sz, x, y_, font.encode(value))
            )

        # Running header and footer.
        grey = b"0.35 0.35 0.35 rg"
        ops.append(grey)
        text(MARGIN_X, PAGE_H - 22, doc.title, 7)
        footer = f"{number} / {total}"
        text((PAGE_W - font.width(footer, 7)) / 2, 16, footer, 7)
        ops.append(b"0 0 0 rg")
        y = PAGE_H - MARGIN_TOP
        if number == 1:
            text(MARGIN_X, y - 14, doc.title, 13)
            y -= 18
            for paragraph in doc.intro:
                text(MARGIN_X, y - size - 2, paragraph, size + 1)
                y -= size + 4
            y -= 6

        def draw_row(
            item: _Laid, top: float, *, head: bool = False, _ops: list[bytes] = ops
        ) -> None:
            h = item.height
            if item.row.kind == "group":
                _ops.append(
                    b"0.95 0.95 0.96 rg %.2f %.2f %.2f %.2f re f 0 0 0 rg"
                    % (x0, top - h, table_w, h)
                )
                _ops.append(b"%.2f %.2f %.2f %.2f re S" % (x0, top - h, table_w, h))
                gy = top - pad - (size + 1.5)
                for line in item.lines[0]:
                    _ops.append(b"2 Tr 0.25 w")
                    text(x0 + pad, gy, line, size + 1.5)
                    _ops.append(b"0 Tr 0.4 w")
                    gy -= (size + 1.5) * 1.35
                return
            if head:
                _ops.append(
                    b"0.91 0.91 0.92 rg %.2f %.2f %.2f %.2f re f 0 0 0 rg"
                    % (x0, top - h, table_w, h)
                )
                _ops.append(b"2 Tr 0.2 w")
            x = x0
            for col, lines in zip(doc.columns, item.lines, strict=True):
                _ops.append(b"%.2f %.2f %.2f %.2f re S" % (x, top - h, col.width, h))
                ly = top - pad - size
                for line in lines:
                    if col.align == "right" and not head:
                        lx = x + col.width - pad - font.width(line, size)
                    else:
                        lx = x + pad
                    text(lx, ly, line, size)
                    ly -= leading
                x += col.width
            if head:
                _ops.append(b"0 Tr 0.4 w")

        draw_row(header, y, head=True)
        y -= header.height
        for item in items:
            draw_row(item, y)
            y -= item.height
        streams.append(s)

    cff = font.subset_cff()
    font_file = pydyf.Stream([cff], {"Subtype": "/CIDFontType0C"}, compress=True)
    pdf.add_object(font_file)
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": "/KKAAAA+NotoSansCJKjp-Regular",
            "Flags": 4,
            "FontBBox": pydyf.Array([-1002, -1048, 2928, 1808]),
            "ItalicAngle": 0,
            "Ascent": 880,
            "Descent": -120,
            "CapHeight": 733,
            "StemV": 80,
            "FontFile3": font_file.reference,
        }
    )
    pdf.add_object(descriptor)
    widths: list[Any] = []
    for gid in sorted(font.used):
        ch = font.used[gid]
        widths += [gid, pydyf.Array([round(font.advance(ch))])]
    cid_font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType0",
            "BaseFont": "/KKAAAA+NotoSansCJKjp-Regular",
            "CIDSystemInfo": pydyf.Dictionary(
                {
                    "Registry": pydyf.String("Adobe"),
                    "Ordering": pydyf.String("Identity"),
                    "Supplement": 0,
                }
            ),
            "FontDescriptor": descriptor.reference,
            "DW": 1000,
            "W": pydyf.Array(widths),
        }
    )
    pdf.add_object(cid_font)
    to_unicode = pydyf.Stream([_to_unicode_cmap(font.used)], compress=True)
    pdf.add_object(to_unicode)
    type0 = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": "/KKAAAA+NotoSansCJKjp-Regular",
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]),
            "ToUnicode": to_unicode.reference,
        }
    )
    pdf.add_object(type0)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({font_ref_name: type0.reference})})
    pdf.add_object(resources)
    for s in streams:
        pdf.add_object(s)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, PAGE_W, PAGE_H]),
                "Contents": s.reference,
                "Resources": resources.reference,
            }
        )
        pdf.add_page(page)
    pdf.info["Title"] = pydyf.String(doc.title)
    pdf.info["Producer"] = pydyf.String("Keikaku")
    pdf.catalog["Lang"] = pydyf.String("ja")
    out = io.BytesIO()
    pdf.write(out, version=b"1.7", compress=True)
    return out.getvalue()


def _to_unicode_cmap(used: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    items = sorted(used.items())
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, ch in chunk:
            lines.append(f"<{gid:04x}> <{ch.encode('utf-16-be').hex()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
