"""The plan workbook format without a database: cells, sheets, problems, files, diffs."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.plans.domain import workbook as wb

# --------------------------------------------------------------------------- sample data


def sample_rows() -> dict[str, list[dict[str, object]]]:
    return {
        "plan": [
            {
                "municipality_code": "112411",
                "municipality_name": "鶴ヶ島市",
                "prefecture": "埼玉県",
                "is_demo": True,
                "plan_ordinal": 6,
                "plan_title": "第6次鶴ヶ島市総合計画",
                "plan_start_fy": 2020,
                "plan_end_fy": 2029,
                "plan_adopted_on": date(2020, 3, 25),
                "vision": "しあわせ共感 安心のまち つるがしま",
                "concept_start_fy": 2020,
                "concept_end_fy": 2029,
                "edition_kind": "latter",
                "edition_title": "後期基本計画",
                "edition_start_fy": 2025,
                "edition_end_fy": 2029,
                "edition_status": "in_force",
                "introduction": "序論の1行目\r\n2行目",
            }
        ],
        "goals": [{"number": 1, "title": "子どもが健やかに育つまち"}],
        "departments": [
            {"code": "D01", "name": "こども未来部", "kind": "department", "order": 1},
            {"code": "K01", "name": "髙𠮷推進課", "kind": "section", "parent": "D01", "order": 2},
        ],
        "areas": [{"number": 1, "title": "子育て・教育"}, {"number": 2, "title": "健康・福祉"}],
        "measures": [
            {
                "code": "2-1",
                "area": 2,
                "title": "健康づくり",
                "sdgs": [3],
                "target_state": '=HYPERLINK("http://example.com")',
                "role_city": "-市が進めます",
            },
            {
                "code": "1-1",
                "area": 1,
                "title": "子育て支援の充実",
                "departments": ["K01", "D01"],
                "sdgs": [11, 3],
                "related_plans": "子ども・子育て支援事業計画\n教育大綱",
            },
        ],
        "initiatives": [
            {
                "measure": "1-1",
                "number": 1,
                "title": "保育の受け皿の確保",
                "responsible_section": "K01",
            }
        ],
        "strategies": [
            {"number": 1, "title": "こどもにやさしいまちづくり", "measures": ["2-1", "1-1"]}
        ],
        "indicators": [
            {
                "code": "1-1-1",
                "measure": "1-1",
                "name": "待機児童数",
                "unit": "人",
                "direction": "decrease",
                "baseline_value": 12,
                "baseline_fy": 2023,
                "baseline_as_of": date(2023, 4, 1),
                "target_value": 0,
                "target_fy": 2029,
            },
            {
                "code": "S1-1",
                "strategy": 1,
                "name": "転入者数",
                "direction": "increase",
                "cumulative": True,
                "survey_based": True,
                "target_value": 0.1 + 0.2,
            },
        ],
        "indicator_values": [
            {"indicator": "1-1-1", "fiscal_year": 2025, "value": -7.25, "note": "@速報値"}
        ],
        "programmes": [
            {
                "code": "101",
                "name": "保育所運営事業",
                "department": "K01",
                "measure": "1-1",
                "account": "一般会計",
            }
        ],
        "programme_costs": [
            {
                "programme": "101",
                "fiscal_year": 2025,
                "is_plan": "plan",
                "total": 1000,
                "national": 400,
                "prefectural": 200,
                "bonds": 0,
                "other": 0,
                "general": 400,
            },
            {"programme": "101", "fiscal_year": 2025, "is_plan": "actual", "total": 980},
        ],
    }


def sample() -> wb.WorkbookData:
    return wb.build_workbook(sample_rows())


def parse(files: list[tuple[str, bytes]]) -> wb.ParseResult:
    return wb.parse_workbook(wb.read_files(files))


def xlsx_with(changes: dict[str, dict[str, object]], data: wb.WorkbookData | None = None) -> bytes:
    """The sample as .xlsx with some cells overwritten: {"施策": {"B3": 9}}."""
    book = openpyxl.load_workbook(io.BytesIO(wb.write_xlsx(data or sample())))
    for sheet, cells in changes.items():
        for ref, value in cells.items():
            book[sheet][ref].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messages(result: wb.ParseResult) -> list[str]:
    return [str(p) for p in result.problems]


# --------------------------------------------------------------------------- the format


def test_sheets_in_order_with_unique_headers() -> None:
    assert [s.title for s in wb.SHEETS] == [
        "基本情報",
        "基本目標",
        "部署",
        "政策分野",
        "施策",
        "主な取組",
        "重点戦略",
        "成果指標",
        "実績値",
        "事務事業",
        "事業費",
    ]
    for sheet in wb.SHEETS:
        headers = [c.header for c in sheet.columns]
        assert len(set(headers)) == len(headers), sheet.title
    costs = wb.SHEET_BY_KEY["programme_costs"]
    assert [c.header for c in costs.columns][3:9] == [
        "事業費（千円）",
        "国庫支出金（千円）",
        "県支出金（千円）",
        "地方債（千円）",
        "その他（千円）",
        "一般財源（千円）",
    ]


def test_build_sorts_rows_and_makes_values_canonical() -> None:
    data = sample()
    assert [r.get("code") for r in data.records("measures")] == ["1-1", "2-1"]
    first = data.records("measures")[0]
    assert first.row == 2
    assert first.get("departments") == ("D01", "K01")
    assert first.get("sdgs") == (3, 11)
    assert first.get("order") == 0
    assert data.header() is not None
    assert data.header().get("introduction") == "序論の1行目\n2行目"  # type: ignore[union-attr]
    # 0.1 + 0.2 = 0.30000000000000004 is kept to Excel's 15 significant digits.
    assert data.records("indicators")[1].get("target_value") == 0.3
    assert data.records("indicators")[0].get("baseline_value") == 12.0


# --------------------------------------------------------------------------- cells


def col(sheet: str, key: str) -> wb.Column:
    return wb.SHEET_BY_KEY[sheet].column(key)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2025, 2025),
        (2025.0, 2025),
        ("2025", 2025),
        ("２０２５", 2025),
        ("令和7年度", 2025),
        ("R7", 2025),
        ("Ｒ７", 2025),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("令和7（2025）年度", 2025),
    ],
)
def test_fiscal_year_cells(raw: object, expected: int) -> None:
    assert wb.parse_cell(col("indicator_values", "fiscal_year"), raw) == expected


def test_fiscal_year_out_of_range() -> None:
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(col("indicator_values", "fiscal_year"), "1800")
    assert (
        str(err.value)
        == "「1800」は扱えない年度です。1900年度から2200年度までの年度を入力してください。"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("１，２３４．５", 1234.5), ("△1,000", -1000.0), ("−3", -3.0), (12, 12.0), ("'-5", -5.0)],
)
def test_number_cells(raw: object, expected: float) -> None:
    column = col("indicators", "baseline_value")
    value = raw
    if isinstance(raw, str) and raw.startswith("'"):
        value = wb._unescape(raw, True)  # a guarded CSV cell
    assert wb.parse_cell(column, value) == expected


def test_integer_cells_refuse_fractions_and_text() -> None:
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(col("programme_costs", "total"), "12.5")
    assert str(err.value) == "「12.5」は整数ではありません。「3」のように整数で入力してください。"
    assert wb.parse_cell(col("programme_costs", "total"), "１,０００") == 1000
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(col("areas", "number"), 0)
    assert str(err.value) == "「0」は使えません。1以上32767以下の整数で入力してください。"


def test_date_cells() -> None:
    column = col("indicators", "baseline_as_of")
    assert wb.parse_cell(column, "令和7年4月1日") == date(2025, 4, 1)
    assert wb.parse_cell(column, "R7.4.1") == date(2025, 4, 1)
    assert wb.parse_cell(column, "2025-04-01") == date(2025, 4, 1)
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(column, 45748)
    assert str(err.value) == (
        "「45748」を日付として読み取れません。「2025-04-01」「令和7年4月1日」のように書いてください。"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("増加", "increase"),
        ("減少", "decrease"),
        ("維持", "maintain"),
        ("達成", "milestone"),
        ("増加を目指す", "increase"),
        ("達成・未達成", "milestone"),
        ("decrease", "decrease"),
    ],
)
def test_direction_labels(raw: str, expected: str) -> None:
    assert wb.parse_cell(col("indicators", "direction"), raw) == expected


def test_unknown_direction() -> None:
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(col("indicators", "direction"), "上昇")
    assert (
        str(err.value)
        == "「上昇」は選べません。「増加」・「減少」・「維持」・「達成」のいずれかを入力してください。"
    )


def test_booleans_lists_and_codes() -> None:
    cumulative = col("indicators", "cumulative")
    assert [wb.parse_cell(cumulative, v) for v in ("はい", "○", "TRUE", None, "いいえ", "×")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert wb.parse_cell(col("measures", "sdgs"), "11、3") == (3, 11)
    assert wb.parse_cell(col("measures", "sdgs"), "３，１１") == (3, 11)
    assert wb.parse_cell(col("measures", "departments"), "K02、K01,K10") == ("K01", "K02", "K10")
    assert wb.parse_cell(col("measures", "code"), " １－１ ") == "1-1"
    assert wb.parse_cell(col("programmes", "code"), 101) == "101"
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(col("measures", "sdgs"), "3、18")
    assert str(err.value) == "SDGs のゴール「18」は 1 から 17 の数字で入力してください。"


def test_municipality_code_gets_its_leading_zero_back() -> None:
    code = col("plan", "municipality_code")
    assert wb.parse_cell(code, 11002) == "011002"  # 札幌市, a number cell
    assert wb.parse_cell(code, "11002") == "011002"
    assert wb.parse_cell(code, "112411") == "112411"
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(code, "112412")
    assert str(err.value) == "団体コード「112412」の検査数字が正しくありません（正しくは 112411）。"


def test_text_is_kept_as_written_but_line_ends_become_lf() -> None:
    title = col("measures", "target_state")
    assert wb.parse_cell(title, "  髙𠮷\r\n次の行 ") == "  髙𠮷\n次の行 "
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(col("measures", "title"), "")
    assert str(err.value) == "「施策名」が空欄です。入力してください。"
    with pytest.raises(wb.CellError) as err:
        wb.parse_cell(col("indicators", "unit"), "あ" * 31)
    assert str(err.value) == "30文字以内で入力してください（今は31文字です）。"


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["plan.xlsx", "plan.zip", "plan.json"])
def test_round_trip_every_format(name: str) -> None:
    data = sample()
    body = {"plan.xlsx": wb.write_xlsx, "plan.zip": wb.write_csv_zip, "plan.json": wb.write_json}[
        name
    ](data)
    result = parse([(name, body)])
    assert result.problems == ()
    assert result.data is not None
    assert result.data.values() == data.values()
    if name != "plan.json":  # JSON numbers records from 1, spreadsheets rows from 2
        assert result.data == data


def test_loose_csv_files_in_either_name_and_cp932() -> None:
    data = wb.build_workbook(
        {
            **sample_rows(),
            "departments": [
                {"code": "D01", "name": "こども未来部", "kind": "department", "order": 1},
                {
                    "code": "K01",
                    "name": "髙橋①～課",
                    "kind": "section",
                    "parent": "D01",
                    "order": 2,
                },
            ],
        }
    )
    archive = zipfile.ZipFile(io.BytesIO(wb.write_csv_zip(data)))
    files = []
    for sheet in wb.SHEETS:
        text = archive.read(sheet.filename).decode("utf-8-sig")
        name = f"{sheet.title}.csv" if sheet.key == "measures" else sheet.filename
        files.append((name, text.encode("cp932")))
    result = parse(files)
    assert result.problems == ()
    assert result.data == data


def test_formula_guard_in_xlsx_and_csv() -> None:
    data = sample()
    book = openpyxl.load_workbook(io.BytesIO(wb.write_xlsx(data)))
    cell = book["施策"]["G3"]  # 2-1 目指す姿
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        '=HYPERLINK("http://example.com")',
        "s",
        True,
    )
    assert book["施策"]["K3"].value == "-市が進めます"
    assert book["施策"]["K3"].quotePrefix is True
    assert book["施策"]["D3"].quotePrefix is False
    csv_text = (
        zipfile.ZipFile(io.BytesIO(wb.write_csv_zip(data))).read("measures.csv").decode("utf-8-sig")
    )
    assert '\'=HYPERLINK(""http://example.com"")' in csv_text
    assert ",'-市が進めます," in csv_text
    values = zipfile.ZipFile(io.BytesIO(wb.write_csv_zip(data))).read("indicator_values.csv")
    assert values.decode("utf-8-sig").splitlines()[1] == "1-1-1,2025,-7.25,,'@速報値"


def test_sheet_headers_and_units_in_the_xlsx() -> None:
    book = openpyxl.load_workbook(io.BytesIO(wb.write_xlsx(sample())))
    assert book.sheetnames[0] == "基本情報"
    assert [c.value for c in book["事業費"][1]][:4] == [
        "事業番号",
        "年度",
        "区分（計画・決算）",
        "事業費（千円）",
    ]
    assert [c.value for c in book["事業費"][2]][:4] == ["101", 2025, "計画", 1000]
    assert book["成果指標"]["H2"].value == "減少"
    assert book["施策"]["L2"].value == "D01、K01"
    assert book["施策"]["M2"].value == "3、11"
    assert book.worksheets[0].merged_cells.ranges == set()


@settings(max_examples=25, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    )
)
def test_any_text_survives_csv_and_xlsx(text: str) -> None:
    rows = sample_rows()
    rows = {"plan": rows["plan"], "areas": rows["areas"]}
    rows["areas"][0]["description"] = text
    data = wb.build_workbook(rows)
    for name, body in (("a.zip", wb.write_csv_zip(data)), ("a.xlsx", wb.write_xlsx(data))):
        result = parse([(name, body)])
        assert result.problems == ()
        assert result.data is not None
        got = result.data.records("areas")[0].get("description")
        if "_x" not in text:  # literal _xHHHH_ escapes are ambiguous in xlsx (documented)
            assert got == data.records("areas")[0].get("description"), name


# --------------------------------------------------------------------------- problems


def test_every_fault_in_every_sheet_is_reported_with_its_place() -> None:
    body = xlsx_with(
        {
            "基本情報": {"I2": "R12", "J2": "R11"},  # plan starts after it ends (2030 > 2029)
            "施策": {"B3": 9, "D2": None},  # an area that does not exist; a blank title
            "成果指標": {"H2": "上昇", "J3": "1800"},
            "実績値": {"B2": "令和百年度"},
            "事業費": {"D2": "千円"},
            "政策分野": {"A3": 1},  # duplicate number
        }
    )
    result = parse([("plan.xlsx", body)])
    assert result.data is None
    assert messages(result) == [
        "「基本情報」シート 2行目 J列「総合計画の終了年度」: 「総合計画の終了年度」（2029年度）が「総合計画の開始年度」（2030年度）より前です。年度を確かめてください。",
        "「政策分野」シート 3行目 A列「政策分野番号」: 政策分野番号「1」は2行目と重複しています。どちらかを直すか、削除してください。",
        "「施策」シート 2行目 D列「施策名」: 「施策名」が空欄です。入力してください。",
        "「施策」シート 3行目 B列「政策分野番号」: 政策分野番号「9」の政策分野が「政策分野」シートにありません。番号やコードを確かめるか、「政策分野」シートに追加してください。",
        "「成果指標」シート 2行目 H列「方向」: 「上昇」は選べません。「増加」・「減少」・「維持」・「達成」のいずれかを入力してください。",
        "「成果指標」シート 3行目 J列「基準値の年度」: 「1800」は扱えない年度です。1900年度から2200年度までの年度を入力してください。",
        "「実績値」シート 2行目 B列「年度」: 「令和百年度」を年度として読み取れません。「令和7年度」「R7」「2025年度」「令和7（2025）年度」のように書いてください。",
        "「事業費」シート 2行目 D列「事業費（千円）」: 「千円」は整数ではありません。「3」のように整数で入力してください。",
    ]
    first = result.problems[0]
    assert (first.sheet, first.row, first.column_letter, first.column) == (
        "基本情報",
        2,
        "J",
        "総合計画の終了年度",
    )


def test_cross_sheet_rules() -> None:
    rows = sample_rows()
    rows["indicators"][0]["strategy"] = 1  # both owners
    rows["departments"][0]["parent"] = "K01"  # D01 → K01 → D01
    rows["programme_costs"][0]["general"] = 300  # 400 + 200 + 0 + 0 + 300 = 900 ≠ 1000
    rows["plan"][0]["vision"] = ""  # no concept, yet concept years and goals
    result = parse([("p.xlsx", wb.write_xlsx(wb.build_workbook(rows)))])
    assert messages(result) == [
        "「基本情報」シート 2行目 O列「基本構想の開始年度」: 「将来像」が空欄のため基本構想はありませんが、この列に値があります。将来像を入力するか、この値を消してください。",
        "「基本情報」シート 2行目 P列「基本構想の終了年度」: 「将来像」が空欄のため基本構想はありませんが、この列に値があります。将来像を入力するか、この値を消してください。",
        "「基本目標」シート 2行目 A列「基本目標番号」: 「基本情報」シートの「将来像」が空欄のため、基本目標を登録できません。将来像を入力してください。",
        "「部署」シート 2行目 D列「上位の部の部署コード」: 上位の部の指定が循環しています（D01 → K01 → D01）。上位の部コードを直してください。",
        "「成果指標」シート 3行目 B列「施策番号」: 指標は施策か重点戦略のどちらか一方に属します。「施策番号」と「重点戦略番号」のどちらか一方だけを入力してください。",
        "「事業費」シート 2行目 D列「事業費（千円）」: 財源内訳の合計（900千円）が事業費（1000千円）と一致しません。内訳か事業費を直してください。",
    ]


def test_sheet_and_header_problems() -> None:
    archive = zipfile.ZipFile(io.BytesIO(wb.write_csv_zip(sample())))
    files = [(s.filename, archive.read(s.filename)) for s in wb.SHEETS if s.key != "goals"]
    files = [(n, d) for n, d in files if n != "areas.csv"]
    areas = "政策分野番号,政策分野名,政策分野名（英語）,メモ,説明,政策分野名\r\n1,子育て,,x,,\r\n"
    measures = archive.read("measures.csv").decode("utf-8-sig").replace("施策名（英語）", "英語名")
    files = [(n, d) for n, d in files if n != "measures.csv"]
    files += [
        ("areas.csv", areas.encode("utf-8")),
        ("measures.csv", measures.encode("cp932")),
        ("notes.csv", b"a\r\n"),
    ]
    result = parse(files)
    assert messages(result) == [
        "notes.csv: 「notes.csv」はこの形式のシートではありません。シートは「基本情報」・「基本目標」・「部署」・「政策分野」・「施策」・「主な取組」・「重点戦略」・「成果指標」・「実績値」・「事務事業」・「事業費」です。名前を直すか、削除してください。",
        "「基本目標」シート: 「基本目標」シートがありません。書き出したファイルを元にして、すべてのシートをそろえてください（行がなくても見出し行は必要です）。",
        "areas.csv（「政策分野」シート） 1行目 D列「メモ」: 見出し「メモ」はこのシートの列ではありません。見出しを直すか、列を削除してください。",
        "areas.csv（「政策分野」シート） 1行目 F列「政策分野名」: 見出し「政策分野名」の列が2つあります（B列とF列）。1つにしてください。",
        "measures.csv（「施策」シート） 1行目 「施策名（英語）」: 見出し「施策名（英語）」の列がありません。書き出したファイルの見出し行をそのまま使ってください。",
        "measures.csv（「施策」シート） 1行目 E列「英語名」: 見出し「英語名」はこのシートの列ではありません。見出しを直すか、列を削除してください。",
    ]


def test_value_without_header_and_unreadable_files() -> None:
    archive = zipfile.ZipFile(io.BytesIO(wb.write_csv_zip(sample())))
    files = [(s.filename, archive.read(s.filename)) for s in wb.SHEETS]
    areas = "政策分野番号,政策分野名,政策分野名（英語）,説明\r\n1,子育て・教育,,,余り\r\n2,健康・福祉,,\r\n"
    files = [(n, areas.encode() if n == "areas.csv" else d) for n, d in files]
    files = [(n, "\ufeff髙".encode("utf-16") if n == "goals.csv" else d) for n, d in files]
    result = parse(files)
    assert messages(result) == [
        "goals.csv（「基本目標」シート）: UTF-16 で保存されたファイルは読めません。UTF-8 または Shift_JIS（CP932）で保存したファイルを使ってください。",
        "areas.csv（「政策分野」シート） 2行目 E列: 見出しのない列に値「余り」があります。見出しを付けるか、値を消してください。",
    ]
    assert messages(parse([("old.xls", b"\xd0\xcf\x11\xe0rest")])) == [
        "old.xls: Excel 97-2003 形式（.xls）は読めません。Excel で .xlsx 形式で保存し直してください。"
    ]
    assert messages(parse([("a.xlsx", b"PK\x03\x04broken")])) == [
        "a.xlsx: ファイルを開けません。壊れているか、.xlsx・.zip の形式ではありません。書き出したファイルを使ってください。"
    ]


def test_json_problems_name_records() -> None:
    doc = json.loads(wb.write_json(sample()))
    doc["sheets"]["areas"][1]["number"] = "二"
    result = parse([("plan.json", json.dumps(doc, ensure_ascii=False).encode())])
    assert messages(result) == [
        "plan.json（「政策分野」シート） 2件目 「number」: 「二」は整数ではありません。「3」のように整数で入力してください。"
    ]


def test_plan_sheet_needs_exactly_one_row() -> None:
    rows = sample_rows()
    rows["plan"] = rows["plan"] * 2
    result = parse([("p.xlsx", wb.write_xlsx(wb.build_workbook(rows)))])
    assert messages(result) == [
        "「基本情報」シート: 「基本情報」シートには計画を1行だけ入力してください（今は2行あります）。"
    ]


# --------------------------------------------------------------------------- diffs


def test_diff_lists_creates_updates_and_missing_items() -> None:
    current = sample()
    rows = sample_rows()
    rows["areas"] = [
        {"number": 1, "title": "子育て・教育・文化"},
        {"number": 3, "title": "都市基盤"},
    ]
    rows["measures"][0]["area"] = 3
    incoming = wb.build_workbook(rows)
    changes = [c for c in wb.diff_workbooks(current, incoming) if c.sheet in ("areas", "measures")]
    assert changes == [
        wb.Change("areas", "update", (1,), "政策分野「1 子育て・教育・文化」", 2, ("政策分野名",)),
        wb.Change("areas", "create", (3,), "政策分野「3 都市基盤」", 3),
        wb.Change("areas", "missing", (2,), "政策分野「2 健康・福祉」"),
        wb.Change("measures", "update", ("2-1",), "施策「2-1 健康づくり」", 3, ("政策分野番号",)),
    ]
    assert wb.diff_workbooks(current, current) == ()


def test_diff_header_by_object() -> None:
    header = sample().header()
    assert header is not None
    current = {g: wb.header_group_values(header, g) for g, _label in wb.HEADER_GROUPS}
    assert wb.diff_header(current, header) == ()
    new = {"municipality": current["municipality"], "plan": None, "concept": None, "edition": None}
    assert [(c.action, c.label) for c in wb.diff_header(new, header)] == [
        ("create", "総合計画「第6次鶴ヶ島市総合計画」"),
        ("create", "基本構想「しあわせ共感 安心のまち つるがしま」"),
        ("create", "基本計画「後期基本計画」"),
    ]
    changed = {**current, "municipality": {**current["municipality"], "municipality_name": "旧名"}}  # type: ignore[dict-item]
    assert wb.diff_header(changed, header) == (
        wb.Change("plan", "update", ("municipality",), "自治体「鶴ヶ島市」", 2, ("団体名",)),
    )


def test_problem_location_forms() -> None:
    assert (
        str(wb.Problem("施策", 5, "施策名", "D", "空欄です。"))
        == "「施策」シート 5行目 D列「施策名」: 空欄です。"
    )
    assert str(wb.Problem("", None, None, None, "読めません。", "a.xlsx")) == "a.xlsx: 読めません。"
    assert wb.column_letter(0) == "A"
    assert wb.column_letter(25) == "Z"
    assert wb.column_letter(26) == "AA"
