"""The action plan as Excel (read back cell by cell), PDF (text), GeoJSON (RFC 7946), and the
local strategy as Word."""

from __future__ import annotations

import io
import json
import re
import subprocess

import openpyxl
import pytest

from keikaku.resilience import exports, selectors, services
from keikaku.resilience.domain.actionplan import CostLine, budget_changes, site_features
from keikaku.resilience.domain.geo import feature_collection, rfc7946_problems
from keikaku.resilience.models import PolicyField
from keikaku.resilience.tests.factories import make_resilience

pytestmark = pytest.mark.django_db


def _setup_with_sites():
    setup = make_resilience()
    services.site_create(
        entry=setup.entry,
        actor="t",
        name="中央通り線",
        district="中央地区",
        geometry={"type": "LineString", "coordinates": [[139.384, 35.931], [139.396, 35.934]]},
    )
    services.site_create(
        entry=setup.entry,
        actor="t",
        name="=SUM(A1)",
        district="東部地区",
        address="鶴ヶ島市𠮷田1",
        lat=35.9388,
        lon=139.4052,
    )
    bridge = services.entry_create(
        action_plan=setup.action_plan,
        actor="t",
        programme=setup.bridge,
        scenarios=[setup.s11, setup.s64],
        policy_fields=list(PolicyField.objects.filter(version=setup.catalogue, code="横断4")),
        implementer="prefecture",
        start_fy=2025,
        end_fy=2025,
    )
    return setup, bridge


def _bridge_row(number, scenario_code, scenario_text):
    """The bridge programme's row under one of its two scenarios: prefecture, FY2025 only,
    30,000 千円 in total and in 令和7年度; no summary, sites, department or measure."""
    return [
        "112411",
        number,
        scenario_code,
        scenario_text,
        "文言未確認",
        "老朽化対策",
        None,
        "4-3-02",
        "橋りょう長寿命化修繕事業",
        None,
        None,
        "県",
        None,
        "令和7年度",
        30000,
        30000,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]


def test_action_plan_excel_read_back_cell_by_cell():
    setup, _bridge = _setup_with_sites()
    entries = selectors.entries_data(setup.action_plan)
    table = selectors.action_plan_table(setup.action_plan, entries)
    data = exports.action_plan_xlsx(table, entries, municipality_code="112411")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["アクションプラン", "事業実施箇所", "年度別事業費"]
    ws = book["アクションプラン"]
    assert ws["A1"].value == "アクションプラン（令和7年度）"
    header = [c.value for c in ws[4]]
    assert header == [
        "全国地方公共団体コード",
        "通し番号",
        "リスクシナリオ番号",
        "起きてはならない最悪の事態",
        "事態の文言",
        "施策分野",
        "施策",
        "事業番号",
        "事業名",
        "事業概要",
        "事業実施箇所",
        "実施主体",
        "担当課",
        "事業期間",
        "総事業費（千円）",
        "令和7年度事業費（千円）",
        "令和8年度事業費（千円）",
        "令和9年度事業費（千円）",
        "交付金・補助金",
        "地方債",
        "重要業績指標（KPI）",
        "総合計画の施策番号",
        "備考",
    ]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    # Grouped by scenario in catalogue order: 1-1 (bridge), then 6-4 (bridge, road).
    assert rows == [
        _bridge_row(1, "1-1", "建物の倒壊による多数の死傷者の発生"),
        [
            "112411",
            2,
            "6-4",
            "交通インフラの長期間にわたる機能停止",
            "文言未確認",
            "交通・物流",
            "子育て支援の充実",
            "4-3-01",
            "都市計画道路整備事業",
            "都市計画道路を整備します。",
            "中央通り線（中央地区）\n=SUM(A1)（東部地区、鶴ヶ島市𠮷田1）",
            "市",
            "こども支援課",
            "令和7年度～令和9年度",
            360000,
            120000,
            150000,
            90000,
            "社会資本整備総合交付金",
            "公共事業等債",
            "整備延長",
            "1-1",
            None,
        ],
        _bridge_row(3, "6-4", "交通インフラの長期間にわたる機能停止"),
    ]
    # Text that looks like a formula stays text (formula conversion is off).
    sites = book["事業実施箇所"]
    site_rows = [[c.value for c in row] for row in sites.iter_rows(min_row=5)]
    line = json.dumps(
        {"type": "LineString", "coordinates": [[139.384, 35.931], [139.396, 35.934]]},
        ensure_ascii=False,
    )
    assert site_rows == [
        [
            "112411",
            1,
            "4-3-01",
            "都市計画道路整備事業",
            "中央通り線",
            "中央地区",
            None,
            "LineString",
            139.396,
            35.934,
            line,
        ],
        [
            "112411",
            2,
            "4-3-01",
            "都市計画道路整備事業",
            "=SUM(A1)",
            "東部地区",
            "鶴ヶ島市𠮷田1",
            "Point",
            139.4052,
            35.9388,
            None,
        ],
    ]
    assert sites["E6"].data_type == "s"
    costs = [[c.value for c in row] for row in book["年度別事業費"].iter_rows(min_row=5)]
    assert costs == [
        ["112411", "4-3-01", "都市計画道路整備事業", 2025, 120000],
        ["112411", "4-3-01", "都市計画道路整備事業", 2026, 150000],
        ["112411", "4-3-01", "都市計画道路整備事業", 2027, 90000],
        ["112411", "4-3-02", "橋りょう長寿命化修繕事業", 2025, 30000],
    ]


def test_excel_budget_sheet_after_the_yearly_update():
    setup, _bridge = _setup_with_sites()
    from keikaku.plans.models import ProgrammeCost

    ProgrammeCost.objects.filter(programme=setup.road, fiscal_year=2026).update(total=100000)
    new = services.action_plan_copy_to_next_year(action_plan=setup.action_plan, actor="t")

    def lines(plan):
        return [
            CostLine(e.programme_code, e.programme_name, e.costs, e.total_cost)
            for e in selectors.entries_data(plan)
        ]

    changes = budget_changes(lines(setup.action_plan), lines(new))
    entries = selectors.entries_data(new)
    data = exports.action_plan_xlsx(
        selectors.action_plan_table(new, entries),
        entries,
        municipality_code="112411",
        budget=changes,
        previous_fiscal_year=2025,
    )
    ws = openpyxl.load_workbook(io.BytesIO(data))["予算の変更"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    # 2026: 100000 − 150000 = −50000; the bridge is unchanged.
    assert rows == [
        ["112411", "4-3-01", "都市計画道路整備事業", "変更", 2025, 120000, 120000, 0],
        ["112411", "4-3-01", "都市計画道路整備事業", "変更", 2026, 150000, 100000, -50000],
        ["112411", "4-3-01", "都市計画道路整備事業", "変更", 2027, 90000, 90000, 0],
        ["112411", "4-3-02", "橋りょう長寿命化修繕事業", "変更なし", 2025, 30000, 30000, 0],
    ]


def test_geojson_of_all_sites_is_valid_rfc7946():
    setup, _bridge = _setup_with_sites()
    entries = selectors.entries_data(setup.action_plan)
    collection = json.loads(
        exports.geojson_bytes(
            feature_collection(site_features(entries, municipality_code="112411"), name="AP")
        )
    )
    assert rfc7946_problems(collection) == []
    assert [f["geometry"] for f in collection["features"]] == [
        {"type": "LineString", "coordinates": [[139.384, 35.931], [139.396, 35.934]]},
        {"type": "Point", "coordinates": [139.4052, 35.9388]},  # [lon, lat]
    ]
    props = collection["features"][1]["properties"]
    assert props["site_name"] == "=SUM(A1)"
    assert props["scenario_codes"] == ["6-4"]
    assert props["total_cost_thousand_yen"] == 360000


def _pdf_text(pdf):
    """The PDF's text as poppler's pdftotext lays it out."""
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


@pytest.mark.slow  # font subsetting of Noto Sans CJK takes several seconds
def test_action_plan_pdf_has_the_table_text():
    setup, _bridge = _setup_with_sites()
    table = selectors.action_plan_table(setup.action_plan)
    pdf = exports.action_plan_pdf(table, municipality_name="鶴ヶ島市")
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "アクションプラン（令和7年度）" in text
    assert "文言未確認" in text
    assert "4-3-01 都市計画道路" in text  # the name wraps inside its cell
    assert "360,000" in text
    assert re.search(r"\b1\s*/\s*1\b", text)  # page numbers
    assert "事業実施箇所" in text  # the header row


def test_local_strategy_word_has_strategies_goals_and_kpis():
    from docx import Document

    setup = make_resilience()
    setup.small.strategy.basic_goal = "子育て世帯の転入超過を続ける"
    setup.small.strategy.save()
    data = selectors.local_strategy(setup.small.edition)
    doc = Document(io.BytesIO(exports.local_strategy_docx(data, title="地方版総合戦略")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["地方版総合戦略", "計画期間: 令和7（2025）年度～令和11（2029）年度"]
    assert "重点戦略1　こどもにやさしいまちづくり" in texts
    assert "子育て世帯の転入超過を続ける" in texts
    kpi_table = doc.tables[1]
    assert [c.text for c in kpi_table.rows[1].cells] == [
        "1-1 子育て支援の充実",
        "待機児童数",
        "12人 令和5（2023）年度",
        "0人 令和11（2029）年度",
    ]


@pytest.mark.slow
def test_local_strategy_pdf_has_the_strategy_text():
    setup = make_resilience()
    data = selectors.local_strategy(setup.small.edition)
    pdf = exports.local_strategy_pdf(data, title="地方版総合戦略")
    text = _pdf_text(pdf)
    assert re.search(r"重点戦略1\s+こどもにやさしいまちづくり", text)
    assert "待機児童数" in text
