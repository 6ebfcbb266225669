"""The plan document (PDF, Word) and the 4-page summary: content, table of contents, headings,
regeneration on publish.

The test plan has two policy areas, four measures (one with a title long enough to wrap),
indicators with decimals, thousands, missing targets and English names, and a priority
strategy with its own KPI — enough to exercise every part of the layout while staying fast.
The PDF is rendered once per data (``_rendered``); the whole demo city is checked the same
way by ``benchmarks/bench_plan_document.py``.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from keikaku.plans import models as pm
from keikaku.plans import services
from keikaku.plans.models import Measure
from keikaku.plans.tests.factories import make_small_plan, make_staff
from keikaku.publication.documents import content, render, service
from keikaku.publication.documents.pdf import Pdf, pdf_text
from keikaku.publication.models import PlanDocument

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "地域の多様な主体の連携による持続可能な公共交通ネットワークの再構築と、"
    "高齢者や子育て世帯が移動しやすい生活環境の整備"
)


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.KEIKAKU_DOCUMENTS_DIR = tmp_path / "documents"


def make_test_plan():
    """The small plan (area 1, measure 1-1, indicator 1-1-1: 12人 → 0人, strategy 1) and:
    measure 1-2; area 2 with measures 2-1 (long title) and 2-2; a strategy KPI."""
    plan = make_small_plan()
    edition = plan.edition
    m12 = pm.Measure.objects.create(
        area=plan.area,
        code="1-2",
        title="学校教育の充実",
        order=2,
        plain_summary="学校で学ぶ力を育てます。",
    )
    pm.Indicator.objects.create(
        measure=m12,
        code="1-2-1",
        name="授業がわかると答えた児童の割合",
        name_en="Pupils who understand their lessons",
        unit="%",
        baseline_value=80.5,
        baseline_fy=2023,
        target_value=85.25,
        target_fy=2029,
        survey_based=True,
    )
    area2 = pm.PolicyArea.objects.create(edition=edition, number=2, title="都市基盤・交通")
    m21 = pm.Measure.objects.create(area=area2, code="2-1", title=LONG_TITLE, order=1)
    i211 = pm.Indicator.objects.create(
        measure=m21,
        code="2-1-1",
        name="市内循環バスの年間利用者数",
        unit="人",
        baseline_value=183456,
        baseline_fy=2023,
        target_value=1234567,
        target_fy=2029,
    )
    pm.IndicatorValue.objects.create(indicator=i211, fiscal_year=2024, value=190012)
    pm.IndicatorValue.objects.create(indicator=i211, fiscal_year=2025, value=201337)
    pm.Indicator.objects.create(
        measure=m21,
        code="2-1-2",
        name="道路の舗装補修の延長",
        unit="km",
        baseline_value=3.2,
        baseline_fy=2023,
        target_value=None,  # 目標値なし: the document says 「—」
        target_fy=None,
    )
    m22 = pm.Measure.objects.create(area=area2, code="2-2", title="上水道の安定供給", order=2)
    pm.Indicator.objects.create(
        measure=m22,
        code="2-2-1",
        name="基幹管路の耐震適合率",
        unit="%",
        direction="increase",
        baseline_value=41.7,
        baseline_fy=2023,
        target_value=50,
        target_fy=2029,
    )
    pm.Indicator.objects.create(
        strategy=plan.strategy,
        code="S1-1",
        name="合計特殊出生率",
        unit="",
        baseline_value=1.09,
        baseline_fy=2023,
        target_value=1.2,
        target_fy=2029,
    )
    services.edition_publish(edition=edition, actor=make_staff("pub"))
    return plan


@pytest.fixture
def published():
    return make_test_plan()


_RENDERERS = {
    "plan": render.render_plan_pdf,
    "summary": render.render_summary_pdf,
    "docx": render.render_plan_docx,
}
_cache: dict[tuple[str, str], Any] = {}


def _rendered(kind: str, data: dict[str, Any]) -> Any:
    """The rendered document for this data (rendered once per test session)."""
    key = (kind, json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
    if key not in _cache:
        _cache[key] = _RENDERERS[kind](data)
    return _cache[key]


@pytest.fixture(autouse=True)
def _render_each_data_once(monkeypatch):
    """The service renders through the same memo: a file for data already rendered by another
    test is not rendered again (WeasyPrint takes seconds). What the service stores, serves
    and decides to build again is unchanged."""
    monkeypatch.setattr(render, "render_plan_pdf", lambda data: _rendered("plan", data))
    monkeypatch.setattr(render, "render_summary_pdf", lambda data: _rendered("summary", data))
    monkeypatch.setattr(render, "render_plan_docx", lambda data: _rendered("docx", data))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: bytes, mode: str = "") -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return pdf_text(pdf, mode=mode).split("\f")[:-1]


_TOC_LINE = re.compile(r"^(?P<title>.*?)\s*\.{4,}\s*(?P<page>\d+)$")


def _toc(pages: list[str]) -> list[tuple[str, int]]:
    """(title, page number) of the table of contents (page 2 on), wrapped titles joined."""
    assert pages[1].splitlines()[0].startswith("第6次鶴ヶ島市総合計画")  # running header
    out: list[tuple[str, int]] = []
    for page in pages[1:]:
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        # the running header (title, chapter 「目次」), then on the first page the heading
        if "目次" not in lines[:3]:
            break
        start = max(i for i, line in enumerate(lines[:3]) if line == "目次") + 1
        pending = ""
        for line in lines[start:]:
            match = _TOC_LINE.match(line)
            if match is None:
                pending += line  # the first line of a wrapped title
                continue
            out.append((_flat(pending + match["title"]), int(match["page"])))
            pending = ""
    return out


def _outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """(level, title, page) of the PDF's bookmarks (poppler's pdftohtml -xml)."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", "-f", "1", "-l", "1", "-", "/dev/null"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    root = ET.fromstring(xml)
    out: list[tuple[int, str, int]] = []

    def walk(node: ET.Element, level: int) -> None:
        for child in node:
            if child.tag == "item":
                out.append((level, child.text or "", int(child.get("page", "0"))))
            elif child.tag == "outline":
                walk(child, level + 1)

    top = root.find("outline")
    assert top is not None, "the PDF has no bookmarks"
    walk(top, 1)
    return out


def _docx_headings(data: bytes) -> list[tuple[int, str]]:
    """(level, text) of the Word file's title (1) and its Heading 1 (2) and Heading 2 (3)."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    out = []
    for p in doc.paragraphs:
        style = p.style.name
        if style == "Title":
            out.append((1, p.text))
        elif style in ("Heading 1", "Heading 2"):
            out.append((int(style[-1]) + 1, p.text))
    return out


def _pdfinfo(pdf: bytes) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    return {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in out.splitlines())}


def _fonts(pdf: bytes) -> str:
    return subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")


EXPECTED_HEADINGS = [
    (1, "第6次鶴ヶ島市総合計画 後期基本計画"),
    (2, "序論"),
    (2, "基本構想"),
    (2, "政策分野1 子育て・教育"),
    (3, "施策1-1 子育て支援の充実"),
    (3, "施策1-2 学校教育の充実"),
    (2, "政策分野2 都市基盤・交通"),
    (3, f"施策2-1 {LONG_TITLE}"),
    (3, "施策2-2 上水道の安定供給"),
    (2, "重点戦略"),
    (3, "重点戦略1 こどもにやさしいまちづくり"),
]


# --------------------------------------------------------------------------- plan PDF


def test_plan_pdf_text_has_every_measure_name_and_every_indicator_target(published):
    data = content.plan_document_data()
    assert data is not None
    pdf: Pdf = _rendered("plan", data)
    text = _flat(pdf_text(pdf.data))
    measures = [m for a in data["areas"] for m in a["measures"]]
    assert [m["code"] for m in measures] == ["1-1", "1-2", "2-1", "2-2"]
    for m in measures:
        assert _flat(f"施策{m['code']} {m['title']}") in text, m["title"]
    targets = [
        (ind["name"], render.indicator_rows(ind)["target"])
        for m in measures
        for ind in m["indicators"]
    ] + [
        (ind["name"], render.indicator_rows(ind)["target"])
        for s in data["strategies"]
        for ind in s["indicators"]
    ]
    # indicator_rows: thousands separators, the decimals of the indicator's most precise value
    # (基幹管路: baseline 41.7 → target 50.0%; 出生率: baseline 1.09 → target 1.20), the unit
    # after the value, and 「—」 where the indicator has no target
    assert targets == [
        ("待機児童数", "0人"),
        ("授業がわかると答えた児童の割合", "85.25%"),
        ("市内循環バスの年間利用者数", "1,234,567人"),
        ("道路の舗装補修の延長", "—"),
        ("基幹管路の耐震適合率", "50.0%"),
        ("合計特殊出生率", "1.20"),
    ]
    for name, target in targets:
        assert _flat(name) in text, name
        # the target stands in the indicator's row: name, baseline, target (with its year)
        assert re.search(re.escape(_flat(name)) + r".{0,60}?" + re.escape(target), text), name
    # the latest actual value of 2-1-1 (FY2025) and its chart's data
    assert "201,337人" in text
    assert "やさしい日本語の要約" in text and "学校で学ぶ力を育てます。" in text


def test_plan_pdf_is_a4_with_embedded_japanese_fonts_and_running_headers(published):
    data = content.plan_document_data()
    pdf: Pdf = _rendered("plan", data)
    info = _pdfinfo(pdf.data)
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert int(info["Pages"]) == pdf.pages
    assert info["Title"] == "第6次鶴ヶ島市総合計画 後期基本計画"
    fonts = _fonts(pdf.data)
    # Noto Sans CJK JP (regular and bold), each embedded ("emb") as a subset ("sub": the
    # name's ABCDEF+ prefix), with a Unicode map ("uni": text can be copied and searched)
    rows = [ln.split() for ln in fonts.splitlines()[2:] if ln.strip()]
    assert sorted(r[0].partition("+")[2] for r in rows) == [
        "Noto-Sans-CJK-JP",
        "Noto-Sans-CJK-JP-Bold",
    ], fonts
    assert all(r[-5:-2] == ["yes", "yes", "yes"] for r in rows), fonts
    pages = _pages(pdf.data, "layout")
    assert len(pages) == pdf.pages
    # running header: the document title (left) and the chapter (right) on every page after
    # the cover; the page number at the foot
    for number, page in enumerate(pages[1:], start=2):
        first = page.splitlines()[0]
        assert first.startswith("第6次鶴ヶ島市総合計画 後期基本計画"), (number, first)
        assert f"{number} / {pdf.pages}" in page, number
    cover = [ln.strip() for ln in pages[0].splitlines() if ln.strip()]
    assert cover[0] == "第6次鶴ヶ島市総合計画 後期基本計画"  # the cover's own title, no header
    assert f"1 / {pdf.pages}" not in pages[0]
    headers = {re.sub(r"\s+", " ", p.splitlines()[0].strip()) for p in pages[1:] if p.strip()}
    for chapter in (
        "目次",
        "序論",
        "基本構想",
        "政策分野1 子育て・教育",
        "政策分野2 都市基盤・交通",
    ):
        assert f"第6次鶴ヶ島市総合計画 後期基本計画 {chapter}" in headers, headers
    measure_page = next(p for p in pages[2:] if "施策2-2 上水道の安定供給" in p and "...." not in p)
    assert re.sub(r"\s+", " ", measure_page.splitlines()[0].strip()).endswith(
        "政策分野2 都市基盤・交通"
    )


def test_table_of_contents_bookmarks_and_docx_headings_are_the_same(published):
    data = content.plan_document_data()
    assert render.plan_headings(data) == EXPECTED_HEADINGS
    pdf: Pdf = _rendered("plan", data)
    pages = _pages(pdf.data)
    toc = _toc(pages)
    # the table of contents lists every heading below the title, with its page number ...
    assert [title for title, _page in toc] == [_flat(t) for _l, t in EXPECTED_HEADINGS[1:]]
    for title, page in toc:
        # ... and the heading is on that page
        assert title in _flat(pages[page - 1]), (title, page)
    assert [page for _t, page in toc] == sorted(page for _t, page in toc)
    # the PDF's bookmarks: the same headings, levels and pages
    outline = _outline(pdf.data)
    assert [(level, title) for level, title, _p in outline] == EXPECTED_HEADINGS
    assert [page for _l, _t, page in outline[1:]] == [page for _t, page in toc]
    # the .docx opens with python-docx and has the same headings at the same levels
    docx_bytes = _rendered("docx", data)
    assert _docx_headings(docx_bytes) == EXPECTED_HEADINGS
    from docx import Document

    doc = Document(io.BytesIO(docx_bytes))
    assert doc.core_properties.title == "第6次鶴ヶ島市総合計画 後期基本計画"
    assert doc.sections[0].header.paragraphs[0].text == "第6次鶴ヶ島市総合計画 後期基本計画"
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "1,234,567人（令和11（2029）年度）" in cells
    assert "85.25%（令和11（2029）年度）" in cells


def test_summary_is_four_a4_pages_with_every_area_measure_and_strategy(published):
    data = content.plan_document_data()
    summary: Pdf = _rendered("summary", data)
    assert summary.pages == 4
    info = _pdfinfo(summary.data)
    assert (info["Pages"], info["Page size"]) == ("4", "595.276 x 841.89 pts (A4)")
    pages = [_flat(p) for p in _pages(summary.data, "raw")]  # raw: the two columns apart
    assert len(pages) == 4
    assert "しあわせ共感安心のまちつるがしま" in pages[0]
    assert "施策の体系" in pages[1]
    for area in data["areas"]:
        assert _flat(f"{area['number']} {area['title']}") in pages[1]
        for m in area["measures"]:
            assert _flat(f"{m['code']} {m['title']}") in pages[1], m["code"]
    assert "重点戦略" in pages[2] and "こどもにやさしいまちづくり" in pages[2]
    assert "合計特殊出生率" in pages[2]
    assert [f"{i + 1}/4" in p for i, p in enumerate(pages)] == [True] * 4


def test_summary_of_a_large_plan_is_still_four_pages_and_says_what_it_left_out(published):
    """Eight areas with 64 measures of two lines each do not fit on one page: each area's list is shortened and
    ends with 「ほかN施策」, and the page says so — never clipped silently."""
    edition = published.edition
    for number in range(3, 9):
        area = pm.PolicyArea.objects.create(
            edition=edition, number=number, title=f"政策分野その{number}"
        )
        for k in range(1, 11):
            pm.Measure.objects.create(
                area=area,
                code=f"{number}-{k}",
                title=f"地域の皆さんと一緒に進める架空の施策{number}の{k}番目の取組の推進",
                order=k,
            )
    services.edition_publish(edition=edition, actor="test")
    data = content.plan_document_data()
    assert sum(len(a["measures"]) for a in data["areas"]) == 64
    summary: Pdf = _rendered("summary", data)
    assert summary.pages == 4
    page2 = _flat(_pages(summary.data, "raw")[1])
    left_out_total = 0
    for area in data["areas"]:
        assert _flat(f"{area['number']} {area['title']}") in page2
        shown = [m for m in area["measures"] if _flat(f"{m['code']} {m['title']}") in page2]
        # the measures shown are the first ones of the area, in order
        assert shown == area["measures"][: len(shown)]
        left_out = len(area["measures"]) - len(shown)
        if left_out:
            assert f"ほか{left_out}施策" in page2, area["number"]
        left_out_total += left_out
    assert left_out_total > 0
    assert (
        "紙面の都合で、施策の一部を省いています。すべての施策は計画書（PDF・Word）にあります。"
        in page2
    )


# --------------------------------------------------------------------------- downloads


def _download(client: Client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content)


def test_downloads_are_regenerated_when_changed_content_is_published(client: Client, published):
    response = client.get("/plan/documents/plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="112411-plan.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    first = PlanDocument.objects.get(kind="plan", fmt="pdf")
    # another publish with the same content: same file, nothing rendered again
    services.edition_publish(edition=published.edition, actor="test")
    _download(client, "/plan/documents/plan.pdf")
    assert list(PlanDocument.objects.filter(kind="plan", fmt="pdf")) == [first]
    # publishing a changed measure: the next download of every document shows the change
    measure = Measure.objects.get(pk=published.measure.pk)
    services.plan_object_update(
        obj=measure,
        actor=make_staff("ed"),
        expected_version=measure.version,
        changes={"title": "子育て支援の拡充"},
    )
    services.measure_publish(measure=Measure.objects.get(pk=measure.pk), actor="test")
    pdf = _download(client, "/plan/documents/plan.pdf")
    assert "施策1-1子育て支援の拡充" in _flat(pdf_text(pdf))
    newer = PlanDocument.objects.filter(kind="plan", fmt="pdf").order_by("-generated_at").first()
    assert newer is not None and newer.pk != first.pk
    docx_bytes = _download(client, "/plan/documents/plan.docx")
    assert (3, "施策1-1 子育て支援の拡充") in _docx_headings(docx_bytes)
    summary = _download(client, "/plan/documents/summary.pdf")
    assert "1-1子育て支援の拡充" in _flat(pdf_text(summary))
    # the documents page lists the three current files with their size and pages
    html = client.get("/plan/documents/").content.decode()
    assert html.count("作成日:") == 3
    assert 'href="/plan/documents/summary.pdf"' in html


def test_staff_rebuild_and_the_command_make_all_three(client: Client, published):
    call_command("build_plan_documents", stdout=io.StringIO())
    assert sorted(PlanDocument.objects.values_list("kind", "fmt")) == [
        ("plan", "docx"),
        ("plan", "pdf"),
        ("summary", "pdf"),
    ]
    assert PlanDocument.objects.get(kind="summary").pages == 4
    for record in PlanDocument.objects.all():
        assert service.document_path(record).exists()


def test_word_download(client: Client, published):
    response = client.get("/plan/documents/plan.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="112411-plan.docx"'
    data = b"".join(response.streaming_content)
    assert _docx_headings(data) == EXPECTED_HEADINGS


def test_no_document_without_a_published_plan(client: Client):
    make_small_plan()
    assert client.get("/plan/documents/plan.pdf").status_code == 404


def test_command_refuses_without_a_plan():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as excinfo:
        call_command("build_plan_documents")
    assert str(excinfo.value) == "公開されている計画がありません。先に計画を公開してください。"
