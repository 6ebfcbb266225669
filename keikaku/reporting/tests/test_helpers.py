"""Shared report helpers: XlsxWriter workbook (formula conversion off) and WeasyPrint PDF."""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pytest

from keikaku.reporting.pdf import html_to_pdf, pdf_text, svg_data_uri
from keikaku.reporting.xlsx import XlsxBook, safe_sheet_name


def test_safe_sheet_name() -> None:
    used: set[str] = set()
    assert safe_sheet_name("施策/指標[一覧]:*?", used) == "施策_指標_一覧____"
    long = "あ" * 40
    assert safe_sheet_name(long, used) == "あ" * 31
    assert safe_sheet_name(long, used) == "あ" * 28 + "(2)"
    assert safe_sheet_name("'概要'") == "概要"


def test_workbook_keeps_formulas_as_text() -> None:
    book = XlsxBook(title="テスト")
    ws = book.sheet("表")
    row = book.write_title(ws, "表題", note="注記")
    assert row == 3
    after = book.write_table(
        ws,
        row,
        ["名前", "値", "率"],
        [["=SUM(A1:A3)", 1234, 85.5], ["髙橋 𠮷田", None, float("nan")], ["@cmd", True, 1.0]],
        formats=["text", "int", "pct"],
    )
    assert after == 3 + 3 + 2
    data = book.close()
    ws2 = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert ws2["A1"].value == "表題"
    assert ws2["A2"].value == "注記"
    assert [c.value for c in ws2[4]] == ["名前", "値", "率"]
    assert ws2["A5"].value == "=SUM(A1:A3)"
    assert ws2["A5"].data_type == "s"  # text, not a formula
    assert (ws2["B5"].value, ws2["C5"].value) == (1234, 85.5)
    assert (ws2["A6"].value, ws2["B6"].value, ws2["C6"].value) == ("髙橋 𠮷田", None, None)
    assert (ws2["A7"].value, ws2["B7"].value) == ("@cmd", "はい")
    assert ws2.freeze_panes == "A5"


HTML = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head>
<body>
<section class="cover"><p class="doc-title">検証報告書のテスト</p></section>
<nav class="toc"><ol>
<li><a class="toc-link" href="#a">第1章 はじめに</a></li>
<li><a class="toc-link" href="#b">第2章 結果</a></li>
</ol></nav>
<section class="chapter" id="a"><h2>第1章 はじめに</h2><p>髙橋さんと𠮷田さん。</p></section>
<section class="chapter" id="b"><h2>第2章 結果</h2>
<figure><img src="{src}" alt="グラフ"></figure></section>
</body></html>"""


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" role="img">'
        '<title>t</title><rect x="0" y="0" width="50" height="50" fill="#0017c1"/>'
        '<text x="60" y="30" font-size="12">達成</text></svg>'
    )
    return html_to_pdf(HTML.replace("{src}", svg_data_uri(svg)))


def test_pdf_is_a4_with_embedded_japanese_fonts(sample_pdf: bytes) -> None:
    info = subprocess.run(
        ["pdfinfo", "-"], input=sample_pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Pages:           4" in info
    assert "595.276 x 841.89 pts (A4)" in info
    fonts = subprocess.run(
        ["pdffonts", "-"], input=sample_pdf, capture_output=True, check=True
    ).stdout.decode()
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk, fonts
    assert all(" yes yes " in line for line in cjk)  # embedded, subset


def test_pdf_toc_page_numbers_and_running_header(sample_pdf: bytes) -> None:
    pages = pdf_text(sample_pdf).split("\f")
    toc = " ".join(pages[1].split())
    # chapter 1 starts on page 3, chapter 2 on page 4 (cover 1, contents 2)
    assert "第1章 はじめに" in toc and toc.split("第1章 はじめに")[1].lstrip(" .").startswith("3")
    assert toc.split("第2章 結果")[1].lstrip(" .").startswith("4")
    assert "検証報告書のテスト" in pages[2]  # running header
    assert "3/4" in pages[2].replace(" ", "")  # page numbers
    assert "髙橋さんと𠮷田さん。" in pages[2]
    assert pages[0].count("検証報告書のテスト") == 1  # no running header on the cover
